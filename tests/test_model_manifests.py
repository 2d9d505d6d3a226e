"""Every config of the ``configs/`` tree builds into a detector whose FULL
state_dict has the original's names, shapes and dtypes, so official
checkpoints load with strict=True.

Manifests: the packed ``configs-0.14`` reference (the config path and
the original ``state_dict`` as name -> [shape, dtype], built with
``pretrained=None``); the model config is read from this repository's
``configs/`` file of the same path. Models are built on the meta device
(no memory, no forward); configs with the same model config are built
once. The mesh config points at a synthetic SMPL model written into a
temporary folder.
"""
import copy
import json
from functools import lru_cache

import pytest
import torch
from mmcv import Config

from .reference import REPO_ROOT, packed_manifests, state_dict_problems
from .helpers import MEAN_PARAMS, write_synthetic_smpl

MANIFESTS = packed_manifests('0.14')


@pytest.fixture(scope='module')
def smpl_files(tmp_path_factory):
    # The reference was built with a one-face synthetic SMPL model.
    return write_synthetic_smpl(tmp_path_factory.mktemp('smpl'), num_faces=1)


def _localise(model_cfg, smpl_files):
    """Model config with ``pretrained=None`` and test model files."""
    cfg = copy.deepcopy(model_cfg)
    cfg['pretrained'] = None
    if 'smpl' in cfg:
        smpl_dir, regressor = smpl_files
        cfg['smpl'].update(smpl_path=smpl_dir, joints_regressor=regressor)
    if 'smpl_mean_params' in cfg.get('mesh_head', {}):
        cfg['mesh_head']['smpl_mean_params'] = str(MEAN_PARAMS)
    return cfg


@lru_cache(maxsize=None)
def _built_state(cfg_json):
    """name -> (shape, dtype) of the built detector, or the build error."""
    from mmpose.models import build_posenet
    cfg = json.loads(cfg_json)
    try:
        with torch.device('meta'):
            model = build_posenet(copy.deepcopy(cfg))
    except Exception:  # noqa: BLE001  retry eagerly, then report
        try:
            model = build_posenet(copy.deepcopy(cfg))
        except Exception as err:  # noqa: BLE001  reported per config
            return f'build failed: {type(err).__name__}: {err}'
    return {
        name: (tuple(tensor.shape), str(tensor.dtype))
        for name, tensor in model.state_dict().items()
    }


def test_every_detector_type_is_covered():
    types = {m['cfg']['model']['type'] for m in MANIFESTS.values()}
    assert types == {'TopDown', 'BottomUp', 'PoseLifter', 'ParametricMesh'}


@pytest.mark.parametrize('path', sorted(MANIFESTS))
def test_state_dict_matches_v014(path, smpl_files):
    data = MANIFESTS[path]
    expected = {
        name: (tuple(shape), dtype)
        for name, (shape, dtype) in data['state_dict'].items()
    }
    model_cfg = Config.fromfile(str(REPO_ROOT / data['config'])).model
    cfg = _localise(json.loads(json.dumps(model_cfg.to_dict())), smpl_files)
    built = _built_state(json.dumps(cfg, sort_keys=True))
    assert not isinstance(built, str), f"{data['config']}: {built}"
    problems = state_dict_problems(expected, built)
    assert not problems, f"{data['config']} differs from v0.14:\n    " + \
        '\n    '.join(problems)
