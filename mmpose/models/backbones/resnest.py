"""ResNeSt backbone.

"ResNeSt: Split-Attention Networks", Zhang et al., 2020
(https://arxiv.org/abs/2004.08955): a ResNetV1d whose bottleneck 3x3 conv is
a split-attention conv over ``radix`` groups of feature-map splits.
"""
import torch
import torch.nn.functional as F
from mmcv.cnn import build_conv_layer, build_norm_layer
from torch import Tensor, nn

from mmpose.errors import ArgumentError

from ..builder import BACKBONES
from .resnet import Bottleneck as _Bottleneck
from .resnet import ResNetV1d, arch_settings_of
from .resnext import ResNeXt, grouped_width
from .utils import named_norm

__all__ = ['RSoftmax', 'SplitAttentionConv2d', 'Bottleneck', 'ResNeSt']


class RSoftmax(nn.Module):
    """Radix softmax: softmax over the ``radix`` splits of each group
    (sigmoid when ``radix == 1``).

    Args:
        radix (int): Radix of input.
        groups (int): Groups of input.
    """

    def __init__(self, radix: int, groups: int):
        super().__init__()
        self.radix = radix
        self.groups = groups

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor[N, groups * radix * C', 1, 1]): Attention logits, laid
                out as ``[groups, radix, C']`` along the channels.

        Returns:
            Tensor[N, radix * groups * C']: Attention weights laid out as
            ``[radix, groups, C']``.
        """
        batch = x.size(0)
        if self.radix > 1:
            x = x.view(batch, self.groups, self.radix, -1).transpose(1, 2)
            return F.softmax(x, dim=1).reshape(batch, -1)
        return torch.sigmoid(x)


class SplitAttentionConv2d(nn.Module):
    """Split-Attention Conv2d.

    Args:
        in_channels (int): Input channels.
        channels (int): Output channels.
        kernel_size (int | tuple[int]): Size of the convolution kernel.
        stride (int | tuple[int]): Stride of the convolution. Default: 1.
        padding (int | tuple[int]): Zero-padding added to both sides.
            Default: 0.
        dilation (int | tuple[int]): Spacing between kernel elements.
            Default: 1.
        groups (int): Number of blocked connections from input channels to
            output channels. Default: 1.
        radix (int): Radix of the split attention. Default: 2.
        reduction_factor (int): Reduction factor of the attention's hidden
            width, ``max(in_channels * radix // reduction_factor, 32)``.
            Default: 4.
        conv_cfg (dict | None): Config of the split conv. Default: None.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
    """

    norm0 = named_norm(0)
    norm1 = named_norm(1)

    def __init__(self,
                 in_channels: int,
                 channels: int,
                 kernel_size,
                 stride=1,
                 padding=0,
                 dilation=1,
                 groups: int = 1,
                 radix: int = 2,
                 reduction_factor: int = 4,
                 conv_cfg=None,
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        inter_channels = max(in_channels * radix // reduction_factor, 32)
        self.radix = radix
        self.groups = groups
        self.channels = channels
        self.conv = build_conv_layer(
            conv_cfg,
            in_channels,
            channels * radix,
            kernel_size,
            stride=stride,
            padding=padding,
            dilation=dilation,
            groups=groups * radix,
            bias=False)
        self.norm0_name, norm0 = build_norm_layer(
            norm_cfg, channels * radix, postfix=0)
        self.add_module(self.norm0_name, norm0)
        self.relu = nn.ReLU(inplace=True)
        self.fc1 = build_conv_layer(
            None, channels, inter_channels, 1, groups=groups)
        self.norm1_name, norm1 = build_norm_layer(
            norm_cfg, inter_channels, postfix=1)
        self.add_module(self.norm1_name, norm1)
        self.fc2 = build_conv_layer(
            None, inter_channels, channels * radix, 1, groups=groups)
        self.rsoftmax = RSoftmax(radix, groups)

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor[N, in_channels, H, W]): Input features.

        Returns:
            Tensor[N, channels, H', W']: Attention-weighted sum of the
            ``radix`` splits.
        """
        x = self.relu(self.norm0(self.conv(x)))
        batch = x.size(0)
        if self.radix > 1:
            splits = x.view(batch, self.radix, -1, *x.shape[2:])
            gap = splits.sum(dim=1)
        else:
            gap = x
        gap = F.adaptive_avg_pool2d(gap, 1)
        gap = self.relu(self.norm1(self.fc1(gap)))
        atten = self.rsoftmax(self.fc2(gap)).view(batch, -1, 1, 1)
        if self.radix > 1:
            attens = atten.view(batch, self.radix, -1, 1, 1)
            out = (attens * splits).sum(dim=1)
        else:
            out = atten * x
        return out.contiguous()


class Bottleneck(_Bottleneck):
    """Bottleneck block for ResNeSt: conv2 is a
    :class:`SplitAttentionConv2d` (its own norms, so no ``norm2``), and with
    ``avg_down_stride`` the stride moves to an AvgPool after it
    (``avd_layer``).

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        groups (int): Groups of conv2. Default: 1.
        width_per_group (int): Width per group of conv2. Default: 4.
        base_channels (int): Middle channels of the first stage.
            Default: 64.
        radix (int): Radix of SplitAttentionConv2d. Default: 2.
        reduction_factor (int): Reduction factor of SplitAttentionConv2d.
            Default: 4.
        avg_down_stride (bool): Whether to use average pool for stride in
            Bottleneck. Default: True.
        **kwargs: Arguments of :class:`mmpose.models.backbones.resnet.
            Bottleneck`.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 groups: int = 1,
                 width_per_group: int = 4,
                 base_channels: int = 64,
                 radix: int = 2,
                 reduction_factor: int = 4,
                 avg_down_stride: bool = True,
                 **kwargs):
        super().__init__(in_channels, out_channels, **kwargs)
        self.groups = groups
        self.width_per_group = width_per_group
        mid = grouped_width(self.mid_channels, base_channels, groups,
                            width_per_group)
        self.avg_down_stride = avg_down_stride and self.conv2_stride > 1
        # conv1 and conv3 are rebuilt around the grouped width, conv2 becomes
        # a split-attention conv; attribute order follows the 0.x module.
        self._build_layers(mid)
        self.conv2 = SplitAttentionConv2d(
            mid,
            mid,
            kernel_size=3,
            stride=1 if self.avg_down_stride else self.conv2_stride,
            padding=self.dilation,
            dilation=self.dilation,
            groups=groups,
            radix=radix,
            reduction_factor=reduction_factor,
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg)
        delattr(self, self.norm2_name)
        if self.avg_down_stride:
            self.avd_layer = nn.AvgPool2d(3, self.conv2_stride, padding=1)

    def _residual(self, x: Tensor) -> Tensor:
        out = self.relu(self.norm1(self.conv1(x)))
        out = self.conv2(out)
        if self.avg_down_stride:
            out = self.avd_layer(out)
        return self.norm3(self.conv3(out))


@BACKBONES.register_module()
class ResNeSt(ResNetV1d):
    """ResNeSt backbone: a ResNetV1d of split-attention bottlenecks
    (`paper <https://arxiv.org/abs/2004.08955>`__).

    Args:
        depth (int): Network depth, from {50, 101, 152, 200, 269}.
        groups, width_per_group, radix, reduction_factor, avg_down_stride:
            The options of every :class:`Bottleneck`, with its defaults
            (1, 4, 2, 4, True).
        **kwargs: Arguments of :class:`ResNet` except ``deep_stem`` and
            ``avg_down`` (always True, as in :class:`ResNetV1d`).

    Note:
        Output channels and strides are those of ResNet of the same depth
        (256, 512, 1024, 2048 at strides 4, 8, 16, 32).
    """

    block_options = ResNeXt.block_options + ('radix', 'reduction_factor',
                                             'avg_down_stride')
    arch_settings = arch_settings_of(Bottleneck, (50, 101, 152, 200, 269))

    def __init__(self,
                 depth: int,
                 groups: int = 1,
                 width_per_group: int = 4,
                 radix: int = 2,
                 reduction_factor: int = 4,
                 avg_down_stride: bool = True,
                 **kwargs):
        if radix < 1:
            raise ArgumentError(f'radix must be >= 1, but got {radix}')
        self.groups = groups
        self.width_per_group = width_per_group
        self.radix = radix
        self.reduction_factor = reduction_factor
        self.avg_down_stride = avg_down_stride
        super().__init__(depth=depth, **kwargs)
