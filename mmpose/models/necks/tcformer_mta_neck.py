"""Multi-stage Token feature Aggregation (MTA) neck of TCFormer.

Zeng et al., "Not All Tokens Are Equal: Human-centric Visual Analysis via
Token Clustering Transformer", CVPR 2022. An FPN on dynamic tokens: lateral
1x1 convs bring every stage to ``out_channels``; from the coarsest stage
down, each stage adds the next one's tokens (interpolated over shared grid
cells) and refines the sum with a transformer block; the tokens are then
drawn as feature maps.
"""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError
from ..builder import NECKS
from ..utils.tcformer_utils import (TCFormerDynamicBlock,
                                    init_tcformer_weights, token2map,
                                    token_interp)
from .fpn import check_levels

__all__ = ['MTA']

EXTRA_CONV_SOURCES = ('on_input', 'on_output')


@NECKS.register_module()
class MTA(nn.Module):
    """Multi-stage Token feature Aggregation.

    Args:
        in_channels (list[int]): Channels of each input stage.
            Default: [64, 128, 256, 512].
        out_channels (int): Channels of every output. Default: 128.
        num_outs (int): Number of outputs. Default: 4.
        start_level (int): First input stage used. Default: 0.
        end_level (int): Last input stage used (-1: the last one); with
            another value no extra levels are allowed. Default: -1.
        add_extra_convs (bool | str): Extra levels by stride-2 3x3 convs
            on the last input map (True or 'on_input') or the last output
            ('on_output'); False: by max pooling. Default: False.
        relu_before_extra_convs (bool): ReLU before the extra convs after
            the first. Default: False.
        no_norm_on_lateral (bool): No norm in the lateral convs.
            Default: False.
        conv_cfg (dict | None): Conv layers. Default: None.
        norm_cfg (dict | None): Norm of the conv modules. Default: None.
        act_cfg (dict | None): Activation of the conv modules.
            Default: None.
        num_heads (Sequence[int]): Heads of each merge block.
            Default: [2, 2, 2, 2].
        mlp_ratios (Sequence[float]): FFN ratio of each merge block.
            Default: [4, 4, 4, 4].
        sr_ratios (Sequence[int]): Spatial reduction of each merge block.
            Default: [8, 4, 2, 1].
        qkv_bias (bool): Default: True.
        qk_scale (float | None): Default: None.
        drop_rate (float): Default: 0.
        attn_drop_rate (float): Default: 0.
        drop_path_rate (float): Stochastic depth of every merge block.
            Default: 0.
        transformer_norm_cfg (dict): Norms of the merge blocks.
            Default: dict(type='LN').
        use_sr_conv (bool): Reduce keys with a conv (else pooling).
            Default: False.

    Shapes:
        inputs: ``len(in_channels)`` token dicts (as returned by
        :class:`TCFormer`) -> ``num_outs`` maps
        ``[B, out_channels, H_i, W_i]`` at the stages' map sizes.

    Note:
        As in MMPose 0.29, the constructor builds ``num_outs - (end_level +
        1 - start_level)`` extra convs (with the default ``end_level=-1``
        that is ``num_outs + start_level``, more than the levels missing),
        so checkpoints keep their ``extra_convs.*`` entries; ``forward``
        applies only the ``num_outs - len(outs)`` needed.
    """

    def __init__(self,
                 in_channels: List[int] = [64, 128, 256, 512],
                 out_channels: int = 128,
                 num_outs: int = 4,
                 start_level: int = 0,
                 end_level: int = -1,
                 add_extra_convs: Union[bool, str] = False,
                 relu_before_extra_convs: bool = False,
                 no_norm_on_lateral: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None,
                 num_heads: Sequence[int] = [2, 2, 2, 2],
                 mlp_ratios: Sequence[float] = [4, 4, 4, 4],
                 sr_ratios: Sequence[int] = [8, 4, 2, 1],
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 transformer_norm_cfg: dict = dict(type='LN'),
                 use_sr_conv: bool = False) -> None:
        super().__init__()
        if not isinstance(in_channels, list):
            raise ArgumentTypeError(
                f'MTA: in_channels must be a list, got {in_channels!r}')
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.num_ins = len(in_channels)
        self.num_outs = num_outs
        self.no_norm_on_lateral = no_norm_on_lateral
        self.norm_cfg = norm_cfg
        self.conv_cfg = conv_cfg
        self.act_cfg = act_cfg
        self.mlp_ratios = mlp_ratios
        self.start_level = start_level
        self.end_level = end_level
        self.relu_before_extra_convs = relu_before_extra_convs
        self.backbone_end_level = check_levels('MTA', self.num_ins, num_outs,
                                               start_level, end_level)
        self.add_extra_convs = self._check_extra_convs(add_extra_convs)

        self.lateral_convs = nn.ModuleList([
            ConvModule(
                in_channels[i],
                out_channels,
                1,
                conv_cfg=conv_cfg,
                norm_cfg=None if no_norm_on_lateral else norm_cfg,
                act_cfg=act_cfg,
                inplace=False)
            for i in range(start_level, self.backbone_end_level)
        ])
        self.merge_blocks = nn.ModuleList([
            TCFormerDynamicBlock(
                dim=out_channels,
                num_heads=num_heads[i],
                mlp_ratio=mlp_ratios[i],
                qkv_bias=qkv_bias,
                qk_scale=qk_scale,
                drop=drop_rate,
                attn_drop=attn_drop_rate,
                drop_path=drop_path_rate,
                norm_cfg=transformer_norm_cfg,
                sr_ratio=sr_ratios[i],
                use_sr_conv=use_sr_conv)
            for i in range(start_level, self.backbone_end_level - 1)
        ])
        self.extra_convs = nn.ModuleList()
        extra_levels = num_outs - (end_level + 1 - start_level)
        if self.add_extra_convs and extra_levels >= 1:
            for i in range(extra_levels):
                from_input = i == 0 and self.add_extra_convs == 'on_input'
                self.extra_convs.append(
                    ConvModule(
                        in_channels[end_level] if from_input else
                        out_channels,
                        out_channels,
                        3,
                        stride=2,
                        padding=1,
                        conv_cfg=conv_cfg,
                        norm_cfg=norm_cfg,
                        act_cfg=act_cfg,
                        inplace=False))

    @staticmethod
    def _check_extra_convs(add_extra_convs: Union[bool, str]
                           ) -> Union[bool, str]:
        if isinstance(add_extra_convs, bool):
            return 'on_input' if add_extra_convs else False
        if add_extra_convs not in EXTRA_CONV_SOURCES:
            raise ArgumentError(f'MTA: add_extra_convs must be a bool or one'
                                f' of {EXTRA_CONV_SOURCES}, got '
                                f'{add_extra_convs!r}')
        return add_extra_convs

    def init_weights(self) -> None:
        """Truncated-normal (std 0.02) linears, unit LayerNorms, convs
        N(0, sqrt(2 / fan_out))."""
        init_tcformer_weights(self)

    def forward(self, inputs: Sequence[dict]) -> List[torch.Tensor]:
        """Forward function.

        Args:
            inputs (Sequence[dict]): Token dicts, one per input stage.

        Returns:
            list[Tensor[B, out_channels, H_i, W_i]]: ``num_outs`` maps.
        """
        if len(inputs) != len(self.in_channels):
            raise ArgumentError(f'MTA: expected {len(self.in_channels)} '
                                f'inputs, got {len(inputs)}')
        tokens = []
        for i, lateral_conv in enumerate(self.lateral_convs):
            token_dict = inputs[i + self.start_level].copy()
            # tokens [B, N, C] as a [B, C, N, 1] map for the 1x1 conv
            x = lateral_conv(token_dict['x'].transpose(1, 2)[..., None])
            token_dict['x'] = x[..., 0].transpose(1, 2)
            tokens.append(token_dict)
        for i in range(len(tokens) - 2, -1, -1):
            tokens[i]['x'] = tokens[i]['x'] + token_interp(
                tokens[i], tokens[i + 1])
            tokens[i] = self.merge_blocks[i](tokens[i])
        outs = [token2map(token_dict) for token_dict in tokens]

        num_extra = self.num_outs - len(outs)
        if num_extra > 0:
            if not self.add_extra_convs:
                for _ in range(num_extra):
                    outs.append(F.max_pool2d(outs[-1], 1, stride=2))
            else:
                source = (
                    token2map(inputs[self.backbone_end_level - 1])
                    if self.add_extra_convs == 'on_input' else outs[-1])
                outs.append(self.extra_convs[0](source))
                # As in 0.29, only the first num_extra convs run (the
                # constructor may build more, see the class docstring).
                for conv in self.extra_convs[1:num_extra]:
                    outs.append(
                        conv(F.relu(outs[-1]) if self.
                             relu_before_extra_convs else outs[-1]))
        return outs
