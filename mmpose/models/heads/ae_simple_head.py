"""Associative Embedding simple head under its MMPose 0.29 name."""
from ..builder import HEADS
from ..keypoint_heads.bottom_up_simple_head import BottomUpSimpleHead

__all__ = ['AESimpleHead']


@HEADS.register_module()
class AESimpleHead(BottomUpSimpleHead):
    """0.29 name of :class:`BottomUpSimpleHead`: same arguments,
    parameters and losses ('heatmap_loss', 'push_loss', 'pull_loss')."""
