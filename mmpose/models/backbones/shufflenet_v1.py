"""ShuffleNetV1 backbone.

"ShuffleNet: An Extremely Efficient Convolutional Neural Network for Mobile
Devices", Zhang et al., CVPR 2018 (https://arxiv.org/abs/1707.01083).
"""
import copy
from typing import Optional, Sequence

import torch
from mmcv.cnn import build_activation_layer, constant_init, normal_init
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.errors import ArgumentError, UnknownNameError
from mmpose.models.builder import BACKBONES

from .utils import (CheckpointedBlock, StemStagesBackbone, channel_shuffle,
                    conv_norm_act, make_divisible)

__all__ = ['ShuffleNetV1', 'ShuffleUnit', 'init_shufflenet_weights']


def init_shufflenet_weights(model: nn.Module) -> None:
    """The ShuffleNet (V1 and V2) initialisation from scratch.

    Convs get normal weights with std 0.01 in the stem (``conv1``) and
    ``1 / in_channels_per_group`` elsewhere; norm layers get weight 1 and
    bias 1e-4, and BN running means 0.
    """
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            std = 0.01 if 'conv1' in name else 1.0 / m.weight.shape[1]
            normal_init(m, mean=0, std=std)
        elif isinstance(m, (_BatchNorm, nn.GroupNorm)):
            constant_init(m, val=1, bias=0.0001)
            if isinstance(m, _BatchNorm) and m.running_mean is not None:
                nn.init.constant_(m.running_mean, 0)


