"""Load and save MMPose 0.x checkpoints under PyTorch's ``weights_only`` rules.

MMPose 0.x checkpoints were written with full pickling: their ``meta`` holds
numpy arrays and scalars, mmcv ``ConfigDict`` objects and other plain data.
PyTorch 2.6+ loads with ``weights_only=True``, which refuses those globals
(and cannot restore dict subclasses such as ``ConfigDict`` at all). Here an
unpickler resolves only an allow list: PyTorch's own safe globals plus those
legacy ones, so no arbitrary code runs while unpickling;
a file needing anything else is refused with :class:`UnsafeCheckpointError`
unless the caller opts in with ``allow_unsafe=True`` or the environment
variable ``MMPOSE_ALLOW_UNSAFE_CHECKPOINTS=1``.

Importing this module registers the safe loader with mmcv's
``CheckpointLoader`` for local paths, ``http(s)://``, ``torchvision://`` and
``open-mmlab://``, so ``mmcv.runner.load_checkpoint`` and ``Runner.resume``
use it too.
"""
import collections
import io
import os
import os.path as osp
import pickle
import tempfile
import types
import urllib.error
import urllib.request
from typing import Callable, Dict, List, Optional, Tuple, Union

import numpy as np
import torch
from mmcv.runner import CheckpointLoader
from mmcv.runner import load_state_dict as mmcv_load_state_dict
from mmcv.runner import save_checkpoint as mmcv_save_checkpoint
from mmcv.runner.checkpoint import get_external_models
from mmcv.utils import ConfigDict
from torch import _weights_only_unpickler
from mmpose.errors import ArgumentError

ALLOW_UNSAFE_ENV = 'MMPOSE_ALLOW_UNSAFE_CHECKPOINTS'
DOWNLOAD_TIMEOUT_ENV = 'MMPOSE_DOWNLOAD_TIMEOUT'


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint needs globals that are not on the safe list."""


def _numpy_globals() -> List[Tuple[Callable, str]]:
    """numpy objects a pickled array/scalar refers to, under the module
    names of both NumPy 1.x (``numpy.core``) and 2.x (``numpy._core``)."""
    reconstruct = np.ndarray.__reduce__(np.zeros(1))[0]
    scalar = np.float64(0).__reduce__()[0]
    entries = []
    for core in ('numpy.core', 'numpy._core'):
        entries.append((reconstruct, f'{core}.multiarray._reconstruct'))
        entries.append((scalar, f'{core}.multiarray.scalar'))
    entries += [(np.ndarray, 'numpy.ndarray'), (np.dtype, 'numpy.dtype')]
    entries += [(type(np.dtype(code)),
                 f'numpy.dtypes.{type(np.dtype(code)).__name__}')
                for code in '?bBhHiIlLqQefdgFDGUS']
    return entries


def safe_checkpoint_globals() -> List[Union[Callable, Tuple[Callable, str]]]:
    """Globals that MMPose 0.x checkpoints use and that are safe to allow."""
    import addict
    return _numpy_globals() + [
        (ConfigDict, 'mmcv.utils.config.ConfigDict'),
        (addict.Dict, 'addict.addict.Dict'),
        collections.defaultdict,
        set,
        frozenset,
    ]


def _unsafe_allowed(allow_unsafe: bool) -> bool:
    return allow_unsafe or os.environ.get(ALLOW_UNSAFE_ENV, '') == '1'


def _allowed_globals() -> Dict[str, Callable]:
    """Name -> object for every global a checkpoint may refer to: those
    PyTorch's ``weights_only`` loader allows plus :func:`safe_checkpoint_globals`."""
    allowed = dict(_weights_only_unpickler._get_allowed_globals())
    for entry in safe_checkpoint_globals():
        obj, name = entry if isinstance(
            entry, tuple) else (entry,
                                f'{entry.__module__}.{entry.__qualname__}')
        allowed[name] = obj
    return allowed


