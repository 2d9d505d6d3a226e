"""ResNet backbones.

ResNet: "Deep Residual Learning for Image Recognition", He et al., CVPR 2016
(https://arxiv.org/abs/1512.03385). ResNetV1d: the stem and down-sampling
tweaks of "Bag of Tricks for Image Classification with Convolutional Neural
Networks", He et al., CVPR 2019 (https://arxiv.org/abs/1812.01187).

The residual blocks (:class:`BasicBlock`, :class:`Bottleneck`) and the stage
builder (:class:`ResLayer`) are shared by ResNeXt, SE-ResNet(X)t, ResNeSt,
RegNet and SCNet.
"""
import copy
from typing import Dict, List, Optional, Sequence, Tuple, Type, Union

from mmcv.cnn import (ConvModule, build_conv_layer, build_norm_layer,
                      constant_init)
from torch import Tensor, nn

from mmpose.errors import (ArgumentError, ArgumentTypeError, UnknownNameError,
                           UnsupportedError)

from ..builder import BACKBONES
from .base_backbone import BaseBackbone
from .utils import CheckpointedBlock, named_norm

__all__ = [
    'BasicBlock', 'Bottleneck', 'ResLayer', 'ResNet', 'ResNetV1d',
    'get_expansion'
]

_STYLES = ('pytorch', 'caffe')


def check_style(style: str, owner: str) -> None:
    """Reject a ``style`` other than 'pytorch' and 'caffe'."""
    if style not in _STYLES:
        raise UnknownNameError(
            f'{owner}: style must be one of {_STYLES}, but got {style!r}')


class _ResidualBlock(CheckpointedBlock):
    """Common forward of residual blocks: ``relu(residual(x) + shortcut(x))``.

    Subclasses build their layers and implement :meth:`_residual`; the
    shortcut is ``self.downsample`` (or identity when None). With ``with_cp``
    the block body is recomputed in backward (gradient checkpointing).
    """

    def _set_block_args(self, in_channels: int, out_channels: int,
                        expansion: int, stride: int, dilation: int,
                        style: str, with_cp: bool, conv_cfg: Optional[dict],
                        norm_cfg: dict) -> None:
        """Check and store the arguments of the ResNet blocks."""
        _check_block_args(type(self).__name__, out_channels, expansion, style)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.expansion = expansion
        self.mid_channels = out_channels // expansion
        self.stride = stride
        self.dilation = dilation
        self.style = style
        self.with_cp = with_cp
        self.conv_cfg = conv_cfg
        self.norm_cfg = norm_cfg

    def _residual(self, x: Tensor) -> Tensor:
        raise UnsupportedError(
            f'{type(self).__name__} must implement _residual()')

    def _inner_forward(self, x: Tensor) -> Tensor:
        out = self._residual(x)
        return out + (x if self.downsample is None else self.downsample(x))

    def forward(self, x: Tensor) -> Tensor:
        """Forward function.

        Args:
            x (Tensor[N, in_channels, H, W]): Input features.

        Returns:
            Tensor[N, out_channels, H / stride, W / stride]: Output features.
        """
        return self.relu(super().forward(x))


def _check_block_args(block: str, out_channels: int, expansion: int,
                      style: str) -> None:
    """Raise a clear error for an unknown style or a bad expansion."""
    check_style(style, block)
    if not isinstance(expansion, int):
        raise ArgumentTypeError(
            f'{block}: expansion must be an int, got {expansion!r}')
    if expansion <= 0:
        raise ArgumentError(
            f'{block}: expansion must be positive, got {expansion}')
    if out_channels % expansion != 0:
        raise ArgumentError(f'{block}: out_channels ({out_channels}) must be '
                            f'divisible by expansion ({expansion})')


