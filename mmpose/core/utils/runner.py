"""An epoch-based runner whose checkpoints survive a killed process."""
import os
import os.path as osp
import platform
import shutil
import tempfile
import time
import re
import warnings
from typing import Optional, Sequence, Tuple

from mmcv.runner import RUNNERS, EpochBasedRunner
from mmcv.runner import load_state_dict as mmcv_load_state_dict
from mmcv.runner.checkpoint import get_state_dict as model_state_dict
from torch import nn

from mmpose.errors import ArgumentTypeError
from mmpose.utils.checkpoint import (get_state_dict, load_checkpoint_file,
                                     save_checkpoint)


def check_state_dict_compatible(model: nn.Module,
                                state_dict: dict,
                                filename: str = '<checkpoint>',
                                strict: bool = False) -> None:
    """Refuse a checkpoint made for another architecture.

    Raises ``RuntimeError`` naming the checkpoint and the model when none of
    the checkpoint's parameters belongs to the model, when a shared
    parameter has another shape, or (``strict``) when the model has
    parameters the checkpoint lacks. Missing parameters otherwise only warn
    (e.g. a backbone-only ``load_from``).

    Args:
        model (nn.Module): The model (wrappers are looked through).
        state_dict (dict): Parameter name -> tensor, ``module.`` prefixes
            already removed.
        filename (str): The checkpoint's name for the messages.
        strict (bool): Require every model parameter to be present.
    """
    expected = model_state_dict(model)
    inner = model.module if hasattr(model, 'module') else model
    arch = type(inner).__name__
    shared = [key for key in state_dict if key in expected]
    if state_dict and not shared:
        sample = ', '.join(list(state_dict)[:3])
        raise RuntimeError(
            f'checkpoint {filename} does not fit the {arch} model: none of '
            f'its {len(state_dict)} parameters (e.g. {sample}) exists in the '
            f'model; it was probably saved for another architecture')
    mismatched = [
        f'{key}: checkpoint {tuple(state_dict[key].shape)} vs model '
        f'{tuple(expected[key].shape)}' for key in shared
        if hasattr(state_dict[key], 'shape')
        and tuple(state_dict[key].shape) != tuple(expected[key].shape)
    ]
    if mismatched:
        raise RuntimeError(
            f'checkpoint {filename} does not fit the {arch} model: '
            f'{len(mismatched)} parameters have other shapes ('
            + '; '.join(mismatched[:5]) + ')')
    missing = [key for key in expected if key not in state_dict]
    if missing:
        message = (f'checkpoint {filename} lacks {len(missing)} parameters '
                   f'of the {arch} model (e.g. {", ".join(missing[:5])})')
        if strict:
            raise RuntimeError(message)
        warnings.warn(message)


def _revise(state_dict: dict,
            revise_keys: Sequence[Tuple[str, str]]) -> dict:
    for pattern, replacement in revise_keys:
        state_dict = {
            re.sub(pattern, replacement, key): value
            for key, value in state_dict.items()
        }
    return state_dict


def update_link_atomically(target_name: str, link_path: str) -> None:
    """Point ``link_path`` at ``target_name`` (a name in the same folder)
    without a moment where ``link_path`` is missing or partial.

    A symlink is made under a temporary name and renamed over the link;
    where symlinks are not available the file is copied and renamed.
    """
    directory = osp.dirname(osp.abspath(link_path))
    fd, tmp_path = tempfile.mkstemp(
        dir=directory, prefix=osp.basename(link_path) + '.', suffix='.tmp')
    os.close(fd)
    os.remove(tmp_path)
    try:
        if platform.system() != 'Windows':
            os.symlink(target_name, tmp_path)
        else:
            shutil.copy(osp.join(directory, target_name), tmp_path)
        os.replace(tmp_path, link_path)
    except BaseException:
        if osp.lexists(tmp_path):
            os.remove(tmp_path)
        raise


