"""Count the FLOPs and parameters of a pose model (mmcv's
``get_model_complexity_info`` on ``forward_dummy``).

    python tools/analysis/get_flops.py CONFIG [--shape 256 192]
"""
import argparse
import os.path as osp

import torch
from mmcv import Config, DictAction
from mmcv.cnn import get_model_complexity_info

from mmpose.models import build_posenet


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Count a model\'s FLOPs')
    parser.add_argument('config', help='config file path')
    parser.add_argument('--shape', type=int, nargs='+', default=[256, 192],
                        help='input image size: H W, or one number for a '
                        'square input')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config (key=value)')
    return parser.parse_args(argv)


def input_shape(shape):
    """(3, H, W) from ``[H, W]`` or ``[S]``."""
    if len(shape) == 1:
        return (3, shape[0], shape[0])
    if len(shape) == 2:
        return (3, ) + tuple(shape)
    raise SystemExit(f'error: --shape takes H W or one size, got {shape}')


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise SystemExit(f'error: config file not found: {args.config}')
    shape = input_shape(args.shape)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    cfg.model.pretrained = None
    model = build_posenet(cfg.model)
    model.eval()
    if not hasattr(model, 'forward_dummy'):
        raise SystemExit(f'error: FLOPs counting is not supported for '
                         f'{type(model).__name__} (no forward_dummy)')
    model.forward = model.forward_dummy
    with torch.no_grad():
        flops, params = get_model_complexity_info(
            model, shape, print_per_layer_stat=False)
    split_line = '=' * 30
    print(f'{split_line}\nInput shape: {shape}\n'
          f'Flops: {flops}\nParams: {params}\n{split_line}')
    print('!!!Please be cautious if you use the results in papers. '
          'You may need to check if all ops are supported and verify that '
          'the flops computation is correct.')


if __name__ == '__main__':
    main()
