"""The configs/ tree reproduces every MMPose v0.14 config."""
import json
import pickle

import numpy as np
import pytest
from mmcv import Config

from mmpose.datasets.pipelines import Compose
from .reference import (REPO_ROOT, config_manifests, load_manifest,
                        requires_shared)

MANIFESTS = config_manifests()


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


@requires_shared
def test_every_reference_config_exists():
    missing = [load_manifest(p)['config'] for p in MANIFESTS
               if not (REPO_ROOT / load_manifest(p)['config']).is_file()]
    assert MANIFESTS and not missing, f'configs missing: {missing}'


@requires_shared
@pytest.mark.parametrize(
    'manifest_path', MANIFESTS,
    ids=[p.relative_to(p.parents[2]).as_posix() for p in MANIFESTS])
def test_merged_config_matches_reference(manifest_path):
    manifest = load_manifest(manifest_path)
    cfg = load_config(manifest)
    diff = differences(plain(cfg._cfg_dict.to_dict()), manifest['cfg'])
    assert not diff, f"{manifest['config']} differs at: {diff}"


def with_local_norm_params(pipeline, stats_file):
    """Point ``norm_param_file`` entries, which name user-supplied dataset
    statistics, at a stand-in file so the transform can be built."""
    return [dict(step, norm_param_file=str(stats_file))
            if step.get('norm_param_file') else step for step in pipeline]


def albumentations_missing() -> bool:
    try:
        import albumentations  # noqa: F401
    except ImportError:
        return True
    return False


@requires_shared
def test_every_pipeline_builds_from_registry(tmp_path):
    stats_file = tmp_path / 'joint_stats.pkl'
    with open(stats_file, 'wb') as f:
        pickle.dump(dict(mean=np.zeros((17, 3)), std=np.ones((17, 3))), f)
    failures = []
    for path in MANIFESTS:
        manifest = load_manifest(path)
        cfg = load_config(manifest)
        for name in ('train_pipeline', 'val_pipeline', 'test_pipeline'):
            try:
                Compose(with_local_norm_params(cfg[name], stats_file))
            except Exception as err:  # noqa: BLE001 - collected for report
                # Albumentation is an optional extra: without the package,
                # building it must say which package to install.
                if not (albumentations_missing()
                        and 'pip install albumentations' in str(err)):
                    failures.append(f"{manifest['config']} {name}: {err}")
    assert not failures, '\n'.join(failures)


def test_default_runtime_is_usable_alone():
    cfg = Config.fromfile(str(REPO_ROOT / 'configs/_base_/default_runtime.py'))
    assert cfg.log_config.hooks == [dict(type='TextLoggerHook')]
    assert cfg.workflow == [('train', 1)]
    assert cfg.dist_params.backend == 'nccl'
    assert cfg.load_from is None and cfg.resume_from is None
