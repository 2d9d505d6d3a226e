"""The MMPose 0.x module path of the model registries.

Code written for MMPose 0.14 imports them from here
(``from mmpose.models.registry import BACKBONES``); they are the very
registries of :mod:`mmpose.models.builder`, so a class registered through
this module is buildable from a config like any other.
"""
from .builder import BACKBONES, HEADS, LOSSES, NECKS, POSENETS

__all__ = ['BACKBONES', 'NECKS', 'HEADS', 'LOSSES', 'POSENETS']
