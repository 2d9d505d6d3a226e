"""Mixture of mesh datasets sampled with given proportions."""
from typing import List, Sequence

import numpy as np
from torch.utils.data import ConcatDataset, Dataset

from mmpose.errors import ArgumentError

from ...builder import DATASETS
from .mesh_base_dataset import MeshBaseDataset


@DATASETS.register_module()
class MeshMixDataset(Dataset):
    """Mix Dataset for 3D human mesh estimation.

    Combines several :class:`MeshBaseDataset` and draws every item at
    random: a dataset with probability given by ``partition``, then one of
    its samples uniformly (the index passed to ``__getitem__`` is ignored).
    The length is that of the largest dataset.

    Args:
        configs (list[dict]): Keyword arguments of each
            :class:`MeshBaseDataset` (``ann_file``, ``img_prefix``,
            ``data_cfg``, ``pipeline``).
        partition (list[float]): Sampling proportion of each dataset,
            non-negative and summing to 1.
    """

    def __init__(self, configs: Sequence[dict], partition: Sequence[float]):
        if len(configs) != len(partition) or not configs:
            raise ArgumentError('MeshMixDataset needs one partition value per '
                                f'config, got {len(configs)} configs and '
                                f'{len(partition)} values')
        partition = np.asarray(partition, dtype=np.float64)
        if partition.min() < 0 or not np.isclose(partition.sum(), 1):
            raise ArgumentError('partition must be non-negative and sum to 1, '
                                f'got {partition.tolist()}')
        datasets: List[MeshBaseDataset] = [
            MeshBaseDataset(**cfg) for cfg in configs
        ]
        self.datasets = datasets
        self.dataset = ConcatDataset(datasets)
        self.partition = partition / partition.sum()
        self.length = max(len(ds) for ds in datasets)
        self._offsets = np.concatenate(
            [[0], np.cumsum([len(ds) for ds in datasets])[:-1]])
        self._sizes = np.array([len(ds) for ds in datasets])

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, idx: int) -> dict:
        """A random sample (``idx`` is ignored)."""
        which = np.random.choice(len(self.partition), p=self.partition)
        sample = np.random.randint(self._sizes[which])
        return self.dataset[int(self._offsets[which] + sample)]
