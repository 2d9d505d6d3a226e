"""The MMPose 0.14 module of ``AnimalBaseDataset``, the abstract base of the
animal datasets (see :mod:`mmpose.datasets.datasets.base.v014_bases`)."""
from ..base.v014_bases import AnimalBaseDataset

__all__ = ['AnimalBaseDataset']
