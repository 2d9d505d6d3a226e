"""SE-ResNeXt backbone.

"Squeeze-and-Excitation Networks", Hu et al., CVPR 2018
(https://arxiv.org/abs/1709.01507) applied to ResNeXt: grouped bottlenecks
whose residual branch is rescaled by an :class:`SELayer`.
"""
from ..builder import BACKBONES
from .resnext import ResNeXt, use_grouped_conv
from .seresnet import SEBottleneck as _SEBottleneck
from .seresnet import SEResNet

__all__ = ['SEBottleneck', 'SEResNeXt']


class SEBottleneck(_SEBottleneck):
    """SEBottleneck block for SEResNeXt (grouped conv2).

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        base_channels (int): Middle channels of the first stage.
            Default: 64.
        groups (int): Groups of conv2. Default: 32.
        width_per_group (int): Width per group of conv2. Default: 4.
        se_ratio (int): Squeeze ratio in SELayer. Default: 16.
        **kwargs: Arguments of :class:`mmpose.models.backbones.resnet.
            Bottleneck`.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 base_channels: int = 64,
                 groups: int = 32,
                 width_per_group: int = 4,
                 se_ratio: int = 16,
                 **kwargs):
        super().__init__(in_channels, out_channels, se_ratio, **kwargs)
        use_grouped_conv(self, base_channels, groups, width_per_group)


@BACKBONES.register_module()
class SEResNeXt(SEResNet):
    """SEResNeXt backbone.

    Please refer to the `paper <https://arxiv.org/abs/1709.01507>`__ for
    details.

    Args:
        depth (int): Network depth, from {50, 101, 152}.
        groups (int): Groups of conv2 in Bottleneck. Default: 32.
        width_per_group (int): Width per group of conv2 in Bottleneck.
            Default: 4.
        **kwargs: Arguments of :class:`SEResNet` (se_ratio) and
            :class:`ResNet` (in_channels, stem_channels, num_stages, strides,
            dilations, out_indices, style, deep_stem, avg_down,
            frozen_stages, conv_cfg, norm_cfg, norm_eval, with_cp,
            zero_init_residual).

    Note:
        Output channels and strides are those of ResNet of the same depth
        (256, 512, 1024, 2048 at strides 4, 8, 16, 32).
    """

    arch_settings = {
        50: (SEBottleneck, (3, 4, 6, 3)),
        101: (SEBottleneck, (3, 4, 23, 3)),
        152: (SEBottleneck, (3, 8, 36, 3))
    }

    def __init__(self,
                 depth: int,
                 groups: int = 32,
                 width_per_group: int = 4,
                 **kwargs):
        self.groups = groups
        self.width_per_group = width_per_group
        super().__init__(depth, **kwargs)

    # grouped layers are made as in ResNeXt
    make_res_layer = ResNeXt.make_res_layer
