"""Multi-stage top-down heads.

``TopDownMultiStageHead`` predicts one heatmap per stage (Hourglass, CPM).
``TopDownMSMUHead`` predicts one per stage and unit, as in MSPN (Li et al.,
Rethinking on Multi-Stage Networks for Human Pose Estimation, 2019) and RSN
(Cai et al., Learning Delicate Local Representations for Multi-Person Pose
Estimation, ECCV 2020), optionally refined by the Pose Refine Machine.
"""
import copy
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmcv.cnn import (ConvModule, DepthwiseSeparableConvModule, Linear,
                      build_activation_layer, build_norm_layer,
                      constant_init, kaiming_init, normal_init)
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError

from ..builder import HEADS
from .top_down_base_head import TopDownHeatmapBaseHead
from .utils import (build_deconv_layers, build_final_conv,
                    init_deconv_final_weights, parse_final_conv_kernel)

__all__ = ['TopDownMultiStageHead', 'TopDownMSMUHead', 'PRM',
           'PredictHeatmap']


@HEADS.register_module()
class TopDownMultiStageHead(TopDownHeatmapBaseHead):
    """Heads for multi-stage pose models.

    One branch per stage; every branch is a stack of ``num_deconv_layers``
    deconvolution layers (possibly none) topped by a single conv2d layer.

    Args:
        in_channels (int): Number of input channels.
        out_channels (int): Number of output channels.
        num_stages (int): Number of stages.
        num_deconv_layers (int): Number of deconv layers; 0 for none.
        num_deconv_filters (Sequence[int]): Channels of each deconv layer.
        num_deconv_kernels (Sequence[int]): Kernel size of each (4, 3 or 2).
        extra (dict | None): 'final_conv_kernel' (0 = identity, 1 or 3).
        loss_keypoint (dict | list[dict]): Config for keypoint loss
            (a list gives one loss per stage). Default: None.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    loss_required = True  # 0.x built its loss unconditionally

    def __init__(self,
                 in_channels: int = 512,
                 out_channels: int = 17,
                 num_stages: int = 1,
                 num_deconv_layers: int = 3,
                 num_deconv_filters: Sequence[int] = (256, 256, 256),
                 num_deconv_kernels: Sequence[int] = (4, 4, 4),
                 extra: Optional[dict] = None,
                 loss_keypoint: Optional[Union[dict, List[dict]]] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__(loss_keypoint, train_cfg, test_cfg)
        if num_stages < 1:
            raise ArgumentError(f'num_stages must be >= 1, got {num_stages}')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.num_stages = num_stages
        self.multi_deconv_layers, self.multi_final_layers = \
            self._make_stage_layers(num_stages, in_channels, out_channels,
                                    num_deconv_layers, num_deconv_filters,
                                    num_deconv_kernels, extra)

    @staticmethod
    def _make_stage_layers(
        num_stages: int, in_channels: int, out_channels: int,
        num_deconv_layers: int, num_deconv_filters: Sequence[int],
        num_deconv_kernels: Sequence[int], extra: Optional[dict]
    ) -> Tuple[nn.ModuleList, nn.ModuleList]:
        """``num_stages`` deconv stacks (each from ``in_channels``) and
        final convs (``extra['final_conv_kernel']`` 0 = identity, 1 or 3)."""
        multi_deconv_layers = nn.ModuleList([
            build_deconv_layers(in_channels, num_deconv_layers,
                                num_deconv_filters, num_deconv_kernels)
            for _ in range(num_stages)
        ])
        kernel_size, padding = parse_final_conv_kernel(extra, (0, 1, 3))
        conv_channels = (num_deconv_filters[-1]
                         if num_deconv_layers > 0 else in_channels)
        multi_final_layers = nn.ModuleList([
            nn.Identity() if kernel_size == 0 else build_final_conv(
                conv_channels, out_channels, kernel_size, padding)
            for _ in range(num_stages)
        ])
        return multi_deconv_layers, multi_final_layers

    def forward(self, x: List[torch.Tensor]) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (list[torch.Tensor[N, C, h, w]]): One feature per stage.

        Returns:
            out (list[Tensor]): a list of heatmaps from multiple stages.
        """
        if not isinstance(x, (list, tuple)):
            raise ArgumentTypeError(
                f'TopDownMultiStageHead expects a list of num_stages='
                f'{self.num_stages} features, got a {type(x).__name__}')
        if len(x) < self.num_stages:
            raise ArgumentError(
                f'TopDownMultiStageHead expects num_stages={self.num_stages} '
                f'features, got {len(x)}')
        return [
            final(deconv(feat)) for deconv, final, feat in zip(
                self.multi_deconv_layers, self.multi_final_layers, x)
        ]

    def init_weights(self) -> None:
        """Initialize model weights."""
        init_deconv_final_weights(self.multi_deconv_layers,
                                  self.multi_final_layers)


