"""CPM: Convolutional Pose Machines.

Wei et al., "Convolutional Pose Machines", CVPR 2016. A first stage predicts
heatmaps from the image; each later stage refines the previous stage's
heatmaps using shared-resolution image features (stride 8).
"""
import copy
from typing import List, Sequence

import torch
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import BACKBONES
from .base_backbone import BaseBackbone

__all__ = ['CpmBlock', 'CPM']


class CpmBlock(nn.Module):
    """A refinement stage of CPM: a stack of same-padded conv-norm-ReLU.

    Args:
        in_channels (int): Input channels.
        channels (Sequence[int]): Output channels of each conv.
            Default: (128, 128, 128).
        kernels (Sequence[int]): Kernel size of each conv (odd).
            Default: (11, 11, 11).
        norm_cfg (dict | None): Config of norm layers. Default: None.

    Shapes:
        x (Tensor[N, in_channels, H, W]) -> Tensor[N, channels[-1], H, W]
    """

    def __init__(self,
                 in_channels: int,
                 channels: Sequence[int] = (128, 128, 128),
                 kernels: Sequence[int] = (11, 11, 11),
                 norm_cfg: dict = None) -> None:
        super().__init__()
        if len(channels) != len(kernels):
            raise ArgumentError(f'CpmBlock: channels {tuple(channels)} and '
                                f'kernels {tuple(kernels)} differ in length')
        in_chs = [in_channels] + list(channels[:-1])
        self.model = nn.Sequential(*[
            ConvModule(
                in_ch,
                out_ch,
                kernel,
                padding=(kernel - 1) // 2,
                norm_cfg=copy.deepcopy(norm_cfg))
            for in_ch, out_ch, kernel in zip(in_chs, channels, kernels)
        ])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function."""
        return self.model(x)


@BACKBONES.register_module()
class CPM(BaseBackbone):
    """CPM backbone.

    Args:
        in_channels (int): Input channels of the image; must be 3 (RGB).
        out_channels (int): Output (heatmap) channels.
        feat_channels (int): Feature channels of each stage. Default: 128.
        middle_channels (int): Channels of the conv after the shared
            middle feature. Default: 32.
        num_stages (int): Number of stages (>= 1). Default: 6.
        norm_cfg (dict): Config of norm layers.
            Default: dict(type='BN', requires_grad=True).

    Shapes:
        x (Tensor[N, in_channels, H, W]) -> list of ``num_stages``
        ``Tensor[N, out_channels, H/8, W/8]`` (sizes rounded up at each of
        the three stride-2 max-pools).

    Example:
        >>> from mmpose.models import CPM
        >>> import torch
        >>> self = CPM(3, 17)
        >>> _ = self.eval()
        >>> outs = self.forward(torch.rand(1, 3, 368, 368))
        >>> len(outs), tuple(outs[-1].shape)
        (6, (1, 17, 46, 46))
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 feat_channels: int = 128,
                 middle_channels: int = 32,
                 num_stages: int = 6,
                 norm_cfg: dict = dict(type='BN', requires_grad=True)) -> None:
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        for arg, value in (('in_channels', in_channels),
                           ('out_channels', out_channels),
                           ('feat_channels', feat_channels),
                           ('middle_channels', middle_channels),
                           ('num_stages', num_stages)):
            if not isinstance(value, int) or value < 1:
                raise ArgumentError(
                    f'CPM: {arg} must be a positive int, got {value!r}')
        if in_channels != 3:
            raise ArgumentError(
                f'CPM takes RGB images: in_channels must be 3, got '
                f'{in_channels}')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.feat_channels = feat_channels
        self.middle_channels = middle_channels
        self.num_stages = num_stages
        self.norm_cfg = norm_cfg

        def conv(in_ch, out_ch, kernel, **kwargs):
            kwargs.setdefault('norm_cfg', norm_cfg)
            return ConvModule(
                in_ch, out_ch, kernel, padding=(kernel - 1) // 2, **kwargs)

        def pool():
            return nn.MaxPool2d(kernel_size=3, stride=2, padding=1)

        # Stage 1: image -> heatmaps (stride 8).
        self.stem = nn.Sequential(
            conv(in_channels, feat_channels, 9), pool(),
            conv(feat_channels, feat_channels, 9), pool(),
            conv(feat_channels, feat_channels, 9), pool(),
            conv(feat_channels, middle_channels, 5),
            conv(middle_channels, 512, 9), conv(512, 512, 1),
            conv(512, out_channels, 1, norm_cfg=None, act_cfg=None))
        # Image features shared by the refinement stages (stride 8).
        self.middle = nn.Sequential(
            conv(in_channels, feat_channels, 9), pool(),
            conv(feat_channels, feat_channels, 9), pool(),
            conv(feat_channels, feat_channels, 9), pool())
        num_refine = num_stages - 1
        self.cpm_stages = nn.ModuleList([
            CpmBlock(
                middle_channels + out_channels,
                channels=[feat_channels] * 3,
                kernels=[11] * 3,
                norm_cfg=norm_cfg) for _ in range(num_refine)
        ])
        self.middle_conv = nn.ModuleList([
            nn.Sequential(conv(feat_channels, middle_channels, 5))
            for _ in range(num_refine)
        ])
        self.out_convs = nn.ModuleList([
            nn.Sequential(
                conv(feat_channels, feat_channels, 1),
                conv(feat_channels, out_channels, 1, norm_cfg=None,
                     act_cfg=None))
            for _ in range(num_refine)
        ])

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (Tensor[N, in_channels, H, W]): Input images.

        Returns:
            list[Tensor[N, out_channels, H/8, W/8]]: Heatmaps of each stage.
        """
        out_feats = [self.stem(x)]
        middle_out = self.middle(x)
        for stage, middle_conv, out_conv in zip(self.cpm_stages,
                                                self.middle_conv,
                                                self.out_convs):
            inp = torch.cat([out_feats[-1], middle_conv(middle_out)], 1)
            out_feats.append(out_conv(stage(inp)))
        return out_feats

    def _init_from_scratch(self) -> None:
        """N(0, 0.001) convs, unit norm weights."""
        self._init_conv_norm(self.modules(), conv_std=0.001)
