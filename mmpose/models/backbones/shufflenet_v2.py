"""ShuffleNetV2 backbone.

"ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture
Design", Ma et al., ECCV 2018 (https://arxiv.org/abs/1807.11164).
"""
import copy
from functools import partial
from typing import Optional, Sequence

import torch
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.errors import ArgumentError
from mmpose.models.builder import BACKBONES

from .shufflenet_v1 import init_shufflenet_weights
from .utils import (CheckpointedBlock, StemStagesBackbone, channel_shuffle,
                    conv_norm_act)

__all__ = ['ShuffleNetV2', 'InvertedResidual']


class InvertedResidual(CheckpointedBlock):
    """The ShuffleNetV2 unit: ``[N, in_channels, H, W]`` ->
    ``[N, out_channels, H / stride, W / stride]``.

    With stride 1 half of the channels pass through unchanged and the other
    half go through ``branch2``; with stride 2 the whole input goes through
    both ``branch1`` and ``branch2``. The halves are concatenated and
    shuffled.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (even).
        stride (int): Stride of the depth-wise convs. Default: 1.
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        act_cfg (dict): Activation. Default: dict(type='ReLU').
        with_cp (bool): Use gradient checkpointing. Default: False.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 with_cp: bool = False) -> None:
        super().__init__()
        norm_cfg = copy.deepcopy(norm_cfg)
        act_cfg = copy.deepcopy(act_cfg)
        self.stride = stride
        self.with_cp = with_cp
        branch_features = out_channels // 2
        if stride == 1 and in_channels != branch_features * 2:
            raise ArgumentError(
                'with stride 1, in_channels must equal out_channels // 2 * 2 '
                f'({branch_features * 2}), but got {in_channels}')

        conv = partial(conv_norm_act, conv_cfg=conv_cfg, norm_cfg=norm_cfg)

        def depthwise(channels: int) -> ConvModule:
            # 3x3 depth-wise conv + norm, without activation
            return conv(channels, channels, 3, stride=stride, groups=channels)

        def pointwise(channels: int) -> ConvModule:
            # 1x1 conv + norm + activation to branch_features channels
            return conv(channels, branch_features, 1, act_cfg=act_cfg)

        if stride > 1:
            self.branch1 = nn.Sequential(
                depthwise(in_channels), pointwise(in_channels))
        self.branch2 = nn.Sequential(
            pointwise(in_channels if stride > 1 else branch_features),
            depthwise(branch_features), pointwise(branch_features))

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride > 1:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        else:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        return channel_shuffle(out, 2)


@BACKBONES.register_module()
class ShuffleNetV2(StemStagesBackbone):
    """ShuffleNetV2 backbone.

    A stride-2 stem conv (``conv1``), a 3x3/2 max pool, three stages of 4,
    8 and 4 units (``layers[0..2]``, strides 8, 16, 32) and a 1x1 conv
    (``layers[3]``, stride 32). The channels of the four outputs are
    (48, 96, 192, 1024), (116, 232, 464, 1024), (176, 352, 704, 1024) or
    (244, 488, 976, 2048) for ``widen_factor`` 0.5, 1.0, 1.5 or 2.0.

    Args:
        widen_factor (float): Width multiplier, one of 0.5, 1.0, 1.5, 2.0.
            Default: 1.0.
        out_indices (Sequence[int]): Output from which stages (0-3).
            Default: (3, ).
        frozen_stages (int): Freeze ``conv1`` (0) and the first
            ``frozen_stages`` stages. Default: -1 (freeze nothing).
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        act_cfg (dict): Activation. Default: dict(type='ReLU').
        norm_eval (bool): Keep BN layers in eval mode while training.
            Default: False.
        with_cp (bool): Use gradient checkpointing in the units.
            Default: False.

    Shape:
        x: ``[N, 3, H, W]`` -> one tensor per index in ``out_indices`` (a
        single tensor when there is one).

    Example:
        >>> import torch
        >>> model = ShuffleNetV2(widen_factor=0.5).eval()
        >>> tuple(model(torch.rand(1, 3, 64, 64)).shape)
        (1, 1024, 2, 2)
    """

    stage_blocks = [4, 8, 4]
    widen_channels = {
        0.5: (48, 96, 192, 1024),
        1.0: (116, 232, 464, 1024),
        1.5: (176, 352, 704, 1024),
        2.0: (244, 488, 976, 2048),
    }

    def __init__(self,
                 widen_factor: float = 1.0,
                 out_indices: Sequence[int] = (3, ),
                 frozen_stages: int = -1,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 norm_eval: bool = False,
                 with_cp: bool = False) -> None:
        super().__init__()
        num_stages = len(self.stage_blocks)
        if widen_factor not in self.widen_channels:
            raise ArgumentError(
                'widen_factor must be one of '
                f'{sorted(self.widen_channels)}, but got {widen_factor}')
        self._set_stage_options(out_indices, num_stages + 1, frozen_stages,
                                num_stages, conv_cfg, norm_cfg, norm_eval,
                                with_cp)
        self.widen_factor = widen_factor
        self.act_cfg = copy.deepcopy(act_cfg)

        channels = self.widen_channels[widen_factor]
        self.in_channels = 24
        self._make_stem(self.in_channels, self.act_cfg, with_maxpool=True)
        self.layers = nn.ModuleList([
            self._make_layer(channels[i], num_blocks)
            for i, num_blocks in enumerate(self.stage_blocks)
        ])
        self.layers.append(
            conv_norm_act(
                self.in_channels,
                channels[-1],
                1,
                conv_cfg=conv_cfg,
                norm_cfg=self.norm_cfg,
                act_cfg=self.act_cfg))

    def _make_layer(self, out_channels: int,
                    num_blocks: int) -> nn.Sequential:
        """Stack ``num_blocks`` units; the first one has stride 2."""
        units = []
        for i in range(num_blocks):
            units.append(
                InvertedResidual(
                    in_channels=self.in_channels,
                    out_channels=out_channels,
                    stride=2 if i == 0 else 1,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                    with_cp=self.with_cp))
            self.in_channels = out_channels
        return nn.Sequential(*units)

    def _init_from_scratch(self) -> None:
        init_shufflenet_weights(self)
