"""Prepare a trained checkpoint for release: drop the optimizer state and
name the file after its SHA-256 (``<out_file stem>-<8 hex digits>.pth``).

    python tools/publish_model.py work_dirs/x/latest.pth res50_coco.pth
"""
import argparse
import hashlib
import os
import os.path as osp

import torch

from mmpose.utils.checkpoint import load_checkpoint_file


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Process a checkpoint to be published')
    parser.add_argument('in_file', help='input checkpoint filename')
    parser.add_argument('out_file', help='output checkpoint filename')
    return parser.parse_args(argv)


def sha256sum(filename: str) -> str:
    digest = hashlib.sha256()
    with open(filename, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def process_checkpoint(in_file: str, out_file: str) -> str:
    """Write ``in_file`` without its optimizer state to a file named after
    ``out_file`` plus the hash, and return that path."""
    if not osp.isfile(in_file):
        raise SystemExit(f'error: checkpoint not found: {in_file}')
    checkpoint = load_checkpoint_file(in_file, map_location='cpu')
    if not isinstance(checkpoint, dict):
        raise SystemExit(f'error: {in_file} is not a checkpoint dict')
    checkpoint.pop('optimizer', None)
    out_dir = osp.dirname(osp.abspath(out_file))
    os.makedirs(out_dir, exist_ok=True)
    torch.save(checkpoint, out_file)
    sha = sha256sum(out_file)
    stem = out_file[:-4] if out_file.endswith('.pth') else out_file
    final_file = f'{stem}-{sha[:8]}.pth'
    os.replace(out_file, final_file)
    return final_file


def main(argv=None):
    args = parse_args(argv)
    final_file = process_checkpoint(args.in_file, args.out_file)
    print(f'published {final_file}')


if __name__ == '__main__':
    main()
