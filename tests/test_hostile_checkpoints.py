"""Checkpoints whose unpickling would run code are refused by every way a
checkpoint gets loaded, and nothing runs; legacy NumPy 1.x pickles still
load. The payload creates a marker file: the marker's absence proves nothing
ran, and its presence once the caller opts in proves the gate (not some
other failure) is what stopped it.

Covered here: ``init_pose_model``, ``mmpose.utils.checkpoint.load_checkpoint``,
mmcv's ``load_checkpoint``, a backbone's ``init_weights(pretrained=...)``,
``train_model`` with ``load_from`` / ``resume_from``, ``tools/test.py``, and
URLs, ``torchvision://`` and ``open-mmlab://`` names served from the
``torch.hub`` cache (``$TORCH_HOME/hub/checkpoints``). Ordinary loading,
the hint in the message and saving are in test_checkpoint.py.
"""
import builtins
import os
import os.path as osp
import pickle
import struct
import subprocess
import sys

import mmcv
import numpy as np
import pytest
import torch
from mmcv.runner import load_checkpoint as mmcv_load_checkpoint
from mmcv.runner.checkpoint import get_external_models

from mmpose.apis import init_pose_model, train_model
from mmpose.datasets import build_dataset
from mmpose.models import build_backbone, build_posenet
from mmpose.utils.checkpoint import (ALLOW_UNSAFE_ENV, UnsafeCheckpointError,
                                     load_checkpoint, load_checkpoint_file,
                                     torchvision_url)
from .helpers import DATA, TINY_CONFIGS

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = str(DATA / 'demo' / 'tiny_top_down_coco.py')


class RunsShell:
    """Unpickling calls ``os.system('touch <marker>')``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


class OpensFile:
    """Unpickling calls ``builtins.open(<marker>, 'w')``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return builtins.open, (self.marker, 'w')


PAYLOADS = [RunsShell, OpensFile]


@pytest.fixture(params=PAYLOADS, ids=lambda p: p.__name__)
def hostile(request, tmp_path):
    """``(write, marker)``: ``write(path, state_dict)`` saves a checkpoint
    (torch zip format) with the payload in its meta."""
    marker = tmp_path / 'MARKER'

    def write(path, state_dict=None):
        os.makedirs(osp.dirname(str(path)), exist_ok=True)
        torch.save(dict(state_dict=state_dict or {},
                        meta=dict(epoch=1, payload=request.param(marker))),
                   str(path))
        return str(path)

    return write, marker


@pytest.fixture(scope='module')
def top_down_state():
    return init_pose_model(CONFIG, device='cpu').state_dict()


# ------------------------------------------------------------ refused
def test_init_pose_model_refuses(hostile, tmp_path, top_down_state):
    write, marker = hostile
    path = write(tmp_path / 'evil.pth', top_down_state)
    with pytest.raises(UnsafeCheckpointError, match='evil.pth'):
        init_pose_model(CONFIG, path, device='cpu')
    assert not marker.exists()


def test_load_checkpoint_functions_refuse(hostile, tmp_path):
    write, marker = hostile
    path = write(tmp_path / 'evil.pth')
    model = torch.nn.Linear(2, 2)
    with pytest.raises(UnsafeCheckpointError):
        load_checkpoint(model, path)
    with pytest.raises(UnsafeCheckpointError):
        mmcv_load_checkpoint(model, path, map_location='cpu')
    with pytest.raises(UnsafeCheckpointError):
        load_checkpoint_file(path)
    assert not marker.exists()


def test_refusal_names_the_global_and_the_opt_in(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(meta=dict(payload=RunsShell(tmp_path / 'MARKER'))), path)
    with pytest.raises(UnsafeCheckpointError,
                       match=r'evil\.pth: it needs posix\.system.*'
                       r'allow_unsafe=True.*MMPOSE_ALLOW_UNSAFE_CHECKPOINTS'):
        load_checkpoint_file(path)


def hub_cache_file(torch_home, url: str):
    """Where ``torch.hub`` keeps the file downloaded from ``url``."""
    return torch_home / 'hub' / 'checkpoints' / url.split('/')[-1]


def cached_names():
    """(name to load, URL it stands for): a plain URL and one name of each
    alias scheme."""
    alias = sorted(get_external_models())[0]
    return [('https://example.invalid/weights/evil_model.pth',
             'https://example.invalid/weights/evil_model.pth'),
            ('torchvision://resnet18', torchvision_url('resnet18')),
            (f'open-mmlab://{alias}', get_external_models()[alias])]


@pytest.mark.parametrize('name, url', cached_names(),
                         ids=['http', 'torchvision', 'open-mmlab'])
def test_hub_cache_entries_are_refused(hostile, tmp_path, monkeypatch, name,
                                       url):
    write, marker = hostile
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch'))
    write(hub_cache_file(tmp_path / 'torch', url))
    with pytest.raises(UnsafeCheckpointError):
        load_checkpoint(torch.nn.Linear(2, 2), name)
    with pytest.raises(UnsafeCheckpointError):
        mmcv_load_checkpoint(torch.nn.Linear(2, 2), name, map_location='cpu')
    assert not marker.exists()


def test_backbone_pretrained_weights_are_refused(hostile, tmp_path,
                                                 monkeypatch):
    write, marker = hostile
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch'))
    write(hub_cache_file(tmp_path / 'torch', torchvision_url('resnet18')))
    backbone = build_backbone(dict(type='ResNet', depth=18))
    with pytest.raises(UnsafeCheckpointError):
        backbone.init_weights(pretrained='torchvision://resnet18')
    assert not marker.exists()