def _use_default_permissions(path: str) -> None:
    """Give a file written through ``mkstemp`` (mode 0600) the mode a plain
    ``open`` would have given it (0666 minus the umask)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


@RUNNERS.register_module()
class AtomicEpochBasedRunner(EpochBasedRunner):
    """mmcv's ``EpochBasedRunner`` with atomic checkpoint files.

    ``epoch_N.pth`` is written to a temporary file and renamed, and
    ``latest.pth`` is re-pointed by an atomic rename, so a run killed at any
    moment leaves every checkpoint either complete or absent. Loading checks
    that the checkpoint fits the model (see
    :func:`check_state_dict_compatible`; resuming needs every parameter).
    """

    _resuming = False

    def load_checkpoint(self,
                        filename: str,
                        map_location='cpu',
                        strict: bool = False,
                        revise_keys=((r'^module\.', ''), )) -> dict:
        """Load ``filename`` into the model after checking that it fits."""
        checkpoint = load_checkpoint_file(filename, map_location)
        state_dict = _revise(
            get_state_dict(checkpoint, filename), revise_keys)
        check_state_dict_compatible(self.model, state_dict, filename,
                                    strict or self._resuming)
        self.logger.info('load checkpoint from %s', filename)
        mmcv_load_state_dict(self.model, state_dict, strict, self.logger)
        return checkpoint

    def resume(self, checkpoint: str, resume_optimizer: bool = True,
               map_location='default') -> None:
        """Continue a run from ``checkpoint`` (model, optimizer, epoch, iter
        and meta); the checkpoint must hold every model parameter."""
        self._resuming = True
        try:
            super().resume(checkpoint, resume_optimizer, map_location)
        finally:
            self._resuming = False

    def train(self, data_loader, **kwargs) -> None:
        """One training epoch (mmcv's loop; its 2 s pause before the first
        batch, against worker deadlocks, only when there are workers)."""
        self.model.train()
        self.mode = 'train'
        self.data_loader = data_loader
        self._max_iters = self._max_epochs * len(self.data_loader)
        self.call_hook('before_train_epoch')
        if getattr(data_loader, 'num_workers', 1) > 0:
            time.sleep(2)
        for i, data_batch in enumerate(self.data_loader):
            self.data_batch = data_batch
            self._inner_iter = i
            self.call_hook('before_train_iter')
            self.run_iter(data_batch, train_mode=True, **kwargs)
            self.call_hook('after_train_iter')
            del self.data_batch
            self._iter += 1
        self.call_hook('after_train_epoch')
        self._epoch += 1

    def save_checkpoint(self,
                        out_dir: str,
                        filename_tmpl: str = 'epoch_{}.pth',
                        save_optimizer: bool = True,
                        meta: Optional[dict] = None,
                        create_symlink: bool = True) -> None:
        """Save ``filename_tmpl.format(epoch + 1)`` in ``out_dir``.

        Args:
            out_dir (str): The directory that checkpoints are saved.
            filename_tmpl (str): The checkpoint filename template, with a
                placeholder for the epoch number.
            save_optimizer (bool): Whether to save the optimizer state.
            meta (dict | None): Meta information to save with it (the
                runner's own meta, epoch and iter are added).
            create_symlink (bool): Whether to point ``latest.pth`` at it.
        """
        if meta is None:
            meta = {}
        elif not isinstance(meta, dict):
            raise ArgumentTypeError(
                f'meta should be a dict or None, but got {type(meta)}')
        if self.meta is not None:
            meta.update(self.meta)
        meta.update(epoch=self.epoch + 1, iter=self.iter)
        filename = filename_tmpl.format(self.epoch + 1)
        filepath = osp.join(out_dir, filename)
        optimizer = self.optimizer if save_optimizer else None
        save_checkpoint(self.model, filepath, optimizer=optimizer, meta=meta)
        _use_default_permissions(filepath)
        if create_symlink:
            update_link_atomically(filename, osp.join(out_dir, 'latest.pth'))
