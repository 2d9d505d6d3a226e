"""Rebuild this folder from the shared reference data.

    python tests/data/reference/pack.py ../shared/reference

Each version's config manifests become one ``{relative path: manifest}``
JSON, each version's golden numerics one ``{case name: case}`` pickle, and
the API files are copied. The ViTPose fork's manifests are packed like a
version's; its golden cases (``torch.save`` files) are kept as their raw
bytes, ``{case name: bytes}``. Everything is xz-compressed.
"""
import json
import lzma
import pickle
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_xz(name: str, payload: bytes) -> None:
    with lzma.open(HERE / name, 'wb', preset=9 | lzma.PRESET_EXTREME) as f:
        f.write(payload)


def main(source: Path) -> None:
    for version in ('0.14', '0.29'):
        folder = source / f'configs-{version}'
        manifests = {
            str(p.relative_to(folder)): json.loads(p.read_text())
            for p in sorted(folder.rglob('*.json'))
        }
        write_xz(f'configs-{version}.json.xz',
                 json.dumps(manifests, sort_keys=True).encode())
        cases = {}
        for p in sorted((source / f'numerics-{version}').glob('*.pkl')):
            with open(p, 'rb') as f:
                cases[p.stem] = pickle.load(f)
        write_xz(f'numerics-{version}.pkl.xz', pickle.dumps(cases, protocol=4))
        write_xz(f'api-{version}.json.xz',
                 (source / f'api-{version}.json').read_bytes())
    folder = source / 'configs-vitpose'
    manifests = {
        str(p.relative_to(folder)): json.loads(p.read_text())
        for p in sorted(folder.rglob('*.json'))
    }
    write_xz('configs-vitpose.json.xz',
             json.dumps(manifests, sort_keys=True).encode())
    cases = {p.stem: p.read_bytes()
             for p in sorted((source / 'numerics-vitpose').glob('*.pt'))}
    write_xz('numerics-vitpose.pkl.xz', pickle.dumps(cases, protocol=4))


if __name__ == '__main__':
    main(Path(sys.argv[1]))
