"""Base of the top-down heatmap heads under its MMPose 0.29 name."""
from mmpose.dialects import V029Heatmap
from ..keypoint_heads.top_down_base_head import TopDownHeatmapBaseHead
from ..keypoint_heads.utils import get_deconv_cfg

__all__ = ['TopdownHeatmapBaseHead']


class TopdownHeatmapBaseHead(V029Heatmap, TopDownHeatmapBaseHead):
    """Base class of the top-down heatmap heads in the 0.29 dialect.

    Subclasses implement ``forward`` and may override ``get_loss``,
    ``get_accuracy`` and ``inference_model``; decoding with ``test_cfg``
    comes from :class:`TopDownHeatmapBaseHead`. The loss key is
    ``'heatmap_loss'`` and the default ``target_type`` 'GaussianHeatmap'
    (see :class:`mmpose.dialects.V029Heatmap`).
    """

    #: kernel, padding and output padding of a stride-2 deconv (0.29 API)
    _get_deconv_cfg = staticmethod(get_deconv_cfg)