class BasicBlock(_ResidualBlock):
    """BasicBlock for ResNet: two 3x3 convs.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        expansion (int): The ratio of ``out_channels/mid_channels`` where
            ``mid_channels`` is the output channels of conv1. This is a
            reserved argument in BasicBlock and should always be 1.
            Default: 1.
        stride (int): Stride of the first conv. Default: 1.
        dilation (int): Dilation of the first conv. Default: 1.
        downsample (nn.Module | None): Shortcut branch. Default: None.
        style (str): 'pytorch' or 'caffe'. Unused here, kept for a uniform
            interface with :class:`Bottleneck`. Default: 'pytorch'.
        with_cp (bool): Use gradient checkpointing. Default: False.
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
    """

    norm1 = named_norm(1)
    norm2 = named_norm(2)

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 expansion: int = 1,
                 stride: int = 1,
                 dilation: int = 1,
                 downsample: Optional[nn.Module] = None,
                 style: str = 'pytorch',
                 with_cp: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        self._set_block_args(in_channels, out_channels, expansion, stride,
                             dilation, style, with_cp, conv_cfg, norm_cfg)
        if expansion != 1:
            raise ArgumentError(
                f'BasicBlock: expansion must be 1, but got {expansion}')
        self.norm1_name, norm1 = build_norm_layer(
            norm_cfg, self.mid_channels, postfix=1)
        self.norm2_name, norm2 = build_norm_layer(
            norm_cfg, out_channels, postfix=2)
        self.conv1 = build_conv_layer(
            conv_cfg,
            in_channels,
            self.mid_channels,
            3,
            stride=stride,
            padding=dilation,
            dilation=dilation,
            bias=False)
        self.add_module(self.norm1_name, norm1)
        self.conv2 = build_conv_layer(
            conv_cfg, self.mid_channels, out_channels, 3, padding=1,
            bias=False)
        self.add_module(self.norm2_name, norm2)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def _residual(self, x: Tensor) -> Tensor:
        out = self.relu(self.norm1(self.conv1(x)))
        return self.norm2(self.conv2(out))


class Bottleneck(_ResidualBlock):
    """Bottleneck block for ResNet: 1x1 reduce, 3x3, 1x1 expand.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        expansion (int): The ratio of ``out_channels/mid_channels`` where
            ``mid_channels`` is the input/output channels of conv2.
            Default: 4.
        stride (int): Stride of the block. Default: 1.
        dilation (int): Dilation of the 3x3 conv. Default: 1.
        downsample (nn.Module | None): Shortcut branch. Default: None.
        style (str): 'pytorch' or 'caffe'. With 'pytorch' the stride-two
            layer is the 3x3 conv, with 'caffe' the first 1x1 conv.
            Default: 'pytorch'.
        with_cp (bool): Use gradient checkpointing. Default: False.
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
    """

    norm1 = named_norm(1)
    norm2 = named_norm(2)
    norm3 = named_norm(3)

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 expansion: int = 4,
                 stride: int = 1,
                 dilation: int = 1,
                 downsample: Optional[nn.Module] = None,
                 style: str = 'pytorch',
                 with_cp: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN')):
        super().__init__()
        self._set_block_args(in_channels, out_channels, expansion, stride,
                             dilation, style, with_cp, conv_cfg, norm_cfg)
        if style == 'pytorch':
            self.conv1_stride, self.conv2_stride = 1, stride
        else:
            self.conv1_stride, self.conv2_stride = stride, 1
        self._build_layers(self.mid_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def _build_layers(self, mid_channels: int, groups: int = 1) -> None:
        """(Re)build conv1-3 and norm1-3 around ``mid_channels``.

        Subclasses that change the middle width (ResNeXt) call it again;
        rebuilding keeps the 0.x attribute names and registration order.
        """
        self.mid_channels = mid_channels
        self.norm1_name, norm1 = build_norm_layer(
            self.norm_cfg, mid_channels, postfix=1)
        self.norm2_name, norm2 = build_norm_layer(
            self.norm_cfg, mid_channels, postfix=2)
        self.norm3_name, norm3 = build_norm_layer(
            self.norm_cfg, self.out_channels, postfix=3)
        self.conv1 = build_conv_layer(
            self.conv_cfg,
            self.in_channels,
            mid_channels,
            kernel_size=1,
            stride=self.conv1_stride,
            bias=False)
        self.add_module(self.norm1_name, norm1)
        self.conv2 = build_conv_layer(
            self.conv_cfg,
            mid_channels,
            mid_channels,
            kernel_size=3,
            stride=self.conv2_stride,
            padding=self.dilation,
            dilation=self.dilation,
            groups=groups,
            bias=False)
        self.add_module(self.norm2_name, norm2)
        self.conv3 = build_conv_layer(
            self.conv_cfg,
            mid_channels,
            self.out_channels,
            kernel_size=1,
            bias=False)
        self.add_module(self.norm3_name, norm3)

    def _residual(self, x: Tensor) -> Tensor:
        out = self.relu(self.norm1(self.conv1(x)))
        out = self.relu(self.norm2(self.conv2(out)))
        return self.norm3(self.conv3(out))


#: Blocks in each of the four stages of a ResNet of each depth; the
#: variants (ResNeXt, SE-ResNet, ResNeSt, SCNet) stack their blocks alike.
STAGE_BLOCKS = {
    18: (2, 2, 2, 2), 34: (3, 4, 6, 3), 50: (3, 4, 6, 3),
    101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3),
    269: (3, 30, 48, 8)
}  # yapf: disable


