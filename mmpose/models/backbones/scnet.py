"""SCNet backbone.

"Improving Convolutional Networks with Self-Calibrated Convolutions", Liu et
al., CVPR 2020 (http://mftp.mmcheng.net/Papers/20cvprSCNet.pdf): a ResNet
whose bottleneck splits into a plain 3x3 branch and a self-calibrated branch
that gates its features with a down-sampled context.
"""
import copy
from typing import Optional

import torch
import torch.nn.functional as F
from mmcv.cnn import build_conv_layer, build_norm_layer
from torch import Tensor, nn

from mmpose.errors import ArgumentError

from ..builder import BACKBONES
from .resnet import Bottleneck, ResNet, arch_settings_of

__all__ = ['SCConv', 'SCBottleneck', 'SCNet']


class SCConv(nn.Module):
    """Self-calibrated convolution.

    ``k4(k3(x) * sigmoid(x + up(k2(x))))``: ``k2`` sees ``x`` average-pooled
    by ``pooling_r``, its upsampled output calibrates ``k3``; ``k4`` applies
    the stride.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels, equal to ``in_channels``.
        stride (int): Stride of the ``k4`` conv.
        pooling_r (int): Down-sampling rate of the calibration branch.
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers.
            Default: ``dict(type='BN', momentum=0.1)``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int,
                 pooling_r: int,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN', momentum=0.1)):
        super().__init__()
        if in_channels != out_channels:
            raise ArgumentError(
                f'SCConv needs in_channels == out_channels, got '
                f'{in_channels} and {out_channels}')
        norm_cfg = copy.deepcopy(norm_cfg)

        def conv3x3(conv_stride: int) -> nn.Module:
            return build_conv_layer(
                conv_cfg,
                in_channels,
                in_channels,
                kernel_size=3,
                stride=conv_stride,
                padding=1,
                bias=False)

        self.k2 = nn.Sequential(
            nn.AvgPool2d(kernel_size=pooling_r, stride=pooling_r),
            conv3x3(1),
            build_norm_layer(norm_cfg, in_channels)[1])
        self.k3 = nn.Sequential(
            conv3x3(1),
            build_norm_layer(norm_cfg, in_channels)[1])
        self.k4 = nn.Sequential(
            conv3x3(stride),
            build_norm_layer(norm_cfg, out_channels)[1],
            nn.ReLU(inplace=True))

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor[N, C, H, W]): Input features.

        Returns:
            Tensor[N, C, H / stride, W / stride]: Calibrated features.
        """
        context = F.interpolate(self.k2(x), x.shape[2:])
        gate = torch.sigmoid(x + context)
        return self.k4(self.k3(x) * gate)


class SCBottleneck(Bottleneck):
    """SC Bottleneck block: half the middle width goes through a plain 3x3
    branch (``conv1``, ``k1``), half through :class:`SCConv` (``conv2``,
    ``scconv``); ``conv3`` fuses their concatenation.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        **kwargs: Arguments of :class:`mmpose.models.backbones.resnet.
            Bottleneck` (expansion, stride, dilation, downsample, style,
            with_cp, conv_cfg, norm_cfg).
    """

    #: Down-sampling rate of the self-calibration branch.
    pooling_r = 4

    def __init__(self, in_channels: int, out_channels: int, **kwargs):
        super().__init__(in_channels, out_channels, **kwargs)
        self.mid_channels = out_channels // self.expansion // 2
        mid = self.mid_channels

        self.norm1_name, norm1 = build_norm_layer(
            self.norm_cfg, mid, postfix=1)
        self.norm2_name, norm2 = build_norm_layer(
            self.norm_cfg, mid, postfix=2)
        self.norm3_name, norm3 = build_norm_layer(
            self.norm_cfg, out_channels, postfix=3)

        self.conv1 = build_conv_layer(
            self.conv_cfg, in_channels, mid, kernel_size=1, bias=False)
        self.add_module(self.norm1_name, norm1)
        self.k1 = nn.Sequential(
            build_conv_layer(
                self.conv_cfg,
                mid,
                mid,
                kernel_size=3,
                stride=self.stride,
                padding=1,
                bias=False),
            build_norm_layer(self.norm_cfg, mid)[1],
            nn.ReLU(inplace=True))

        self.conv2 = build_conv_layer(
            self.conv_cfg, in_channels, mid, kernel_size=1, bias=False)
        self.add_module(self.norm2_name, norm2)
        self.scconv = SCConv(mid, mid, self.stride, self.pooling_r,
                             self.conv_cfg, self.norm_cfg)

        self.conv3 = build_conv_layer(
            self.conv_cfg, mid * 2, out_channels, kernel_size=1, bias=False)
        self.add_module(self.norm3_name, norm3)

    def _residual(self, x: Tensor) -> Tensor:
        out_a = self.k1(self.relu(self.norm1(self.conv1(x))))
        out_b = self.scconv(self.relu(self.norm2(self.conv2(x))))
        out = self.conv3(torch.cat([out_a, out_b], dim=1))
        return self.norm3(out)


@BACKBONES.register_module()
class SCNet(ResNet):
    """SCNet backbone.

    Paper: Liu, Hou, Cheng, Wang and Feng (CVPR 2020), "Improving
    Convolutional Networks with Self-Calibrated Convolutions";
    http://mftp.mmcheng.net/Papers/20cvprSCNet.pdf

    Args:
        depth (int): Depth of scnet, from {50, 101}.
        **kwargs: The other arguments of :class:`ResNet`.

    Note:
        Output channels and strides are those of ResNet of the same depth
        (256, 512, 1024, 2048 at strides 4, 8, 16, 32).

    Example:
        >>> import torch
        >>> model = SCNet(depth=50, out_indices=(1, 2)).eval()
        >>> [tuple(o.shape) for o in model(torch.rand(1, 3, 128, 128))]
        [(1, 512, 16, 16), (1, 1024, 8, 8)]
    """

    arch_settings = arch_settings_of(SCBottleneck, (50, 101))

    def __init__(self, depth: int, **kwargs):
        super().__init__(depth, **kwargs)
