"""MobileNetV2 backbone.

"MobileNetV2: Inverted Residuals and Linear Bottlenecks", Sandler et al.,
CVPR 2018 (https://arxiv.org/abs/1801.04381).
"""
import copy
from typing import List, Optional, Sequence

import torch
from torch import nn

from mmpose.errors import ArgumentError
from mmpose.models.builder import BACKBONES

from .utils import (CheckpointedBlock, StemStagesBackbone, conv_norm_act,
                    make_divisible)

__all__ = ['MobileNetV2', 'InvertedResidual']


class InvertedResidual(CheckpointedBlock):
    """The MobileNetV2 inverted residual block: ``[N, in_channels, H, W]``
    -> ``[N, out_channels, H / stride, W / stride]``.

    Unlike :class:`mmpose.models.backbones.utils.InvertedResidual` (used by
    MobileNetV3), the convolutions live in one ``nn.Sequential`` named
    ``conv`` so that 0.x checkpoints (``layer1.0.conv.0.conv.weight``) load.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the depth-wise conv, 1 or 2.
        expand_ratio (int): The hidden layer has
            ``round(in_channels * expand_ratio)`` channels; with 1 the 1x1
            expand conv is left out.
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        act_cfg (dict): Activation. Default: dict(type='ReLU6').
        with_cp (bool): Use gradient checkpointing. Default: False.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int,
                 expand_ratio: int,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU6'),
                 with_cp: bool = False) -> None:
        super().__init__()
        norm_cfg = copy.deepcopy(norm_cfg)
        act_cfg = copy.deepcopy(act_cfg)
        if stride not in (1, 2):
            raise ArgumentError(f'stride must be 1 or 2, but got {stride}')
        self.stride = stride
        self.with_cp = with_cp
        self.use_res_connect = stride == 1 and in_channels == out_channels
        hidden_dim = int(round(in_channels * expand_ratio))

        cfgs = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        layers = []
        if expand_ratio != 1:
            layers.append(conv_norm_act(in_channels, hidden_dim, 1, **cfgs))
        layers.append(
            conv_norm_act(
                hidden_dim,
                hidden_dim,
                3,
                stride=stride,
                groups=hidden_dim,
                **cfgs))
        layers.append(
            conv_norm_act(hidden_dim, out_channels, 1,
                          **dict(cfgs, act_cfg=None)))
        self.conv = nn.Sequential(*layers)

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv(x)
        return x + out if self.use_res_connect else out


@BACKBONES.register_module()
class MobileNetV2(StemStagesBackbone):
    """MobileNetV2 backbone.

    A stride-2 stem conv (``conv1``), seven stages of inverted residual
    blocks (``layer1`` ... ``layer7``) and a final 1x1 conv (``conv2``).
    ``out_indices`` counts ``layer1`` ... ``layer7`` as 0 ... 6 and
    ``conv2`` as 7; their strides are 2, 4, 8, 16, 16, 32, 32, 32 and with
    ``widen_factor=1`` their channels 16, 24, 32, 64, 96, 160, 320, 1280.

    Args:
        widen_factor (float): Width multiplier, multiply number of channels
            in each layer by this amount. Default: 1.0.
        out_indices (Sequence[int]): Output from which stages (0-7).
            Default: (7, ).
        frozen_stages (int): Freeze ``conv1`` (0) and ``layer1`` ...
            ``layer{frozen_stages}``. Default: -1 (freeze nothing).
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        act_cfg (dict): Activation. Default: dict(type='ReLU6').
        norm_eval (bool): Keep BN layers in eval mode while training.
            Default: False.
        with_cp (bool): Use gradient checkpointing in the blocks.
            Default: False.

    Shape:
        x: ``[N, 3, H, W]`` -> one tensor ``[N, C_i, H / s_i, W / s_i]`` per
        index in ``out_indices`` (a single tensor when there is one).

    Example:
        >>> import torch
        >>> model = MobileNetV2(out_indices=(0, 7)).eval()
        >>> [tuple(o.shape) for o in model(torch.rand(1, 3, 64, 64))]
        [(1, 16, 32, 32), (1, 1280, 2, 2)]
    """

    # expand_ratio, channels, num_blocks, stride of each of layer1..layer7
    arch_settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2],
                     [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                     [6, 320, 1, 1]]

    def __init__(self,
                 widen_factor: float = 1.,
                 out_indices: Sequence[int] = (7, ),
                 frozen_stages: int = -1,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU6'),
                 norm_eval: bool = False,
                 with_cp: bool = False) -> None:
        super().__init__()
        num_stages = len(self.arch_settings)
        self._set_stage_options(out_indices, num_stages + 1, frozen_stages,
                                num_stages, conv_cfg, norm_cfg, norm_eval,
                                with_cp)
        self.widen_factor = widen_factor
        self.act_cfg = copy.deepcopy(act_cfg)

        self.in_channels = make_divisible(32 * widen_factor, 8)
        self._make_stem(self.in_channels, self.act_cfg)

        self.layers: List[str] = []
        for i, (expand_ratio, channels, num_blocks,
                stride) in enumerate(self.arch_settings):
            out_channels = make_divisible(channels * widen_factor, 8)
            layer_name = f'layer{i + 1}'
            self.add_module(
                layer_name,
                self.make_layer(out_channels, num_blocks, stride,
                                expand_ratio))
            self.layers.append(layer_name)

        self.out_channel = (
            int(1280 * widen_factor) if widen_factor > 1.0 else 1280)
        self.conv2 = conv_norm_act(
            self.in_channels,
            self.out_channel,
            1,
            conv_cfg=conv_cfg,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg)
        self.layers.append('conv2')

    def make_layer(self, out_channels: int, num_blocks: int, stride: int,
                   expand_ratio: int) -> nn.Sequential:
        """Build one MobileNetV2 layer from a run of InvertedResidual blocks.

        Args:
            out_channels (int): out_channels of block.
            num_blocks (int): number of blocks.
            stride (int): stride of the first block.
            expand_ratio (int): Expand the number of channels of the hidden
                layer in InvertedResidual by this ratio.
        """
        blocks = []
        for i in range(num_blocks):
            blocks.append(
                InvertedResidual(
                    self.in_channels,
                    out_channels,
                    stride if i == 0 else 1,
                    expand_ratio=expand_ratio,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                    with_cp=self.with_cp))
            self.in_channels = out_channels
        return nn.Sequential(*blocks)
