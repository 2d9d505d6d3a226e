from .bottom_up_higher_resolution_head import BottomUpHigherResolutionHead
from .bottom_up_simple_head import BottomUpSimpleHead
from .fc_head import FcHead
from .heatmap_3d_head import HeatMap3DHead
from .interhand_heads import Heatmap1DHead, MultilabelClassificationHead
from .temporal_regression_head import TemporalRegressionHead
from .top_down_base_head import TopDownBaseHead, TopDownHeatmapBaseHead
from .top_down_multi_stage_head import TopDownMSMUHead, TopDownMultiStageHead
from .top_down_simple_head import TopDownSimpleHead

__all__ = [
    'TopDownSimpleHead', 'TopDownMultiStageHead', 'TopDownMSMUHead',
    'BottomUpHigherResolutionHead', 'BottomUpSimpleHead', 'FcHead',
    'TemporalRegressionHead', 'HeatMap3DHead', 'Heatmap1DHead',
    'MultilabelClassificationHead', 'TopDownBaseHead',
    'TopDownHeatmapBaseHead'
]
