"""The MMPose 0.14 module of ``FaceBaseDataset``, the abstract base of the
face datasets (see :mod:`mmpose.datasets.datasets.base.v014_bases`)."""
from ..base.v014_bases import FaceBaseDataset

__all__ = ['FaceBaseDataset']
