"""Associative Embedding detector under its MMPose 0.29 name."""
from ..builder import POSENETS
from .bottom_up import BottomUp

__all__ = ['AssociativeEmbedding']


@POSENETS.register_module()
class AssociativeEmbedding(BottomUp):
    """0.29 name of the bottom-up detector :class:`BottomUp` (same
    arguments, parameters, losses and results).

    Paper ref: Alejandro Newell et al. Associative Embedding: End-to-end
    Learning for Joint Detection and Grouping (NeurIPS 2017).
    """
