"""A hook that kills its own process, to test recovery from a crash.

Imported by configs through ``custom_imports = dict(imports=['kill_hook'])``
(with this folder on ``PYTHONPATH``).
"""
import os
import os.path as osp
import signal

from mmcv.runner import HOOKS, Hook


@HOOKS.register_module()
class KillOnceHook(Hook):
    """SIGKILL the process at ``iter`` (0-based, within the run) of epoch
    ``epoch`` (1-based), once: a marker file makes the next run go on."""

    def __init__(self, epoch: int, iter: int, marker: str):
        self.epoch = epoch
        self.iter = iter
        self.marker = marker

    def before_train_iter(self, runner):
        if osp.exists(self.marker):
            return
        if runner.epoch + 1 == self.epoch and \
                runner.inner_iter == self.iter:
            open(self.marker, 'w').close()
            os.kill(os.getpid(), signal.SIGKILL)