class ShuffleUnit(CheckpointedBlock):
    """ShuffleUnit: grouped 1x1 conv, channel shuffle, depth-wise 3x3 conv,
    grouped 1x1 conv, combined with the shortcut.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (including the concatenated
            shortcut with ``combine='concat'``).
        groups (int): Groups of the 1x1 convolutions. Default: 3.
        first_block (bool): The first unit of the network, whose first 1x1
            conv is not grouped. Default: True.
        combine (str): ``'add'`` (stride 1, ``in_channels ==
            out_channels``) or ``'concat'`` (stride 2, the 3x3/2 average
            pooled input is concatenated). Default: 'add'.
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        act_cfg (dict): Activation. Default: dict(type='ReLU').
        with_cp (bool): Use gradient checkpointing. Default: False.

    Shape:
        x: ``[N, in_channels, H, W]`` -> ``[N, out_channels, H, W]``
        (``'add'``) or ``[N, out_channels, H / 2, W / 2]`` (``'concat'``).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 groups: int = 3,
                 first_block: bool = True,
                 combine: str = 'add',
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 with_cp: bool = False) -> None:
        super().__init__()
        norm_cfg = copy.deepcopy(norm_cfg)
        act_cfg = copy.deepcopy(act_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.first_block = first_block
        self.combine = combine
        self.groups = groups
        self.bottleneck_channels = self.out_channels // 4
        self.with_cp = with_cp

        if combine == 'add':
            self.depthwise_stride = 1
            if in_channels != out_channels:
                raise ArgumentError(
                    'in_channels must equal out_channels when combine is '
                    f'"add", but got {in_channels} and {out_channels}')
        elif combine == 'concat':
            self.depthwise_stride = 2
            # the shortcut provides in_channels of the output
            self.out_channels -= self.in_channels
            self.avgpool = nn.AvgPool2d(kernel_size=3, stride=2, padding=1)
        else:
            raise UnknownNameError(
                f'Cannot combine tensors with {combine!r}; only '
                '"add" and "concat" are supported')

        self.first_1x1_groups = 1 if first_block else self.groups
        cfgs = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg)
        self.g_conv_1x1_compress = conv_norm_act(
            self.in_channels,
            self.bottleneck_channels,
            1,
            groups=self.first_1x1_groups,
            act_cfg=act_cfg,
            **cfgs)
        self.depthwise_conv3x3_bn = conv_norm_act(
            self.bottleneck_channels,
            self.bottleneck_channels,
            3,
            stride=self.depthwise_stride,
            groups=self.bottleneck_channels,
            **cfgs)
        self.g_conv_1x1_expand = conv_norm_act(
            self.bottleneck_channels,
            self.out_channels,
            1,
            groups=self.groups,
            **cfgs)
        self.act = build_activation_layer(act_cfg)

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.g_conv_1x1_compress(x)
        out = self.depthwise_conv3x3_bn(out)
        if self.groups > 1:
            out = channel_shuffle(out, self.groups)
        out = self.g_conv_1x1_expand(out)
        if self.combine == 'concat':
            return torch.cat((self.avgpool(x), self.act(out)), dim=1)
        return self.act(x + out)


@BACKBONES.register_module()
class ShuffleNetV1(StemStagesBackbone):
    """ShuffleNetV1 backbone.

    A stride-2 stem conv (``conv1``), a 3x3/2 max pool and three stages of
    4, 8 and 4 ShuffleUnits (``layers[0..2]``) with strides 8, 16, 32.
    With ``widen_factor=1`` the stage channels are (144, 288, 576),
    (200, 400, 800), (240, 480, 960), (272, 544, 1088) or
    (384, 768, 1536) for 1, 2, 3, 4 or 8 groups.

    Args:
        groups (int): Groups of the 1x1 convolutions in each ShuffleUnit,
            one of 1, 2, 3, 4, 8. Default: 3.
        widen_factor (float): Width multiplier of every layer. Default: 1.0.
        out_indices (Sequence[int]): Output from which stages (0-2).
            Default: (2, ).
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
        >>> model = ShuffleNetV1(out_indices=(0, 1, 2)).eval()
        >>> [tuple(o.shape) for o in model(torch.rand(1, 3, 64, 64))]
        [(1, 240, 8, 8), (1, 480, 4, 4), (1, 960, 2, 2)]
    """

    stage_blocks = [4, 8, 4]
    group_channels = {
        1: (144, 288, 576),
        2: (200, 400, 800),
        3: (240, 480, 960),
        4: (272, 544, 1088),
        8: (384, 768, 1536),
    }

    def __init__(self,
                 groups: int = 3,
                 widen_factor: float = 1.0,
                 out_indices: Sequence[int] = (2, ),
                 frozen_stages: int = -1,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 norm_eval: bool = False,
                 with_cp: bool = False) -> None:
        super().__init__()
        num_stages = len(self.stage_blocks)
        if groups not in self.group_channels:
            raise ArgumentError(
                f'{groups} groups is not supported for 1x1 grouped '
                f'convolutions; valid ones are {sorted(self.group_channels)}')
        self._set_stage_options(out_indices, num_stages, frozen_stages,
                                num_stages, conv_cfg, norm_cfg, norm_eval,
                                with_cp)
        self.groups = groups
        self.widen_factor = widen_factor
        self.act_cfg = copy.deepcopy(act_cfg)

        channels = [
            make_divisible(ch * widen_factor, 8)
            for ch in self.group_channels[groups]
        ]
        self.in_channels = int(24 * widen_factor)
        self._make_stem(self.in_channels, self.act_cfg, with_maxpool=True)
        self.layers = nn.ModuleList([
            self.make_layer(channels[i], num_blocks, first_block=(i == 0))
            for i, num_blocks in enumerate(self.stage_blocks)
        ])

    def make_layer(self,
                   out_channels: int,
                   num_blocks: int,
                   first_block: bool = False) -> nn.Sequential:
        """Stack ShuffleUnit blocks to make a layer.

        Args:
            out_channels (int): out_channels of the block.
            num_blocks (int): Number of blocks.
            first_block (bool): Whether this is the first stage of the
                network, whose first unit uses an ungrouped 1x1 conv.
                Default: False.
        """
        units = []
        for i in range(num_blocks):
            units.append(
                ShuffleUnit(
                    self.in_channels,
                    out_channels,
                    groups=self.groups,
                    first_block=first_block and i == 0,
                    combine='concat' if i == 0 else 'add',
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                    with_cp=self.with_cp))
            self.in_channels = out_channels
        return nn.Sequential(*units)

    def _init_from_scratch(self) -> None:
        init_shufflenet_weights(self)
