from .builder import build_dataloader, build_dataset
from .dataset_info import DatasetInfo
from .datasets import *  # noqa: F401,F403
from .pipelines import *  # noqa: F401,F403
from .registry import DATASETS, PIPELINES
from .samplers import DistributedSampler

__all__ = [
    'DATASETS', 'PIPELINES', 'build_dataset', 'build_dataloader',
    'DistributedSampler', 'DatasetInfo'
]
