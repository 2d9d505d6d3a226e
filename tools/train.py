"""Train a pose model from an MMPose 0.x config.

Takes the options of 0.14 and those 0.29 added (``--gpu-id``,
``--diff_seed``, ``--local-rank``).

Example:
    python tools/train.py configs/top_down/resnet/coco/res50_coco_256x192.py
    bash tools/dist_train.sh CONFIG 8
"""
import argparse
import copy
import os
import os.path as osp
import time
from typing import Optional, Sequence

import mmcv
import torch
from mmcv import Config, DictAction
from mmcv.runner import get_dist_info, set_random_seed

from mmpose import __version__
from mmpose.apis.train import init_random_seed, train_model
from mmpose.core.utils import init_dist
from mmpose.datasets import build_dataset
from mmpose.models import build_posenet
from mmpose.utils import (collect_env, get_root_logger,
                          setup_multi_processes)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a pose model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume-from', help='the checkpoint file to resume from')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='whether not to evaluate the checkpoint during training')
    group_gpus = parser.add_mutually_exclusive_group()
    group_gpus.add_argument(
        '--gpus',
        type=int,
        help='number of gpus to use '
        '(only applicable to non-distributed training)')
    group_gpus.add_argument(
        '--gpu-ids',
        type=int,
        nargs='+',
        help='ids of gpus to use '
        '(only applicable to non-distributed training)')
    group_gpus.add_argument(
        '--gpu-id',
        type=int,
        help='id of gpu to use (MMPose 0.29; only applicable to '
        'non-distributed training)')
    parser.add_argument('--seed', type=int, default=None, help='random seed')
    parser.add_argument(
        '--diff_seed',
        '--diff-seed',
        action='store_true',
        help='whether to set a different seed (seed + rank) for each rank '
        '(MMPose 0.29)')
    parser.add_argument(
        '--deterministic',
        action='store_true',
        help='whether to set deterministic options for CUDNN backend.')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='override some settings in the used config, the key-value pair '
        'in xxx=yyy format will be merged into config file.')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    parser.add_argument(
        '--autoscale-lr',
        action='store_true',
        help='automatically scale lr with the number of gpus')
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def load_config(path: str, cfg_options: dict) -> Config:
    """Read a config file, naming the path when it does not exist."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return cfg


def check_train_config(cfg: Config, path: str) -> None:
    """Fail early, naming the key, when a config cannot be trained."""
    for key in ('model', 'data', 'optimizer'):
        if cfg.get(key, None) is None:
            raise KeyError(f'config {path} has no "{key}" entry, which '
                           f'training needs')
    if cfg.data.get('train', None) is None:
        raise KeyError(f'config {path} has no data.train entry: training '
                       f'needs a train dataset config')
    if cfg.get('total_epochs', None) is None and \
            cfg.get('runner', None) is None:
        raise KeyError(f'config {path} sets neither total_epochs nor runner')


def gpu_ids_of(args) -> Sequence[int]:
    """The GPUs of a non-distributed run: ``--gpu-ids``, ``[--gpu-id]`` or
    the first ``--gpus`` (default: GPU 0)."""
    if args.gpu_ids is not None:
        return args.gpu_ids
    if args.gpu_id is not None:
        return [args.gpu_id]
    return range(1) if args.gpus is None else range(args.gpus)


def seed_of(args, rank: int) -> Optional[int]:
    """The random seed of this process: ``--seed`` (None: not seeded, as in
    0.14); with ``--diff_seed`` a seed shared by all ranks (random when
    ``--seed`` is not given) plus the rank, as in 0.29."""
    if not args.diff_seed:
        return args.seed
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    return init_random_seed(args.seed, device=device) + rank


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    check_train_config(cfg, args.config)
    if 'mp_start_method' in cfg or 'opencv_num_threads' in cfg:
        setup_multi_processes(cfg)  # 0.29 configs; 0.14 set nothing
    if cfg.get('cudnn_benchmark', False):
        torch.backends.cudnn.benchmark = True

    # work_dir is determined in this priority: CLI > config > filename
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.resume_from is not None:
        cfg.resume_from = args.resume_from
    cfg.gpu_ids = gpu_ids_of(args)

    if args.launcher == 'none':
        distributed = False
    else:
        distributed = True
        init_dist(args.launcher, **cfg.get('dist_params', {}))
        _, world_size = get_dist_info()
        cfg.gpu_ids = range(world_size)

    if args.autoscale_lr:
        # linear scaling rule (https://arxiv.org/abs/1706.02677), 8 gpus
        cfg.optimizer['lr'] = cfg.optimizer['lr'] * len(cfg.gpu_ids) / 8

    rank, _ = get_dist_info()
    mmcv.mkdir_or_exist(osp.abspath(cfg.work_dir))
    if rank == 0:
        cfg.dump(osp.join(cfg.work_dir, osp.basename(args.config)))
    timestamp = time.strftime('%Y%m%d_%H%M%S', time.localtime())
    log_file = osp.join(cfg.work_dir, f'{timestamp}.log')
    logger = get_root_logger(log_file=log_file, log_level=cfg.log_level)

    meta = dict()
    env_info = '\n'.join(f'{k}: {v}' for k, v in collect_env().items())
    dash_line = '-' * 60 + '\n'
    logger.info('Environment info:\n' + dash_line + env_info + '\n' +
                dash_line)
    meta['env_info'] = env_info
    logger.info(f'Distributed training: {distributed}')
    logger.info(f'Config:\n{cfg.pretty_text}')

    seed = seed_of(args, rank)
    if seed is not None:
        logger.info(f'Set random seed to {seed}, '
                    f'deterministic: {args.deterministic}')
        set_random_seed(seed, deterministic=args.deterministic)
    cfg.seed = seed
    meta['seed'] = seed

    model = build_posenet(cfg.model)
    datasets = [build_dataset(cfg.data.train)]
    if len(cfg.workflow) == 2:
        val_dataset = copy.deepcopy(cfg.data.val)
        val_dataset.pipeline = cfg.data.train.pipeline
        datasets.append(build_dataset(val_dataset))

    if cfg.checkpoint_config is not None:
        # save mmpose version and the config in checkpoints as meta data
        cfg.checkpoint_config.meta = dict(
            mmpose_version=__version__, config=cfg.pretty_text)
    train_model(
        model,
        datasets,
        cfg,
        distributed=distributed,
        validate=(not args.no_validate),
        timestamp=timestamp,
        meta=meta)


if __name__ == '__main__':
    main()
