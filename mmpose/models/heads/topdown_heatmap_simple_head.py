"""Simple Baselines heatmap head under its MMPose 0.29 name."""
from ..builder import HEADS
from ..keypoint_heads.top_down_simple_head import TopDownSimpleHead
from .topdown_heatmap_base_head import TopdownHeatmapBaseHead

__all__ = ['TopdownHeatmapSimpleHead']


@HEADS.register_module()
class TopdownHeatmapSimpleHead(TopDownSimpleHead, TopdownHeatmapBaseHead):
    """Top-down heatmap head of Simple Baselines: 0.29 name of
    :class:`TopDownSimpleHead` (same arguments and parameters), with the
    0.29 dialect of :class:`TopdownHeatmapBaseHead` (loss key
    ``'heatmap_loss'``).

    Paper ref: Bin Xiao et al. Simple Baselines for Human Pose Estimation
    and Tracking (ECCV 2018).
    """
