"""The MMPose 0.14 module of ``BottomUpBaseDataset``, the abstract base of the
bottom-up datasets (see :mod:`mmpose.datasets.datasets.base.v014_bases`)."""
from ..base.v014_bases import BottomUpBaseDataset

__all__ = ['BottomUpBaseDataset']
