"""Locations of the shared reference data used by several test modules."""
import json
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / 'shared'
CONFIG_REFERENCE = SHARED / 'reference' / 'configs-0.14'
NUMERICS_REFERENCE = SHARED / 'reference' / 'numerics-0.14'

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
