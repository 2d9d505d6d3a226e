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
    ``'heatmap_loss'``). The last argument ``upsample`` (default 0) is the
    ViTPose fork's: its "simple" configs (``num_deconv_layers=0``,
    ``upsample=4``) resize the ReLU'd feature map bilinearly instead of
    deconvolving it.

    Paper ref: Bin Xiao et al. Simple Baselines for Human Pose Estimation
    and Tracking (ECCV 2018).
    """
