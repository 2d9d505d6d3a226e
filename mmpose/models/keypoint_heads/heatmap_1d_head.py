"""MMPose 0.14 module path of :class:`Heatmap1DHead` (defined with the
other InterHand heads in :mod:`.interhand_heads`)."""
from ..builder import HEADS
from .interhand_heads import Heatmap1DHead

__all__ = ['HEADS', 'Heatmap1DHead']