class _AllowListUnpickler(pickle.Unpickler):
    """Unpickler that resolves only allow-listed globals.

    Unlike PyTorch's ``weights_only`` unpickler it restores dict subclasses
    such as mmcv's ``ConfigDict``, which MMPose 0.x stored in ``meta``.
    """

    def find_class(self, module: str, name: str):
        qualified = f'{module}.{name}'
        allowed = _allowed_globals()
        if qualified not in allowed:
            raise UnsafeCheckpointError(qualified)
        return allowed[qualified]


def _allow_list_pickle_module() -> types.ModuleType:
    """A stand-in for the ``pickle`` module, for ``torch.load``."""
    module = types.ModuleType('mmpose_allow_list_pickle')
    module.Unpickler = _AllowListUnpickler
    module.load = lambda file, **kwargs: _AllowListUnpickler(
        file, **kwargs).load()
    return module


def torch_load_safely(source: Union[str, io.BytesIO],
                      map_location=None,
                      allow_unsafe: bool = False,
                      name: Optional[str] = None):
    """``torch.load`` that unpickles only allow-listed globals.

    Args:
        source (str | file-like): Path or opened file.
        map_location: As in ``torch.load``.
        allow_unsafe (bool): Unpickle anything (only for trusted files).
        name (str | None): How to call the file in error messages.

    Raises:
        UnsafeCheckpointError: The file needs a global outside the list.
    """
    name = name or (source if isinstance(source, str) else '<buffer>')
    if _unsafe_allowed(allow_unsafe):
        return torch.load(source, map_location=map_location,
                          weights_only=False)
    try:
        return torch.load(
            source,
            map_location=map_location,
            weights_only=False,
            pickle_module=_allow_list_pickle_module())
    except UnsafeCheckpointError as err:
        raise UnsafeCheckpointError(
            f'refusing to unpickle checkpoint {name}: it needs {err.args[0]}, '
            'which is not known to be safe. If you trust this file, pass '
            f'allow_unsafe=True or set {ALLOW_UNSAFE_ENV}=1.') from None


def load_local(filename: str, map_location=None, allow_unsafe: bool = False):
    """Load a checkpoint file from disk, naming the path if it is missing."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename}')
    return torch_load_safely(filename, map_location, allow_unsafe)


def _cache_path(url: str) -> str:
    """Where ``torch.hub`` keeps a downloaded file for ``url``."""
    return osp.join(torch.hub.get_dir(), 'checkpoints',
                    osp.basename(url.split('?')[0]))


def load_url(url: str, map_location=None, allow_unsafe: bool = False):
    """Load a checkpoint from the torch hub cache, downloading it if needed.

    The download has a timeout (``MMPOSE_DOWNLOAD_TIMEOUT`` seconds, default
    20) and is written atomically; without network access the error says
    where to put the file by hand.
    """
    cached = _cache_path(url)
    if not osp.isfile(cached):
        timeout = float(os.environ.get(DOWNLOAD_TIMEOUT_ENV, '20'))
        os.makedirs(osp.dirname(cached), exist_ok=True)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                data = response.read()
        except (urllib.error.URLError, OSError, ValueError) as err:
            raise RuntimeError(
                f'cannot download checkpoint {url} ({err}). Without network '
                f'access, download it elsewhere and place it at {cached}'
            ) from err
        _write_atomically(cached, lambda path: open(path, 'wb').write(data))
    return torch_load_safely(cached, map_location, allow_unsafe, name=url)


def torchvision_url(name: str) -> str:
    """URL of torchvision's ImageNet weights for model ``name``."""
    import torchvision
    try:
        weights = torchvision.models.get_model_weights(name)
    except ValueError as err:
        raise ArgumentError(f'torchvision://{name}: torchvision has no model '
                            f'named {name!r}') from err
    return weights.IMAGENET1K_V1.url


def openmmlab_url(name: str) -> str:
    """URL behind an ``open-mmlab://name`` alias (mmcv's model zoo list)."""
    urls = get_external_models()
    if name not in urls:
        raise ArgumentError(f'open-mmlab://{name} is not in mmcv\'s model zoo '
                            f'list; known names: {", ".join(sorted(urls))}')
    return urls[name]


