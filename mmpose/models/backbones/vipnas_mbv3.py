"""ViPNAS MobileNetV3 backbone.

"ViPNAS: Efficient Video Pose Estimation via Neural Architecture Search",
Xu et al., CVPR 2021 (https://arxiv.org/abs/2105.10154). A MobileNetV3
whose width, expansion, depth, kernel size, groups and attention were
searched per stage.
"""
import copy
import warnings
from typing import List, Optional, Sequence

import torch
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.errors import ArgumentError, UnknownAttributeError

from ..builder import BACKBONES
from .base_backbone import BaseBackbone
from .utils import InvertedResidual

__all__ = ['ViPNAS_MobileNetV3']

# the searched settings give one value per stage, entry 0 being the stem
_PER_STAGE_ARGS = ('wid', 'expan', 'dep', 'ks', 'group', 'att', 'stride',
                   'act')


@BACKBONES.register_module()
class ViPNAS_MobileNetV3(BaseBackbone):
    """ViPNAS_MobileNetV3 backbone (new in MMPose 0.29).

    A stem conv (``conv1``: ``wid[0]`` channels, kernel ``ks[0]``, stride
    ``stride[0]``, activation ``act[0]``) followed by the inverted residual
    blocks ``layer1`` ... ``layerN`` of the stages: stage ``i >= 1`` has
    ``dep[i]`` blocks of ``wid[i]`` output and ``wid[i] * expan[i]`` middle
    channels, depth-wise kernel ``ks[i]`` in ``group[i]`` groups, an SE
    layer when ``att[i]`` (squeeze 4, ``HSigmoid(bias=1, divisor=2)`` gate)
    and activation ``act[i]``; its first block has stride ``stride[i]``.
    Stages with ``expan[i] == 1`` have no expand conv, so their input width
    must be ``wid[i]`` already.

    Args:
        wid (Sequence[int]): Searched widths.
            Default: [16, 16, 24, 40, 80, 112, 160].
        expan (Sequence[int | None]): Searched expansion ratios.
            Default: [None, 1, 5, 4, 5, 5, 6].
        dep (Sequence[int | None]): Searched blocks per stage.
            Default: [None, 1, 4, 4, 4, 4, 4].
        ks (Sequence[int]): Searched kernel sizes.
            Default: [3, 3, 7, 7, 5, 7, 5].
        group (Sequence[int | None]): Searched groups of the depth-wise
            convs. Default: [None, 8, 120, 20, 100, 280, 240].
        att (Sequence[bool | None]): Searched SE attention.
            Default: [None, True, True, False, True, True, True].
        stride (Sequence[int]): Stride of each stage.
            Default: [2, 1, 2, 2, 2, 1, 2].
        act (Sequence[str]): Activation type of each stage.
            Default: ['HSwish', 'ReLU', 'ReLU', 'ReLU', 'HSwish', 'HSwish',
            'HSwish'].
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        frozen_stages (int): Freeze ``conv1`` (0) and the blocks ``layer1``
            ... ``layer{frozen_stages}`` (counted block by block, as in
            0.29; unlike 0.29, a frozen ``conv1`` also keeps its BN in eval
            mode, as every frozen stage here). Default: -1 (freeze nothing).
        norm_eval (bool): Keep BN layers in eval mode while training.
            Default: False.
        with_cp (bool): Gradient checkpointing in the blocks.
            Default: False.

    Shapes:
        x (Tensor[N, 3, H, W]) -> ``Tensor[N, wid[-1], H / S, W / S]``
        with ``S = prod(stride)`` (default: 160 channels at stride 32).
    """

    # 0.29 met a too large frozen_stages in train(), looking up a missing
    # layer{i}: an AttributeError (here also a ValueError, at once)
    frozen_stages_error = UnknownAttributeError

    def __init__(self,
                 wid: Sequence[int] = [16, 16, 24, 40, 80, 112, 160],
                 expan: Sequence[Optional[int]] = [None, 1, 5, 4, 5, 5, 6],
                 dep: Sequence[Optional[int]] = [None, 1, 4, 4, 4, 4, 4],
                 ks: Sequence[int] = [3, 3, 7, 7, 5, 7, 5],
                 group: Sequence[Optional[int]] = [
                     None, 8, 120, 20, 100, 280, 240
                 ],
                 att: Sequence[Optional[bool]] = [
                     None, True, True, False, True, True, True
                 ],
                 stride: Sequence[int] = [2, 1, 2, 2, 2, 1, 2],
                 act: Sequence[str] = [
                     'HSwish', 'ReLU', 'ReLU', 'ReLU', 'HSwish', 'HSwish',
                     'HSwish'
                 ],
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 with_cp: bool = False) -> None:
        super().__init__()
        searched = dict(wid=wid, expan=expan, dep=dep, ks=ks, group=group,
                        att=att, stride=stride, act=act)
        lengths = {name: len(searched[name]) for name in _PER_STAGE_ARGS}
        if len(set(lengths.values())) != 1:
            raise ArgumentError('the searched settings must all have one '
                                f'entry per stage, got lengths {lengths}')
        self.wid = wid
        self.expan = expan
        self.dep = dep
        self.ks = ks
        self.group = group
        self.att = att
        self.stride = stride
        self.act = act
        self.conv_cfg = conv_cfg
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.norm_eval = norm_eval
        self.with_cp = with_cp
        self._check_frozen_stages(frozen_stages, sum(dep[1:]))
        self.frozen_stages = frozen_stages

        self.conv1 = ConvModule(
            in_channels=3,
            out_channels=wid[0],
            kernel_size=ks[0],
            stride=stride[0],
            padding=ks[0] // 2,
            conv_cfg=conv_cfg,
            norm_cfg=self.norm_cfg,
            act_cfg=dict(type=act[0]))
        self.layers = self._make_layer()

    def _make_layer(self) -> List[str]:
        """Add the blocks ``layer1`` ... ``layerN``; return their names."""
        layers = []
        for stage in range(1, len(self.dep)):
            out_channels = self.wid[stage]
            mid_channels = out_channels * self.expan[stage]
            se_cfg = dict(
                ratio=4,
                act_cfg=(dict(type='ReLU'),
                         dict(type='HSigmoid', bias=1.0, divisor=2.0))
            ) if self.att[stage] else None
            for j in range(self.dep[stage]):
                with warnings.catch_warnings():
                    # mmcv warns about its changed HSigmoid defaults on
                    # every construction; the 0.29 values are passed above
                    warnings.filterwarnings(
                        'ignore', message='In MMCV v1.4.4',
                        category=UserWarning)
                    block = InvertedResidual(
                        in_channels=self.wid[stage - 1] if j == 0 else
                        out_channels,
                        out_channels=out_channels,
                        mid_channels=mid_channels,
                        kernel_size=self.ks[stage],
                        stride=self.stride[stage] if j == 0 else 1,
                        se_cfg=se_cfg,
                        with_expand_conv=self.expan[stage] != 1,
                        conv_cfg=self.conv_cfg,
                        norm_cfg=self.norm_cfg,
                        act_cfg=dict(type=self.act[stage]),
                        with_cp=self.with_cp,
                        groups=self.group[stage])
                name = f'layer{len(layers) + 1}'
                self.add_module(name, block)
                layers.append(name)
        return layers

    def _init_from_scratch(self) -> None:
        """N(0, 0.001) convs with zero bias, unit norm weights (as 0.29)."""
        self._init_conv_norm(self.modules(), conv_std=0.001)

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        return [self.conv1] if stage == 0 else [getattr(self, f'layer{stage}')]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            x (Tensor[N, 3, H, W]): Input images.

        Returns:
            Tensor[N, wid[-1], H / S, W / S]: The last block's features.
        """
        x = self.conv1(x)
        for name in self.layers:
            x = getattr(self, name)(x)
        return x