def arch_settings_of(block: Type[nn.Module],
                     depths: Sequence[int]) -> Dict[int, tuple]:
    """The ``arch_settings`` of a ResNet built from ``block``:
    ``{depth: (block, STAGE_BLOCKS[depth])}`` for each of ``depths``."""
    return {depth: (block, STAGE_BLOCKS[depth]) for depth in depths}


def get_expansion(block: Type[nn.Module],
                  expansion: Optional[int] = None) -> int:
    """Get the expansion of a residual block.

    Args:
        block (type): The block class.
        expansion (int | None): Explicit expansion. When None it is taken
            from ``block.expansion``, else 1 for :class:`BasicBlock` and 4
            for :class:`Bottleneck` (and their subclasses).

    Returns:
        int: The expansion.
    """
    if isinstance(expansion, int):
        if expansion <= 0:
            raise ArgumentError(f'expansion must be positive, got {expansion}')
        return expansion
    if expansion is not None:
        raise ArgumentTypeError('expansion must be an int or None, '
                                f'but got {type(expansion).__name__}')
    if hasattr(block, 'expansion'):
        return block.expansion
    if issubclass(block, BasicBlock):
        return 1
    if issubclass(block, Bottleneck):
        return 4
    raise ArgumentTypeError(f'expansion is not specified for {block.__name__}')


class ResLayer(nn.Sequential):
    """A stage of residual blocks.

    Args:
        block (type): Block class (e.g. :class:`BasicBlock`).
        num_blocks (int): Number of blocks.
        in_channels (int): Input channels of the stage.
        out_channels (int): Output channels of the stage.
        expansion (int | None): Block expansion, see :func:`get_expansion`.
            Default: None.
        stride (int): Stride of the down-sampling block. Default: 1.
        avg_down (bool): Down-sample the shortcut with a stride-``stride``
            AvgPool followed by a stride-1 1x1 conv, instead of a strided
            1x1 conv. Default: False.
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        downsample_first (bool): Down-sample in the first block (ResNet)
            rather than the last (Hourglass). Default: True.
        **kwargs: Further arguments of every block (dilation, style,
            with_cp, groups, ...).
    """

    def __init__(self,
                 block: Type[nn.Module],
                 num_blocks: int,
                 in_channels: int,
                 out_channels: int,
                 expansion: Optional[int] = None,
                 stride: int = 1,
                 avg_down: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 downsample_first: bool = True,
                 **kwargs):
        if num_blocks < 1:
            raise ArgumentError(f'ResLayer needs at least one block, '
                                f'got num_blocks={num_blocks}')
        self.block = block
        self.expansion = get_expansion(block, expansion)

        downsample = None
        if stride != 1 or in_channels != out_channels:
            layers = []
            conv_stride = stride
            if avg_down and stride != 1:
                conv_stride = 1
                layers.append(
                    nn.AvgPool2d(
                        kernel_size=stride,
                        stride=stride,
                        ceil_mode=True,
                        count_include_pad=False))
            layers += [
                build_conv_layer(
                    conv_cfg,
                    in_channels,
                    out_channels,
                    kernel_size=1,
                    stride=conv_stride,
                    bias=False),
                build_norm_layer(norm_cfg, out_channels)[1]
            ]
            downsample = nn.Sequential(*layers)

        common = dict(
            expansion=self.expansion,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            **kwargs)
        blocks = []
        if downsample_first:
            blocks.append(
                block(in_channels, out_channels, stride=stride,
                      downsample=downsample, **common))
            blocks += [
                block(out_channels, out_channels, stride=1, **common)
                for _ in range(num_blocks - 1)
            ]
        else:
            blocks += [
                block(in_channels, in_channels, stride=1, **common)
                for _ in range(num_blocks - 1)
            ]
            blocks.append(
                block(in_channels, out_channels, stride=stride,
                      downsample=downsample, **common))
        super().__init__(*blocks)


