from .dist_utils import allreduce_grads, init_dist, sync_random_seed
from .model_util_hooks import ModelSetEpochHook
from .regularizations import WeightNormClipHook
from .runner import (AtomicEpochBasedRunner, check_state_dict_compatible,
                     update_link_atomically)

__all__ = [
    'allreduce_grads', 'init_dist', 'WeightNormClipHook',
    'AtomicEpochBasedRunner', 'update_link_atomically',
    'check_state_dict_compatible', 'ModelSetEpochHook', 'sync_random_seed'
]
