"""MMPose 0.14 module path of :class:`MultilabelClassificationHead`
(defined with the other InterHand heads in :mod:`.interhand_heads`)."""
from ..builder import HEADS
from .interhand_heads import MultilabelClassificationHead

__all__ = ['HEADS', 'MultilabelClassificationHead']
