"""ViPNAS ResNet backbone.

"ViPNAS: Efficient Video Pose Estimation via Neural Architecture Search",
Xu et al., CVPR 2021 (https://arxiv.org/abs/2105.10154). A ResNet whose
width, depth, kernel size, groups and attention were searched per stage.
"""
from typing import List, Optional, Sequence

from mmcv.cnn import ContextBlock, build_conv_layer
from torch import Tensor

from mmpose.errors import ArgumentError, UnknownNameError

from ..builder import BACKBONES
from .base_backbone import BaseBackbone
# get_expansion is importable from here too, as in 0.29
from .resnet import Bottleneck, ResLayer, ResNet, get_expansion

__all__ = [
    'ViPNAS_Bottleneck', 'ViPNAS_ResLayer', 'ViPNAS_ResNet', 'get_expansion'
]

# the searched settings give one value per stage, entry 0 being the stem
_PER_STAGE_ARGS = ('wid', 'expan', 'dep', 'ks', 'group', 'att')


class ViPNAS_Bottleneck(Bottleneck):
    """Bottleneck of ViPNAS_ResNet: a :class:`Bottleneck` whose middle conv
    has a searched kernel size and groups, optionally followed by a global
    context block (GCNet) before the shortcut is added.

    Args:
        in_channels (int): Input channels of this block.
        out_channels (int): Output channels of this block.
        expansion (int): ``out_channels / mid_channels``. Default: 4.
        kernel_size (int): Kernel size of ``conv2`` (padding
            ``kernel_size // 2``). Default: 3.
        groups (int): Groups of ``conv2``. Default: 1.
        attention (bool): Add a ``ContextBlock`` (``attention``) with ratio
            ``max(1/16, 16/out_channels)``. Default: False.
        **kwargs: ``stride``, ``dilation``, ``downsample``, ``style``,
            ``with_cp``, ``conv_cfg``, ``norm_cfg`` of :class:`Bottleneck`.

    Shapes:
        x (Tensor[N, in_channels, H, W]) ->
        ``Tensor[N, out_channels, H / stride, W / stride]``.
    """

    # a stage's expansion when ``expan`` leaves it None (0.29: 1), read by
    # get_expansion; a block built directly defaults to 4 as in 0.29
    expansion = 1

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 expansion: int = 4,
                 kernel_size: int = 3,
                 groups: int = 1,
                 attention: bool = False,
                 **kwargs) -> None:
        super().__init__(in_channels, out_channels, expansion, **kwargs)
        # the parent's 3x3 conv2 gives way to the searched one (same name)
        self.conv2 = build_conv_layer(
            self.conv_cfg,
            self.mid_channels,
            self.mid_channels,
            kernel_size=kernel_size,
            stride=self.conv2_stride,
            padding=kernel_size // 2,
            groups=groups,
            dilation=self.dilation,
            bias=False)
        self.attention = ContextBlock(
            out_channels, max(1.0 / 16, 16.0 / out_channels)) if attention \
            else None

    def _residual(self, x: Tensor) -> Tensor:
        out = super()._residual(x)
        return out if self.attention is None else self.attention(out)


class ViPNAS_ResLayer(ResLayer):
    """A stage of :class:`ViPNAS_Bottleneck` blocks (MMPose 0.29's
    class): a :class:`ResLayer` whose blocks all get the stage's searched
    ``kernel_size``, ``groups`` and ``attention``.

    Args:
        *args: ``block``, ``num_blocks``, ``in_channels``,
            ``out_channels``, ``expansion``, ``stride``, ``avg_down``,
            ``conv_cfg``, ``norm_cfg``, ``downsample_first`` of
            :class:`ResLayer`.
        kernel_size (int): Kernel size of the blocks' middle convs.
            Default: 3.
        groups (int): Groups of the blocks' middle convs. Default: 1.
        attention (bool): Context blocks in the blocks. Default: False.
        **kwargs: Those of ``*args`` by name, and further arguments of
            every block.
    """

    def __init__(self,
                 *args,
                 kernel_size: int = 3,
                 groups: int = 1,
                 attention: bool = False,
                 **kwargs) -> None:
        super().__init__(*args, kernel_size=kernel_size, groups=groups,
                         attention=attention, **kwargs)


