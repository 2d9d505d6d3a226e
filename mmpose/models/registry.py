"""The MMPose 0.14 module path of the model registries.

Code written for MMPose 0.14 imports them from here
(``from mmpose.models.registry import BACKBONES``). MMPose 0.29 moved them
to :mod:`mmpose.models.builder` and kept this module as a deprecated alias:
importing it warns (a ``DeprecationWarning``, once per process) and gives
the very same registries, so a class registered through this module is
buildable from a config like any other. Nothing inside the package imports
this module.
"""
import warnings

from .builder import BACKBONES, HEADS, LOSSES, NECKS, POSENETS

warnings.warn(
    'Registries (BACKBONES, NECKS, HEADS, LOSSES, POSENETS) have been moved '
    'to mmpose.models.builder. Importing from mmpose.models.registry is '
    'deprecated (MMPose 0.29).', DeprecationWarning, stacklevel=2)

__all__ = ['BACKBONES', 'NECKS', 'HEADS', 'LOSSES', 'POSENETS']
