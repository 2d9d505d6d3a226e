"""ResNeXt backbone.

"Aggregated Residual Transformations for Deep Neural Networks", Xie et al.,
CVPR 2017 (https://arxiv.org/abs/1611.05431): the ResNet bottleneck with a
grouped 3x3 conv whose width is set by ``groups * width_per_group``.
"""
from mmpose.errors import ArgumentError
from ..builder import BACKBONES
from .resnet import Bottleneck as _Bottleneck
from .resnet import ResNet, arch_settings_of

__all__ = ['Bottleneck', 'ResNeXt']


def grouped_width(mid_channels: int, base_channels: int, groups: int,
                  width_per_group: int) -> int:
    """Middle width of a grouped bottleneck.

    ``mid_channels`` (``out_channels // expansion``) is ``base_channels``
    times a power of two in stage i; the grouped width scales
    ``groups * width_per_group`` by the same factor.
    """
    if groups == 1:
        return mid_channels
    if mid_channels % base_channels != 0:
        raise ArgumentError(
            f'mid_channels ({mid_channels}) must be a multiple '
            f'of base_channels ({base_channels})')
    return groups * width_per_group * mid_channels // base_channels


def use_grouped_conv(block: _Bottleneck, base_channels: int, groups: int,
                     width_per_group: int) -> None:
    """Turn a built ResNet bottleneck into a ResNeXt one.

    Records ``groups`` and ``width_per_group`` on ``block`` and, when
    ``groups != 1``, rebuilds its convs around the grouped middle width (see
    :func:`grouped_width`) with a grouped ``conv2``.
    """
    block.groups = groups
    block.width_per_group = width_per_group
    if groups != 1:
        block._build_layers(
            grouped_width(block.mid_channels, base_channels, groups,
                          width_per_group),
            groups=groups)


class Bottleneck(_Bottleneck):
    """Bottleneck block for ResNeXt.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        base_channels (int): Middle channels of the first stage.
            Default: 64.
        groups (int): Groups of conv2. Default: 32.
        width_per_group (int): Width per group of conv2. Default: 4.
        **kwargs: Arguments of :class:`mmpose.models.backbones.resnet.
            Bottleneck` (expansion, stride, dilation, style, ...).

    Note:
        With ``groups == 1`` the middle width is ``out_channels //
        expansion`` as in ResNet; otherwise it is ``groups *
        width_per_group * (out_channels // expansion) // base_channels``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 base_channels: int = 64,
                 groups: int = 32,
                 width_per_group: int = 4,
                 **kwargs):
        super().__init__(in_channels, out_channels, **kwargs)
        use_grouped_conv(self, base_channels, groups, width_per_group)


class GroupedBottlenecksMixin:
    """The ``groups`` and ``width_per_group`` arguments that ResNeXt and
    SEResNeXt add to their ResNet base (put it first among the bases); the
    backbone hands them to every block (see ``ResNet.block_options``)."""

    def __init__(self,
                 depth: int,
                 groups: int = 32,
                 width_per_group: int = 4,
                 **kwargs):
        self.groups = groups
        self.width_per_group = width_per_group
        super().__init__(depth, **kwargs)


@BACKBONES.register_module()
class ResNeXt(GroupedBottlenecksMixin, ResNet):
    """ResNeXt backbone: a ResNet whose bottlenecks have a grouped 3x3 conv
    (`paper <https://arxiv.org/abs/1611.05431>`__).

    Args:
        depth (int): Network depth, from {50, 101, 152}.
        groups (int): Groups of conv2 in Bottleneck. Default: 32.
        width_per_group (int): Width per group of conv2 in Bottleneck.
            Default: 4.
        **kwargs: The other arguments of :class:`ResNet`.

    Note:
        Output channels and strides are those of ResNet of the same depth
        (256, 512, 1024, 2048 at strides 4, 8, 16, 32).

    Example:
        >>> import torch
        >>> model = ResNeXt(depth=50, groups=32, width_per_group=4).eval()
        >>> tuple(model(torch.rand(1, 3, 64, 64)).shape)
        (1, 2048, 2, 2)
    """

    block_options = ('groups', 'width_per_group', 'base_channels')
    arch_settings = arch_settings_of(Bottleneck, (50, 101, 152))
