"""Every pipeline of every MMPose 0.14 reference config builds from the
registry: no unknown type, every argument accepted."""
import copy
import pickle

import numpy as np
import pytest

from mmpose.datasets import PIPELINES
from mmpose.datasets.pipelines import Compose
from .reference import packed_manifests


def _pipelines(cfg: dict):
    """(name, pipeline list) of the config's train/val/test pipelines."""
    found = []
    for key in ('train_pipeline', 'val_pipeline', 'test_pipeline'):
        if isinstance(cfg.get(key), list):
            found.append((key, cfg[key]))
    for split in ('train', 'val', 'test'):
        data = cfg.get('data', {}).get(split)
        for i, d in enumerate(data if isinstance(data, list) else [data]):
            if isinstance(d, dict) and isinstance(d.get('pipeline'), list):
                found.append((f'data.{split}[{i}]', d['pipeline']))
    return found


def _with_norm_files(pipeline, tmp_path):
    """Point NormalizeJointCoordinate at a real (temporary) stats file; the
    datasets' stats files are not part of the reference."""
    pipeline = copy.deepcopy(pipeline)
    for t in pipeline:
        if t.get('type') == 'NormalizeJointCoordinate' and \
                t.get('norm_param_file'):
            path = tmp_path / 'stats.pkl'
            with open(path, 'wb') as f:
                pickle.dump(dict(mean=np.zeros((16, 3)),
                                 std=np.ones((16, 3))), f)
            t['norm_param_file'] = str(path)
    return pipeline


def test_every_reference_pipeline_builds(tmp_path):
    try:
        import albumentations  # noqa: F401
        has_albu = True
    except ImportError:
        has_albu = False
    built = 0
    for path, manifest in sorted(packed_manifests('0.14').items()):
        cfg = manifest['cfg']
        for name, pipeline in _pipelines(cfg):
            for t in pipeline:
                assert PIPELINES.get(t['type']) is not None, \
                    f'{path} {name}: unknown type {t["type"]}'
            if not has_albu and any(
                    t['type'] == 'Albumentation' for t in pipeline):
                pipeline = [t for t in pipeline
                            if t['type'] != 'Albumentation']
            try:
                Compose(_with_norm_files(pipeline, tmp_path))
            except Exception as e:  # report which config failed
                raise AssertionError(f'{path}: {name}: {e!r}') from e
            built += 1
    assert built > 300


def test_unknown_type_lists_registered_names():
    with pytest.raises(KeyError, match='TopDownAffine'):
        Compose([dict(type='TopDownAfine')])
