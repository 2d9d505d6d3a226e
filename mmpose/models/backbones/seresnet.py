"""SE-ResNet backbone.

"Squeeze-and-Excitation Networks", Hu et al., CVPR 2018
(https://arxiv.org/abs/1709.01507): a ResNet whose bottlenecks rescale their
residual branch channel-wise with an :class:`SELayer`.
"""
from torch import Tensor

from mmpose.errors import ArgumentError

from ..builder import BACKBONES
from .resnet import Bottleneck, ResNet, arch_settings_of
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
    """SEResNet backbone: a ResNet whose bottlenecks end in an SE layer
    (`paper <https://arxiv.org/abs/1709.01507>`__).

    Args:
        depth (int): Network depth, from {50, 101, 152}.
        se_ratio (int): Squeeze ratio in SELayer. Default: 16.
        **kwargs: The other arguments of :class:`ResNet`.

    Note:
        Output channels and strides are those of ResNet of the same depth
        (256, 512, 1024, 2048 at strides 4, 8, 16, 32).

    Example:
        >>> import torch
        >>> model = SEResNet(depth=50, se_ratio=16, out_indices=(0, 3))
        >>> [tuple(o.shape) for o in model.eval()(torch.rand(1, 3, 64, 64))]
        [(1, 256, 16, 16), (1, 2048, 2, 2)]
    """

    block_options = ('se_ratio', )
    arch_settings = arch_settings_of(SEBottleneck, (50, 101, 152))

    def __init__(self, depth: int, se_ratio: int = 16, **kwargs):
        _check_se_ratio(se_ratio)
        self.se_ratio = se_ratio
        super().__init__(depth, **kwargs)
