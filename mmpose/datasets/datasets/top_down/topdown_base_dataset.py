"""The MMPose 0.14 module of ``TopDownBaseDataset``, the abstract base of the
body datasets (see :mod:`mmpose.datasets.datasets.base.v014_bases`)."""
from ..base.v014_bases import TopDownBaseDataset

__all__ = ['TopDownBaseDataset']