@BACKBONES.register_module()
class ResNet(BaseBackbone):
    """ResNet backbone (`paper <https://arxiv.org/abs/1512.03385>`__): a
    stride-4 stem and up to four stages of residual blocks.

    Args:
        depth (int): Network depth, from {18, 34, 50, 101, 152}.
        in_channels (int): Number of input image channels. Default: 3.
        stem_channels (int): Output channels of the stem layer. Default: 64.
        base_channels (int): Middle channels of the first stage. Default: 64.
        expansion (int | None): Block expansion; None uses the block's
            (1 for BasicBlock, 4 for Bottleneck). Default: None.
        num_stages (int): Stages of the network, 1 to 4. Default: 4.
        strides (Sequence[int]): Strides of the first block of each stage.
            Default: ``(1, 2, 2, 2)``.
        dilations (Sequence[int]): Dilation of each stage.
            Default: ``(1, 1, 1, 1)``.
        out_indices (Sequence[int]): Output from which stages. If only one
            stage is specified, a single tensor (feature map) is returned,
            otherwise a tuple of tensors. Default: ``(3, )``.
        style (str): 'pytorch' or 'caffe'. If set to "pytorch", the
            stride-two layer is the 3x3 conv layer, otherwise the stride-two
            layer is the first 1x1 conv layer. Default: 'pytorch'.
        deep_stem (bool): Replace 7x7 conv in input stem with 3 3x3 conv.
            Default: False.
        avg_down (bool): Use AvgPool instead of stride conv when
            downsampling in the bottleneck. Default: False.
        frozen_stages (int): Stages to be frozen (stop grad and set eval
            mode); 0 freezes the stem only. -1 means not freezing any
            parameters. Default: -1.
        conv_cfg (dict | None): The config dict for conv layers.
            Default: None.
        norm_cfg (dict): The config dict for norm layers.
            Default: ``dict(type='BN', requires_grad=True)``.
        norm_eval (bool): Whether to set norm layers to eval mode, namely,
            freeze running stats (mean and var). Note: Effect on Batch Norm
            and its variants only. Default: False.
        with_cp (bool): Whether to use gradient checkpointing, which trades
            slower training for lower memory use.
            Default: False.
        zero_init_residual (bool): Whether to use zero init for last norm
            layer in resblocks to let them behave as identity. Default: True.

    Note:
        Stage ``i`` outputs ``base_channels * expansion * 2**i`` channels at
        stride ``4 * prod(strides[:i + 1])`` of the input (ResNet-50:
        256, 512, 1024, 2048 channels at strides 4, 8, 16, 32).

    Example:
        >>> from mmpose.models import ResNet
        >>> import torch
        >>> self = ResNet(depth=18, out_indices=(0, 1, 2, 3))
        >>> self.eval()
        >>> inputs = torch.rand(1, 3, 32, 32)
        >>> level_outputs = self.forward(inputs)
        >>> for level_out in level_outputs:
        ...     print(tuple(level_out.shape))
        (1, 64, 8, 8)
        (1, 128, 4, 4)
        (1, 256, 2, 2)
        (1, 512, 1, 1)
    """

    #: Attributes of the backbone passed on to every block (the options of
    #: the variants' blocks: groups, se_ratio, radix, ...).
    block_options: Tuple[str, ...] = ()
    #: The stem's norm layer (without ``deep_stem``).
    norm1 = named_norm(1)

    arch_settings = {
        **arch_settings_of(BasicBlock, (18, 34)),
        **arch_settings_of(Bottleneck, (50, 101, 152))
    }

    def __init__(self,
                 depth: int,
                 in_channels: int = 3,
                 stem_channels: int = 64,
                 base_channels: int = 64,
                 expansion: Optional[int] = None,
                 num_stages: int = 4,
                 strides: Sequence[int] = (1, 2, 2, 2),
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
        super().__init__()
        if depth not in self.arch_settings:
            raise UnknownNameError(
                f'invalid depth {depth} for {type(self).__name__}'
                f', expected one of {sorted(self.arch_settings)}')
        if not 1 <= num_stages <= 4:
            raise ArgumentError(
                f'num_stages must be in [1, 4], got {num_stages}')
        self._set_stage_options(num_stages, strides, dilations, out_indices,
                                style, deep_stem, avg_down, frozen_stages,
                                conv_cfg, norm_cfg, norm_eval, with_cp,
                                zero_init_residual)
        self.depth = depth
        self.stem_channels = stem_channels
        self.base_channels = base_channels
        self.block, stage_blocks = self.arch_settings[depth]
        self.stage_blocks = stage_blocks[:num_stages]
        self.expansion = get_expansion(self.block, expansion)

        self._make_stem_layer(in_channels, stem_channels)
        self._make_res_layers(stem_channels, [
            base_channels * self.expansion * 2**i
            for i in range(len(self.stage_blocks))
        ])
        self._freeze_stages()
        self.feat_dim = getattr(self, self.res_layers[-1])[-1].out_channels

    def _make_res_layers(self,
                         in_channels: int,
                         stage_channels: Sequence[int],
                         stage_kwargs: Optional[Sequence[dict]] = None
                         ) -> None:
        """Build the stages ``layer1``, ``layer2``, ... (names listed in
        ``self.res_layers``) with :meth:`make_res_layer`.

        Args:
            in_channels (int): Input channels of the first stage.
            stage_channels (Sequence[int]): Output channels of each stage.
            stage_kwargs (Sequence[dict] | None): Further arguments of each
                stage's blocks. Default: None.
        """
        self.res_layers = []
        for i, num_blocks in enumerate(self.stage_blocks):
            res_layer = self.make_res_layer(
                block=self.block,
                num_blocks=num_blocks,
                in_channels=in_channels,
                out_channels=stage_channels[i],
                expansion=self.expansion,
                stride=self.strides[i],
                dilation=self.dilations[i],
                style=self.style,
                avg_down=self.avg_down,
                with_cp=self.with_cp,
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                **(stage_kwargs[i] if stage_kwargs else {}))
            in_channels = stage_channels[i]
            layer_name = f'layer{i + 1}'
            self.add_module(layer_name, res_layer)
            self.res_layers.append(layer_name)

    def _set_stage_options(self, num_stages: int, strides: Sequence[int],
                           dilations: Sequence[int],
                           out_indices: Sequence[int], style: str,
                           deep_stem: bool, avg_down: bool,
                           frozen_stages: int, conv_cfg: Optional[dict],
                           norm_cfg: dict, norm_eval: bool, with_cp: bool,
                           zero_init_residual: bool) -> None:
        """Check and store the stage options that ResNet shares with its
        variants (RegNet, ViPNAS_ResNet); ``num_stages`` is already
        checked."""
        strides, dilations = tuple(strides), tuple(dilations)
        if len(strides) != num_stages or len(dilations) != num_stages:
            raise ArgumentError(
                f'strides {strides} and dilations {dilations} must both '
                f'have num_stages={num_stages} entries')
        check_style(style, type(self).__name__)
        if not -1 <= frozen_stages <= num_stages:
            raise ArgumentError(
                f'frozen_stages must be in [-1, {num_stages}], '
                f'got {frozen_stages}')
        self.num_stages = num_stages
        self.strides = strides
        self.dilations = dilations
        self.out_indices = self._check_out_indices(out_indices, num_stages)
        self.style = style
        self.deep_stem = deep_stem
        self.avg_down = avg_down
        self.frozen_stages = frozen_stages
        self.conv_cfg = copy.deepcopy(conv_cfg)
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.with_cp = with_cp
        self.norm_eval = norm_eval
        self.zero_init_residual = zero_init_residual

    def make_res_layer(self, **kwargs) -> ResLayer:
        """Make a ResLayer of ``kwargs`` and the backbone's attributes named
        in :attr:`block_options`."""
        options = {name: getattr(self, name) for name in self.block_options}
        return ResLayer(**options, **kwargs)

    def _make_stem_layer(self,
                         in_channels: int,
                         stem_channels: int,
                         kernel_size: int = 7) -> None:
        """Stem: a stride-2 square conv of ``kernel_size`` (or three 3x3
        convs with ``deep_stem``), then a 3x3/2 max-pool; output stride 4."""
        if self.deep_stem:
            half = stem_channels // 2
            conv_kwargs = dict(
                kernel_size=3,
                padding=1,
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                inplace=True)
            self.stem = nn.Sequential(
                ConvModule(in_channels, half, stride=2, **conv_kwargs),
                ConvModule(half, half, stride=1, **conv_kwargs),
                ConvModule(half, stem_channels, stride=1, **conv_kwargs))
        else:
            self.conv1 = build_conv_layer(
                self.conv_cfg,
                in_channels,
                stem_channels,
                kernel_size=kernel_size,
                stride=2,
                padding=kernel_size // 2,
                bias=False)
            self.norm1_name, norm1 = build_norm_layer(
                self.norm_cfg, stem_channels, postfix=1)
            self.add_module(self.norm1_name, norm1)
            self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        """Stage 0 is the stem, stage ``i`` is ``layer{i}``."""
        if stage == 0:
            return [self.stem] if self.deep_stem else [self.conv1, self.norm1]
        return [getattr(self, f'layer{stage}')]

    def _init_from_scratch(self) -> None:
        """Kaiming init for convs, 1 for norms; with ``zero_init_residual``
        each block's last norm starts at 0 so blocks start as identity."""
        self._init_conv_norm(self.modules())
        if self.zero_init_residual:
            for m in self.modules():
                if isinstance(m, Bottleneck):
                    constant_init(m.norm3, 0)
                elif isinstance(m, BasicBlock):
                    constant_init(m.norm2, 0)

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Initialize the weights in backbone.

        Args:
            pretrained (str, optional): Path to pre-trained weights.
                Defaults to None.
        """
        super().init_weights(pretrained)

    def _forward_stem(self, x: Tensor) -> Tensor:
        if self.deep_stem:
            x = self.stem(x)
        else:
            x = self.relu(self.norm1(self.conv1(x)))
        return self.maxpool(x)

    def forward(self, x: Tensor) -> Union[Tensor, tuple]:
        """Forward function.

        Args:
            x (Tensor[N, C, H, W]): Input images.

        Returns:
            Tensor | tuple[Tensor]: The feature map of each stage in
            ``out_indices`` (a single tensor when there is one).
        """
        return self._forward_stages(
            self._forward_stem(x),
            (getattr(self, name) for name in self.res_layers))

    def train(self, mode: bool = True) -> 'ResNet':
        """Convert the model into training mode, keeping frozen stages and
        (with ``norm_eval``) batch-norm layers in eval mode."""
        return super().train(mode)


@BACKBONES.register_module()
class ResNetV1d(ResNet):
    """ResNetV1d variant described in `Bag of Tricks
    <https://arxiv.org/abs/1812.01187>`__.

    It differs from the default ResNet (ResNetV1b) in two places: the stem
    uses three 3x3 convs instead of one 7x7 conv, and each downsampling
    shortcut first applies a stride-2 2x2 average pooling, so its conv runs
    with stride 1. Takes the arguments of :class:`ResNet` except
    ``deep_stem`` and ``avg_down``.
    """

    def __init__(self, **kwargs):
        for fixed in ('deep_stem', 'avg_down'):
            if fixed in kwargs:
                raise ArgumentTypeError(f'{type(self).__name__} always uses '
                                        f'{fixed}=True; do not pass {fixed!r}')
        super().__init__(deep_stem=True, avg_down=True, **kwargs)
