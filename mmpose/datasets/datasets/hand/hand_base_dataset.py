"""The MMPose 0.14 module of ``HandBaseDataset``, the abstract base of the
hand datasets (see :mod:`mmpose.datasets.datasets.base.v014_bases`)."""
from ..base.v014_bases import HandBaseDataset

__all__ = ['HandBaseDataset']
