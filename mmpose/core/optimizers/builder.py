"""Optimizer registries and builders at their MMPose 0.29 path.

``OPTIMIZERS`` is mmcv's optimizer registry (see
:mod:`mmpose.core.optimizer.registry`) and ``OPTIMIZER_BUILDERS`` is mmcv's
registry of optimizer constructors itself, so a constructor registered here
is the one ``optimizer=dict(constructor=NAME, ...)`` in a config reaches
through :func:`build_optimizers`.
"""
from mmcv.runner import OPTIMIZER_BUILDERS as MMCV_OPTIMIZER_BUILDERS

from mmpose.utils.registry import build_from_cfg
from ..optimizer.builder import build_optimizers
from ..optimizer.registry import OPTIMIZERS

OPTIMIZER_BUILDERS = MMCV_OPTIMIZER_BUILDERS

__all__ = ['OPTIMIZERS', 'OPTIMIZER_BUILDERS', 'MMCV_OPTIMIZER_BUILDERS',
           'build_optimizer_constructor', 'build_optimizers']


def build_optimizer_constructor(cfg: dict):
    """Build an optimizer constructor (e.g. ``DefaultOptimizerConstructor``).

    Args:
        cfg (dict): ``type`` of the constructor, ``optimizer_cfg`` and
            optionally ``paramwise_cfg``.

    Returns:
        callable: Called with a model, it returns the optimizer.
    """
    return build_from_cfg(cfg, OPTIMIZER_BUILDERS)
