"""The optimizer registry under its 0.x path.

It is mmcv's optimizer registry itself, the one :func:`build_optimizers`
(through ``mmcv.runner.build_optimizer``) looks names up in, so an optimizer
registered here with ``@OPTIMIZERS.register_module()`` can be named in a
config's ``optimizer=dict(type=...)``; torch's optimizers are members.
"""
from mmcv.runner import OPTIMIZERS

__all__ = ['OPTIMIZERS']
