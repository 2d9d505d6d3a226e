"""The MMPose 0.14 module path of the dataset and pipeline registries.

MMPose 0.29 moved them to :mod:`mmpose.datasets.builder` and kept this
module as a deprecated alias; importing it warns once (a
``DeprecationWarning``) and gives the very same objects, so a class
registered through either path is built by configs of both versions.
Nothing inside the package imports this module.
"""
import warnings

from .builder import DATASETS, PIPELINES

warnings.warn(
    'Registries (DATASETS, PIPELINES) have been moved to '
    'mmpose.datasets.builder. Importing from mmpose.datasets.registry is '
    'deprecated (MMPose 0.29).', DeprecationWarning, stacklevel=2)

__all__ = ['DATASETS', 'PIPELINES']