def load_checkpoint_file(filename: str, map_location=None,
                         allow_unsafe: bool = False) -> dict:
    """Read a checkpoint from a local path, URL, ``torchvision://`` or
    ``open-mmlab://`` / ``openmmlab://`` name."""
    if filename.startswith('torchvision://'):
        return load_url(torchvision_url(filename[len('torchvision://'):]),
                        map_location, allow_unsafe)
    for prefix in ('open-mmlab://', 'openmmlab://'):
        if filename.startswith(prefix):
            return load_url(openmmlab_url(filename[len(prefix):]),
                            map_location, allow_unsafe)
    if filename.startswith(('http://', 'https://')):
        return load_url(filename, map_location, allow_unsafe)
    return load_local(filename, map_location, allow_unsafe)


def get_state_dict(checkpoint, filename: str = '<checkpoint>') -> dict:
    """The parameter dict of a checkpoint (``state_dict`` key or the whole)."""
    if not isinstance(checkpoint, dict):
        raise RuntimeError(f'no state_dict found in checkpoint {filename}: '
                           f'it holds a {type(checkpoint).__name__}')
    return checkpoint.get('state_dict', checkpoint)


def load_checkpoint(model: torch.nn.Module,
                    filename: str,
                    map_location='cpu',
                    strict: bool = False,
                    logger=None,
                    allow_unsafe: bool = False,
                    revise_keys=((r'^module\.', ''), )) -> dict:
    """Load a checkpoint into ``model`` (its ``module.`` prefixes removed).

    Args:
        model (nn.Module): Module to load into (``.module`` is unwrapped by
            mmcv's ``load_state_dict``).
        filename (str): Local path, URL, ``torchvision://`` or
            ``open-mmlab://`` name.
        map_location: As in ``torch.load``.
        strict (bool): Raise on missing or unexpected keys.
        logger: Where mmcv reports key mismatches when not strict.
        allow_unsafe (bool): Unpickle anything (only for trusted files).
        revise_keys (list[tuple[str, str]]): Regex substitutions applied to
            every key.

    Returns:
        dict: The loaded checkpoint.
    """
    import re
    checkpoint = load_checkpoint_file(filename, map_location, allow_unsafe)
    state_dict = get_state_dict(checkpoint, filename)
    metadata = getattr(state_dict, '_metadata', collections.OrderedDict())
    for pattern, replacement in revise_keys:
        state_dict = collections.OrderedDict(
            (re.sub(pattern, replacement, key), value)
            for key, value in state_dict.items())
    state_dict._metadata = metadata
    mmcv_load_state_dict(model, state_dict, strict, logger)
    return checkpoint


def _write_atomically(filename: str, write: Callable[[str], object]) -> None:
    """Call ``write(path)`` for a temporary path beside ``filename``, then
    rename it over ``filename`` so readers never see a partial file."""
    directory = osp.dirname(osp.abspath(filename))
    os.makedirs(directory, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(dir=directory, suffix='.tmp',
                                    prefix=osp.basename(filename) + '.')
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp creates files as 0600
    try:
        write(tmp_path)
        with open(tmp_path, 'rb') as f:
            os.fsync(f.fileno())
        os.replace(tmp_path, filename)
    except BaseException:
        if osp.exists(tmp_path):
            os.remove(tmp_path)
        raise


def save_checkpoint(model: torch.nn.Module,
                    filename: str,
                    optimizer=None,
                    meta: Optional[dict] = None) -> None:
    """mmcv's ``save_checkpoint``, written atomically (temp file + rename)."""
    _write_atomically(
        filename, lambda path: mmcv_save_checkpoint(model, path, optimizer,
                                                    meta))


def _register_mmcv_loaders() -> None:
    """Route mmcv's checkpoint loading through the safe loader."""

    def make_loader(fn):

        def loader(filename, map_location=None):
            return fn(filename, map_location)

        return loader

    CheckpointLoader.register_scheme(
        prefixes='', loader=make_loader(load_local), force=True)
    CheckpointLoader.register_scheme(
        prefixes=('http://', 'https://', 'torchvision://', 'open-mmlab://',
                  'openmmlab://'),
        loader=make_loader(load_checkpoint_file),
        force=True)


_register_mmcv_loaders()
