"""HigherHRNet head under its MMPose 0.29 name."""
from ..builder import HEADS
from ..keypoint_heads.bottom_up_higher_resolution_head import \
    BottomUpHigherResolutionHead

__all__ = ['AEHigherResolutionHead']


@HEADS.register_module()
class AEHigherResolutionHead(BottomUpHigherResolutionHead):
    """0.29 name of :class:`BottomUpHigherResolutionHead`: same arguments,
    parameters and losses."""
