"""Stacked Hourglass Network.

Newell et al., "Stacked Hourglass Networks for Human Pose Estimation",
ECCV 2016 (the CornerNet-style variant built from ResNet BasicBlocks). A
stride-4 stem feeds ``num_stacks`` recursive encoder-decoder modules, joined
by intermediate supervision features.
"""
import copy
from typing import List, Sequence

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.errors import ArgumentError, UnsupportedError

from ..builder import BACKBONES
from .base_backbone import BaseBackbone
from .resnet import BasicBlock, ResLayer

__all__ = ['HourglassModule', 'HourglassNet', 'StackedHourglassBase']


def _res_layer(in_channels: int,
               out_channels: int,
               num_blocks: int,
               norm_cfg: dict,
               stride: int = 1,
               downsample_first: bool = True) -> nn.Sequential:
    """A ResLayer of BasicBlocks."""
    return ResLayer(
        BasicBlock,
        num_blocks,
        in_channels,
        out_channels,
        stride=stride,
        norm_cfg=copy.deepcopy(norm_cfg),
        downsample_first=downsample_first)


class StackedHourglassBase(BaseBackbone):
    """What the stacked hourglass backbones (:class:`HourglassNet`,
    :class:`HourglassAENet`) share: their argument checks and their
    initialisation from scratch."""

    def _check_stack_args(self, num_stacks: int, downsample_times: int,
                          stage_channels: Sequence[int]) -> None:
        """Raise ValueError unless ``num_stacks`` is a positive int and
        ``stage_channels`` has more than ``downsample_times`` entries."""
        name = type(self).__name__
        if not isinstance(num_stacks, int) or num_stacks < 1:
            raise ArgumentError(f'{name}: num_stacks must be a positive int, '
                                f'got {num_stacks!r}')
        if len(stage_channels) <= downsample_times:
            raise ArgumentError(
                f'{name}: stage_channels needs more than '
                f'downsample_times={downsample_times} entries, got '
                f'{tuple(stage_channels)}')

    def _init_from_scratch(self) -> None:
        """N(0, 0.001) convs, unit norm weights."""
        self._init_conv_norm(self.modules(), conv_std=0.001)

    def _next_stack_input(self, ind: int, inter_feat: torch.Tensor,
                          feat: torch.Tensor,
                          out: torch.Tensor) -> torch.Tensor:
        """The input of stack ``ind + 1`` from the input ``inter_feat``, the
        hourglass feature ``feat`` and the output ``out`` of stack
        ``ind``."""
        raise UnsupportedError(
            f'{type(self).__name__} must implement _next_stack_input()')

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (Tensor[N, 3, H, W]): Input images.

        Returns:
            list[Tensor[N, C, H/4, W/4]]: The output of each stack
            (``out_convs[i]`` applied to the feature of hourglass ``i``).
        """
        inter_feat = self.stem(x)
        outs = []
        for ind in range(self.num_stacks):
            feat = self.hourglass_modules[ind](inter_feat)
            outs.append(self.out_convs[ind](feat))
            if ind < self.num_stacks - 1:
                inter_feat = self._next_stack_input(ind, inter_feat, feat,
                                                    outs[-1])
        return outs


class HourglassModule(nn.Module):
    """One hourglass, defined recursively.

    ``out = up1(x) + upsample(low3(low2(low1(x))))`` where ``low1`` halves
    the resolution and ``low2`` is a ``depth - 1`` hourglass (a plain
    residual layer at depth 1).

    Args:
        depth (int): Number of downsamplings inside this module.
        stage_channels (Sequence[int]): Channels at each depth
            (``depth + 1`` entries used).
        stage_blocks (Sequence[int]): Residual blocks at each depth.
        norm_cfg (dict): Config of norm layers.
            Default: dict(type='BN', requires_grad=True).

    Shapes:
        x (Tensor[N, stage_channels[0], H, W]) -> same shape
        (H and W divisible by ``2**depth``).
    """

    def __init__(self,
                 depth: int,
                 stage_channels: Sequence[int],
                 stage_blocks: Sequence[int],
                 norm_cfg: dict = dict(type='BN', requires_grad=True)) -> None:
        super().__init__()
        self.depth = depth
        cur_block, next_block = stage_blocks[0], stage_blocks[1]
        cur_channel, next_channel = stage_channels[0], stage_channels[1]
        self.up1 = _res_layer(cur_channel, cur_channel, cur_block, norm_cfg)
        self.low1 = _res_layer(
            cur_channel, next_channel, cur_block, norm_cfg, stride=2)
        if self.depth > 1:
            self.low2 = HourglassModule(depth - 1, stage_channels[1:],
                                        stage_blocks[1:], norm_cfg)
        else:
            self.low2 = _res_layer(next_channel, next_channel, next_block,
                                   norm_cfg)
        self.low3 = _res_layer(
            next_channel,
            cur_channel,
            cur_block,
            norm_cfg,
            downsample_first=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function."""
        up1 = self.up1(x)
        low3 = self.low3(self.low2(self.low1(x)))
        # nearest x2 upsampling, sized to the skip branch
        return up1 + F.interpolate(low3, size=up1.shape[2:], mode='nearest')


