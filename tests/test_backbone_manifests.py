"""Every v0.14 config's backbone builds with exactly the original parameter
and buffer names, shapes and dtypes (so official checkpoints load with
strict=True).

The manifests live in ``shared/reference/configs-0.14/**/*.json``: for each
config, ``cfg['model']['backbone']`` and the original model's ``state_dict``
(name -> [shape, dtype]). One test per backbone type checks all configs that
use it; models are built on the meta device (no memory, no forward) and
shared between configs with the same backbone config.
"""
import copy
import json
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
import torch

from .reference import state_dict_problems

SHARED = Path(__file__).resolve().parents[2] / 'shared'
MANIFEST_DIR = SHARED / 'reference' / 'configs-0.14'
PREFIX = 'backbone.'


@lru_cache(maxsize=None)
def _manifests():
    """Backbone config and expected backbone state of every manifest, and
    the manifests that cannot be checked (with the reason)."""
    by_type = defaultdict(list)
    unusable = []
    for path in sorted(MANIFEST_DIR.glob('**/*.json')):
        rel = str(path.relative_to(MANIFEST_DIR))
        try:
            data = json.loads(path.read_text())
            backbone = data['cfg']['model']['backbone']
            state = data['state_dict']
        except (ValueError, KeyError, TypeError) as err:
            unusable.append(f'{rel}: unreadable manifest ({err!r})')
            continue
        expected = {
            name[len(PREFIX):]: (tuple(shape), dtype)
            for name, (shape, dtype) in state.items()
            if name.startswith(PREFIX)
        }
        if not expected:
            unusable.append(f'{rel}: no "{PREFIX}" entries in state_dict')
            continue
        by_type[backbone['type']].append(
            (data.get('config', rel), backbone, expected))
    return dict(by_type), unusable


def _backbone_types():
    if not MANIFEST_DIR.is_dir():
        return []
    return sorted(_manifests()[0])


@lru_cache(maxsize=None)
def _built_state(cfg_json):
    """Build a backbone from its JSON config on the meta device and return
    its state (name -> (shape, dtype)), or the error raised."""
    from mmpose.models.builder import build_backbone
    cfg = json.loads(cfg_json)
    cfg.pop('pretrained', None)
    try:
        with torch.device('meta'):
            model = build_backbone(copy.deepcopy(cfg))
    except Exception:  # noqa: BLE001  retry eagerly, then report
        try:
            model = build_backbone(copy.deepcopy(cfg))
        except Exception as err:  # noqa: BLE001  reported per config
            return f'build failed: {type(err).__name__}: {err}'
    return {
        name: (tuple(tensor.shape), str(tensor.dtype))
        for name, tensor in model.state_dict().items()
    }


requires_manifests = pytest.mark.skipif(
    not MANIFEST_DIR.is_dir(),
    reason=f'compatibility manifests not found at {MANIFEST_DIR}')


@requires_manifests
def test_every_manifest_is_checkable():
    """Every manifest names a backbone and holds its state entries."""
    by_type, unusable = _manifests()
    assert not unusable, 'manifests that cannot be checked:\n' + '\n'.join(
        unusable)
    assert sum(len(v) for v in by_type.values()) == len(
        list(MANIFEST_DIR.glob('**/*.json')))


@requires_manifests
@pytest.mark.parametrize('backbone_type', _backbone_types())
def test_backbone_state_dict_matches_v014(backbone_type):
    """Names, shapes and dtypes equal the original's, for every config."""
    failures = []
    configs = _manifests()[0][backbone_type]
    for config_path, backbone_cfg, expected in configs:
        built = _built_state(json.dumps(backbone_cfg, sort_keys=True))
        if isinstance(built, str):
            failures.append(f'{config_path}: {built}')
            continue
        problems = state_dict_problems(expected, built)
        if problems:
            failures.append(f'{config_path} (backbone {backbone_cfg}):\n    ' +
                            '\n    '.join(problems))
    assert not failures, (
        f'{len(failures)} of {len(configs)} {backbone_type} configs differ '
        'from the v0.14 state_dict:\n' + '\n'.join(failures))
