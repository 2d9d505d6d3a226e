"""The ``FILTERS`` registry of temporal smoothing filters (MMPose 0.29)."""
from typing import Union

from mmpose.errors import ArgumentTypeError
from mmpose.utils.registry import UserFirstRegistry

__all__ = ['FILTERS', 'build_filter']

FILTERS = UserFirstRegistry('filters')


def build_filter(cfg: Union[dict, object]):
    """Build a temporal filter from a config dict with a ``type``.

    Args:
        cfg (dict): e.g. ``dict(type='GaussianFilter', window_size=11)``.

    Returns:
        TemporalFilter: The filter.
    """
    if not isinstance(cfg, dict):
        raise ArgumentTypeError(f'build_filter: cfg must be a dict with a '
                                f'"type" (one of {sorted(FILTERS.module_dict)}'
                                f'), got {type(cfg).__name__}')
    return FILTERS.build(cfg)
