"""V2V-PoseNet: a 3D convolutional encoder-decoder on voxel volumes.

Moon et al., "V2V-PoseNet: Voxel-to-Voxel Prediction Network for Accurate 3D
Hand and Human Pose Estimation from a Single Depth Map", CVPR 2018
(https://arxiv.org/abs/1711.07399); used by VoxelPose for its center and
pose networks.
"""
import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import nn

from ..builder import BACKBONES
from .base_backbone import BaseBackbone

__all__ = ['V2VNet']

_CONV3D = dict(type='Conv3d')
_BN3D = dict(type='BN3d')


def _conv3d(in_channels: int, out_channels: int, kernel_size: int,
            with_act: bool = True) -> ConvModule:
    """Same-size 3D convolution with bias, BN3d and (optionally) ReLU."""
    return ConvModule(
        in_channels,
        out_channels,
        kernel_size,
        padding=(kernel_size - 1) // 2,
        bias=True,
        conv_cfg=_CONV3D,
        norm_cfg=_BN3D,
        act_cfg=dict(type='ReLU') if with_act else None)


class Basic3DBlock(nn.Module):
    """Conv3d-BN3d-ReLU keeping the volume size.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int): Odd kernel size.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 kernel_size: int):
        super().__init__()
        self.block = _conv3d(in_channels, out_channels, kernel_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block(x)


class Res3DBlock(nn.Module):
    """Two 3D convolutions plus a shortcut (identity, or a 1x1x1 conv when
    the channels change), then ReLU.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int): Odd kernel size of the residual branch.
            Default: 3.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 kernel_size: int = 3):
        super().__init__()
        self.res_branch = nn.Sequential(
            _conv3d(in_channels, out_channels, kernel_size),
            _conv3d(out_channels, out_channels, kernel_size, with_act=False))
        self.skip_con = (
            nn.Identity() if in_channels == out_channels else _conv3d(
                in_channels, out_channels, 1, with_act=False))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.res_branch(x) + self.skip_con(x))


class Upsample3DBlock(nn.Module):
    """Transposed Conv3d doubling the volume size, then BN3d and ReLU.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
    """

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.block = nn.Sequential(
            nn.ConvTranspose3d(in_channels, out_channels, 2, stride=2),
            nn.BatchNorm3d(out_channels), nn.ReLU(inplace=True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block(x)


class EncoderDecorder(nn.Module):
    """Two-level hourglass: max-pool/residual down twice, residual in the
    middle, transposed-conv up twice with residual skips.

    The side of the input volume must be divisible by 4.

    Args:
        in_channels (int): Channels C at full resolution (2C and 4C below).
            Default: 32.
    """

    def __init__(self, in_channels: int = 32):
        super().__init__()
        c = in_channels
        self.encoder_res1 = Res3DBlock(c, 2 * c)
        self.encoder_res2 = Res3DBlock(2 * c, 4 * c)
        self.mid_res = Res3DBlock(4 * c, 4 * c)
        self.decoder_res2 = Res3DBlock(4 * c, 4 * c)
        self.decoder_upsample2 = Upsample3DBlock(4 * c, 2 * c)
        self.decoder_res1 = Res3DBlock(2 * c, 2 * c)
        self.decoder_upsample1 = Upsample3DBlock(2 * c, c)
        self.skip_res1 = Res3DBlock(c, c)
        self.skip_res2 = Res3DBlock(2 * c, 2 * c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skip1 = self.skip_res1(x)
        x = self.encoder_res1(F.max_pool3d(x, 2))
        skip2 = self.skip_res2(x)
        x = self.encoder_res2(F.max_pool3d(x, 2))
        x = self.decoder_res2(self.mid_res(x))
        x = self.decoder_upsample2(x) + skip2
        return self.decoder_upsample1(self.decoder_res1(x)) + skip1


@BACKBONES.register_module()
class V2VNet(BaseBackbone):
    """V2VNet: volume in, volume of the same size out.

    Note:
        - batch size: N
        - volume size: D x H x W (each divisible by 4)

    Args:
        input_channels (int): Channels of the input volume.
        output_channels (int): Channels of the output volume.
        mid_channels (int): Channels of the encoder-decoder. Default: 32.

    Shapes:
        ``forward``: torch.Tensor[N, input_channels, D, H, W] ->
        torch.Tensor[N, output_channels, D, H, W].
    """

    def __init__(self,
                 input_channels: int,
                 output_channels: int,
                 mid_channels: int = 32):
        super().__init__()
        self.front_layers = nn.Sequential(
            Basic3DBlock(input_channels, mid_channels // 2, 7),
            Res3DBlock(mid_channels // 2, mid_channels))
        self.encoder_decoder = EncoderDecorder(mid_channels)
        self.output_layer = nn.Conv3d(mid_channels, output_channels, 1)
        self._init_from_scratch()

    def _init_from_scratch(self) -> None:
        """(Transposed) 3D convolutions: N(0, 0.001) weights, zero bias."""
        for m in self.modules():
            if isinstance(m, (nn.Conv3d, nn.ConvTranspose3d)):
                nn.init.normal_(m.weight, 0, 0.001)
                nn.init.constant_(m.bias, 0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output_layer(self.encoder_decoder(self.front_layers(x)))
