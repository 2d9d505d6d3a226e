"""Building blocks shared by the multi-stage U-shaped backbones MSPN and RSN.

Both networks (Li et al., "Rethinking on Multi-Stage Networks for Human Pose
Estimation", 2019; Cai et al., "Learning Delicate Local Representations for
Multi-Person Pose Estimation", ECCV 2020) stack ``num_stages`` identical
single-stage networks on a ResNet stem. Each single-stage network has

* a downsample path of ``num_units`` residual layers (strides 4, 8, 16, ...
  relative to the image, channels doubling from ``res_top_channels``),
* an upsample path of ``num_units`` units going from the coarsest to the
  finest resolution, each emitting ``unit_channels`` features,
* between stages, cross-stage skips (added to the next stage's downsample
  layers) and a cross conv that feeds the next stage's input.

They differ only in the residual block (Bottleneck for MSPN, Residual Steps
Block for RSN) and in the attribute name of the stage list, which the
checkpoints depend on. :class:`MultiStageUNetBackbone` holds everything else.
"""
import copy
import re
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple, Type

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule, constant_init, kaiming_init, normal_init
from mmcv.runner import load_state_dict
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError
from mmpose.utils import get_root_logger

from .base_backbone import BaseBackbone

__all__ = [
    'ResNetTop', 'DownsampleModule', 'UpsampleUnit', 'UpsampleModule',
    'SingleStageNetwork', 'MultiStageUNetBackbone'
]


class ResNetTop(nn.Module):
    """ResNet stem: 7x7 conv (stride 2) + BN + ReLU, then 3x3 max-pool
    (stride 2).

    Args:
        norm_cfg (dict): Config of the norm layer. Default: dict(type='BN').
        channels (int): Output channels. Default: 64.

    Shapes:
        x (Tensor[N, 3, H, W]) -> Tensor[N, channels, H/4, W/4]
    """

    def __init__(self,
                 norm_cfg: dict = dict(type='BN'),
                 channels: int = 64) -> None:
        super().__init__()
        self.top = nn.Sequential(
            ConvModule(
                3,
                channels,
                kernel_size=7,
                stride=2,
                padding=3,
                norm_cfg=copy.deepcopy(norm_cfg),
                inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, padding=1))

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        """Forward function."""
        return self.top(img)


