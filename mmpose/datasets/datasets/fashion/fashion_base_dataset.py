"""The MMPose 0.14 module of ``FashionBaseDataset``, the abstract base of the
fashion datasets (see :mod:`mmpose.datasets.datasets.base.v014_bases`)."""
from ..base.v014_bases import FashionBaseDataset

__all__ = ['FashionBaseDataset']
