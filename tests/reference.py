"""Locations of the shared reference data used by several test modules,
and the helpers that compare built models with it."""
import copy
import functools
import json
import lzma
import pickle
from pathlib import Path
from typing import Collection, Dict, List

import pytest
import torch

from mmpose.models import build_backbone

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / 'shared'
CONFIG_REFERENCE = SHARED / 'reference' / 'configs-0.14'
NUMERICS_REFERENCE = SHARED / 'reference' / 'numerics-0.14'
# The same data packed into the repository (tests/data/reference/pack.py).
PACKED_REFERENCE = REPO_ROOT / 'tests' / 'data' / 'reference'
# How many entries each packed file must hold: a lost or truncated file
# fails loudly instead of shrinking a parametrised test to nothing.
EXPECTED_COUNTS = {
    'configs-0.14': 308, 'configs-0.29': 416,
    'numerics-0.14': 34, 'numerics-0.29': 23,
}
# How many names a state_dict difference lists before "(+N more)".
MAX_KEYS_SHOWN = 8

requires_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason=f'shared reference data not found at {SHARED} (CI always has it)')


def config_manifests() -> list:
    """Paths of every v0.14 reference manifest (empty without shared/)."""
    if not CONFIG_REFERENCE.is_dir():
        return []
    return sorted(CONFIG_REFERENCE.rglob('*.json'))


def load_manifest(path: Path) -> dict:
    with open(path) as f:
        return json.load(f)


def describe_keys(names: Collection[str]) -> str:
    """The first ``MAX_KEYS_SHOWN`` of ``names`` (sorted), and how many more
    there are."""
    names = sorted(names)
    shown = ', '.join(names[:MAX_KEYS_SHOWN])
    more = len(names) - MAX_KEYS_SHOWN
    return shown + (f' ... (+{more} more)' if more > 0 else '')


def state_dict_problems(expected: dict, built: dict) -> List[str]:
    """Human-readable differences between an expected and a built
    ``{name: (shape, dtype)}`` state; empty when they agree."""
    problems = []
    missing = expected.keys() - built.keys()
    extra = built.keys() - expected.keys()
    if missing:
        problems.append(f'missing {len(missing)}: {describe_keys(missing)}')
    if extra:
        problems.append(f'unexpected {len(extra)}: {describe_keys(extra)}')
    wrong = [
        f'{name} {built[name]} != expected {expected[name]}'
        for name in sorted(expected.keys() & built.keys())
        if built[name] != expected[name]
    ]
    if wrong:
        problems.append(f'shape/dtype {len(wrong)}: ' +
                        '; '.join(wrong[:MAX_KEYS_SHOWN]))
    return problems


def reference_backbone_cases(types: Collection[str]) -> Dict[str, list]:
    """``{backbone config as sorted JSON: [(manifest path, state_dict)]}``
    of the reference configs whose backbone type is in ``types``."""
    cases = {}
    for path in config_manifests():
        data = load_manifest(path)
        backbone = data['cfg']['model']['backbone']
        if backbone['type'] in types:
            key = json.dumps(backbone, sort_keys=True)
            cases.setdefault(key, []).append((path, data['state_dict']))
    return cases


def assert_backbone_matches_references(backbone_type: str) -> None:
    """Every reference config of ``backbone_type`` builds (on the meta
    device) with the original's backbone state_dict names and shapes."""
    cases = reference_backbone_cases({backbone_type})
    assert cases, f'no reference config uses {backbone_type}'
    for cfg_json, manifests in cases.items():
        with torch.device('meta'):
            model = build_backbone(copy.deepcopy(json.loads(cfg_json)))
        built = {k: [list(v.shape), str(v.dtype)]
                 for k, v in model.state_dict().items()}
        for path, state in manifests:
            expected = {k[len('backbone.'):]: v for k, v in state.items()
                        if k.startswith('backbone.')}
            assert built.keys() == expected.keys(), (
                f'{path}: missing {sorted(expected.keys() - built.keys())[:5]}'
                f' unexpected {sorted(built.keys() - expected.keys())[:5]}')
            wrong = [k for k in expected if built[k] != expected[k]]
            assert not wrong, f'{path}: shapes differ for {wrong[:5]}'


def _packed_bytes(name: str) -> bytes:
    path = PACKED_REFERENCE / name
    if not path.is_file():
        raise FileNotFoundError(
            f'packed reference file {path} is missing; rebuild it with '
            '`python tests/data/reference/pack.py ../shared/reference`')
    with lzma.open(path, 'rb') as f:
        return f.read()


def _checked_count(kind: str, entries: dict) -> dict:
    expected = EXPECTED_COUNTS.get(kind)
    if expected is not None and len(entries) != expected:
        raise AssertionError(
            f'{kind}: {len(entries)} entries packed, {expected} expected')
    return entries


@functools.lru_cache(maxsize=None)
def packed_manifests(version: str) -> Dict[str, dict]:
    """``{config path relative to configs/: manifest}`` of a version
    ('0.14' or '0.29'); each manifest has ``config``, ``cfg``,
    ``state_dict`` and ``num_params``."""
    kind = f'configs-{version}'
    return _checked_count(kind, json.loads(_packed_bytes(f'{kind}.json.xz')))


@functools.lru_cache(maxsize=None)
def packed_api(version: str) -> dict:
    """The ``api`` and ``registries`` of a version's public names."""
    return json.loads(_packed_bytes(f'api-{version}.json.xz'))


@functools.lru_cache(maxsize=None)
def packed_numerics(version: str) -> Dict[str, dict]:
    """``{case name: {'call', 'args', 'out'}}`` golden cases of a version."""
    kind = f'numerics-{version}'
    return _checked_count(kind, pickle.loads(_packed_bytes(f'{kind}.pkl.xz')))