class DownsampleModule(nn.Module):
    """Downsample path of one stage: ``num_units`` residual layers named
    ``layer1``, ``layer2``, ...; all but the first halve the resolution.

    Layer ``i`` (0-based) has ``in_channels * 2**i`` planes and outputs
    ``in_channels * 2**i * block.expansion`` channels.

    Args:
        block (type): Residual block class with an ``expansion`` attribute,
            called as ``block(in_channels, planes, stride=..., downsample=...,
            norm_cfg=..., **block_kwargs)``.
        num_blocks (Sequence[int]): Number of blocks in each layer.
        num_units (int): Number of layers. Default: 4.
        has_skip (bool): Add the previous stage's skips to each layer's
            output. Default: False.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        in_channels (int): Input channels (from the stem). Default: 64.
        block_kwargs (dict | None): Extra arguments for every block.
    """

    def __init__(self,
                 block: Type[nn.Module],
                 num_blocks: Sequence[int],
                 num_units: int = 4,
                 has_skip: bool = False,
                 norm_cfg: dict = dict(type='BN'),
                 in_channels: int = 64,
                 block_kwargs: Optional[dict] = None) -> None:
        super().__init__()
        if len(num_blocks) != num_units:
            raise ArgumentError(f'num_blocks {list(num_blocks)} must have one '
                                f'entry per unit (num_units={num_units})')
        self.has_skip = has_skip
        self.in_channels = in_channels
        self.num_blocks = list(num_blocks)
        self.num_units = num_units
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.block_kwargs = dict(block_kwargs or {})
        for i in range(num_units):
            self.add_module(
                f'layer{i + 1}',
                self._make_layer(
                    block,
                    in_channels * 2**i,
                    self.num_blocks[i],
                    stride=1 if i == 0 else 2))

    def _make_layer(self, block: Type[nn.Module], planes: int,
                    num_blocks: int, stride: int = 1) -> nn.Sequential:
        out_channels = planes * block.expansion
        downsample = None
        if stride != 1 or self.in_channels != out_channels:
            downsample = ConvModule(
                self.in_channels,
                out_channels,
                kernel_size=1,
                stride=stride,
                padding=0,
                norm_cfg=self.norm_cfg,
                act_cfg=None,
                inplace=True)
        layers = [
            block(
                self.in_channels,
                planes,
                stride=stride,
                downsample=downsample,
                norm_cfg=self.norm_cfg,
                **self.block_kwargs)
        ]
        self.in_channels = out_channels
        layers += [
            block(
                self.in_channels,
                planes,
                norm_cfg=self.norm_cfg,
                **self.block_kwargs) for _ in range(1, num_blocks)
        ]
        return nn.Sequential(*layers)

    def forward(self, x: torch.Tensor,
                skip1: Optional[List[torch.Tensor]],
                skip2: Optional[List[torch.Tensor]]) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (Tensor[N, C, H, W]): Stage input (stride 4).
            skip1, skip2 (list[Tensor] | None): Skips of the previous stage,
                finest first; used when ``has_skip``.

        Returns:
            list[Tensor]: Layer outputs, coarsest first.
        """
        outs = []
        for i in range(self.num_units):
            x = getattr(self, f'layer{i + 1}')(x)
            if self.has_skip:
                x = x + skip1[i] + skip2[i]
            outs.append(x)
        outs.reverse()
        return outs


class UpsampleUnit(nn.Module):
    """One unit of the upsample path.

    ``out = relu(in_skip(x) + up_conv(resize(up_x)))`` (no ``up_x`` term for
    the first, coarsest unit). Optionally it also generates the cross-stage
    skips ``out_skip1(x)``, ``out_skip2(out)`` and, in the last unit, the
    next stage's input ``cross_conv(out)``.

    Args:
        ind (int): Index of the unit, 0 being the coarsest.
        num_units (int): Number of units in the path.
        in_channels (int): Channels of the downsample feature ``x``.
        unit_channels (int): Output channels. Default: 256.
        gen_skip (bool): Generate cross-stage skips. Default: False.
        gen_cross_conv (bool): Generate the next stage's input (last unit
            only). Default: False.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        out_channels (int): Channels of the cross conv. Default: 64.
    """

    def __init__(self,
                 ind: int,
                 num_units: int,
                 in_channels: int,
                 unit_channels: int = 256,
                 gen_skip: bool = False,
                 gen_cross_conv: bool = False,
                 norm_cfg: dict = dict(type='BN'),
                 out_channels: int = 64) -> None:
        super().__init__()
        self.num_units = num_units
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.ind = ind
        self.gen_skip = gen_skip
        self.gen_cross_conv = gen_cross_conv
        self.in_skip = self._conv1x1(in_channels, unit_channels, act=False)
        self.relu = nn.ReLU(inplace=True)
        if self.ind > 0:
            self.up_conv = self._conv1x1(
                unit_channels, unit_channels, act=False)
        if self.gen_skip:
            self.out_skip1 = self._conv1x1(in_channels, in_channels)
            self.out_skip2 = self._conv1x1(unit_channels, in_channels)
        if self.ind == num_units - 1 and self.gen_cross_conv:
            self.cross_conv = self._conv1x1(unit_channels, out_channels)

    def _conv1x1(self, in_channels: int, out_channels: int,
                 act: bool = True) -> ConvModule:
        return ConvModule(
            in_channels,
            out_channels,
            kernel_size=1,
            stride=1,
            padding=0,
            norm_cfg=self.norm_cfg,
            act_cfg=dict(type='ReLU') if act else None,
            inplace=True)

    def forward(
        self, x: torch.Tensor, up_x: Optional[torch.Tensor]
    ) -> Tuple[torch.Tensor, Optional[torch.Tensor], Optional[torch.Tensor],
               Optional[torch.Tensor]]:
        """Forward function.

        Args:
            x (Tensor[N, C_in, H, W]): Downsample feature at this resolution.
            up_x (Tensor[N, unit_channels, h, w] | None): Output of the
                previous (coarser) unit; ignored by the first unit.

        Returns:
            tuple: ``out (Tensor[N, unit_channels, H, W])``, ``skip1``,
            ``skip2 (Tensor[N, C_in, H, W] | None)`` and ``cross_conv
            (Tensor[N, out_channels, H, W] | None)``.
        """
        out = self.in_skip(x)
        if self.ind > 0:
            up_x = F.interpolate(
                up_x, size=x.shape[2:], mode='bilinear', align_corners=True)
            out = out + self.up_conv(up_x)
        out = self.relu(out)

        skip1 = skip2 = cross_conv = None
        if self.gen_skip:
            skip1 = self.out_skip1(x)
            skip2 = self.out_skip2(out)
        if self.ind == self.num_units - 1 and self.gen_cross_conv:
            cross_conv = self.cross_conv(out)
        return out, skip1, skip2, cross_conv


class UpsampleModule(nn.Module):
    """Upsample path of one stage: units ``up1`` (coarsest) .. ``upN``.

    Args:
        unit_channels (int): Output channels of every unit. Default: 256.
        num_units (int): Number of units. Default: 4.
        gen_skip (bool): Generate cross-stage skips. Default: False.
        gen_cross_conv (bool): Generate the next stage's input.
            Default: False.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        out_channels (int): Stem channels: the downsample layer ``i`` has
            ``out_channels * 2**i * expansion`` channels, and the cross conv
            outputs ``out_channels``. Default: 64.
        expansion (int): Expansion of the downsample path's block.
            Default: 4.
    """

    def __init__(self,
                 unit_channels: int = 256,
                 num_units: int = 4,
                 gen_skip: bool = False,
                 gen_cross_conv: bool = False,
                 norm_cfg: dict = dict(type='BN'),
                 out_channels: int = 64,
                 expansion: int = 4) -> None:
        super().__init__()
        self.in_channels = [
            expansion * out_channels * 2**i for i in range(num_units)
        ][::-1]
        self.num_units = num_units
        self.gen_skip = gen_skip
        self.gen_cross_conv = gen_cross_conv
        self.norm_cfg = copy.deepcopy(norm_cfg)
        for i in range(num_units):
            self.add_module(
                f'up{i + 1}',
                UpsampleUnit(
                    i,
                    num_units,
                    self.in_channels[i],
                    unit_channels,
                    gen_skip,
                    gen_cross_conv,
                    norm_cfg=self.norm_cfg,
                    out_channels=out_channels))

    def forward(self, x: List[torch.Tensor]):
        """Forward function.

        Args:
            x (list[Tensor]): Downsample outputs, coarsest first.

        Returns:
            tuple: ``out`` (list[Tensor[N, unit_channels, H_i, W_i]],
            coarsest first), ``skip1`` and ``skip2`` (lists, finest first,
            entries None without ``gen_skip``) and ``cross_conv`` (Tensor or
            None).
        """
        out, skip1, skip2 = [], [], []
        cross_conv = None
        for i in range(self.num_units):
            up_x = out[i - 1] if i > 0 else None
            out_i, skip1_i, skip2_i, cross_i = getattr(self, f'up{i + 1}')(
                x[i], up_x)
            out.append(out_i)
            skip1.append(skip1_i)
            skip2.append(skip2_i)
            if cross_i is not None:
                cross_conv = cross_i
        skip1.reverse()
        skip2.reverse()
        return out, skip1, skip2, cross_conv


class SingleStageNetwork(nn.Module):
    """One U-shaped stage: a :class:`DownsampleModule` then an
    :class:`UpsampleModule`.

    Args:
        block (type): Residual block of the downsample path.
        has_skip (bool): Take skips from the previous stage.
        gen_skip (bool): Generate skips for the next stage.
        gen_cross_conv (bool): Generate the next stage's input.
        unit_channels (int): Channels of the upsample units.
        num_units (int): Number of units.
        num_blocks (Sequence[int]): Blocks per downsample layer.
        norm_cfg (dict): Config of norm layers.
        in_channels (int): Stage input channels.
        block_kwargs (dict | None): Extra arguments for every block.
    """

    def __init__(self,
                 block: Type[nn.Module],
                 has_skip: bool = False,
                 gen_skip: bool = False,
                 gen_cross_conv: bool = False,
                 unit_channels: int = 256,
                 num_units: int = 4,
                 num_blocks: Sequence[int] = (2, 2, 2, 2),
                 norm_cfg: dict = dict(type='BN'),
                 in_channels: int = 64,
                 block_kwargs: Optional[dict] = None) -> None:
        super().__init__()
        self.downsample = DownsampleModule(block, num_blocks, num_units,
                                           has_skip, norm_cfg, in_channels,
                                           block_kwargs)
        self.upsample = UpsampleModule(unit_channels, num_units, gen_skip,
                                       gen_cross_conv, norm_cfg, in_channels,
                                       block.expansion)

    def forward(self, x: torch.Tensor, skip1, skip2):
        """Forward function; see :meth:`UpsampleModule.forward` for the
        returned ``(out, skip1, skip2, cross_conv)``."""
        mid = self.downsample(x, skip1, skip2)
        return self.upsample(mid)


class MultiStageUNetBackbone(BaseBackbone):
    """Common body of MSPN and RSN: a :class:`ResNetTop` stem (``self.top``)
    followed by ``num_stages`` :class:`SingleStageNetwork` modules kept in
    the ``nn.ModuleList`` named by the subclass's ``stages_attr``.

    Args:
        block (type): Residual block of the downsample paths.
        unit_channels (int): Channels of the upsample units.
        num_stages (int): Number of stages (>= 1).
        num_units (int): Units per stage (>= 2).
        num_blocks (Sequence[int]): Blocks in each downsample layer, one
            entry per unit.
        norm_cfg (dict): Config of norm layers.
        res_top_channels (int): Channels of the stem output.
        block_kwargs (dict | None): Extra arguments for every block.

    Shapes:
        x (Tensor[N, 3, H, W]) -> list (one per stage) of lists (one per
        unit, coarsest first) of ``Tensor[N, unit_channels, H/s, W/s]``
        with strides ``s = 4 * 2**(num_units - 1), ..., 8, 4``.
    """

    #: Attribute name of the stage list (part of the checkpoint keys).
    stages_attr: str = 'multi_stage'

    def __init__(self,
                 block: Type[nn.Module],
                 unit_channels: int,
                 num_stages: int,
                 num_units: int,
                 num_blocks: Sequence[int],
                 norm_cfg: dict,
                 res_top_channels: int,
                 block_kwargs: Optional[Dict] = None) -> None:
        super().__init__()
        name = type(self).__name__
        if not isinstance(num_stages, int) or num_stages < 1:
            raise ArgumentError(f'{name}: num_stages must be a positive int, '
                                f'got {num_stages!r}')
        if not isinstance(num_units, int) or num_units < 2:
            raise ArgumentError(
                f'{name}: num_units must be an int >= 2, got {num_units!r}')
        if len(num_blocks) != num_units:
            raise ArgumentError(
                f'{name}: num_blocks {list(num_blocks)} must have '
                f'num_units={num_units} entries')
        if any(int(n) < 1 for n in num_blocks):
            raise ArgumentError(
                f'{name}: every entry of num_blocks must be >= 1'
                f', got {list(num_blocks)}')
        for arg, value in (('unit_channels', unit_channels),
                           ('res_top_channels', res_top_channels)):
            if not isinstance(value, int) or value < 1:
                raise ArgumentError(
                    f'{name}: {arg} must be a positive int, got {value!r}')
        self.unit_channels = unit_channels
        self.num_stages = num_stages
        self.num_units = num_units
        self.num_blocks = list(num_blocks)
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.res_top_channels = res_top_channels

        self.top = ResNetTop(norm_cfg=self.norm_cfg, channels=res_top_channels)
        stages = nn.ModuleList()
        for i in range(num_stages):
            not_last = i != num_stages - 1
            stages.append(
                SingleStageNetwork(
                    block,
                    has_skip=i > 0,
                    gen_skip=not_last,
                    gen_cross_conv=not_last,
                    unit_channels=unit_channels,
                    num_units=num_units,
                    num_blocks=self.num_blocks,
                    norm_cfg=self.norm_cfg,
                    in_channels=res_top_channels,
                    block_kwargs=block_kwargs))
        setattr(self, self.stages_attr, stages)

    @property
    def stages(self) -> nn.ModuleList:
        """The stage list (``multi_stage_mspn`` / ``multi_stage_rsn``)."""
        return getattr(self, self.stages_attr)

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Initialise randomly, then load ``pretrained`` when given.

        Args:
            pretrained (str | None): Checkpoint path/URL; what it does not
                hold keeps the random initialisation.

        Raises:
            TypeError: ``pretrained`` is neither a str nor None.
        """
        if pretrained is not None and not isinstance(pretrained, str):
            raise ArgumentTypeError('pretrained must be a str or None, '
                                    f'but got {type(pretrained).__name__}')
        self._init_from_scratch()
        if pretrained is not None:
            from mmpose.utils.checkpoint import (get_state_dict,
                                                 load_checkpoint_file)
            state_dict = get_state_dict(
                load_checkpoint_file(pretrained, map_location='cpu'),
                pretrained)
            # accept whole-model checkpoints as well as backbone-only ones
            self._load_pretrained(
                OrderedDict((re.sub(r'^(module\.)?(backbone\.)?', '', k), v)
                            for k, v in state_dict.items()))

    def _load_pretrained(self, state_dict: 'OrderedDict') -> None:
        """Load a checkpoint's state dict (prefixes already stripped)."""
        load_state_dict(
            self, state_dict, strict=False, logger=get_root_logger())

    def _init_from_scratch(self) -> None:
        """Kaiming-init convs, unit BN weights, N(0, 0.01) linears."""
        for m in self.stages.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_init(m)
            elif isinstance(m, nn.BatchNorm2d):
                constant_init(m, 1)
            elif isinstance(m, nn.Linear):
                normal_init(m, std=0.01)
        for m in self.top.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_init(m)

    def forward(self, x: torch.Tensor) -> List[List[torch.Tensor]]:
        """Forward function.

        Args:
            x (Tensor[N, 3, H, W]): Input images.

        Returns:
            list[list[Tensor]]: ``out[stage][unit]`` of shape
            ``[N, unit_channels, H_u, W_u]``, units coarsest first.
        """
        out_feats = []
        skip1 = skip2 = None
        x = self.top(x)
        for stage in self.stages:
            out, skip1, skip2, x = stage(x, skip1, skip2)
            out_feats.append(out)
        return out_feats
