"""The registry of webcam nodes (MMPose 0.29: ``Registry('node')``)."""
from mmpose.utils.registry import make_registry

#: Every webcam node class; ``NODES.build(dict(type=..., name=..., ...))``.
NODES = make_registry('node')

__all__ = ['NODES']