@BACKBONES.register_module()
class HourglassNet(StackedHourglassBase):
    """HourglassNet backbone.

    Args:
        downsample_times (int): Downsamplings in each hourglass. Default: 5.
        num_stacks (int): Number of stacked hourglasses (1 for
            Hourglass-52, 2 for Hourglass-104). Default: 2.
        stage_channels (Sequence[int]): Channels at each depth of an
            hourglass; needs more than ``downsample_times`` entries.
            Default: (256, 256, 384, 384, 384, 512).
        stage_blocks (Sequence[int]): Residual blocks at each depth; same
            length as ``stage_channels``. Default: (2, 2, 2, 2, 2, 4).
        feat_channel (int): Channels of the conv after each hourglass.
            Default: 256.
        norm_cfg (dict): Config of norm layers.
            Default: dict(type='BN', requires_grad=True).

    Shapes:
        x (Tensor[N, 3, H, W]) -> list of ``num_stacks``
        ``Tensor[N, feat_channel, H/4, W/4]`` (H/4 and W/4 divisible by
        ``2**downsample_times``; odd sizes are rounded up by the stem).

    Example:
        >>> from mmpose.models import HourglassNet
        >>> import torch
        >>> self = HourglassNet()
        >>> _ = self.eval()
        >>> outs = self.forward(torch.rand(1, 3, 511, 511))
        >>> [tuple(o.shape) for o in outs]
        [(1, 256, 128, 128), (1, 256, 128, 128)]
    """

    def __init__(self,
                 downsample_times: int = 5,
                 num_stacks: int = 2,
                 stage_channels: Sequence[int] = (256, 256, 384, 384, 384,
                                                  512),
                 stage_blocks: Sequence[int] = (2, 2, 2, 2, 2, 4),
                 feat_channel: int = 256,
                 norm_cfg: dict = dict(type='BN', requires_grad=True)) -> None:
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        if not isinstance(downsample_times, int) or downsample_times < 1:
            raise ArgumentError('HourglassNet: downsample_times must be a '
                                f'positive int, got {downsample_times!r}')
        if len(stage_channels) != len(stage_blocks):
            raise ArgumentError(
                f'HourglassNet: stage_channels {tuple(stage_channels)} and '
                f'stage_blocks {tuple(stage_blocks)} differ in length')
        self._check_stack_args(num_stacks, downsample_times, stage_channels)
        self.num_stacks = num_stacks
        self.downsample_times = downsample_times
        self.stage_channels = tuple(stage_channels)
        self.stage_blocks = tuple(stage_blocks)
        self.feat_channel = feat_channel
        self.norm_cfg = norm_cfg

        cur_channel = stage_channels[0]
        self.stem = nn.Sequential(
            ConvModule(
                3, cur_channel // 2, 7, padding=3, stride=2,
                norm_cfg=norm_cfg),
            _res_layer(cur_channel // 2, cur_channel, 1, norm_cfg, stride=2))
        self.hourglass_modules = nn.ModuleList([
            HourglassModule(downsample_times, stage_channels, stage_blocks,
                            norm_cfg) for _ in range(num_stacks)
        ])
        # The 0.x model always holds at least one intermediate block (its
        # ResLayer built one even for num_stacks=1), so checkpoints have
        # ``inters.0`` whatever the stack count.
        self.inters = _res_layer(cur_channel, cur_channel,
                                 max(num_stacks - 1, 1), norm_cfg)
        self.conv1x1s = nn.ModuleList([
            ConvModule(
                cur_channel, cur_channel, 1, norm_cfg=norm_cfg, act_cfg=None)
            for _ in range(num_stacks - 1)
        ])
        self.out_convs = nn.ModuleList([
            ConvModule(
                cur_channel, feat_channel, 3, padding=1, norm_cfg=norm_cfg)
            for _ in range(num_stacks)
        ])
        self.remap_convs = nn.ModuleList([
            ConvModule(
                feat_channel, cur_channel, 1, norm_cfg=norm_cfg, act_cfg=None)
            for _ in range(num_stacks - 1)
        ])
        self.relu = nn.ReLU(inplace=True)

    def _next_stack_input(self, ind: int, inter_feat: torch.Tensor,
                          feat: torch.Tensor,
                          out: torch.Tensor) -> torch.Tensor:
        merged = self.conv1x1s[ind](inter_feat) + self.remap_convs[ind](out)
        return self.inters[ind](self.relu(merged))
