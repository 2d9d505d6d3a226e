"""Lite-HRNet backbone.

"Lite-HRNet: A Lightweight High-Resolution Network", Yu et al., CVPR 2021
(https://arxiv.org/abs/2104.06403). HRNet's parallel multi-resolution
branches and repeated fusion, with a ShuffleNet-style stem and the costly
1x1 convolutions of the shuffle blocks replaced by *conditional channel
weighting*: channel gates computed across all resolutions
(cross-resolution weighting) and within each one (spatial weighting).
"""
import copy
from typing import List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
import torch.utils.checkpoint as cp
from mmcv.cnn import (ConvModule, DepthwiseSeparableConvModule,
                      build_conv_layer, build_norm_layer)
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

from ..builder import BACKBONES
from .base_backbone import BaseBackbone
from .hrnet import DEFAULT_UPSAMPLE_CFG, HRNet, build_fuse_layers
from .shufflenet_v2 import InvertedResidual as ShuffleUnit
from .utils import SELayer, channel_shuffle

__all__ = [
    'CrossResolutionWeighting', 'ConditionalChannelWeighting', 'Stem',
    'IterativeHead', 'LiteHRModule', 'LiteHRNet'
]

MODULE_TYPES = ('LITE', 'NAIVE')
_STAGE_KEYS = ('num_modules', 'num_branches', 'num_blocks', 'module_type',
               'with_fuse', 'reduce_ratios', 'num_channels')
_STEM_KEYS = ('stem_channels', 'out_channels', 'expand_ratio')


def _dw_pw(conv_cfg: Optional[dict], norm_cfg: dict, in_channels: int,
           out_channels: int, stride: int, with_relu: bool) -> nn.Sequential:
    """Depth-wise 3x3 conv + norm, point-wise 1x1 conv + norm (+ ReLU): the
    layer Lite-HRNet uses to change a branch's resolution or channels.

    Shape: ``[N, in_channels, H, W]`` -> ``[N, out_channels, H / stride,
    W / stride]``; the layers are numbered 0-3 (4: ReLU) in the state dict.
    """
    layers = [
        build_conv_layer(
            conv_cfg,
            in_channels,
            in_channels,
            kernel_size=3,
            stride=stride,
            padding=1,
            groups=in_channels,
            bias=False),
        build_norm_layer(norm_cfg, in_channels)[1],
        build_conv_layer(
            conv_cfg, in_channels, out_channels, kernel_size=1, bias=False),
        build_norm_layer(norm_cfg, out_channels)[1],
    ]
    if with_relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class CrossResolutionWeighting(nn.Module):
    """Channel gates computed from all branches together.

    Every branch is average-pooled to the smallest resolution, the
    concatenation goes through a squeeze (``conv1``, ReLU) and an expand
    (``conv2``, sigmoid) 1x1 conv, and each branch is multiplied by its part
    of the gates, upsampled (nearest) to its resolution.

    Args:
        channels (Sequence[int]): Channels of each branch.
        ratio (int): Squeeze ratio of the concatenated channels.
            Default: 16.
        conv_cfg (dict | None): Config of the convs. Default: None.
        norm_cfg (dict | None): Config of the norms after the convs.
            Default: None.
        act_cfg (dict | Sequence[dict]): Activations of ``conv1`` and
            ``conv2``. Default: (dict(type='ReLU'), dict(type='Sigmoid')).

    Shapes:
        x (list[Tensor[N, C_i, H_i, W_i]]) -> list of the same shapes.
    """

    def __init__(self,
                 channels: Sequence[int],
                 ratio: int = 16,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Union[dict, Sequence[dict]] = (dict(type='ReLU'),
                                                         dict(type='Sigmoid'))
                 ) -> None:
        super().__init__()
        if isinstance(act_cfg, dict):
            act_cfg = (act_cfg, act_cfg)
        if len(act_cfg) != 2 or not all(isinstance(c, dict) for c in act_cfg):
            raise ArgumentError('act_cfg must be a dict or a pair of dicts, '
                                f'but got {act_cfg!r}')
        self.channels = list(channels)
        total = sum(self.channels)
        hidden = int(total / ratio)
        self.conv1 = ConvModule(
            total,
            hidden,
            kernel_size=1,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg[0])
        self.conv2 = ConvModule(
            hidden,
            total,
            kernel_size=1,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg[1])

    def forward(self, x: List[torch.Tensor]) -> List[torch.Tensor]:
        """Gate each branch of ``x`` (highest resolution first)."""
        size = x[-1].shape[-2:]
        pooled = [F.adaptive_avg_pool2d(t, size) for t in x[:-1]] + [x[-1]]
        gates = self.conv2(self.conv1(torch.cat(pooled, dim=1)))
        gates = torch.split(gates, self.channels, dim=1)
        return [
            t * F.interpolate(g, size=t.shape[-2:], mode='nearest')
            for t, g in zip(x, gates)
        ]


