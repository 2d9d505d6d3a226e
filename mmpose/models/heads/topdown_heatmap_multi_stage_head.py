"""Multi-stage (Hourglass, CPM) and multi-stage multi-unit (MSPN, RSN)
heatmap heads under their MMPose 0.29 names."""
from ..builder import HEADS
from ..keypoint_heads.top_down_multi_stage_head import (TopDownMSMUHead,
                                                        TopDownMultiStageHead)
from .topdown_heatmap_base_head import TopdownHeatmapBaseHead

__all__ = ['TopdownHeatmapMultiStageHead', 'TopdownHeatmapMSMUHead']


@HEADS.register_module()
class TopdownHeatmapMultiStageHead(TopDownMultiStageHead,
                                   TopdownHeatmapBaseHead):
    """0.29 name of :class:`TopDownMultiStageHead` (same arguments and
    parameters), with the 0.29 dialect (loss key ``'heatmap_loss'``)."""


@HEADS.register_module()
class TopdownHeatmapMSMUHead(TopDownMSMUHead, TopdownHeatmapBaseHead):
    """0.29 name of :class:`TopDownMSMUHead` (same arguments and
    parameters), with the 0.29 dialect (loss key ``'heatmap_loss'``)."""
