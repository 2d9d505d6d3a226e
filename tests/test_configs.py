"""The configs/ tree reproduces every MMPose v0.14 config."""
import json

import pytest
from mmcv import Config

from .reference import REPO_ROOT, packed_manifests

MANIFESTS = packed_manifests('0.14')


def plain(value):
    """Config content as JSON data (tuples become lists)."""
    return json.loads(json.dumps(value))


def differences(ours, ref, prefix=''):
    """Dotted keys where two plain configs differ."""
    if isinstance(ours, dict) and isinstance(ref, dict):
        keys = sorted(set(ours) | set(ref))
        return [d for k in keys for d in differences(
            ours.get(k, '<missing>'), ref.get(k, '<missing>'),
            f'{prefix}{k}.')]
    return [] if ours == ref else [prefix.rstrip('.')]


def load_config(manifest: dict) -> Config:
    return Config.fromfile(str(REPO_ROOT / manifest['config']))


def test_every_reference_config_exists():
    missing = [m['config'] for m in MANIFESTS.values()
               if not (REPO_ROOT / m['config']).is_file()]
    assert not missing, f'configs missing: {missing}'


@pytest.mark.parametrize('path', sorted(MANIFESTS))
def test_merged_config_matches_reference(path):
    manifest = MANIFESTS[path]
    cfg = load_config(manifest)
    diff = differences(plain(cfg._cfg_dict.to_dict()), manifest['cfg'])
    assert not diff, f"{manifest['config']} differs at: {diff}"


def test_default_runtime_is_usable_alone():
    cfg = Config.fromfile(str(REPO_ROOT / 'configs/_base_/default_runtime.py'))
    assert cfg.log_config.hooks == [dict(type='TextLoggerHook')]
    assert cfg.workflow == [('train', 1)]
    assert cfg.dist_params.backend == 'nccl'
    assert cfg.load_from is None and cfg.resume_from is None