class ConditionalChannelWeighting(nn.Module):
    """The Lite-HRNet block: a shuffle block whose 1x1 convs are replaced by
    channel weighting.

    Each branch is split into two halves; the second halves are gated by
    :class:`CrossResolutionWeighting`, go through a depth-wise 3x3 conv and
    a spatial weighting (an :class:`SELayer` with ratio 4), are concatenated
    back after the first halves and the channels are shuffled (2 groups).

    Args:
        in_channels (Sequence[int]): Channels of each branch (even).
        stride (int): Stride of the depth-wise convs, 1 or 2.
        reduce_ratio (int): Squeeze ratio of the cross-resolution weighting.
        conv_cfg (dict | None): Config of the convs. Default: None.
        norm_cfg (dict): Config of the norms. Default: dict(type='BN').
        with_cp (bool): Gradient checkpointing. Default: False.

    Shapes:
        x (list[Tensor[N, C_i, H_i, W_i]]) -> list of
        ``Tensor[N, C_i, H_i / stride, W_i / stride]``.
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 stride: int,
                 reduce_ratio: int,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 with_cp: bool = False) -> None:
        super().__init__()
        if stride not in (1, 2):
            raise ArgumentError(f'stride must be 1 or 2, but got {stride}')
        odd = [c for c in in_channels if c % 2]
        if odd:
            raise ArgumentError('every branch must have an even number of '
                                f'channels, got in_channels={in_channels}')
        self.stride = stride
        self.with_cp = with_cp
        branch_channels = [c // 2 for c in in_channels]
        self.cross_resolution_weighting = CrossResolutionWeighting(
            branch_channels,
            ratio=reduce_ratio,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg)
        self.depthwise_convs = nn.ModuleList([
            ConvModule(
                c,
                c,
                kernel_size=3,
                stride=stride,
                padding=1,
                groups=c,
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg,
                act_cfg=None) for c in branch_channels
        ])
        self.spatial_weighting = nn.ModuleList(
            [SELayer(c, ratio=4) for c in branch_channels])

    def _inner_forward(self, x: List[torch.Tensor]) -> List[torch.Tensor]:
        halves = [t.chunk(2, dim=1) for t in x]
        weighted = self.cross_resolution_weighting([h[1] for h in halves])
        weighted = [
            weighting(conv(t)) for t, conv, weighting in zip(
                weighted, self.depthwise_convs, self.spatial_weighting)
        ]
        return [
            channel_shuffle(torch.cat([h[0], w], dim=1), 2)
            for h, w in zip(halves, weighted)
        ]

    def forward(self, x: List[torch.Tensor]) -> List[torch.Tensor]:
        """Apply the block to the branches ``x`` (highest resolution
        first)."""
        if self.with_cp and any(t.requires_grad for t in x):
            return cp.checkpoint(self._inner_forward, x, use_reentrant=False)
        return self._inner_forward(x)


class Stem(nn.Module):
    """Lite-HRNet stem: a stride-2 3x3 conv, then a stride-2 shuffle block
    (output stride 4).

    After ``conv1`` the channels are split in two halves: the first goes
    through ``branch1`` (depth-wise 3x3/2 conv, 1x1 conv + ReLU), the second
    through ``expand_conv`` (1x1 + ReLU), ``depthwise_conv`` (3x3/2) and
    ``linear_conv`` (1x1 + ReLU); the results are concatenated and shuffled.

    Args:
        in_channels (int): Input image channels.
        stem_channels (int): Channels after ``conv1``.
        out_channels (int): Output channels.
        expand_ratio (float): ``expand_conv`` widens the second half to
            ``round(stem_channels * expand_ratio)`` channels.
        conv_cfg (dict | None): Config of the convs. Default: None.
        norm_cfg (dict): Config of the norms. Default: dict(type='BN').
        with_cp (bool): Gradient checkpointing. Default: False.

    Shapes:
        x (Tensor[N, in_channels, H, W]) ->
        ``Tensor[N, out_channels, H / 4, W / 4]`` (rounded up).
    """

    def __init__(self,
                 in_channels: int,
                 stem_channels: int,
                 out_channels: int,
                 expand_ratio: float,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 with_cp: bool = False) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.with_cp = with_cp
        relu = dict(type='ReLU')
        conv = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg)
        mid_channels = int(round(stem_channels * expand_ratio))
        branch_channels = stem_channels // 2
        # with stem_channels == out_channels both paths give half the output
        if stem_channels == out_channels:
            branch1_out = out_channels - branch_channels
            branch2_out = branch_channels
        else:
            branch1_out = out_channels - stem_channels
            branch2_out = stem_channels
        if branch1_out < 1:
            raise ArgumentError(
                f'Stem: out_channels ({out_channels}) must exceed '
                f'stem_channels ({stem_channels}) unless they are equal')

        self.conv1 = ConvModule(
            in_channels,
            stem_channels,
            kernel_size=3,
            stride=2,
            padding=1,
            act_cfg=relu,
            **conv)
        self.branch1 = nn.Sequential(
            ConvModule(
                branch_channels,
                branch_channels,
                kernel_size=3,
                stride=2,
                padding=1,
                groups=branch_channels,
                act_cfg=None,
                **conv),
            ConvModule(
                branch_channels, branch1_out, kernel_size=1, act_cfg=relu,
                **conv))
        self.expand_conv = ConvModule(
            branch_channels, mid_channels, kernel_size=1, act_cfg=relu, **conv)
        self.depthwise_conv = ConvModule(
            mid_channels,
            mid_channels,
            kernel_size=3,
            stride=2,
            padding=1,
            groups=mid_channels,
            act_cfg=None,
            **conv)
        self.linear_conv = ConvModule(
            mid_channels, branch2_out, kernel_size=1, act_cfg=relu, **conv)

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = self.conv1(x).chunk(2, dim=1)
        x2 = self.linear_conv(self.depthwise_conv(self.expand_conv(x2)))
        return channel_shuffle(torch.cat((self.branch1(x1), x2), dim=1), 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the stem to images ``x [N, C, H, W]``."""
        if self.with_cp and x.requires_grad:
            return cp.checkpoint(self._inner_forward, x, use_reentrant=False)
        return self._inner_forward(x)


