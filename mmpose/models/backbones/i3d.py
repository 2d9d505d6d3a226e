"""I3D: the two-stream inflated Inception-V1 video backbone.

Carreira and Zisserman, "Quo Vadis, Action Recognition? A New Model and the
Kinetics Dataset", CVPR 2017 (https://arxiv.org/abs/1705.07750). MMPose 0.29
uses it as the per-modality backbone of the MTUT gesture recogniser; the
parameter names follow the kinetics_i3d_pytorch port so its checkpoints load.
"""
from typing import Sequence, Tuple

import torch
from torch import nn

from ..builder import BACKBONES
from .base_backbone import BaseBackbone

__all__ = ['I3D']

Triple = Tuple[int, int, int]


class Conv3dBlock(nn.Module):
    """Conv3d (no bias) -> BatchNorm3d -> ReLU, with the channel counts
    scaled by ``expansion``.

    Args:
        in_channels (int | float): Input channels before scaling.
        out_channels (int): Output channels before scaling.
        expansion (float): Channel multiplier. Default: 1.0.
        kernel_size, stride, padding (tuple[int]): Of the convolution.
    """

    def __init__(self,
                 in_channels: float,
                 out_channels: int,
                 expansion: float = 1.0,
                 kernel_size: Triple = (1, 1, 1),
                 stride: Triple = (1, 1, 1),
                 padding: Triple = (0, 0, 0)):
        super().__init__()
        width = int(out_channels * expansion)
        self.conv3d = nn.Conv3d(
            int(in_channels * expansion),
            width,
            kernel_size,
            stride=stride,
            padding=padding,
            bias=False)
        self.batch3d = nn.BatchNorm3d(width)
        self.activation = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.activation(self.batch3d(self.conv3d(x)))


class Mixed(nn.Module):
    """Inflated Inception block: four parallel branches concatenated on the
    channel axis.

    Args:
        in_channels (int): Input channels (before ``expansion``).
        out_channels (Sequence[int]): Six widths: branch 0 (1x1x1), branch 1
            (1x1x1 reduce, 3x3x3), branch 2 (1x1x1 reduce, 3x3x3), branch 3
            (3x3x3 max-pool, 1x1x1).
        expansion (float): Channel multiplier. Default: 1.0.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: Sequence[int],
                 expansion: float = 1.0):
        super().__init__()
        b0, b1_reduce, b1, b2_reduce, b2, b3 = out_channels

        def unit(cin, cout):
            return Conv3dBlock(cin, cout, expansion)

        def cube(cin, cout):
            return Conv3dBlock(
                cin, cout, expansion, kernel_size=(3, 3, 3), padding=(1, 1, 1))

        self.branch_0 = unit(in_channels, b0)
        self.branch_1 = nn.Sequential(
            unit(in_channels, b1_reduce), cube(b1_reduce, b1))
        self.branch_2 = nn.Sequential(
            unit(in_channels, b2_reduce), cube(b2_reduce, b2))
        self.branch_3 = nn.Sequential(
            nn.MaxPool3d(3, stride=1, padding=1, ceil_mode=True),
            unit(in_channels, b3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        branches = (self.branch_0, self.branch_1, self.branch_2, self.branch_3)
        return torch.cat([branch(x) for branch in branches], dim=1)


# (name, input channels, the six branch widths) of each Inception block.
_MIXED = (
    ('mixed_3b', 192, (64, 96, 128, 16, 32, 32)),
    ('mixed_3c', 256, (128, 128, 192, 32, 96, 64)),
    ('mixed_4b', 480, (192, 96, 208, 16, 48, 64)),
    ('mixed_4c', 512, (160, 112, 224, 24, 64, 64)),
    ('mixed_4d', 512, (128, 128, 256, 24, 64, 64)),
    ('mixed_4e', 512, (112, 144, 288, 32, 64, 64)),
    ('mixed_4f', 528, (256, 160, 320, 32, 128, 128)),
    ('mixed_5b', 832, (256, 160, 320, 32, 128, 128)),
    ('mixed_5c', 832, (384, 192, 384, 48, 128, 128)),
)
# The layers in forward order.
_LAYERS = ('conv3d_1a_7x7', 'maxPool3d_2a_3x3', 'conv3d_2b_1x1',
           'conv3d_2c_3x3', 'maxPool3d_3a_3x3', 'mixed_3b', 'mixed_3c',
           'maxPool3d_4a_3x3', 'mixed_4b', 'mixed_4c', 'mixed_4d',
           'mixed_4e', 'mixed_4f', 'maxPool3d_5a_2x2', 'mixed_5b',
           'mixed_5c')


@BACKBONES.register_module()
class I3D(BaseBackbone):
    """I3D backbone (Inception-V1 inflated to 3D).

    Args:
        in_channels (int): Input channels (3 for RGB, 1 for depth).
            Default: 3.
        expansion (float): Channel multiplier of every layer, rounded to a
            multiple of 1/8; the input keeps ``in_channels``. Default: 1.0.
            (0.29 sized the batch norms by the unscaled widths, which only
            runs with expansion 1; here they match their convs.)

    Note:
        - batch size: N; channels: C; frames: T; height, width: H, W.

    Example:
        ``forward(x[N, C, T, H, W])`` returns features
        ``[N, 1024 * expansion, T', H', W']``, downsampled 8x in time and
        32x in space (floor rounding): T=16, H=W=224 gives
        ``[N, 1024, 2, 7, 7]``; H=W=112 gives ``[N, 1024, 2, 3, 3]``.
    """

    def __init__(self, in_channels: int = 3, expansion: float = 1.0):
        super().__init__()
        expansion = round(8 * expansion) / 8.0
        self.conv3d_1a_7x7 = Conv3dBlock(
            in_channels / expansion,
            64,
            expansion,
            kernel_size=(7, 7, 7),
            stride=(2, 2, 2),
            padding=(2, 3, 3))
        self.maxPool3d_2a_3x3 = nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1))
        self.conv3d_2b_1x1 = Conv3dBlock(64, 64, expansion)
        self.conv3d_2c_3x3 = Conv3dBlock(
            64, 192, expansion, kernel_size=(3, 3, 3), padding=(1, 1, 1))
        self.maxPool3d_3a_3x3 = nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1))
        self.maxPool3d_4a_3x3 = nn.MaxPool3d(3, 2, 1)
        self.maxPool3d_5a_2x2 = nn.MaxPool3d(2, 2, 0)
        for name, cin, widths in _MIXED:
            self.add_module(name, Mixed(cin, widths, expansion))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Features ``[N, C', T', H', W']`` of a clip ``x[N, C, T, H, W]``."""
        for name in _LAYERS:
            x = getattr(self, name)(x)
        return x
