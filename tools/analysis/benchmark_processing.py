"""Time the data loading of a config's training set (MMPose 0.29's
tools/analysis/benchmark_processing.py); a pass over the set also fills a
memcached cache when the config reads through one.

The training set is loaded one sample per batch with the config's
``workers_per_gpu`` (set it to 0 when debugging); a progress bar starts
after the first 5 batches and the loading rate is printed at the end. For
a profile of where the time goes:

    python -m cProfile -o program.prof \
        tools/analysis/benchmark_processing.py CONFIG
    snakeviz program.prof
"""
import argparse
import os.path as osp
import time

import mmcv
from mmcv import Config

from mmpose import __version__
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.utils import get_root_logger

NUM_WARMUP = 5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Benchmark data loading')
    parser.add_argument('config', help='train config file path')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise FileNotFoundError(f'config file not found: {args.config}')
    cfg = Config.fromfile(args.config)
    logger = get_root_logger()
    logger.info(f'MMPose Version: {__version__}')
    logger.info(f'Config: {cfg.text}')

    dataset = build_dataset(cfg.data.train)
    loader = build_dataloader(
        dataset, samples_per_gpu=1,
        workers_per_gpu=cfg.data.get('workers_per_gpu', 1), dist=False,
        shuffle=False)
    prog_bar = mmcv.ProgressBar(max(len(loader) - NUM_WARMUP, 0),
                                start=False)
    start = None
    for i, _ in enumerate(loader):
        if i == NUM_WARMUP - 1:  # the following loads are timed
            prog_bar.start()
            start = time.perf_counter()
        elif i >= NUM_WARMUP:
            prog_bar.update()
    if start is None or len(loader) == NUM_WARMUP:
        print(f'\n{len(loader)} samples: no timing after the '
              f'{NUM_WARMUP} warm-up batches')
        return
    rate = (len(loader) - NUM_WARMUP) / (time.perf_counter() - start)
    print(f'\n{len(loader)} samples loaded, {rate:.2f} samples / s after '
          f'the first {NUM_WARMUP}')


if __name__ == '__main__':
    main()
