"""ViPNAS heatmap head: the Simple Baselines head with grouped deconvs.

"ViPNAS: Efficient Video Pose Estimation via Neural Architecture Search",
Xu et al., CVPR 2021 (https://arxiv.org/abs/2105.10154).
"""
from typing import Optional, Sequence, Union

from ..builder import HEADS
from ..keypoint_heads.utils import build_deconv_layers
from .topdown_heatmap_simple_head import TopdownHeatmapSimpleHead

__all__ = ['ViPNASHeatmapSimpleHead']


@HEADS.register_module()
class ViPNASHeatmapSimpleHead(TopdownHeatmapSimpleHead):
    """Heatmap head of ViPNAS (new in MMPose 0.29).

    :class:`TopdownHeatmapSimpleHead` whose stride-2 deconv layers are
    grouped convolutions, as found by the architecture search. Input
    selection, final layers, loss, accuracy, flip test and decoding are
    those of :class:`TopdownHeatmapSimpleHead`.

    Args:
        in_channels (int | Sequence[int]): Number of input channels.
        out_channels (int): Number of output channels (keypoints K).
        num_deconv_layers (int): Number of deconv layers (>= 0).
            Default: 3.
        num_deconv_filters (Sequence[int]): Output channels of each deconv.
            Default: (144, 144, 144).
        num_deconv_kernels (Sequence[int]): Kernel size of each deconv
            (2, 3 or 4). Default: (4, 4, 4).
        num_deconv_groups (Sequence[int]): Groups of each deconv; each must
            divide its input and output channels. Default: (16, 16, 16).
        extra (dict | None): ``final_conv_kernel``, ``num_conv_layers``,
            ``num_conv_kernels`` as in :class:`TopdownHeatmapSimpleHead`.
        in_index (int | Sequence[int]): Input feature index. Default: 0.
        input_transform (str | None): None, 'resize_concat' or
            'multiple_select'. Default: None.
        align_corners (bool): align_corners of the resizing. Default: False.
        loss_keypoint (dict | None): Config of the keypoint loss.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.

    Shapes:
        x (Tensor[N, C, h, w]) -> heatmaps
        ``Tensor[N, K, h * 2**num_deconv_layers, w * 2**num_deconv_layers]``.
    """

    def __init__(self,
                 in_channels: Union[int, Sequence[int]],
                 out_channels: int,
                 num_deconv_layers: int = 3,
                 num_deconv_filters: Sequence[int] = (144, 144, 144),
                 num_deconv_kernels: Sequence[int] = (4, 4, 4),
                 num_deconv_groups: Sequence[int] = (16, 16, 16),
                 extra: Optional[dict] = None,
                 in_index: Union[int, Sequence[int]] = 0,
                 input_transform: Optional[str] = None,
                 align_corners: bool = False,
                 loss_keypoint: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None) -> None:
        super().__init__(
            in_channels,
            out_channels,
            num_deconv_layers=num_deconv_layers,
            num_deconv_filters=num_deconv_filters,
            num_deconv_kernels=num_deconv_kernels,
            extra=extra,
            in_index=in_index,
            input_transform=input_transform,
            align_corners=align_corners,
            loss_keypoint=loss_keypoint,
            train_cfg=train_cfg,
            test_cfg=test_cfg)
        # the parent built plain deconvs; swap in the searched grouped ones
        # (same names and position in the state dict)
        self.deconv_layers = build_deconv_layers(self.in_channels,
                                                 num_deconv_layers,
                                                 num_deconv_filters,
                                                 num_deconv_kernels,
                                                 num_deconv_groups)