class PRM(nn.Module):
    """Pose Refine Machine.

    The feature is re-weighted by a channel attention (global pooling and
    two FC layers) times a spatial attention (1x1 conv and a 9x9 depthwise
    separable conv): ``out = f * (1 + channel * spatial)``.

    Args:
        out_channels (int): Channel number of the feature.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
    """

    def __init__(self, out_channels: int, norm_cfg: dict = dict(type='BN')):
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self.out_channels = out_channels
        self.global_pooling = nn.AdaptiveAvgPool2d((1, 1))
        self.middle_path = nn.Sequential(
            Linear(out_channels, out_channels),
            build_norm_layer(dict(type='BN1d'), out_channels)[1],
            build_activation_layer(dict(type='ReLU')),
            Linear(out_channels, out_channels),
            build_norm_layer(dict(type='BN1d'), out_channels)[1],
            build_activation_layer(dict(type='ReLU')),
            build_activation_layer(dict(type='Sigmoid')))
        self.bottom_path = nn.Sequential(
            ConvModule(out_channels, out_channels, kernel_size=1, stride=1,
                       padding=0, norm_cfg=norm_cfg, inplace=False),
            DepthwiseSeparableConvModule(out_channels, 1, kernel_size=9,
                                         stride=1, padding=4,
                                         norm_cfg=norm_cfg, inplace=False),
            build_activation_layer(dict(type='Sigmoid')))
        self.conv_bn_relu_prm_1 = ConvModule(
            out_channels, out_channels, kernel_size=3, stride=1, padding=1,
            norm_cfg=norm_cfg, inplace=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            x (torch.Tensor[N, C, H, W]): Heatmaps.

        Returns:
            torch.Tensor[N, C, H, W]: Refined heatmaps.
        """
        out = self.conv_bn_relu_prm_1(x)
        channel_att = self.middle_path(self.global_pooling(out).flatten(1))
        spatial_att = self.bottom_path(out)
        return out * (1 + channel_att[:, :, None, None] * spatial_att)


class PredictHeatmap(nn.Module):
    """Heatmap predictor of one MSPN/RSN unit: 1x1 conv, 3x3 conv, bilinear
    resize to ``out_shape`` and optional PRM.

    Args:
        unit_channels (int): Channels of the unit feature.
        out_channels (int): Number of keypoints.
        out_shape (tuple): (H, W) of the heatmap.
        use_prm (bool): Whether to use the Pose Refine Machine.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
    """

    def __init__(self, unit_channels: int, out_channels: int,
                 out_shape: Sequence[int], use_prm: bool = False,
                 norm_cfg: dict = dict(type='BN')):
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self.unit_channels = unit_channels
        self.out_channels = out_channels
        self.out_shape = tuple(out_shape)
        self.use_prm = use_prm
        if use_prm:
            self.prm = PRM(out_channels, norm_cfg=norm_cfg)
        self.conv_layers = nn.Sequential(
            ConvModule(unit_channels, unit_channels, kernel_size=1, stride=1,
                       padding=0, norm_cfg=norm_cfg, inplace=False),
            ConvModule(unit_channels, out_channels, kernel_size=3, stride=1,
                       padding=1, norm_cfg=norm_cfg, act_cfg=None,
                       inplace=False))

    def forward(self, feature: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            feature (torch.Tensor[N, C, h, w]): Unit feature.

        Returns:
            torch.Tensor[N, K, H, W]: Heatmaps of size ``out_shape``.
        """
        output = F.interpolate(self.conv_layers(feature), size=self.out_shape,
                               mode='bilinear', align_corners=True)
        return self.prm(output) if self.use_prm else output


@HEADS.register_module()
class TopDownMSMUHead(TopDownHeatmapBaseHead):
    """Multi-stage, multi-unit heatmap head, as used by MSPN (Multi-Stage
    Pose Network) and RSN (Residual Steps Network).

    Args:
        out_shape (tuple): Shape of the output heatmap.
        unit_channels (int): Number of input channels.
        out_channels (int): Number of output channels.
        num_stages (int): Number of stages.
        num_units (int): Number of units in each stage.
        use_prm (bool): Whether to use pose refine machine (PRM).
            Default: False.
        norm_cfg (dict): dictionary to construct and config norm layer.
            Default: dict(type='BN')
        loss_keypoint (dict | list[dict]): Config for keypoint loss (a list
            gives one loss per output, num_stages * num_units in all).
            Default: None.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    loss_required = True  # 0.x built its loss unconditionally

    def __init__(self,
                 out_shape: Sequence[int],
                 unit_channels: int = 256,
                 out_channels: int = 17,
                 num_stages: int = 4,
                 num_units: int = 4,
                 use_prm: bool = False,
                 norm_cfg: dict = dict(type='BN'),
                 loss_keypoint: Optional[Union[dict, List[dict]]] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__(loss_keypoint, train_cfg, test_cfg)
        if len(out_shape) != 2:
            raise ArgumentError(f'out_shape must be (H, W), got {out_shape!r}')
        self.out_shape = tuple(out_shape)
        self.unit_channels = unit_channels
        self.out_channels = out_channels
        self.num_stages = num_stages
        self.num_units = num_units
        # ordered stage by stage, unit by unit
        self.predict_layers = nn.ModuleList([
            PredictHeatmap(unit_channels, out_channels, out_shape, use_prm,
                           norm_cfg=norm_cfg)
            for _ in range(num_stages * num_units)
        ])

    def forward(self, x: List[List[torch.Tensor]]) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (list[list[torch.Tensor[N, C, h, w]]]): num_stages lists of
                num_units features with C = unit_channels.

        Returns:
            out (list[Tensor]): a list of heatmaps from multiple stages
            and units (num_stages * num_units, stage-major).
        """
        sequence = (list, tuple)
        if not isinstance(x, sequence) or not all(
                isinstance(stage, sequence) for stage in x):
            kinds = ([type(stage).__name__ for stage in x]
                     if isinstance(x, sequence) else type(x).__name__)
            raise ArgumentTypeError(
                f'TopDownMSMUHead expects a list of num_stages='
                f'{self.num_stages} lists of features, got {kinds}')
        lengths = [len(stage) for stage in x]
        if lengths != [self.num_units] * self.num_stages:
            raise ArgumentError(
                f'TopDownMSMUHead expects num_stages={self.num_stages} lists '
                f'of num_units={self.num_units} features, got lists of '
                f'lengths {lengths}')
        if x[0][0].shape[1] != self.unit_channels:
            raise ArgumentError(
                f'TopDownMSMUHead: features must have '
                f'unit_channels={self.unit_channels} channels, '
                f'got {x[0][0].shape[1]}')
        features = [feat for stage in x for feat in stage]
        return [
            layer(feat) for layer, feat in zip(self.predict_layers, features)
        ]

    def init_weights(self) -> None:
        """Initialize model weights."""
        for m in self.predict_layers.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_init(m)
            elif isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
                constant_init(m, 1)
            elif isinstance(m, nn.Linear):
                normal_init(m, std=0.01)
