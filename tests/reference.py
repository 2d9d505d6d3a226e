"""The MMPose 0.x reference data packed into ``tests/data/reference`` (see
``pack.py`` there) and the helpers that compare built models with it."""
import copy
import functools
import io
import json
import lzma
import pickle
from pathlib import Path
from typing import Collection, Dict, List

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKED_REFERENCE = REPO_ROOT / 'tests' / 'data' / 'reference'
# How many entries each packed file must hold: a lost or truncated file
# fails loudly instead of shrinking a parametrised test to nothing.
EXPECTED_COUNTS = {
    'configs-0.14': 308, 'configs-0.29': 416,
    'numerics-0.14': 34, 'numerics-0.29': 23,
    'configs-vitpose': 43, 'numerics-vitpose': 5,
}
# How many names a state_dict difference lists before "(+N more)".
MAX_KEYS_SHOWN = 8


def reference_cfg(path: str, version: str = '0.14') -> dict:
    """A private copy of the merged ``cfg`` of one reference config, named
    by its manifest path relative to ``configs-<version>/``."""
    manifests = packed_manifests(version)
    if path not in manifests:
        raise KeyError(f'no packed {version} manifest {path!r}')
    return copy.deepcopy(manifests[path]['cfg'])


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
    ('0.14', '0.29' or 'vitpose', the ViTPose fork); each manifest has ``config``, ``cfg``,
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


@functools.lru_cache(maxsize=None)
def _vitpose_case_bytes() -> Dict[str, bytes]:
    kind = 'numerics-vitpose'
    return _checked_count(kind, pickle.loads(_packed_bytes(f'{kind}.pkl.xz')))


def vitpose_case(name: str) -> dict:
    """A fresh copy of one golden case made by the ViTPose fork
    (``vit_tiny``, ``vit_tiny_simple``, ``vit_ratio2``, ``vitmoe_tiny``,
    ``layer_decay``), as the dict the fork saved with ``torch.save``."""
    import torch
    cases = _vitpose_case_bytes()
    if name not in cases:
        raise KeyError(f'no ViTPose golden case {name!r}; packed: '
                       f'{sorted(cases)}')
    return torch.load(io.BytesIO(cases[name]), weights_only=False)
