"""A hook that saves the model of every process at the end of a run, to
check that the processes of a distributed run end with the same weights
(the usual checkpoints come from rank 0 only).

Imported by configs through
``custom_imports = dict(imports=['rank_checkpoint_hook'])`` (with this
folder on ``PYTHONPATH``).
"""
import os.path as osp

from mmcv.runner import HOOKS, Hook, get_dist_info, save_checkpoint


@HOOKS.register_module()
class SaveRankCheckpointHook(Hook):
    """Save ``rank_<rank>.pth`` (meta: rank, world size) into the work
    directory of each process after the last epoch."""

    def after_run(self, runner):
        rank, world_size = get_dist_info()
        save_checkpoint(
            runner.model, osp.join(runner.work_dir, f'rank_{rank}.pth'),
            meta=dict(rank=rank, world_size=world_size))