class IterativeHead(nn.Module):
    """Top-down refinement of the branches (``head_layer`` of LiteHRNet).

    From the lowest resolution up, each branch plus the bilinearly upsampled
    (align_corners=True) result of the branch below goes through a
    depth-wise separable 3x3 conv (``projects``) that maps it to the
    channels of the next higher-resolution branch (the highest one keeps
    its channels).

    Args:
        in_channels (Sequence[int]): Channels of each branch, highest
            resolution first.
        norm_cfg (dict): Config of the norms. Default: dict(type='BN').

    Shapes:
        x (list[Tensor[N, C_i, H_i, W_i]]) -> list of
        ``Tensor[N, C_{i-1}, H_i, W_i]`` (``C_0`` for branch 0).
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 norm_cfg: dict = dict(type='BN')) -> None:
        super().__init__()
        channels = list(in_channels)[::-1]
        self.in_channels = channels
        self.projects = nn.ModuleList([
            DepthwiseSeparableConvModule(
                c_in,
                c_out,
                kernel_size=3,
                padding=1,
                norm_cfg=norm_cfg,
                act_cfg=dict(type='ReLU'),
                dw_act_cfg=None,
                pw_act_cfg=dict(type='ReLU'))
            for c_in, c_out in zip(channels, channels[1:] + channels[-1:])
        ])

    def forward(self, x: List[torch.Tensor]) -> List[torch.Tensor]:
        """Refine the branches ``x`` (highest resolution first)."""
        outs = []
        for feature, project in zip(x[::-1], self.projects):
            if outs:
                feature = feature + F.interpolate(
                    outs[-1],
                    size=feature.shape[-2:],
                    mode='bilinear',
                    align_corners=True)
            outs.append(project(feature))
        return outs[::-1]


class LiteHRModule(nn.Module):
    """High-resolution module of Lite-HRNet: per-branch blocks, then the
    fusion of all branches.

    'LITE' modules run ``num_blocks`` :class:`ConditionalChannelWeighting`
    blocks across the branches (``layers``); 'NAIVE' modules run
    ``num_blocks`` ShuffleNetV2 units on each branch separately. The fusion
    (``fuse_layers[i][j]`` brings branch ``j`` to branch ``i``: 1x1 conv,
    norm and nearest upsampling from lower resolutions; stride-2
    depth-wise + point-wise convs from higher ones) is summed per output
    branch and passed through a ReLU.

    As in MMPose 0.29, each output's sum counts branch 0's term twice and
    the outputs after the first fuse branch 0's pre-activation *fused* sum
    (0.29 updates it in place); trained checkpoints rely on this.

    Args:
        num_branches (int): Number of branches.
        num_blocks (int): Blocks per module ('LITE') or per branch
            ('NAIVE').
        in_channels (Sequence[int]): Channels of each branch.
        reduce_ratio (int): Squeeze ratio of the cross-resolution weighting.
        module_type (str): 'LITE' or 'NAIVE' (any case).
        multiscale_output (bool): Output every branch (True) or only the
            first. Default: False.
        with_fuse (bool): Fuse the branches. Default: True.
        conv_cfg (dict | None): Config of the convs. Default: None.
        norm_cfg (dict): Config of the norms. Default: dict(type='BN').
        with_cp (bool): Gradient checkpointing. Default: False.

    Shapes:
        x (list[Tensor[N, C_i, H / 2**i, W / 2**i]]) -> list of the same
        shapes (only the first with ``multiscale_output=False``).
    """

    def __init__(self,
                 num_branches: int,
                 num_blocks: int,
                 in_channels: Sequence[int],
                 reduce_ratio: int,
                 module_type: str,
                 multiscale_output: bool = False,
                 with_fuse: bool = True,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 with_cp: bool = False) -> None:
        super().__init__()
        if num_branches != len(in_channels):
            raise ArgumentError(
                f'LiteHRModule: num_branches ({num_branches}) != '
                f'len(in_channels) ({len(in_channels)}, '
                f'in_channels={list(in_channels)})')
        if not isinstance(module_type, str) or \
                module_type.upper() not in MODULE_TYPES:
            raise UnknownNameError(f'module_type must be one of '
                                   f'{MODULE_TYPES}, got {module_type!r}')
        self.in_channels = list(in_channels)
        self.num_branches = num_branches
        self.module_type = module_type.upper()
        self.multiscale_output = multiscale_output
        self.with_fuse = with_fuse
        self.conv_cfg = conv_cfg
        self.norm_cfg = norm_cfg
        self.with_cp = with_cp
        if self.module_type == 'LITE':
            self.layers = nn.Sequential(*[
                ConditionalChannelWeighting(
                    self.in_channels,
                    stride=1,
                    reduce_ratio=reduce_ratio,
                    conv_cfg=conv_cfg,
                    norm_cfg=norm_cfg,
                    with_cp=with_cp) for _ in range(num_blocks)
            ])
        else:
            self.layers = nn.ModuleList([
                nn.Sequential(*[
                    ShuffleUnit(
                        channels,
                        channels,
                        conv_cfg=conv_cfg,
                        norm_cfg=norm_cfg,
                        with_cp=with_cp) for _ in range(num_blocks)
                ]) for channels in self.in_channels
            ])
        if with_fuse:
            self.fuse_layers = self._make_fuse_layers()
            self.relu = nn.ReLU()

    def _make_fuse_layers(self) -> Optional[nn.ModuleList]:
        """``fuse_layers[i][j]`` brings branch ``j`` to branch ``i``."""
        return build_fuse_layers(
            self.in_channels, self.multiscale_output, self.conv_cfg,
            self.norm_cfg, DEFAULT_UPSAMPLE_CFG,
            lambda in_ch, out_ch, last: _dw_pw(
                self.conv_cfg, self.norm_cfg, in_ch, out_ch, stride=2,
                with_relu=not last))

    def _fuse(self, x: List[torch.Tensor]) -> List[torch.Tensor]:
        """Sum, per output branch, every branch brought to its resolution
        (with the 0.29 quirks described in the class docstring)."""
        x = list(x)
        outs = []
        for i, fuse_layer in enumerate(self.fuse_layers):
            y = x[0] if i == 0 else fuse_layer[0](x[0])
            for j in range(self.num_branches):
                y = y + (x[j] if j == i else fuse_layer[j](x[j]))
            if i == 0:
                x[0] = y
            outs.append(self.relu(y))
        return outs

    def forward(self, x: List[torch.Tensor]) -> List[torch.Tensor]:
        """Forward function.

        A one-branch module runs, as in MMPose 0.29, only its first block
        (``layers[0]``) on its input and fuses nothing: ``[layers[0](x[0])]``.
        A 'LITE' block takes the list of branches, so 0.29 code passes
        ``[[t]]`` and gets ``[[out]]``; ``[t]`` gives ``[out]``.

        Args:
            x (list[Tensor]): One input per branch, highest resolution
                first.

        Returns:
            list[Tensor]: The output branches.
        """
        if len(x) != self.num_branches:
            raise ArgumentError(f'LiteHRModule expects {self.num_branches} '
                                f'inputs, got {len(x)}')
        if self.num_branches == 1:
            if self.module_type == 'LITE' and torch.is_tensor(x[0]):
                return self.layers[0]([x[0]])
            return [self.layers[0](x[0])]
        if self.module_type == 'LITE':
            out = self.layers(list(x))
        else:
            out = [branch(t) for branch, t in zip(self.layers, x)]
        if self.with_fuse and self.fuse_layers is not None:
            out = self._fuse(out)
        return out if self.multiscale_output else out[:1]


@BACKBONES.register_module()
class LiteHRNet(BaseBackbone):
    """Lite-HRNet backbone (new in MMPose 0.29).

    ``extra`` holds:

    - ``stem``: dict(stem_channels, out_channels, expand_ratio) of
      :class:`Stem` (output stride 4);
    - ``num_stages``: number of stages;
    - ``stages_spec``: per-stage sequences ``num_modules``,
      ``num_branches``, ``num_blocks``, ``module_type`` ('LITE' |
      'NAIVE'), ``with_fuse``, ``reduce_ratios`` and ``num_channels`` (one
      tuple of channels per branch);
    - ``with_head``: refine the last stage's branches with
      :class:`IterativeHead` (``head_layer``).

    Before stage ``i``, ``transition{i}`` adapts the existing branches'
    channels (depth-wise + point-wise convs; None when equal) and creates
    the new lower-resolution branches from the lowest one (stride-2
    depth-wise + point-wise convs).

    Args:
        extra (dict): Architecture, see above.
        in_channels (int): Input image channels. Default: 3.
        conv_cfg (dict | None): Config of the convs. Default: None.
        norm_cfg (dict): Config of the norms. Default: dict(type='BN').
        norm_eval (bool): Keep BN layers in eval mode while training.
            Default: False.
        with_cp (bool): Gradient checkpointing in the stem and the blocks.
            Default: False.

    Shapes:
        x (Tensor[N, in_channels, H, W]) -> a one-element list (as in 0.29)
        with the highest-resolution branch,
        ``Tensor[N, num_channels[-1][0], H / 4, W / 4]``.

    Example:
        >>> import torch
        >>> extra = dict(
        ...     stem=dict(stem_channels=32, out_channels=32, expand_ratio=1),
        ...     num_stages=3,
        ...     stages_spec=dict(
        ...         num_modules=(2, 4, 2),
        ...         num_branches=(2, 3, 4),
        ...         num_blocks=(2, 2, 2),
        ...         module_type=('LITE', 'LITE', 'LITE'),
        ...         with_fuse=(True, True, True),
        ...         reduce_ratios=(8, 8, 8),
        ...         num_channels=((40, 80), (40, 80, 160),
        ...                       (40, 80, 160, 320))),
        ...     with_head=True)
        >>> model = LiteHRNet(extra).eval()
        >>> [tuple(o.shape) for o in model(torch.rand(1, 3, 64, 64))]
        [(1, 40, 16, 16)]
    """

    def __init__(self,
                 extra: dict,
                 in_channels: int = 3,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 norm_eval: bool = False,
                 with_cp: bool = False) -> None:
        super().__init__()
        self._check_extra(extra)
        self.extra = extra
        self.conv_cfg = conv_cfg
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.norm_eval = norm_eval
        self.with_cp = with_cp

        self.stem = Stem(
            in_channels,
            conv_cfg=conv_cfg,
            norm_cfg=self.norm_cfg,
            with_cp=with_cp,
            **{key: extra['stem'][key]
               for key in _STEM_KEYS})
        self.num_stages = extra['num_stages']
        self.stages_spec = extra['stages_spec']
        channels = [self.stem.out_channels]
        for i in range(self.num_stages):
            stage_channels = list(self.stages_spec['num_channels'][i])
            setattr(self, f'transition{i}',
                    self._make_transition_layer(channels, stage_channels))
            setattr(self, f'stage{i}', self._make_stage(i, stage_channels))
            channels = stage_channels
        self.with_head = extra['with_head']
        if self.with_head:
            self.head_layer = IterativeHead(channels, norm_cfg=self.norm_cfg)

    @staticmethod
    def _check_extra(extra: dict) -> None:
        """Validate ``extra`` with messages naming the offending key."""
        if not isinstance(extra, dict):
            raise ArgumentTypeError(
                f'LiteHRNet: extra must be a dict, got {type(extra).__name__}')
        missing = [
            key for key in ('stem', 'num_stages', 'stages_spec', 'with_head')
            if key not in extra
        ]
        missing += [
            f'stem.{key}' for key in _STEM_KEYS
            if key not in extra.get('stem', {})
        ]
        missing += [
            f'stages_spec.{key}' for key in _STAGE_KEYS
            if key not in extra.get('stages_spec', {})
        ]
        if missing:
            raise UnknownNameError(f'LiteHRNet: extra is missing {missing}')
        num_stages, spec = extra['num_stages'], extra['stages_spec']
        short = {
            key: list(spec[key])
            for key in _STAGE_KEYS if len(spec[key]) < num_stages
        }
        if short:
            raise ArgumentError(
                f'LiteHRNet: stages_spec entries need num_stages='
                f'{num_stages} values, got {short}')
        for i in range(num_stages):
            if len(spec['num_channels'][i]) != spec['num_branches'][i]:
                raise ArgumentError(
                    f'LiteHRNet: stage {i} has num_branches='
                    f'{spec["num_branches"][i]} but num_channels='
                    f'{list(spec["num_channels"][i])}')

    def _make_transition_layer(self, pre_channels: List[int],
                               cur_channels: List[int]) -> nn.ModuleList:
        """Adapt the existing branches (None when unchanged) and derive the
        new ones from the lowest-resolution branch."""
        num_pre = len(pre_channels)
        layers = []
        for i, cur in enumerate(cur_channels):
            if i < num_pre:
                pre = pre_channels[i]
                layers.append(None if pre == cur else _dw_pw(
                    self.conv_cfg, self.norm_cfg, pre, cur, 1, True))
                continue
            lowest = pre_channels[-1]
            steps = i + 1 - num_pre
            layers.append(
                nn.Sequential(*[
                    _dw_pw(self.conv_cfg, self.norm_cfg, lowest,
                           cur if step == steps - 1 else lowest, 2, True)
                    for step in range(steps)
                ]))
        return nn.ModuleList(layers)

    def _make_stage(self, index: int,
                    in_channels: List[int]) -> nn.Sequential:
        """The ``num_modules[index]`` :class:`LiteHRModule` of a stage."""
        spec = self.stages_spec
        return nn.Sequential(*[
            LiteHRModule(
                spec['num_branches'][index],
                spec['num_blocks'][index],
                in_channels,
                spec['reduce_ratios'][index],
                spec['module_type'][index],
                multiscale_output=True,
                with_fuse=spec['with_fuse'][index],
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                with_cp=self.with_cp)
            for _ in range(spec['num_modules'][index])
        ])

    def _init_from_scratch(self) -> None:
        """N(0, 0.001) convs with zero bias, unit norm weights (as 0.29)."""
        self._init_conv_norm(self.modules(), conv_std=0.001)

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (Tensor[N, in_channels, H, W]): Input images.

        Returns:
            list[Tensor]: ``[Tensor[N, C_0, H / 4, W / 4]]``, the
            highest-resolution branch of the last stage (after
            ``head_layer`` when ``with_head``).
        """
        y_list = [self.stem(x)]
        for i in range(self.num_stages):
            y_list = HRNet._transition(
                getattr(self, f'transition{i}'), y_list)
            y_list = getattr(self, f'stage{i}')(y_list)
        if self.with_head:
            y_list = self.head_layer(y_list)
        return [y_list[0]]
