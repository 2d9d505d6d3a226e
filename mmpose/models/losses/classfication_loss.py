"""The MMPose 0.x module path (spelled ``classfication_loss`` there) of
:class:`BCELoss`, defined in :mod:`.classification_loss`."""
from ..builder import LOSSES
from .classification_loss import BCELoss

__all__ = ['LOSSES', 'BCELoss']