@BACKBONES.register_module()
class ViPNAS_ResNet(ResNet):
    """ViPNAS_ResNet backbone (new in MMPose 0.29).

    The stem and stages of :class:`ResNet` with searched settings: the
    per-stage lists ``wid``, ``expan``, ``dep``, ``ks``, ``group`` and
    ``att`` hold the stem's value first (``wid[0]`` stem channels,
    ``ks[0]`` stem kernel; the other stem entries are unused) and then one
    value per stage. Stage ``i`` has ``dep[i + 1]`` :class:`ViPNAS_Bottleneck`
    blocks with ``wid[i + 1] * expan[i + 1]`` output channels.

    Args:
        depth (int): Only 50 is defined.
        in_channels (int): Input image channels. Default: 3.
        num_stages (int): Stages of the network, 1 to 4. Default: 4.
        strides (Sequence[int]): Stride of the first block of each stage.
            Default: (1, 2, 2, 2).
        dilations (Sequence[int]): Dilation of each stage.
            Default: (1, 1, 1, 1).
        out_indices (Sequence[int]): Output from which stages.
            Default: (3, ).
        style (str): 'pytorch' or 'caffe'. Default: 'pytorch'.
        deep_stem (bool): Three 3x3 convs instead of the ``ks[0]`` conv in
            the stem. Default: False.
        avg_down (bool): Down-sample shortcuts with AvgPool + 1x1 conv.
            Default: False.
        frozen_stages (int): Freeze the stem (0) and stages up to this one;
            -1 freezes nothing. Default: -1.
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Config of norm layers.
            Default: dict(type='BN', requires_grad=True).
        norm_eval (bool): Keep BN layers in eval mode while training.
            Default: False.
        with_cp (bool): Gradient checkpointing in the blocks.
            Default: False.
        zero_init_residual (bool): Kept for the 0.29 signature; as in 0.29
            it has no effect (every conv starts N(0, 0.001)). Default: True.
        wid (Sequence[int]): Searched widths. Default: [48, 80, 160, 304, 608].
        expan (Sequence[int | None]): Searched expansions (None: 1).
            Default: [None, 1, 1, 1, 1].
        dep (Sequence[int | None]): Searched blocks per stage.
            Default: [None, 4, 6, 7, 3].
        ks (Sequence[int]): Searched kernel sizes. Default: [7, 3, 5, 5, 5].
        group (Sequence[int | None]): Searched groups of the middle convs.
            Default: [None, 16, 16, 16, 16].
        att (Sequence[bool | None]): Searched attention (context blocks).
            Default: [None, True, False, True, True].

    Shapes:
        x (Tensor[N, in_channels, H, W]) -> stage ``i`` gives
        ``Tensor[N, wid[i + 1] * expan[i + 1], H / s_i, W / s_i]`` with
        ``s_i = 4 * prod(strides[:i + 1])`` (default: 608 channels at
        stride 32 for stage 3).
    """

    arch_settings = {50: ViPNAS_Bottleneck}

    def __init__(self,
                 depth: int,
                 in_channels: int = 3,
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
                 zero_init_residual: bool = True,
                 wid: Sequence[int] = [48, 80, 160, 304, 608],
                 expan: Sequence[Optional[int]] = [None, 1, 1, 1, 1],
                 dep: Sequence[Optional[int]] = [None, 4, 6, 7, 3],
                 ks: Sequence[int] = [7, 3, 5, 5, 5],
                 group: Sequence[Optional[int]] = [None, 16, 16, 16, 16],
                 att: Sequence[Optional[bool]] = [
                     None, True, False, True, True
                 ]) -> None:
        # ResNet.__init__ builds from its depth table; ViPNAS builds its
        # stages from the searched per-stage settings.
        BaseBackbone.__init__(self)
        if depth not in self.arch_settings:
            raise UnknownNameError(
                f'invalid depth {depth} for ViPNAS_ResNet, expected one of '
                f'{sorted(self.arch_settings)}')
        if not 1 <= num_stages <= 4:
            raise ArgumentError(
                f'num_stages must be in [1, 4], got {num_stages}')
        searched = dict(wid=wid, expan=expan, dep=dep, ks=ks, group=group,
                        att=att)
        for name in _PER_STAGE_ARGS:
            if len(searched[name]) < num_stages + 1:
                raise ArgumentError(
                    f'{name} must have the stem entry and one per stage '
                    f'({num_stages + 1} entries), got {list(searched[name])}')
        self._set_stage_options(num_stages, strides, dilations, out_indices,
                                style, deep_stem, avg_down, frozen_stages,
                                conv_cfg, norm_cfg, norm_eval, with_cp,
                                zero_init_residual)
        self.depth = depth
        self.stem_channels = wid[0]
        self.block = self.arch_settings[depth]
        self.stage_blocks = list(dep[1:1 + num_stages])

        self._make_stem_layer(in_channels, wid[0], kernel_size=ks[0])

        self.res_layers: List[str] = []
        in_channels = wid[0]
        for i, num_blocks in enumerate(self.stage_blocks):
            expansion = get_expansion(self.block, expan[i + 1])
            out_channels = wid[i + 1] * expansion
            res_layer = self.make_res_layer(
                block=self.block,
                num_blocks=num_blocks,
                in_channels=in_channels,
                out_channels=out_channels,
                expansion=expansion,
                stride=strides[i],
                dilation=dilations[i],
                style=style,
                avg_down=avg_down,
                with_cp=with_cp,
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                kernel_size=ks[i + 1],
                groups=group[i + 1] or 1,
                attention=bool(att[i + 1]))
            in_channels = out_channels
            layer_name = f'layer{i + 1}'
            self.add_module(layer_name, res_layer)
            self.res_layers.append(layer_name)

        self._freeze_stages()
        self.feat_dim = in_channels

    def make_res_layer(self, **kwargs) -> ViPNAS_ResLayer:
        """Make a ViPNAS_ResLayer."""
        return ViPNAS_ResLayer(**kwargs)

    def _init_from_scratch(self) -> None:
        """N(0, 0.001) convs with zero bias, unit norm weights (as 0.29;
        the context blocks' LayerNorms keep their defaults)."""
        self._init_conv_norm(self.modules(), conv_std=0.001)
