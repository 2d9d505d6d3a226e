"""Safe loading of MMPose 0.x checkpoints under weights_only rules (hostile
files: test_hostile_checkpoints.py)."""
import pickle
from collections import OrderedDict

import numpy as np
import pytest
import torch
from mmcv.runner import load_checkpoint as mmcv_load_checkpoint
from mmcv.utils import ConfigDict
from torch import nn

from mmpose.utils.checkpoint import (UnsafeCheckpointError,
                                     load_checkpoint, load_checkpoint_file,
                                     save_checkpoint, torchvision_url)


class TinyNet(nn.Module):

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)


def legacy_checkpoint(model):
    """What MMPose 0.x wrote: numpy arrays/scalars and ConfigDicts in meta."""
    return dict(
        state_dict=OrderedDict(
            (f'module.{k}', v) for k, v in model.state_dict().items()),
        meta=dict(
            mmpose_version='0.14.0',
            epoch=210,
            best_score=np.float64(0.75),
            flip_pairs=np.array([[1, 2], [3, 4]]),
            config=ConfigDict(model=dict(type='TopDown')),
            env_info={'cuda': False}))


def test_legacy_checkpoint_loads_without_unsafe_unpickling(tmp_path):
    source = TinyNet()
    torch.nn.init.normal_(source.conv.weight)
    path = tmp_path / 'legacy.pth'
    torch.save(legacy_checkpoint(source), path)

    target = TinyNet()
    ckpt = load_checkpoint(target, str(path), strict=True)
    assert torch.equal(target.conv.weight, source.conv.weight)
    assert ckpt['meta']['best_score'] == 0.75
    np.testing.assert_array_equal(ckpt['meta']['flip_pairs'],
                                  [[1, 2], [3, 4]])
    assert ckpt['meta']['config'].model.type == 'TopDown'


def test_mmcv_loader_is_routed_through_safe_loader(tmp_path):
    source = TinyNet()
    path = tmp_path / 'legacy.pth'
    torch.save(legacy_checkpoint(source), path)
    target = TinyNet()
    ckpt = mmcv_load_checkpoint(target, str(path), map_location='cpu',
                                strict=True)
    assert ckpt['meta']['epoch'] == 210


def test_unsafe_checkpoint_loads_after_explicit_opt_in(tmp_path):
    path = tmp_path / 'plain_object.pth'
    torch.save(dict(state_dict={}, meta=dict(when=pickle.PickleError)), path)
    with pytest.raises(UnsafeCheckpointError):
        load_checkpoint_file(str(path))
    ckpt = load_checkpoint_file(str(path), allow_unsafe=True)
    assert ckpt['meta']['when'] is pickle.PickleError


def test_missing_file_names_the_path(tmp_path):
    missing = tmp_path / 'nowhere' / 'model.pth'
    with pytest.raises(FileNotFoundError, match=str(missing)):
        load_checkpoint_file(str(missing))


def test_strict_loading_reports_mismatched_keys(tmp_path):
    path = tmp_path / 'other.pth'
    torch.save(dict(state_dict=nn.Linear(2, 2).state_dict()), path)
    with pytest.raises(RuntimeError, match='missing keys'):
        load_checkpoint(TinyNet(), str(path), strict=True)


def test_url_without_network_fails_fast_with_cache_hint(tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    monkeypatch.setenv('MMPOSE_DOWNLOAD_TIMEOUT', '2')
    with pytest.raises(RuntimeError, match='place it at .*model_x.pth'):
        load_checkpoint_file('http://127.0.0.1:9/model_x.pth')


def test_url_served_from_hub_cache(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    cached = tmp_path / 'hub' / 'checkpoints' / 'cached_model.pth'
    cached.parent.mkdir(parents=True)
    torch.save(legacy_checkpoint(TinyNet()), cached)
    ckpt = load_checkpoint_file('https://example.invalid/x/cached_model.pth')
    assert ckpt['meta']['epoch'] == 210


def test_torchvision_prefix_resolves_to_weights_url():
    assert torchvision_url('resnet50').endswith('.pth')
    with pytest.raises(ValueError, match='no model named'):
        torchvision_url('resnet5000')


def test_save_is_atomic_and_loadable(tmp_path):
    model = TinyNet()
    path = tmp_path / 'epoch_1.pth'
    save_checkpoint(model, str(path), meta=dict(epoch=1))
    assert [p.name for p in tmp_path.iterdir()] == ['epoch_1.pth']
    ckpt = load_checkpoint_file(str(path))
    assert ckpt['meta']['epoch'] == 1


def test_failed_save_leaves_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / 'latest.pth'
    save_checkpoint(TinyNet(), str(path), meta=dict(epoch=1))
    before = path.read_bytes()

    def broken_save(*args, **kwargs):
        raise OSError('disk full')

    monkeypatch.setattr(torch, 'save', broken_save)
    with pytest.raises(OSError, match='disk full'):
        save_checkpoint(TinyNet(), str(path), meta=dict(epoch=2))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ['latest.pth']
