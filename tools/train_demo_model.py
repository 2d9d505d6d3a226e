"""Fit the small demo pose model to the COCO sample photos bundled with the
repository and save a checkpoint.

No pretrained weights can be downloaded here, so the demo uses a tiny
top-down model (demo/configs/demo_res18_coco_128x96.py) trained from scratch
on the few annotated people of tests/data/demo (heavy augmentation: flips,
half-body crops, rotations, scaling, photometric noise). Its keypoints are
meaningful on those photos only; it is not a general pose model.

    python tools/train_demo_model.py [--iters 700] [--out PATH]
"""
import argparse
import math
import os
import os.path as osp
import sys
import time
from functools import partial
from typing import List

import mmcv
import numpy as np
import torch
from mmcv.parallel import collate
from torch.utils.data import DataLoader, RandomSampler

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIG = osp.join(REPO_ROOT, 'demo/configs/demo_res18_coco_128x96.py')
DEFAULT_CHECKPOINT = osp.join(REPO_ROOT,
                              'work_dirs/demo/demo_res18_coco_128x96.pth')


def parse_args(argv: List[str] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train the tiny demo pose model on the bundled COCO '
        'sample photos')
    parser.add_argument('--config', default=DEFAULT_CONFIG, help='config')
    parser.add_argument('--out', default=DEFAULT_CHECKPOINT,
                        help='checkpoint file to write')
    parser.add_argument('--iters', type=int, default=None,
                        help='training iterations (default: total_iters of '
                        'the config)')
    parser.add_argument('--batch-size', type=int, default=None,
                        help='samples per iteration (default: from config)')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument('--threads', type=int, default=2,
                        help='torch CPU threads')
    parser.add_argument('--log-interval', type=int, default=50)
    return parser.parse_args(argv)


def repo_path(path: str) -> str:
    """A relative data path of the config, resolved against the working
    directory when it exists there, else against the repository root."""
    if osp.isabs(path) or osp.exists(path):
        return path
    return osp.join(REPO_ROOT, path)


def build_training_set(cfg: mmcv.Config):
    """The training dataset of ``cfg`` with its paths made absolute."""
    from mmpose.datasets import build_dataset
    train_cfg = cfg.data.train
    train_cfg.ann_file = repo_path(train_cfg.ann_file)
    train_cfg.img_prefix = repo_path(train_cfg.img_prefix)
    if not osp.isfile(train_cfg.ann_file):
        raise FileNotFoundError(
            f'annotation file not found: {train_cfg.ann_file}')
    return build_dataset(train_cfg)


def seed_everything(seed: int) -> None:
    np.random.seed(seed)
    torch.manual_seed(seed)
    import random
    random.seed(seed)


def train(cfg: mmcv.Config, iters: int, batch_size: int, seed: int,
          log_interval: int) -> torch.nn.Module:
    """Train the model of ``cfg`` for ``iters`` iterations (Adam, cosine
    decay) on randomly drawn augmented samples of the training set."""
    from mmpose.models import build_posenet
    seed_everything(seed)
    dataset = build_training_set(cfg)
    if len(dataset) == 0:
        raise RuntimeError('the training set has no annotated person')
    print(f'[train_demo_model] {len(dataset)} annotated people in '
          f'{cfg.data.train.ann_file}')
    sampler = RandomSampler(
        dataset, replacement=True, num_samples=iters * batch_size,
        generator=torch.Generator().manual_seed(seed))
    loader = DataLoader(
        dataset,
        batch_size=batch_size,
        sampler=sampler,
        num_workers=0,
        collate_fn=partial(collate, samples_per_gpu=batch_size))
    cfg.model.pretrained = None
    model = build_posenet(cfg.model)
    model.train()
    base_lr = cfg.optimizer.lr
    min_lr = cfg.lr_config.get('min_lr', 0.)
    optimizer = torch.optim.Adam(model.parameters(), lr=base_lr)
    start = time.time()
    for it, batch in enumerate(loader):
        # Cosine decay with a short linear warm-up.
        warm = min(1., (it + 1) / 30)
        lr = min_lr + 0.5 * (base_lr - min_lr) * (
            1 + math.cos(math.pi * it / iters))
        for group in optimizer.param_groups:
            group['lr'] = lr * warm
        losses = model(
            img=batch['img'],
            target=batch['target'],
            target_weight=batch['target_weight'],
            img_metas=batch['img_metas'].data[0],
            return_loss=True)
        loss, log_vars = model._parse_losses(losses)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (it + 1) % log_interval == 0 or it + 1 == iters:
            print(f'[train_demo_model] iter {it + 1}/{iters} '
                  f'loss {log_vars["loss"]:.6f} '
                  f'acc {log_vars.get("acc_pose", float("nan")):.3f} '
                  f'lr {lr:.2e} ({time.time() - start:.0f} s)')
            sys.stdout.flush()
    model.eval()
    return model


def main(argv: List[str] = None) -> None:
    args = parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    cfg = mmcv.Config.fromfile(args.config)
    iters = args.iters or cfg.get('total_iters', 700)
    batch_size = args.batch_size or cfg.data.samples_per_gpu
    model = train(cfg, iters, batch_size, args.seed, args.log_interval)

    from mmpose.utils.checkpoint import save_checkpoint
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    save_checkpoint(
        model,
        args.out,
        meta=dict(
            config=cfg.pretty_text,
            note='tiny demo model fitted to the bundled COCO sample photos '
            '(tests/data/demo); not a general pose model',
            iters=iters,
            seed=args.seed))
    print(f'[train_demo_model] saved {args.out}')


if __name__ == '__main__':
    main()
