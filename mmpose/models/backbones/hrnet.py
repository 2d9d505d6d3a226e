"""HRNet: High-Resolution Network.

Sun et al., "Deep High-Resolution Representation Learning for Human Pose
Estimation", CVPR 2019; HRNetV2 comes from the 2019 follow-up by Sun et al.
on high-resolution representations for labeling pixels and regions. A
stride-4 stem is followed by four stages; each stage adds a lower-resolution
branch and its modules exchange information between all branches through
repeated multi-scale fusion.
"""
import copy
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Type

import torch
from mmcv.cnn import build_conv_layer, build_norm_layer, constant_init
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

from ..builder import BACKBONES
from .base_backbone import BaseBackbone
from .resnet import BasicBlock, Bottleneck

__all__ = ['HRModule', 'HRNet']

#: Residual block of each ``block`` name in ``extra`` with its expansion.
BLOCKS: Dict[str, Tuple[Type[nn.Module], int]] = {
    'BASIC': (BasicBlock, 1),
    'BOTTLENECK': (Bottleneck, 4),
}

DEFAULT_UPSAMPLE_CFG = dict(mode='nearest', align_corners=None)


def _block_and_expansion(
        name: str,
        where: str,
        table: Dict[str, Tuple[Type[nn.Module], int]] = BLOCKS
) -> Tuple[type, int]:
    if name not in table:
        raise UnknownNameError(f'HRNet: {where} block must be one of '
                               f'{sorted(table)}, got {name!r}')
    return table[name]


def build_fuse_layers(
    channels: Sequence[int], multiscale_output: bool,
    conv_cfg: Optional[dict], norm_cfg: dict, upsample_cfg: dict,
    down_step: Callable[[int, int, bool], nn.Module]
) -> Optional[nn.ModuleList]:
    """Fusion layers of a multi-branch module (HRNet, HRFormer,
    Lite-HRNet); None for a single branch.

    ``fuse[i][j]`` brings branch ``j`` (``channels[j]`` channels, resolution
    ``1 / 2**j``) to branch ``i``: for ``j > i`` a 1x1 conv + norm +
    upsampling by ``2**(j - i)`` (``upsample_cfg``: ``mode``,
    ``align_corners``); ``None`` for ``j == i``; for ``j < i`` the
    ``i - j`` modules ``down_step(in_ch, out_ch, last)`` in a row, each
    halving the resolution, only the last one changing the channels.
    Outputs are every branch when ``multiscale_output``, else the first.
    """
    num_branches = len(channels)
    if num_branches == 1:
        return None

    def fuse(i: int, j: int) -> Optional[nn.Module]:
        if j > i:
            return nn.Sequential(
                build_conv_layer(
                    conv_cfg, channels[j], channels[i], kernel_size=1,
                    bias=False),
                build_norm_layer(norm_cfg, channels[i])[1],
                nn.Upsample(
                    scale_factor=2**(j - i),
                    mode=upsample_cfg['mode'],
                    align_corners=upsample_cfg['align_corners']))
        if j == i:
            return None
        return nn.Sequential(*[
            down_step(channels[j], channels[i] if k == i - j - 1 else
                      channels[j], k == i - j - 1) for k in range(i - j)
        ])

    num_out = num_branches if multiscale_output else 1
    return nn.ModuleList([
        nn.ModuleList([fuse(i, j) for j in range(num_branches)])
        for i in range(num_out)
    ])


