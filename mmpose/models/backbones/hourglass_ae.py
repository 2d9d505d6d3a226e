"""Hourglass network of Associative Embedding.

Newell et al., "Associative Embedding: End-to-End Learning for Joint
Detection and Grouping", NeurIPS 2017. Unlike :class:`HourglassNet`, every
unit is a single 3x3 conv-BN-ReLU, downsampling is max pooling, and each
stack ends in a 1x1 conv predicting the heatmaps and tag maps itself (the
head on top is the identity).
"""
import copy
from typing import Sequence

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import BACKBONES
from .hourglass import StackedHourglassBase

__all__ = ['HourglassAEModule', 'HourglassAENet']


def _conv3x3(in_channels: int, out_channels: int,
             norm_cfg: dict) -> ConvModule:
    """3x3 conv-norm-ReLU keeping the resolution."""
    return ConvModule(
        in_channels, out_channels, 3, padding=1,
        norm_cfg=copy.deepcopy(norm_cfg))


class HourglassAEModule(nn.Module):
    """One hourglass of :class:`HourglassAENet`, defined recursively.

    ``out = up1(x) + upsample2(low3(low2(low1(maxpool2(x)))))`` where
    ``low2`` is a ``depth - 1`` module (a plain conv at depth 1).

    Args:
        depth (int): Number of downsamplings inside this module.
        stage_channels (Sequence[int]): Channels at each depth
            (``depth + 1`` entries used).
        norm_cfg (dict): Config of the norm layers of this level (the
            nested levels use the default BN, as in 0.x).
            Default: dict(type='BN', requires_grad=True).

    Shapes:
        As :class:`HourglassModule`: the output has the input's shape.
    """

    def __init__(self,
                 depth: int,
                 stage_channels: Sequence[int],
                 norm_cfg: dict = dict(type='BN', requires_grad=True)) -> None:
        super().__init__()
        self.depth = depth
        cur_channel, next_channel = stage_channels[0], stage_channels[1]
        self.up1 = _conv3x3(cur_channel, cur_channel, norm_cfg)
        self.low1 = _conv3x3(cur_channel, next_channel, norm_cfg)
        self.low2 = (HourglassAEModule(depth - 1, stage_channels[1:])
                     if depth > 1 else _conv3x3(next_channel, next_channel,
                                                norm_cfg))
        self.low3 = _conv3x3(next_channel, cur_channel, norm_cfg)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function."""
        low = self.low3(self.low2(self.low1(F.max_pool2d(x, 2, 2))))
        return self.up1(x) + F.interpolate(low, scale_factor=2,
                                           mode='nearest')


@BACKBONES.register_module()
class HourglassAENet(StackedHourglassBase):
    """Hourglass-AE network (Associative Embedding).

    Args:
        downsample_times (int): Downsamplings in each hourglass. Default: 4.
        num_stacks (int): Number of stacked hourglasses. Default: 1.
        out_channels (int): Channels predicted after each hourglass
            (heatmaps + tag maps). Default: 34.
        stage_channels (Sequence[int]): Channels at each depth of an
            hourglass; needs more than ``downsample_times`` entries and
            ``stage_channels[0] == feat_channels``.
            Default: (256, 384, 512, 640, 768).
        feat_channels (int): Channels of the stem output and of the convs
            after each hourglass. Default: 256.
        norm_cfg (dict): Config of norm layers.
            Default: dict(type='BN', requires_grad=True).

    Shapes:
        x (Tensor[N, 3, H, W]) -> list of ``num_stacks``
        ``Tensor[N, out_channels, H/4, W/4]`` (H/4, W/4 divisible by
        ``2**downsample_times``).

    Example:
        >>> import torch
        >>> model = HourglassAENet(num_stacks=2).eval()
        >>> [tuple(o.shape) for o in model(torch.rand(1, 3, 256, 256))]
        [(1, 34, 64, 64), (1, 34, 64, 64)]
    """

    def __init__(self,
                 downsample_times: int = 4,
                 num_stacks: int = 1,
                 out_channels: int = 34,
                 stage_channels: Sequence[int] = (256, 384, 512, 640, 768),
                 feat_channels: int = 256,
                 norm_cfg: dict = dict(type='BN', requires_grad=True)) -> None:
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self._check_stack_args(num_stacks, downsample_times, stage_channels)
        if stage_channels[0] != feat_channels:
            raise ArgumentError(
                f'HourglassAENet: stage_channels[0] ({stage_channels[0]}) '
                f'must equal feat_channels ({feat_channels})')
        self.num_stacks = num_stacks
        self.stem = nn.Sequential(
            ConvModule(3, 64, 7, padding=3, stride=2, norm_cfg=norm_cfg),
            _conv3x3(64, 128, norm_cfg), nn.MaxPool2d(2, 2),
            _conv3x3(128, 128, norm_cfg),
            _conv3x3(128, feat_channels, norm_cfg))
        self.hourglass_modules = nn.ModuleList([
            nn.Sequential(
                HourglassAEModule(downsample_times, stage_channels,
                                  norm_cfg),
                _conv3x3(feat_channels, feat_channels, norm_cfg),
                _conv3x3(feat_channels, feat_channels, norm_cfg))
            for _ in range(num_stacks)
        ])
        self.out_convs = nn.ModuleList([
            ConvModule(
                feat_channels, out_channels, 1, norm_cfg=None, act_cfg=None)
            for _ in range(num_stacks)
        ])
        # the input of stack i + 1: its input plus remapped output and
        # feature of stack i
        self.remap_out_convs = nn.ModuleList([
            ConvModule(
                out_channels, feat_channels, 1, norm_cfg=norm_cfg,
                act_cfg=None) for _ in range(num_stacks - 1)
        ])
        self.remap_feature_convs = nn.ModuleList([
            ConvModule(
                feat_channels, feat_channels, 1, norm_cfg=norm_cfg,
                act_cfg=None) for _ in range(num_stacks - 1)
        ])

    def _next_stack_input(self, ind: int, inter_feat: torch.Tensor,
                          feat: torch.Tensor,
                          out: torch.Tensor) -> torch.Tensor:
        return (inter_feat + self.remap_out_convs[ind](out) +
                self.remap_feature_convs[ind](feat))
