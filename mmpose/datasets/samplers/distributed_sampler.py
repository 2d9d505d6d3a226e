"""Distributed sampler with a seed shared by all ranks."""
from typing import Iterator, Optional

import torch
from torch.utils.data import DistributedSampler as _TorchDistributedSampler


class DistributedSampler(_TorchDistributedSampler):
    """Sampler that gives each rank its own slice of a (shuffled) dataset.

    The permutation depends on ``seed + epoch`` only, so all ranks agree on
    it; the index list is padded by repetition to a multiple of the number
    of replicas.

    Args:
        dataset: The dataset to sample from.
        num_replicas (int | None): Number of processes (world size).
        rank (int | None): Rank of this process.
        shuffle (bool): Whether to shuffle the indices every epoch.
        seed (int): Random seed shared by all ranks.
    """

    def __init__(self,
                 dataset,
                 num_replicas: Optional[int] = None,
                 rank: Optional[int] = None,
                 shuffle: bool = True,
                 seed: int = 0):
        super().__init__(
            dataset, num_replicas=num_replicas, rank=rank, shuffle=shuffle)
        self.seed = seed if seed is not None else 0

    def __iter__(self) -> Iterator[int]:
        if self.shuffle:
            generator = torch.Generator()
            generator.manual_seed(self.epoch + self.seed)
            indices = torch.randperm(len(self.dataset), generator=generator)
        else:
            indices = torch.arange(len(self.dataset))
        repeats = -(-self.total_size // max(len(indices), 1))
        indices = indices.repeat(repeats)[:self.total_size]
        return iter(indices[self.rank:self.total_size:
                            self.num_replicas].tolist())
