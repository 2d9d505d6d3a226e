"""Split a ViTPose+ checkpoint into one plain ViTPose checkpoint per data set
(the ViTPose fork's ``tools/model_split.py``, same arguments).

A ViTPose+ model (``TopDownMoE`` on a ``ViTMoE`` backbone) shares every
weight between its data sets except two: each block's MLP ends in a shared
``mlp.fc2`` (``C - P`` outputs) plus one expert ``mlp.experts.<d>`` (``P``
outputs) per data set ``d``, and data set ``d > 0`` has its own head
``associate_keypoint_heads.<d - 1>`` (``d = 0``, COCO, uses
``keypoint_head``). Concatenating the shared rows and expert ``d``'s rows
gives the ``mlp.fc2`` of a plain ``ViT``, which computes exactly what the
MoE block computes for samples of data set ``d``; with data set ``d``'s head
as ``keypoint_head`` the result loads with ``strict=True`` into the
per-dataset config (``type='TopDown'``, ``backbone=dict(type='ViT', ...)``).

    python tools/model_split.py --source work_dirs/vitpose+_base/latest.pth \
        [--target out_dir]

writes ``coco.pth``, ``aic.pth``, ``mpii.pth``, ``ap10k.pth``, ``apt36k.pth``
and ``wholebody.pth`` (data set indices 0-5 of the ViTPose+ configs; a model
with fewer experts gives fewer files, more experts ``dataset<d>.pth``) into
``--target`` (default: the folder of ``--source``). Entries other than
``state_dict`` (``meta``, ...) are kept.

Unlike the fork's script, every file, ``coco.pth`` included, holds no
expert or associate-head weights (the fork left them in ``coco.pth``, where
only a non-strict load ignored them).
"""
import argparse
import copy
import os
import os.path as osp
import re
from collections import OrderedDict
from typing import Dict, Iterator, Optional, Tuple

import torch

from mmpose.errors import ArgumentError
from mmpose.utils.checkpoint import get_state_dict, load_checkpoint_file

#: File name (without ``.pth``) and keypoint count of each data set index
#: of the ViTPose+ configs.
DATASETS = (('coco', 17), ('aic', 14), ('mpii', 16), ('ap10k', 17),
            ('apt36k', 17), ('wholebody', 133))

EXPERT = re.compile(r'\.mlp\.experts\.(\d+)\.')
MAIN_HEAD = 'keypoint_head.'
ASSOCIATE_HEAD = re.compile(r'^associate_keypoint_heads\.(\d+)\.')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Split a ViTPose+ checkpoint into per-dataset ViTPose '
        'checkpoints')
    parser.add_argument('--source', type=str, help='ViTPose+ checkpoint')
    parser.add_argument(
        '--target',
        type=str,
        default=None,
        help='output folder (default: the folder of --source)')
    return parser.parse_args(argv)


def num_experts(state_dict: Dict[str, torch.Tensor]) -> int:
    """How many data sets the MoE blocks of ``state_dict`` serve."""
    indices = {int(m.group(1)) for m in map(EXPERT.search, state_dict) if m}
    if not indices:
        raise ArgumentError(
            'not a ViTPose+ checkpoint: its state_dict has no '
            '"backbone.blocks.<i>.mlp.experts.<d>" weights')
    return max(indices) + 1


def dataset_state(state_dict: Dict[str, torch.Tensor], dataset_idx: int,
                  num_keypoints: Optional[int] = None
                  ) -> 'OrderedDict[str, torch.Tensor]':
    """The plain ViTPose state of data set ``dataset_idx``.

    Args:
        state_dict (dict): State of a ``TopDownMoE`` model.
        dataset_idx (int): Data set index (0: the main ``keypoint_head``).
        num_keypoints (int, optional): Keep only the first ``num_keypoints``
            heatmaps of the head's final layer when it has more (as the
            fork does); ``None`` keeps them all.

    Returns:
        OrderedDict: State of a ``TopDown`` model on a ``ViT`` backbone.
    """
    head = (MAIN_HEAD if dataset_idx == 0 else
            f'associate_keypoint_heads.{dataset_idx - 1}.')
    if not any(key.startswith(head) for key in state_dict):
        raise ArgumentError(f'the checkpoint has no head for data set '
                            f'{dataset_idx} (no "{head}*" weights)')
    state = OrderedDict()
    for key, value in state_dict.items():
        if EXPERT.search(key) or key.startswith(MAIN_HEAD) or \
                ASSOCIATE_HEAD.match(key):
            continue
        if '.mlp.fc2.' in key:
            expert = key.replace('.mlp.fc2.', f'.mlp.experts.{dataset_idx}.')
            if expert not in state_dict:
                raise ArgumentError(
                    f'{key} has no expert weights for data set '
                    f'{dataset_idx} ({expert} is missing)')
            value = torch.cat([value, state_dict[expert]], dim=0)
        state[key] = value
    for key, value in state_dict.items():
        if key.startswith(head):
            state[MAIN_HEAD + key[len(head):]] = value
    if num_keypoints is not None:
        for key in ('final_layer.weight', 'final_layer.bias'):
            name = MAIN_HEAD + key
            if name in state and state[name].shape[0] > num_keypoints:
                state[name] = state[name][:num_keypoints]
    return state


def split_checkpoint(checkpoint: dict) -> Iterator[Tuple[str, dict]]:
    """Yield ``(file name, checkpoint)`` for every data set of a ViTPose+
    checkpoint, one at a time (see the module docstring for the names)."""
    state_dict = get_state_dict(checkpoint)
    # a bare state dict has no other entries to keep
    extras = {k: v for k, v in checkpoint.items()
              if k != 'state_dict'} if 'state_dict' in checkpoint else {}
    for idx in range(num_experts(state_dict)):
        name, count = (DATASETS[idx] if idx < len(DATASETS) else
                       (f'dataset{idx}', None))
        part = copy.deepcopy(extras)
        part['state_dict'] = dataset_state(state_dict, idx, count)
        yield name, part


def main(argv=None):
    args = parse_args(argv)
    if args.source is None:
        raise SystemExit('error: --source (a ViTPose+ checkpoint) is needed')
    if not osp.isfile(args.source):
        raise SystemExit(f'error: checkpoint not found: {args.source}')
    target = args.target if args.target is not None else osp.dirname(
        args.source)
    checkpoint = load_checkpoint_file(args.source, map_location='cpu')
    os.makedirs(target or '.', exist_ok=True)
    for name, part in split_checkpoint(checkpoint):
        path = osp.join(target, f'{name}.pth')
        torch.save(part, path)
        print(f'wrote {path}')


if __name__ == '__main__':
    main()
