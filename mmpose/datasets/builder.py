"""Build datasets and data loaders from configs."""
import random
from functools import partial
from typing import Optional

import numpy as np
import torch
from mmcv.parallel import collate
from mmcv.runner import get_dist_info
from torch.utils.data import DataLoader
from torch.utils.data.dataset import ConcatDataset

from mmpose.utils.registry import build_from_cfg
from .dataset_wrappers import RepeatDataset
from .registry import DATASETS
from .samplers import DistributedSampler


def build_dataset(cfg, default_args: Optional[dict] = None):
    """Build a dataset from a config dict, or concatenate a list of them.

    Args:
        cfg (dict | list[dict]): Dataset config(s); ``type='RepeatDataset'``
            wraps ``cfg.dataset`` and repeats it ``cfg.times`` times.
        default_args (dict | None): Defaults for the dataset arguments.

    Returns:
        Dataset: The built dataset.
    """
    if isinstance(cfg, (list, tuple)):
        return ConcatDataset([build_dataset(c, default_args) for c in cfg])
    if cfg.get('type') == 'RepeatDataset':
        return RepeatDataset(
            build_dataset(cfg['dataset'], default_args), cfg['times'])
    return build_from_cfg(cfg, DATASETS, default_args)


def build_dataloader(dataset,
                     samples_per_gpu: int,
                     workers_per_gpu: int,
                     num_gpus: int = 1,
                     dist: bool = True,
                     shuffle: bool = True,
                     seed: Optional[int] = None,
                     drop_last: bool = True,
                     pin_memory: bool = True,
                     persistent_workers: bool = False,
                     **kwargs) -> DataLoader:
    """Build a PyTorch DataLoader that collates into mmcv DataContainers.

    In distributed training each process builds its own loader over its
    slice of the data (``DistributedSampler``); otherwise one loader feeds
    ``num_gpus`` GPUs.

    Args:
        dataset (Dataset): A PyTorch dataset.
        samples_per_gpu (int): Number of samples on each GPU (batch size of
            each process in distributed mode).
        workers_per_gpu (int): How many subprocesses load data for each GPU.
        num_gpus (int): Number of GPUs, used in non-distributed mode only.
        dist (bool): Distributed mode.
        shuffle (bool): Whether to shuffle the data every epoch.
        seed (int | None): Seed for the sampler and the workers.
        drop_last (bool): Whether to drop the last incomplete batch.
        pin_memory (bool): Whether to use pin_memory in DataLoader (only
            where CUDA is available: pinned memory speeds up host-to-GPU
            copies and nothing else).
        persistent_workers (bool): Keep the worker processes alive between
            epochs instead of starting them anew each epoch (applies when
            there are workers). Default: False.
        kwargs: Any other keyword argument of ``DataLoader``.

    Returns:
        DataLoader: A PyTorch dataloader.
    """
    rank, world_size = get_dist_info()
    if dist:
        sampler = DistributedSampler(
            dataset, world_size, rank, shuffle=shuffle, seed=seed)
        shuffle = False
        batch_size = samples_per_gpu
        num_workers = workers_per_gpu
    else:
        sampler = None
        batch_size = num_gpus * samples_per_gpu
        num_workers = num_gpus * workers_per_gpu
    if num_workers > 0:
        kwargs['persistent_workers'] = persistent_workers
    init_fn = partial(
        worker_init_fn, num_workers=num_workers, rank=rank,
        seed=seed) if seed is not None else None
    return DataLoader(
        dataset,
        batch_size=batch_size,
        sampler=sampler,
        num_workers=num_workers,
        collate_fn=partial(collate, samples_per_gpu=samples_per_gpu),
        pin_memory=pin_memory and torch.cuda.is_available(),
        shuffle=shuffle,
        worker_init_fn=init_fn,
        drop_last=drop_last,
        **kwargs)


def worker_init_fn(worker_id: int, num_workers: int, rank: int, seed: int):
    """Seed numpy, random and torch in each worker differently."""
    worker_seed = num_workers * rank + worker_id + seed
    np.random.seed(worker_seed)
    random.seed(worker_seed)
    torch.manual_seed(worker_seed)
