"""SE-ResNeXt backbone.

"Squeeze-and-Excitation Networks", Hu et al., CVPR 2018
(https://arxiv.org/abs/1709.01507) applied to ResNeXt: grouped bottlenecks
whose residual branch is rescaled by an :class:`SELayer`.
"""
from ..builder import BACKBONES
from .resnet import arch_settings_of
from .resnext import Bottleneck as _ResNeXtBottleneck
from .resnext import GroupedBottlenecksMixin, ResNeXt
from .seresnet import SEBottleneck as _SEBottleneck
from .seresnet import SEResNet

__all__ = ['SEBottleneck', 'SEResNeXt']


class SEBottleneck(_ResNeXtBottleneck, _SEBottleneck):
    """SEBottleneck block for SEResNeXt: the grouped conv2 of the ResNeXt
    bottleneck and the SE layer of the SE-ResNet one.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        base_channels, groups, width_per_group: As in the ResNeXt
            :class:`~mmpose.models.backbones.resnext.Bottleneck`.
        se_ratio (int): Squeeze ratio in SELayer (keyword only).
            Default: 16.
        **kwargs: Arguments of :class:`mmpose.models.backbones.resnet.
            Bottleneck`.
    """


@BACKBONES.register_module()
class SEResNeXt(GroupedBottlenecksMixin, SEResNet):
    """SEResNeXt backbone: the grouped bottlenecks of ResNeXt with the SE
    layers of SEResNet.

    Args:
        depth (int): Network depth, from {50, 101, 152}.
        groups (int): Groups of conv2 in Bottleneck. Default: 32.
        width_per_group (int): Width per group of conv2 in Bottleneck.
            Default: 4.
        **kwargs: The other arguments of :class:`SEResNet` (``se_ratio``)
            and :class:`ResNet`.

    Note:
        Output channels and strides are those of ResNet of the same depth
        (256, 512, 1024, 2048 at strides 4, 8, 16, 32).
    """

    block_options = SEResNet.block_options + ResNeXt.block_options
    arch_settings = arch_settings_of(SEBottleneck, (50, 101, 152))
