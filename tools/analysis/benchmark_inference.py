"""Inference speed of a pose model on its validation set (MMPose 0.29's
tools/analysis/benchmark_inference.py): the model of the config (random
weights; speed does not depend on them) runs on ``data.val`` one sample at
a time; the first 5 iterations warm up, then the rate is printed every
``--log-interval`` samples and once overall.

Runs on GPU 0 when CUDA is available, else on the CPU (0.29 needs a GPU).

    python tools/analysis/benchmark_inference.py CONFIG \
        [--log-interval 10] [--fuse-conv-bn]
"""
import argparse
import os.path as osp
import time

import torch
from mmcv import Config
from mmcv.cnn import fuse_conv_bn
from mmcv.parallel import MMDataParallel

from mmpose.core.fp16 import wrap_fp16_model
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.errors import ArgumentError
from mmpose.models import build_posenet

NUM_WARMUP = 5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='MMPose benchmark a recognizer')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('--log-interval', type=int, default=10,
                        help='interval of logging')
    parser.add_argument(
        '--fuse-conv-bn', action='store_true',
        help='Whether to fuse conv and bn, this will slightly increase '
        'the inference speed')
    return parser.parse_args(argv)


def build_benchmark(cfg: Config, fuse: bool):
    """The validation loader (one sample per batch) and the wrapped model
    in eval mode."""
    dataset = build_dataset(cfg.data.val, dict(test_mode=True))
    loader = build_dataloader(
        dataset, samples_per_gpu=1,
        workers_per_gpu=cfg.data.get('workers_per_gpu', 1), dist=False,
        shuffle=False)
    cfg.model.pretrained = None
    model = build_posenet(cfg.model)
    if cfg.get('fp16', None) is not None:
        wrap_fp16_model(model)
    if fuse:
        model = fuse_conv_bn(model)
    if torch.cuda.is_available():
        model = MMDataParallel(model.cuda(0), device_ids=[0])
    else:
        print('CUDA is not available: timing on the CPU')
        model = MMDataParallel(model)
    return loader, model.eval()


def synchronize() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def benchmark(model, loader, log_interval: int) -> float:
    """Items per second after the warm-up; prints the running rate every
    ``log_interval`` items."""
    if log_interval < 1:
        raise ArgumentError(
            f'--log-interval must be at least 1, got {log_interval}')
    if len(loader) <= NUM_WARMUP:
        raise ArgumentError(
            f'the validation set has {len(loader)} samples; timing needs '
            f'more than the {NUM_WARMUP} warm-up iterations')
    pure_inf_time = 0.0
    for i, data in enumerate(loader):
        synchronize()
        start = time.perf_counter()
        with torch.no_grad():
            model(return_loss=False, **data)
        synchronize()
        elapsed = time.perf_counter() - start
        if i < NUM_WARMUP:
            continue
        pure_inf_time += elapsed
        if (i + 1) % log_interval == 0:
            rate = (i + 1 - NUM_WARMUP) / pure_inf_time
            print(f'Done item [{i + 1:<3}],  {rate:.2f} items / s')
    rate = (len(loader) - NUM_WARMUP) / pure_inf_time
    print(f'Overall average: {rate:.2f} items / s')
    print(f'Total time: {pure_inf_time:.2f} s')
    return rate


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file not found: {args.config}')
    cfg = Config.fromfile(args.config)
    if cfg.get('cudnn_benchmark', False):
        torch.backends.cudnn.benchmark = True
    loader, model = build_benchmark(cfg, args.fuse_conv_bn)
    benchmark(model, loader, args.log_interval)


if __name__ == '__main__':
    main()