def tiny_training_config(root) -> mmcv.Config:
    """A 1-epoch config of the tiny top-down model on synthetic COCO."""
    cfg = mmcv.Config.fromfile(str(TINY_CONFIGS / 'tiny_topdown_coco.py'))
    for split in ('train', 'val', 'test'):
        cfg.data[split].update(ann_file=str(root / 'annotations.json'),
                               img_prefix=str(root / 'images') + '/')
    cfg.total_epochs = 1
    return cfg


@pytest.mark.parametrize('key', ['load_from', 'resume_from'])
def test_train_model_refuses(hostile, tmp_path, tiny_coco, key):
    write, marker = hostile
    cfg = tiny_training_config(tiny_coco)
    dataset = build_dataset(cfg.data.train)
    model = build_posenet(cfg.model)
    cfg.work_dir = str(tmp_path / 'work')
    cfg[key] = write(tmp_path / 'evil.pth', model.state_dict())
    with pytest.raises(UnsafeCheckpointError):
        train_model(model, dataset, cfg)
    assert not marker.exists()


@pytest.mark.slow
def test_test_script_refuses(hostile, tmp_path, top_down_state):
    write, marker = hostile
    path = write(tmp_path / 'evil.pth', top_down_state)
    env = dict(os.environ, OMP_NUM_THREADS='1')
    env.pop(ALLOW_UNSAFE_ENV, None)
    proc = subprocess.run(
        [sys.executable, 'tools/test.py', CONFIG, path, '--work-dir',
         str(tmp_path / 'work')],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert 'UnsafeCheckpointError' in proc.stderr, proc.stderr[-2000:]
    assert not marker.exists()


# ------------------------------------------------------------ opted in
def test_allow_unsafe_runs_the_payload(hostile, tmp_path):
    write, marker = hostile
    path = write(tmp_path / 'evil.pth')
    load_checkpoint_file(path, allow_unsafe=True)
    assert marker.exists()


def test_environment_opt_in_runs_the_payload(hostile, tmp_path, monkeypatch,
                                             top_down_state):
    write, marker = hostile
    path = write(tmp_path / 'evil.pth', top_down_state)
    monkeypatch.setenv(ALLOW_UNSAFE_ENV, '1')
    init_pose_model(CONFIG, path, device='cpu')
    assert marker.exists()


# ------------------------------------------- NumPy 1.x pickles load
# A protocol-2 pickle as NumPy 1.x wrote arrays and scalars into 0.x
# checkpoints, written opcode by opcode: NumPy 1.x lived at numpy.core (2.x
# moved it to numpy._core) and protocol 2 stores bytes as
# _codecs.encode(text, 'latin1').
def _global(module: str, name: str) -> bytes:
    return b'c' + f'{module}\n{name}\n'.encode()


def _text(value: str) -> bytes:
    raw = value.encode('utf-8')
    return b'X' + struct.pack('<I', len(raw)) + raw


def _small_int(value: int) -> bytes:
    return b'K' + bytes([value])


def _bytes(raw: bytes) -> bytes:
    return (_global('_codecs', 'encode') + _text(raw.decode('latin1')) +
            _text('latin1') + b'\x86R')  # TUPLE2, REDUCE


def _dtype(code: str) -> bytes:
    """numpy.dtype(code, False, True) with its little-endian state."""
    state = (b'(' + _small_int(3) + _text('<') + b'NNN' +
             b'J\xff\xff\xff\xff' * 2 + _small_int(0) + b't')
    return (_global('numpy', 'dtype') + _text(code) + b'\x89\x88\x87R' +
            state + b'b')  # BUILD


def numpy1_int64_matrix(rows: int, cols: int, values) -> bytes:
    """An int64 [rows, cols] C-order array."""
    raw = np.asarray(values, dtype='<i8').tobytes()
    shell = (_global('numpy.core.multiarray', '_reconstruct') +
             _global('numpy', 'ndarray') + _small_int(0) + b'\x85' +
             _bytes(b'b') + b'\x87R')
    state = (b'(' + _small_int(1) + _small_int(rows) + _small_int(cols) +
             b'\x86' + _dtype('i8') + b'\x89' + _bytes(raw) + b't')
    return shell + state + b'b'


def numpy1_float64(value: float) -> bytes:
    return (_global('numpy.core.multiarray', 'scalar') + _dtype('f8') +
            _bytes(struct.pack('<d', value)) + b'\x86R')


def legacy_torch_file(main_pickle: bytes) -> bytes:
    """The pre-1.6 ``torch.save`` layout (no tensors): magic number,
    protocol version, system info, the object, the (empty) storage list."""
    header = [0x1950a86a20f9469cfc6c, 1001,
              dict(protocol_version=1001, little_endian=True,
                   type_sizes=dict(short=2, int=4, long=4))]
    return (b''.join(pickle.dumps(h, protocol=2) for h in header) +
            main_pickle + pickle.dumps([], protocol=2))


def test_numpy1_checkpoint_loads_under_the_safe_rules(tmp_path):
    meta = (b'}(' + _text('epoch') + _small_int(210) + _text('flip_pairs') +
            numpy1_int64_matrix(2, 2, [[1, 2], [3, 4]]) +
            _text('best_score') + numpy1_float64(0.75) + b'u')
    main = (b'\x80\x02}(' + _text('state_dict') + b'}' + _text('meta') +
            meta + b'u.')
    path = tmp_path / 'numpy1.pth'
    path.write_bytes(legacy_torch_file(main))
    ckpt = load_checkpoint_file(str(path))
    assert ckpt['meta']['epoch'] == 210
    flip_pairs = ckpt['meta']['flip_pairs']
    assert flip_pairs.dtype == np.int64
    np.testing.assert_array_equal(flip_pairs, [[1, 2], [3, 4]])
    assert ckpt['meta']['best_score'] == np.float64(0.75)
    assert isinstance(ckpt['meta']['best_score'], np.float64)
