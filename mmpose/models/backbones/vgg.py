"""VGG backbone.

"Very Deep Convolutional Networks for Large-Scale Image Recognition",
Simonyan and Zisserman, ICLR 2015 (https://arxiv.org/abs/1409.1556).
"""
import warnings
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmcv.cnn import ConvModule, normal_init
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError
from mmpose.models.builder import BACKBONES

from .base_backbone import BaseBackbone

__all__ = ['VGG', 'make_vgg_layer']


def make_vgg_layer(in_channels: int,
                   out_channels: int,
                   num_blocks: int,
                   conv_cfg: Optional[dict] = None,
                   norm_cfg: Optional[dict] = None,
                   act_cfg: Optional[dict] = dict(type='ReLU'),
                   dilation: int = 1,
                   with_norm: bool = False,
                   ceil_mode: bool = False) -> List[nn.Module]:
    """The modules of one VGG stage: ``num_blocks`` 3x3 conv modules (with
    bias, even before a norm layer) and a 2x2/2 max pool.

    ``with_norm`` is kept for signature compatibility; normalisation is
    decided by ``norm_cfg``.
    """
    layers = []
    for _ in range(num_blocks):
        with warnings.catch_warnings():
            # the bias before a norm layer is part of the 0.x checkpoints
            warnings.filterwarnings(
                'ignore',
                message='Unnecessary conv bias',
                category=UserWarning)
            layers.append(
                ConvModule(
                    in_channels=in_channels,
                    out_channels=out_channels,
                    kernel_size=3,
                    dilation=dilation,
                    padding=dilation,
                    bias=True,
                    conv_cfg=conv_cfg,
                    norm_cfg=norm_cfg,
                    act_cfg=act_cfg))
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2, ceil_mode=ceil_mode))
    return layers


@BACKBONES.register_module()
class VGG(BaseBackbone):
    """VGG backbone.

    All conv modules and pools sit in one ``nn.Sequential`` named
    ``features`` (so 0.x checkpoints load); stage ``i`` (0-based) has
    ``64 * 2**i`` channels (at most 512) and, with its final pool, stride
    ``2**(i + 1)``. With ``num_classes > 0`` a three-layer classifier
    follows (it expects 7x7 features, i.e. 224x224 inputs) and its scores are
    output ``num_stages``.

    Args:
        depth (int): Depth of vgg, from {11, 13, 16, 19}.
        num_classes (int): number of classes for classification; <= 0 means
            no classifier. Default: -1.
        num_stages (int): VGG stages, 1 to 5. Default: 5.
        dilations (Sequence[int]): Dilation of each stage.
            Default: (1, 1, 1, 1, 1).
        out_indices (Sequence[int] | None): Output from which stages. If only
            one stage is specified, a single tensor (feature map) is
            returned, otherwise a tuple. None means ``(num_stages - 1, )``
            without a classifier and ``(num_stages, )`` (the scores) with one.
            Default: None.
        frozen_stages (int): Number of stages to freeze, counted from the
            first; -1 freezes nothing. Default: -1.
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict | None): Config of the norm layers; None means no
            normalisation (plain VGG). Default: None.
        act_cfg (dict): Activation. Default: dict(type='ReLU').
        norm_eval (bool): Keep BN layers in eval mode while training.
            Default: False.
        ceil_mode (bool): ceil_mode of the max pools. Default: False.
        with_last_pool (bool): Keep the last max pool. Default: True.

    Shape:
        x: ``[N, 3, H, W]`` -> one tensor per index in ``out_indices``;
        e.g. VGG16 on 256x192 gives ``[N, 512, 8, 6]`` from stage 4.
    """

    # number of conv modules in each of the five stages
    arch_settings = {
        11: (1, 1, 2, 2, 2),
        13: (2, 2, 2, 2, 2),
        16: (2, 2, 3, 3, 3),
        19: (2, 2, 4, 4, 4),
    }

    def __init__(self,
                 depth: int,
                 num_classes: int = -1,
                 num_stages: int = 5,
                 dilations: Sequence[int] = (1, 1, 1, 1, 1),
                 out_indices: Optional[Sequence[int]] = None,
                 frozen_stages: int = -1,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: dict = dict(type='ReLU'),
                 norm_eval: bool = False,
                 ceil_mode: bool = False,
                 with_last_pool: bool = True) -> None:
        super().__init__()
        if depth not in self.arch_settings:
            raise UnknownNameError(
                f'invalid depth {depth} for VGG; valid ones are '
                f'{sorted(self.arch_settings)}')
        if not 1 <= num_stages <= 5:
            raise ArgumentError(
                f'num_stages must be in [1, 5], but got {num_stages}')
        if len(dilations) != num_stages:
            raise ArgumentError(f'dilations {tuple(dilations)} must have one '
                                f'entry per stage ({num_stages})')
        self._check_frozen_stages(frozen_stages, num_stages)
        self.num_classes = num_classes
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        with_norm = norm_cfg is not None

        stage_blocks = self.arch_settings[depth][:num_stages]
        self.stage_blocks = stage_blocks
        if out_indices is None:
            out_indices = (num_stages, ) if num_classes > 0 else (
                num_stages - 1, )
        num_outputs = num_stages + 1 if num_classes > 0 else num_stages
        self.out_indices = self._check_out_indices(out_indices, num_outputs)

        in_channels = 3
        start_idx = 0
        vgg_layers = []
        # [start, end) of each stage in ``features``
        self.range_sub_modules = []
        for i, num_blocks in enumerate(stage_blocks):
            out_channels = 64 * 2**i if i < 4 else 512
            vgg_layers.extend(
                make_vgg_layer(
                    in_channels,
                    out_channels,
                    num_blocks,
                    conv_cfg=conv_cfg,
                    norm_cfg=norm_cfg,
                    act_cfg=act_cfg,
                    dilation=dilations[i],
                    with_norm=with_norm,
                    ceil_mode=ceil_mode))
            self.range_sub_modules.append(
                [start_idx, start_idx + num_blocks + 1])
            start_idx += num_blocks + 1
            in_channels = out_channels
        if not with_last_pool:
            vgg_layers.pop(-1)
            self.range_sub_modules[-1][1] -= 1
        self.module_name = 'features'
        self.add_module(self.module_name, nn.Sequential(*vgg_layers))

        if self.num_classes > 0:
            self.classifier = nn.Sequential(
                nn.Linear(512 * 7 * 7, 4096),
                nn.ReLU(True),
                nn.Dropout(),
                nn.Linear(4096, 4096),
                nn.ReLU(True),
                nn.Dropout(),
                nn.Linear(4096, num_classes),
            )

    def _init_from_scratch(self) -> None:
        self._init_conv_norm(self.modules())
        for m in self.modules():
            if isinstance(m, nn.Linear):
                normal_init(m, std=0.01)

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        # VGG has no stem: ``frozen_stages=k`` freezes stages 0..k-1, which
        # are the base class's stages 1..k
        if stage == 0:
            return []
        start, end = self.range_sub_modules[stage - 1]
        return list(self.features[start:end])

    def forward(self, x: torch.Tensor
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Forward function.

        Args:
            x (Tensor[N, 3, H, W]): Input images.

        Returns:
            Tensor | tuple[Tensor]: The outputs of ``out_indices``.
        """
        outs = []
        for i, (start, end) in enumerate(self.range_sub_modules):
            for j in range(start, end):
                x = self.features[j](x)
            if i in self.out_indices:
                outs.append(x)
        if self.num_classes > 0 and len(self.stage_blocks) in self.out_indices:
            outs.append(self.classifier(x.flatten(1)))
        return self._pack_outputs(outs)
