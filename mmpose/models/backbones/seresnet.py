"""SE-ResNet backbone.

"Squeeze-and-Excitation Networks", Hu et al., CVPR 2018
(https://arxiv.org/abs/1709.01507): a ResNet whose bottlenecks rescale their
residual branch channel-wise with an :class:`SELayer`.
"""
from torch import Tensor

from mmpose.errors import ArgumentError, UnknownNameError

from ..builder import BACKBONES
from .resnet import Bottleneck, ResLayer, ResNet
from .utils import SELayer

__all__ = ['SEBottleneck', 'SEResNet']


class SEBottleneck(Bottleneck):
    """Bottleneck with an SE layer on the residual branch (``se_layer``).

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        se_ratio (int): Squeeze ratio in SELayer. Default: 16.
        **kwargs: Arguments of :class:`mmpose.models.backbones.resnet.
            Bottleneck`.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 se_ratio: int = 16,
                 **kwargs):
        super().__init__(in_channels, out_channels, **kwargs)
        self.se_layer = SELayer(out_channels, ratio=se_ratio)

    def _residual(self, x: Tensor) -> Tensor:
        return self.se_layer(super()._residual(x))


def _check_se_ratio(se_ratio: int) -> None:
    """Raise a clear error for a squeeze ratio below 1."""
    if not se_ratio >= 1:
        raise ArgumentError(f'se_ratio must be >= 1, but got {se_ratio}')


@BACKBONES.register_module()
class SEResNet(ResNet):
    """SEResNet backbone.

    Please refer to the `paper <https://arxiv.org/abs/1709.01507>`__ for
    details.

    Args:
        depth (int): Network depth, from {50, 101, 152}.
        se_ratio (int): Squeeze ratio in SELayer. Default: 16.
        **kwargs: Arguments of :class:`ResNet` (in_channels, stem_channels,
            num_stages, strides, dilations, out_indices, style, deep_stem,
            avg_down, frozen_stages, conv_cfg, norm_cfg, norm_eval, with_cp,
            zero_init_residual).

    Note:
        Output channels and strides are those of ResNet of the same depth
        (256, 512, 1024, 2048 at strides 4, 8, 16, 32).

    Example:
        >>> from mmpose.models import SEResNet
        >>> import torch
        >>> self = SEResNet(depth=50, out_indices=(0, 1, 2, 3))
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 224, 224)
        >>> level_outputs = self.forward(inputs)
        >>> for level_out in level_outputs:
        ...     print(tuple(level_out.shape))
        (1, 256, 56, 56)
        (1, 512, 28, 28)
        (1, 1024, 14, 14)
        (1, 2048, 7, 7)
    """

    arch_settings = {
        50: (SEBottleneck, (3, 4, 6, 3)),
        101: (SEBottleneck, (3, 4, 23, 3)),
        152: (SEBottleneck, (3, 8, 36, 3))
    }

    def __init__(self, depth: int, se_ratio: int = 16, **kwargs):
        if depth not in self.arch_settings:
            raise UnknownNameError(
                f'invalid depth {depth} for {type(self).__name__}'
                f', expected one of {sorted(self.arch_settings)}')
        _check_se_ratio(se_ratio)
        self.se_ratio = se_ratio
        super().__init__(depth, **kwargs)

    def make_res_layer(self, **kwargs) -> ResLayer:
        """Make a ResLayer."""
        return ResLayer(se_ratio=self.se_ratio, **kwargs)