class HRModule(nn.Module):
    """High-Resolution Module: parallel residual branches followed by a
    fusion that sums, for each output branch, every branch resized to its
    resolution (1x1 conv + upsample from lower resolutions, strided 3x3
    convs from higher ones).

    Args:
        num_branches (int): Number of branches.
        blocks (type): Residual block class of the branches.
        num_blocks (Sequence[int]): Blocks per branch.
        in_channels (list[int]): Input channels per branch (updated in place
            to the output channels; read back by :class:`HRNet`).
        num_channels (Sequence[int]): Block channels per branch (before the
            block's expansion).
        multiscale_output (bool): Output all branches (True) or only the
            highest-resolution one. Default: False.
        with_cp (bool): Gradient checkpointing in the blocks.
            Default: False.
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        upsample_cfg (dict): ``mode`` and ``align_corners`` of the fusion
            upsampling. Default: dict(mode='nearest', align_corners=None).
        expansion (int | None): Expansion of ``blocks``; inferred from the
            block class when None.

    Shapes:
        x (list[Tensor[N, C_i, H/2**i, W/2**i]]) -> list of the same shapes
        (``num_branches`` entries, or only the first one).
    """

    def __init__(self,
                 num_branches: int,
                 blocks: Type[nn.Module],
                 num_blocks: Sequence[int],
                 in_channels: List[int],
                 num_channels: Sequence[int],
                 multiscale_output: bool = False,
                 with_cp: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 upsample_cfg: dict = dict(
                     mode='nearest', align_corners=None),
                 expansion: Optional[int] = None) -> None:
        super().__init__()
        self._check_branches(num_branches, num_blocks, in_channels,
                             num_channels)
        self.in_channels = in_channels
        self.num_branches = num_branches
        self.multiscale_output = multiscale_output
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.conv_cfg = conv_cfg
        self.upsample_cfg = dict(upsample_cfg)
        self.with_cp = with_cp
        if expansion is None:
            expansion = 4 if issubclass(blocks, Bottleneck) else 1
        self.expansion = expansion
        self.branches = nn.ModuleList([
            self._make_one_branch(i, blocks, num_blocks, num_channels)
            for i in range(num_branches)
        ])
        self.fuse_layers = self._make_fuse_layers()
        self.relu = nn.ReLU(inplace=True)

    @staticmethod
    def _check_branches(num_branches: int, num_blocks: Sequence[int],
                        in_channels: Sequence[int],
                        num_channels: Sequence[int]) -> None:
        """Check that every per-branch list has ``num_branches`` entries."""
        for name, value in (('num_blocks', num_blocks),
                            ('in_channels', in_channels),
                            ('num_channels', num_channels)):
            if len(value) != num_branches:
                raise ArgumentError(
                    f'HRModule: num_branches ({num_branches}) != '
                    f'len({name}) ({len(value)}, {name}={list(value)})')

    def _norm(self, channels: int) -> nn.Module:
        return build_norm_layer(self.norm_cfg, channels)[1]

    def _conv(self, in_ch: int, out_ch: int, kernel: int,
              stride: int = 1) -> nn.Module:
        return build_conv_layer(
            self.conv_cfg,
            in_ch,
            out_ch,
            kernel_size=kernel,
            stride=stride,
            padding=(kernel - 1) // 2,
            bias=False)

    def _make_one_branch(self, branch_index: int, block: Type[nn.Module],
                         num_blocks: Sequence[int],
                         num_channels: Sequence[int]) -> nn.Sequential:
        out_channels = num_channels[branch_index] * self.expansion
        in_channels = self.in_channels[branch_index]
        downsample = None
        if in_channels != out_channels:
            downsample = nn.Sequential(
                self._conv(in_channels, out_channels, 1),
                self._norm(out_channels))
        layers = []
        for i in range(num_blocks[branch_index]):
            layers.append(
                block(
                    in_channels if i == 0 else out_channels,
                    out_channels,
                    downsample=downsample if i == 0 else None,
                    with_cp=self.with_cp,
                    norm_cfg=self.norm_cfg,
                    conv_cfg=self.conv_cfg))
        self.in_channels[branch_index] = out_channels
        return nn.Sequential(*layers)

    def _make_fuse_layers(self) -> Optional[nn.ModuleList]:
        """``fuse_layers[i][j]`` brings branch ``j`` to branch ``i``."""
        return build_fuse_layers(self.in_channels, self.multiscale_output,
                                 self.conv_cfg, self.norm_cfg,
                                 self.upsample_cfg, self._fuse_down_step)

    def _fuse_down_step(self, in_ch: int, out_ch: int,
                        last: bool) -> nn.Sequential:
        """Stride-2 3x3 conv + norm (+ ReLU unless ``last``)."""
        layers = [self._conv(in_ch, out_ch, 3, stride=2), self._norm(out_ch)]
        if not last:
            layers.append(nn.ReLU(inplace=True))
        return nn.Sequential(*layers)

    def forward(self, x: List[torch.Tensor]) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (list[Tensor[N, C_i, H_i, W_i]]): One input per branch.

        Returns:
            list[Tensor]: Fused outputs, highest resolution first.
        """
        if len(x) != self.num_branches:
            raise ArgumentError(
                f'HRModule expects {self.num_branches} inputs, '
                f'got {len(x)}')
        x = [branch(x_i) for branch, x_i in zip(self.branches, x)]
        if self.num_branches == 1:
            return x
        x_fuse = []
        for i, fuse_layer in enumerate(self.fuse_layers):
            y = x[i]
            for j in range(self.num_branches):
                if j != i:
                    y = y + fuse_layer[j](x[j])
            x_fuse.append(self.relu(y))
        return x_fuse


@BACKBONES.register_module()
class HRNet(BaseBackbone):
    """HRNet backbone.

    ``extra`` holds ``stage1`` .. ``stage4`` dicts with ``num_modules``,
    ``num_branches``, ``block`` ('BASIC' | 'BOTTLENECK'), ``num_blocks`` and
    ``num_channels`` (one entry per branch); ``stage1`` has one branch.
    ``stage4`` may set ``multiscale_output`` (default False: only the
    highest-resolution branch is returned). ``extra['upsample']`` (optional,
    e.g. dict(mode='bilinear', align_corners=False) in HRNetV2 configs)
    sets the fusion upsampling; nearest by default.

    Args:
        extra (dict): Stage configuration, see above.
        in_channels (int): Input image channels. Default: 3.
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        norm_eval (bool): Keep norm layers in eval mode (frozen running
            statistics) while training. Default: False.
        with_cp (bool): Gradient checkpointing in the residual blocks.
            Default: False.
        zero_init_residual (bool): Zero-init the last norm of each residual
            block so that it starts as identity. Default: False.
        frozen_stages (int): Freeze the stem (0) and stages 1..
            ``frozen_stages`` with the transitions after them (0.29); -1
            freezes nothing. Default: -1.

    Shapes:
        x (Tensor[N, in_channels, H, W]) -> list of
        ``Tensor[N, stage4.num_channels[i] * expansion, H/2**(i+2),
        W/2**(i+2)]`` for every stage-4 branch ``i`` (only ``i = 0`` unless
        ``multiscale_output``).

    Example:
        >>> from mmpose.models import HRNet
        >>> import torch
        >>> extra = dict(
        ...     stage1=dict(num_modules=1, num_branches=1, block='BOTTLENECK',
        ...                 num_blocks=(4, ), num_channels=(64, )),
        ...     stage2=dict(num_modules=1, num_branches=2, block='BASIC',
        ...                 num_blocks=(4, 4), num_channels=(32, 64)),
        ...     stage3=dict(num_modules=4, num_branches=3, block='BASIC',
        ...                 num_blocks=(4, 4, 4), num_channels=(32, 64, 128)),
        ...     stage4=dict(num_modules=3, num_branches=4, block='BASIC',
        ...                 num_blocks=(4, 4, 4, 4),
        ...                 num_channels=(32, 64, 128, 256),
        ...                 multiscale_output=True))
        >>> self = HRNet(extra, in_channels=1)
        >>> _ = self.eval()
        >>> outs = self.forward(torch.rand(1, 1, 32, 32))
        >>> [tuple(o.shape) for o in outs]
        [(1, 32, 8, 8), (1, 64, 4, 4), (1, 128, 2, 2), (1, 256, 1, 1)]
    """

    blocks_dict = {name: block for name, (block, _) in BLOCKS.items()}
    #: ``block`` names accepted in ``extra``: (block class, expansion).
    block_specs: Dict[str, Tuple[Type[nn.Module], int]] = BLOCKS

    @classmethod
    def _block_spec(cls, name: str, where: str) -> Tuple[type, int]:
        return _block_and_expansion(name, where, cls.block_specs)

    def __init__(self,
                 extra: dict,
                 in_channels: int = 3,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 norm_eval: bool = False,
                 with_cp: bool = False,
                 zero_init_residual: bool = False,
                 frozen_stages: int = -1) -> None:
        norm_cfg = copy.deepcopy(norm_cfg)
        super().__init__()
        self._check_extra(extra)
        self.extra = extra
        self.in_channels = in_channels
        self.conv_cfg = conv_cfg
        self.norm_cfg = norm_cfg
        self.norm_eval = norm_eval
        self.with_cp = with_cp
        self.zero_init_residual = zero_init_residual
        self.upsample_cfg = dict(
            self.extra.get('upsample', DEFAULT_UPSAMPLE_CFG))

        # stem: two stride-2 3x3 convs (stride 4 in total)
        self.norm1_name, norm1 = build_norm_layer(norm_cfg, 64, postfix=1)
        self.norm2_name, norm2 = build_norm_layer(norm_cfg, 64, postfix=2)
        self.conv1 = build_conv_layer(
            conv_cfg, in_channels, 64, 3, stride=2, padding=1, bias=False)
        self.add_module(self.norm1_name, norm1)
        self.conv2 = build_conv_layer(
            conv_cfg, 64, 64, 3, stride=2, padding=1, bias=False)
        self.add_module(self.norm2_name, norm2)
        self.relu = nn.ReLU(inplace=True)

        # stage 1: a plain residual layer
        self.stage1_cfg = self.extra['stage1']
        block, expansion = self._block_spec(self.stage1_cfg['block'],
                                            'stage1')
        stage1_out_channels = self.stage1_cfg['num_channels'][0] * expansion
        self.layer1 = self._make_layer(block, 64, stage1_out_channels,
                                       self.stage1_cfg['num_blocks'][0])

        # stages 2-4: transition (new branch) + HRModules
        pre_stage_channels = [stage1_out_channels]
        for index in (2, 3, 4):
            stage_cfg = self.extra[f'stage{index}']
            setattr(self, f'stage{index}_cfg', stage_cfg)
            _, expansion = self._block_spec(stage_cfg['block'],
                                            f'stage{index}')
            num_channels = [c * expansion for c in stage_cfg['num_channels']]
            setattr(self, f'transition{index - 1}',
                    self._make_transition_layer(pre_stage_channels,
                                                num_channels))
            multiscale_output = (
                stage_cfg.get('multiscale_output', False)
                if index == 4 else True)
            stage, pre_stage_channels = self._make_stage(
                stage_cfg, num_channels, multiscale_output=multiscale_output)
            setattr(self, f'stage{index}', stage)
        self._check_frozen_stages(frozen_stages, 4)
        self.frozen_stages = frozen_stages
        self._freeze_stages()

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        """Stem (0); stage 1 ``layer1``; stage i ``stage<i>``; stages 1-3
        also their outgoing ``transition<i>``, as in 0.29."""
        if stage == 0:
            return [self.conv1, self.norm1, self.conv2, self.norm2]
        name = 'layer1' if stage == 1 else f'stage{stage}'
        modules = [getattr(self, name)]
        if stage < 4:
            modules.append(getattr(self, f'transition{stage}'))
        return modules

    @classmethod
    def _check_extra(cls, extra: dict) -> None:
        """Validate ``extra`` with messages naming the offending key."""
        if not isinstance(extra, dict):
            raise ArgumentTypeError(
                f'HRNet: extra must be a dict, got {type(extra).__name__}')
        keys = ('num_modules', 'num_branches', 'block', 'num_blocks',
                'num_channels')
        for index in (1, 2, 3, 4):
            name = f'stage{index}'
            if name not in extra:
                raise UnknownNameError(f'HRNet: extra is missing {name!r}')
            cfg = extra[name]
            missing = [k for k in keys if k not in cfg]
            if missing:
                raise UnknownNameError(
                    f'HRNet: extra[{name!r}] is missing {missing}')
            cls._block_spec(cfg['block'], name)
            for key in ('num_blocks', 'num_channels'):
                if len(cfg[key]) != cfg['num_branches']:
                    raise ArgumentError(
                        f'HRNet: extra[{name!r}][{key!r}] = '
                        f'{list(cfg[key])} must have num_branches='
                        f'{cfg["num_branches"]} entries')
            if cfg['num_modules'] < 1:
                raise ArgumentError(f'HRNet: extra[{name!r}][\'num_modules\'] '
                                    f'must be >= 1, got {cfg["num_modules"]}')
        if extra['stage1']['num_branches'] != 1:
            raise ArgumentError('HRNet: stage1 must have num_branches=1, got '
                                f'{extra["stage1"]["num_branches"]}')

    @property
    def norm1(self) -> nn.Module:
        """The normalization layer named "norm1"."""
        return getattr(self, self.norm1_name)

    @property
    def norm2(self) -> nn.Module:
        """The normalization layer named "norm2"."""
        return getattr(self, self.norm2_name)

    def _conv_norm_relu(self, in_ch: int, out_ch: int,
                        stride: int) -> nn.Sequential:
        return nn.Sequential(
            build_conv_layer(
                self.conv_cfg,
                in_ch,
                out_ch,
                kernel_size=3,
                stride=stride,
                padding=1,
                bias=False),
            build_norm_layer(self.norm_cfg, out_ch)[1], nn.ReLU(inplace=True))

    def _make_transition_layer(self, num_channels_pre_layer: List[int],
                               num_channels_cur_layer: List[int]
                               ) -> nn.ModuleList:
        """Adapt existing branches' channels (3x3 conv, or None when equal)
        and create new branches by stride-2 3x3 convs from the lowest
        resolution one."""
        num_pre = len(num_channels_pre_layer)
        layers = []
        for i, cur in enumerate(num_channels_cur_layer):
            if i < num_pre:
                pre = num_channels_pre_layer[i]
                layers.append(
                    self._conv_norm_relu(pre, cur, 1) if pre != cur else None)
            else:
                in_ch = num_channels_pre_layer[-1]
                downs = []
                for j in range(i + 1 - num_pre):
                    out_ch = cur if j == i - num_pre else in_ch
                    downs.append(self._conv_norm_relu(in_ch, out_ch, 2))
                layers.append(nn.Sequential(*downs))
        return nn.ModuleList(layers)

    def _make_layer(self,
                    block: Type[nn.Module],
                    in_channels: int,
                    out_channels: int,
                    blocks: int,
                    stride: int = 1) -> nn.Sequential:
        downsample = None
        if stride != 1 or in_channels != out_channels:
            downsample = nn.Sequential(
                build_conv_layer(
                    self.conv_cfg,
                    in_channels,
                    out_channels,
                    kernel_size=1,
                    stride=stride,
                    bias=False),
                build_norm_layer(self.norm_cfg, out_channels)[1])
        layers = [
            block(
                in_channels,
                out_channels,
                stride=stride,
                downsample=downsample,
                with_cp=self.with_cp,
                norm_cfg=self.norm_cfg,
                conv_cfg=self.conv_cfg)
        ]
        layers += [
            block(
                out_channels,
                out_channels,
                with_cp=self.with_cp,
                norm_cfg=self.norm_cfg,
                conv_cfg=self.conv_cfg) for _ in range(1, blocks)
        ]
        return nn.Sequential(*layers)

    def _make_stage(self,
                    layer_config: dict,
                    in_channels: List[int],
                    multiscale_output: bool = True
                    ) -> Tuple[nn.Sequential, List[int]]:
        num_modules = layer_config['num_modules']
        in_channels = list(in_channels)
        hr_modules = []
        for i in range(num_modules):
            # multiscale_output=False only affects the last module
            last = i == num_modules - 1
            hr_modules.append(
                self._make_module(layer_config, i, in_channels,
                                  multiscale_output or not last))
            in_channels = hr_modules[-1].in_channels
        return nn.Sequential(*hr_modules), in_channels

    def _make_module(self, layer_config: dict, index: int,
                     in_channels: List[int],
                     multiscale_output: bool) -> nn.Module:
        """Module ``index`` of the stage described by ``layer_config``,
        taking ``in_channels``."""
        block, expansion = self._block_spec(layer_config['block'], 'stage')
        return HRModule(
            layer_config['num_branches'],
            block,
            layer_config['num_blocks'],
            in_channels,
            layer_config['num_channels'],
            multiscale_output,
            with_cp=self.with_cp,
            norm_cfg=self.norm_cfg,
            conv_cfg=self.conv_cfg,
            upsample_cfg=self.upsample_cfg,
            expansion=expansion)

    def _init_from_scratch(self) -> None:
        """N(0, 0.001) convs, unit norm weights; optionally zero the last
        norm of every residual block."""
        self._init_conv_norm(self.modules(), conv_std=0.001)
        if self.zero_init_residual:
            for m in self.modules():
                if isinstance(m, Bottleneck):
                    constant_init(m.norm3, 0)
                elif isinstance(m, BasicBlock):
                    constant_init(m.norm2, 0)

    @staticmethod
    def _transition(transition: nn.ModuleList,
                    y_list: List[torch.Tensor]) -> List[torch.Tensor]:
        """Apply a transition: existing branches keep (or adapt) their
        feature, new branches start from the lowest-resolution one."""
        x_list = []
        for i, layer in enumerate(transition):
            source = y_list[i] if i < len(y_list) else y_list[-1]
            x_list.append(source if layer is None else layer(source))
        return x_list

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (Tensor[N, in_channels, H, W]): Input images.

        Returns:
            list[Tensor]: Stage-4 outputs, highest resolution (stride 4)
            first.
        """
        x = self.relu(self.norm1(self.conv1(x)))
        x = self.relu(self.norm2(self.conv2(x)))
        y_list = [self.layer1(x)]
        y_list = self.stage2(self._transition(self.transition1, y_list))
        y_list = self.stage3(self._transition(self.transition2, y_list))
        y_list = self.stage4(self._transition(self.transition3, y_list))
        return y_list
