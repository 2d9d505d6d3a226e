from .builder import DATASETS, PIPELINES, build_dataloader, build_dataset
from .dataset_info import DatasetInfo
from .dataset_wrappers import RepeatDataset  # noqa: F401 (registers it)
from .datasets import *  # noqa: F401,F403
from .pipelines import *  # noqa: F401,F403
from .samplers import DistributedSampler

__all__ = [
    'DATASETS', 'PIPELINES', 'build_dataset', 'build_dataloader',
    'DistributedSampler', 'DatasetInfo'
]
