"""Dataset and pipeline registries; building datasets and data loaders
from configs.

The registries live here as in MMPose 0.29; ``mmpose.datasets.registry``
(the 0.14 path) re-exports the same objects.
"""
import copy
import random
from functools import partial
from typing import Optional

import numpy as np
import torch
from mmcv.parallel import collate
from mmcv.runner import get_dist_info
from torch.utils.data import DataLoader
from torch.utils.data.dataset import ConcatDataset

from mmpose.errors import ArgumentError
from mmpose.utils.registry import build_from_cfg, make_registry
from .samplers import DistributedSampler

DATASETS = make_registry('dataset')
PIPELINES = make_registry('pipeline')


def _is_seq(value) -> bool:
    return isinstance(value, (list, tuple))


def _per_file_channels(channels) -> bool:
    """Whether ``data_cfg.dataset_channel`` lists the channel groups of each
    file (a list of lists of lists) rather than one dataset's (a list of
    lists)."""
    return _is_seq(channels) and len(channels) > 0 and all(
        _is_seq(group) and all(_is_seq(c) for c in group)
        for group in channels)


def _concat_dataset(cfg: dict, default_args: Optional[dict] = None
                    ) -> ConcatDataset:
    """One dataset per entry of the list ``cfg['ann_file']`` (0.29).

    ``type``, ``img_prefix`` and ``dataset_info`` given as lists (tuples)
    are paired with the files, as are ``data_cfg.num_joints`` (a list) and
    ``data_cfg.dataset_channel`` (one list of channel groups per file);
    every other key is shared.
    """
    ann_files = cfg['ann_file']

    def pick(value, i: int, name: str):
        if len(value) != len(ann_files):
            raise ArgumentError(
                f'{name} lists {len(value)} entries, ann_file lists '
                f'{len(ann_files)} files: {value!r}')
        return value[i]

    data_cfg = cfg.get('data_cfg') or {}
    datasets = []
    for i, ann_file in enumerate(ann_files):
        one = copy.deepcopy(cfg)
        one['ann_file'] = ann_file
        for key in ('type', 'img_prefix', 'dataset_info'):
            if _is_seq(cfg.get(key)):
                one[key] = pick(cfg[key], i, key)
        if _is_seq(data_cfg.get('num_joints')):
            one['data_cfg']['num_joints'] = pick(data_cfg['num_joints'], i,
                                                 'data_cfg.num_joints')
        if _per_file_channels(data_cfg.get('dataset_channel')):
            one['data_cfg']['dataset_channel'] = pick(
                data_cfg['dataset_channel'], i, 'data_cfg.dataset_channel')
        datasets.append(build_dataset(one, default_args))
    return ConcatDataset(datasets)


def build_dataset(cfg, default_args: Optional[dict] = None):
    """Build a dataset from a config dict, or concatenate several.

    Args:
        cfg (dict | list[dict]): Dataset config(s). A list, a config of
            ``type='ConcatDataset'`` (its ``datasets``) or a config whose
            ``ann_file`` is a list (one dataset per file, see
            :func:`_concat_dataset`) build a ``ConcatDataset``;
            ``type='RepeatDataset'`` wraps ``cfg.dataset`` and repeats it
            ``cfg.times`` times.
        default_args (dict | None): Defaults for the dataset arguments.

    Returns:
        Dataset: The built dataset.
    """
    from .dataset_wrappers import RepeatDataset

    if isinstance(cfg, (list, tuple)):
        return ConcatDataset([build_dataset(c, default_args) for c in cfg])
    if cfg.get('type') == 'ConcatDataset':
        return ConcatDataset(
            [build_dataset(c, default_args) for c in cfg['datasets']])
    if cfg.get('type') == 'RepeatDataset':
        return RepeatDataset(
            build_dataset(cfg['dataset'], default_args), cfg['times'])
    if isinstance(cfg.get('ann_file'), (list, tuple)):
        return _concat_dataset(cfg, default_args)
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
