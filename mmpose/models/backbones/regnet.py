"""RegNet backbone.

"Designing Network Design Spaces", Radosavovic et al., CVPR 2020
(https://arxiv.org/abs/2003.13678). Block widths follow a quantised linear
function of the block index; consecutive blocks of equal width form a stage
of ResNeXt bottlenecks (expansion 1, group width ``group_w``).
"""
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
from mmcv.cnn import build_conv_layer, build_norm_layer
from torch import Tensor, nn

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

from ..builder import BACKBONES
from .base_backbone import BaseBackbone
from .resnet import ResNet
from .resnext import Bottleneck

__all__ = ['RegNet']

_ARCH_KEYS = ('w0', 'wa', 'wm', 'group_w', 'depth', 'bot_mul')


@BACKBONES.register_module()
class RegNet(ResNet):
    """RegNet backbone.

    More details can be found in the `paper
    <https://arxiv.org/abs/2003.13678>`__.

    Args:
        arch (str | dict): A name in :attr:`arch_settings` (e.g.
            'regnetx_3.2gf') or the parameters of a RegNet:

            - w0 (int): width of the first block
            - wa (float): linear increase of the width per block
            - wm (float): multiplier used to quantize the widths
            - depth (int): total number of blocks
            - group_w (int): channels per group
            - bot_mul (float): bottleneck expansion ratio.
        in_channels (int): Number of input image channels. Default: 3.
        stem_channels (int): Output channels of the stem conv. Default: 32.
        base_channels (int): Base channels after stem layer. Default: 32.
        strides (Sequence[int]): Strides of the first block of each stage.
            Default: ``(2, 2, 2, 2)``.
        deep_stem (bool): Not supported by RegNet (its stem is one 3x3
            conv); must be False. Default: False.
        dilations, out_indices, style, avg_down, frozen_stages, conv_cfg,
        norm_cfg, norm_eval, with_cp, zero_init_residual: As in
            :class:`ResNet`, with the same defaults.

    Note:
        Stage ``i`` outputs ``stage_widths[i]`` channels at stride
        ``2 * prod(strides[:i + 1])`` (4, 8, 16, 32 by default).

    Example:
        >>> import torch
        >>> model = RegNet(
        ...     arch=dict(w0=88, wa=26.31, wm=2.25, group_w=48, depth=25,
        ...               bot_mul=1.0),
        ...     out_indices=(0, 1, 2, 3)).eval()
        >>> [tuple(o.shape) for o in model(torch.rand(1, 3, 32, 32))]
        [(1, 96, 8, 8), (1, 192, 4, 4), (1, 432, 2, 2), (1, 1008, 1, 1)]
    """

    arch_settings = {
        'regnetx_400mf':
        dict(w0=24, wa=24.48, wm=2.54, group_w=16, depth=22, bot_mul=1.0),
        'regnetx_800mf':
        dict(w0=56, wa=35.73, wm=2.28, group_w=16, depth=16, bot_mul=1.0),
        'regnetx_1.6gf':
        dict(w0=80, wa=34.01, wm=2.25, group_w=24, depth=18, bot_mul=1.0),
        'regnetx_3.2gf':
        dict(w0=88, wa=26.31, wm=2.25, group_w=48, depth=25, bot_mul=1.0),
        'regnetx_4.0gf':
        dict(w0=96, wa=38.65, wm=2.43, group_w=40, depth=23, bot_mul=1.0),
        'regnetx_6.4gf':
        dict(w0=184, wa=60.83, wm=2.07, group_w=56, depth=17, bot_mul=1.0),
        'regnetx_8.0gf':
        dict(w0=80, wa=49.56, wm=2.88, group_w=120, depth=23, bot_mul=1.0),
        'regnetx_12gf':
        dict(w0=168, wa=73.36, wm=2.37, group_w=112, depth=19, bot_mul=1.0),
    }

    def __init__(self,
                 arch: Union[str, dict],
                 in_channels: int = 3,
                 stem_channels: int = 32,
                 base_channels: int = 32,
                 strides: Sequence[int] = (2, 2, 2, 2),
                 dilations: Sequence[int] = (1, 1, 1, 1),
                 out_indices: Sequence[int] = (3, ),
                 style: str = 'pytorch',
                 deep_stem: bool = False,
                 avg_down: bool = False,
                 frozen_stages: int = -1,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN', requires_grad=True),
                 norm_eval: bool = False,
                 with_cp: bool = False,
                 zero_init_residual: bool = True):
        # ResNet.__init__ builds from depth; RegNet builds its own stages.
        BaseBackbone.__init__(self)
        arch = self._resolve_arch(arch)
        widths, num_stages = self.generate_regnet(arch['w0'], arch['wa'],
                                                  arch['wm'], arch['depth'])
        stage_widths, stage_blocks = self.get_stages_from_blocks(widths)
        group_widths = [arch['group_w'] for _ in range(num_stages)]
        self.bottleneck_ratio = [arch['bot_mul'] for _ in range(num_stages)]
        stage_widths, group_widths = self.adjust_width_group(
            stage_widths, self.bottleneck_ratio, group_widths)
        self.stage_widths = stage_widths
        self.group_widths = group_widths

        if not 1 <= num_stages <= 4:
            raise ArgumentError(f'arch {arch} gives {num_stages} stages; '
                                'RegNet supports 1 to 4')
        strides, dilations = tuple(strides), tuple(dilations)
        if len(strides) != num_stages or len(dilations) != num_stages:
            raise ArgumentError(
                f'arch {arch} gives {num_stages} stages, so strides '
                f'{strides} and dilations {dilations} must both have '
                f'{num_stages} entries')
        if deep_stem:
            raise ArgumentError('RegNet does not support deep_stem=True: its '
                                'stem is a single 3x3 conv')
        self._set_stage_options(num_stages, strides, dilations, out_indices,
                                style, deep_stem, avg_down, frozen_stages,
                                conv_cfg, norm_cfg, norm_eval, with_cp,
                                zero_init_residual)
        self.arch = arch
        self.depth = sum(stage_blocks)
        self.stem_channels = stem_channels
        self.base_channels = base_channels
        self.block = Bottleneck
        self.expansion = 1
        self.stage_blocks = stage_blocks[:num_stages]

        self._make_stem_layer(in_channels, stem_channels)
        # ResNeXt bottlenecks whose grouped width is the stage width times
        # the bottleneck ratio, in groups of group_widths[i] channels
        self._make_res_layers(stem_channels, self.stage_widths, [
            dict(
                base_channels=width,
                groups=int(round(width * ratio)) // group_width,
                width_per_group=group_width)
            for width, ratio, group_width in zip(
                self.stage_widths, self.bottleneck_ratio, self.group_widths)
        ])
        self._freeze_stages()
        self.feat_dim = stage_widths[-1]

    def _resolve_arch(self, arch: Union[str, dict]) -> dict:
        if isinstance(arch, str):
            if arch not in self.arch_settings:
                raise UnknownNameError(
                    f'arch {arch!r} is not one of the RegNet '
                    f'arch_settings {sorted(self.arch_settings)}')
            return dict(self.arch_settings[arch])
        if not isinstance(arch, dict):
            raise ArgumentTypeError('arch must be a str or a dict, '
                                    f'but got {type(arch).__name__}')
        missing = [key for key in _ARCH_KEYS if key not in arch]
        if missing:
            raise UnknownNameError(
                f'RegNet arch dict misses {missing}; it needs '
                f'all of {list(_ARCH_KEYS)}')
        return dict(arch)

    def _make_stem_layer(self, in_channels: int, stem_channels: int) -> None:
        """Stem: one 3x3/2 conv + norm + ReLU (output stride 2)."""
        self.conv1 = build_conv_layer(
            self.conv_cfg,
            in_channels,
            stem_channels,
            kernel_size=3,
            stride=2,
            padding=1,
            bias=False)
        self.norm1_name, norm1 = build_norm_layer(
            self.norm_cfg, stem_channels, postfix=1)
        self.add_module(self.norm1_name, norm1)
        self.relu = nn.ReLU(inplace=True)

    def _forward_stem(self, x: Tensor) -> Tensor:
        return self.relu(self.norm1(self.conv1(x)))

    @staticmethod
    def generate_regnet(initial_width: int,
                        width_slope: float,
                        width_parameter: float,
                        depth: int,
                        divisor: int = 8) -> Tuple[List[int], int]:
        """Generates per block width from RegNet parameters.

        Args:
            initial_width (int): Initial width of the backbone.
            width_slope (float): Slope of the quantized linear function.
            width_parameter (float): Parameter used to quantize the width.
            depth (int): Depth of the backbone.
            divisor (int, optional): The divisor of channels. Defaults to 8.

        Returns:
            tuple[list[int], int]: The width of each block and the number of
            stages.
        """
        if width_slope < 0:
            raise ArgumentError(f'wa must be >= 0, got {width_slope}')
        if initial_width <= 0:
            raise ArgumentError(f'w0 must be > 0, got {initial_width}')
        if width_parameter <= 1:
            raise ArgumentError(f'wm must be > 1, got {width_parameter}')
        if initial_width % divisor != 0:
            raise ArgumentError(f'w0 ({initial_width}) must be divisible by '
                                f'{divisor}')
        widths_cont = np.arange(depth) * width_slope + initial_width
        # Each block's width is w0 * wm**k with k rounded in log space.
        ks = np.round(
            np.log(widths_cont / initial_width) / np.log(width_parameter))
        widths = initial_width * np.power(width_parameter, ks)
        widths = np.round(np.divide(widths, divisor)) * divisor
        num_stages = len(np.unique(widths))
        return widths.astype(int).tolist(), num_stages

    @staticmethod
    def quantize_float(number: float, divisor: int) -> int:
        """Converts a float to closest non-zero int divisible by divisor.

        Args:
            number (float): Original number to be quantized.
            divisor (int): Divisor used to quantize the number.

        Returns:
            int: quantized number that is divisible by divisor.
        """
        return int(round(number / divisor) * divisor)

    def adjust_width_group(self, widths: List[int],
                           bottleneck_ratio: List[float],
                           groups: List[int]) -> Tuple[List[int], List[int]]:
        """Adjusts the compatibility of widths and groups.

        Args:
            widths (list[int]): Width of each stage.
            bottleneck_ratio (list[float]): Bottleneck ratio of each stage.
            groups (list[int]): Group width of each stage.

        Returns:
            tuple(list): The adjusted widths and groups of each stage.
        """
        bottleneck_width = [
            int(w * b) for w, b in zip(widths, bottleneck_ratio)
        ]
        groups = [min(g, w_bot) for g, w_bot in zip(groups, bottleneck_width)]
        bottleneck_width = [
            self.quantize_float(w_bot, g)
            for w_bot, g in zip(bottleneck_width, groups)
        ]
        widths = [
            int(w_bot / b) for w_bot, b in zip(bottleneck_width,
                                                bottleneck_ratio)
        ]
        return widths, groups

    def get_stages_from_blocks(
            self, widths: List[int]) -> Tuple[List[int], List[int]]:
        """Gets widths/stage_blocks of network at each stage.

        Args:
            widths (list[int]): Width in each block.

        Returns:
            tuple(list): width and depth of each stage.
        """
        widths = list(widths)
        # A stage starts wherever the width differs from the previous block.
        starts = [
            i for i, (w, prev) in enumerate(zip(widths, [None] + widths))
            if w != prev
        ]
        stage_widths = [widths[i] for i in starts]
        stage_blocks = np.diff(starts + [len(widths)]).tolist()
        return stage_widths, stage_blocks
