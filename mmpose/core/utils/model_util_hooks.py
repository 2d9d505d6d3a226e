"""Training hooks that talk to the model (MMPose 0.29)."""
from mmcv.runner import HOOKS, Hook

__all__ = ['ModelSetEpochHook']


@HOOKS.register_module()
class ModelSetEpochHook(Hook):
    """Tell the model, before each training epoch, which (1-based) epoch it
    is, through its ``set_train_epoch(epoch)`` (e.g. the gesture
    recogniser's head starts its SSA loss at a given epoch)."""

    def before_epoch(self, runner) -> None:
        model = runner.model
        model = getattr(model, 'module', model)  # (Distributed)DataParallel
        model.set_train_epoch(runner.epoch + 1)
