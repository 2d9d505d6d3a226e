"""Print the fully merged config of a config file.

    python tools/analysis/print_config.py CONFIG [--cfg-options k=v ...]
"""
import argparse
import os.path as osp

from mmcv import Config, DictAction


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Print a config')
    parser.add_argument('config', help='config file path')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file. For example, '
        "'--cfg-options model.backbone.depth=18 data.samples_per_gpu=8'")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise SystemExit(f'error: config file not found: {args.config}')
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    print(f'Config:\n{cfg.pretty_text}')


if __name__ == '__main__':
    main()
