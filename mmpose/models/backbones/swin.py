"""Swin Transformer backbone.

Liu et al., "Swin Transformer: Hierarchical Vision Transformer using Shifted
Windows", ICCV 2021 (https://arxiv.org/abs/2103.14030). A patch embedding is
followed by stages of blocks that attend inside non-overlapping windows,
every second block with the windows shifted by half a window; patch merging
halves the resolution between stages.
"""
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
import torch.utils.checkpoint as cp
from mmcv.cnn import build_norm_layer, constant_init, trunc_normal_init
from mmcv.cnn.bricks.transformer import FFN, build_dropout
from mmcv.cnn.utils.weight_init import trunc_normal_
from mmcv.utils import to_2tuple
from torch import nn

from mmpose.errors import ArgumentError
from ..builder import BACKBONES
from ..utils.ckpt_convert import load_pretrained_backbone, swin_converter
from ..utils.transformer import (PatchEmbed, PatchMerging, WindowMSA,
                                 drop_path_rates, to_pair, window_partition,
                                 window_reverse)
from .base_backbone import BaseBackbone

__all__ = ['SwinTransformer']

# Additive attention mask between tokens of different shifted regions.
MASK_VALUE = -100.0


class ShiftWindowMSA(nn.Module):
    """Window attention over a token map, the windows optionally shifted
    towards the bottom-right by ``shift_size`` (cyclic shift + mask).

    Args:
        embed_dims (int): Channels C.
        num_heads (int): Attention heads.
        window_size (int): Window side w.
        shift_size (int): Shift, in ``[0, w)``; 0 for regular windows.
            Default: 0.
        qkv_bias, qk_scale, attn_drop_rate, proj_drop_rate: as in
            :class:`WindowMSA`.
        dropout_layer (dict): Dropout applied to the output.
            Default: dict(type='DropPath', drop_prob=0.).

    Shapes:
        query ``[N, H*W, C]``, hw_shape ``(H, W)`` -> ``[N, H*W, C]``
        (the map is zero-padded to multiples of w internally).
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 window_size: int,
                 shift_size: int = 0,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 attn_drop_rate: float = 0.,
                 proj_drop_rate: float = 0.,
                 dropout_layer: dict = dict(type='DropPath', drop_prob=0.)):
        super().__init__()
        if not 0 <= shift_size < window_size:
            raise ArgumentError(f'ShiftWindowMSA: shift_size must be in '
                                f'[0, window_size={window_size}), got '
                                f'{shift_size}')
        self.window_size = window_size
        self.shift_size = shift_size
        self.w_msa = WindowMSA(embed_dims, num_heads, to_2tuple(window_size),
                               qkv_bias, qk_scale, attn_drop_rate,
                               proj_drop_rate)
        self.drop = build_dropout(dropout_layer)

    def _shift_mask(self, height: int, width: int,
                    device: torch.device) -> torch.Tensor:
        """``[nW, w*w, w*w]`` mask: 0 between tokens of the same region of
        the shifted map, ``MASK_VALUE`` otherwise."""
        w, s = self.window_size, self.shift_size

        def regions(size):
            index = torch.arange(size, device=device)
            return (index >= size - w).long() + (index >= size - s).long()

        labels = regions(height)[:, None] * 3 + regions(width)[None, :]
        windows = window_partition(labels[None, :, :, None], w).view(-1, w * w)
        differs = windows[:, None, :] != windows[:, :, None]
        return differs.float() * MASK_VALUE

    def forward(self, query: torch.Tensor,
                hw_shape: Tuple[int, int]) -> torch.Tensor:
        n, length, channels = query.shape
        height, width = hw_shape
        if length != height * width:
            raise ArgumentError(f'ShiftWindowMSA: {length} tokens do not '
                                f'make a {height}x{width} map')
        w = self.window_size
        x = query.view(n, height, width, channels)
        pad_b, pad_r = (-height) % w, (-width) % w
        x = F.pad(x, (0, 0, 0, pad_r, 0, pad_b))
        padded_h, padded_w = x.shape[1], x.shape[2]
        mask = None
        if self.shift_size:
            x = torch.roll(x, (-self.shift_size, -self.shift_size), (1, 2))
            mask = self._shift_mask(padded_h, padded_w, x.device)
        windows = window_partition(x, w).view(-1, w * w, channels)
        windows = self.w_msa(windows, mask=mask).view(-1, w, w, channels)
        x = window_reverse(windows, padded_h, padded_w)
        if self.shift_size:
            x = torch.roll(x, (self.shift_size, self.shift_size), (1, 2))
        x = x[:, :height, :width].reshape(n, length, channels)
        return self.drop(x)


class SwinBlock(nn.Module):
    """Pre-norm block: (shifted) window attention then an FFN, each with a
    residual connection.

    Args:
        embed_dims (int): Channels C.
        num_heads (int): Attention heads.
        feedforward_channels (int): Hidden channels of the FFN.
        window_size (int): Window side. Default: 7.
        shift (bool): Shift the windows by ``window_size // 2``.
            Default: False.
        qkv_bias, qk_scale: see :class:`WindowMSA`.
        drop_rate (float): Dropout after attention and in the FFN.
        attn_drop_rate (float): Dropout on attention weights.
        drop_path_rate (float): Stochastic depth of both branches.
        act_cfg (dict): FFN activation. Default: dict(type='GELU').
        norm_cfg (dict): Norm layers. Default: dict(type='LN').
        with_cp (bool): Gradient checkpointing. Default: False.

    Shapes:
        x ``[N, H*W, C]``, hw_shape ``(H, W)`` -> ``[N, H*W, C]``.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 feedforward_channels: int,
                 window_size: int = 7,
                 shift: bool = False,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 act_cfg: dict = dict(type='GELU'),
                 norm_cfg: dict = dict(type='LN'),
                 with_cp: bool = False) -> None:
        super().__init__()
        self.with_cp = with_cp
        drop_path = dict(type='DropPath', drop_prob=drop_path_rate)
        self.norm1 = build_norm_layer(norm_cfg, embed_dims)[1]
        self.attn = ShiftWindowMSA(
            embed_dims,
            num_heads,
            window_size,
            shift_size=window_size // 2 if shift else 0,
            qkv_bias=qkv_bias,
            qk_scale=qk_scale,
            attn_drop_rate=attn_drop_rate,
            proj_drop_rate=drop_rate,
            dropout_layer=drop_path)
        self.norm2 = build_norm_layer(norm_cfg, embed_dims)[1]
        self.ffn = FFN(
            embed_dims=embed_dims,
            feedforward_channels=feedforward_channels,
            num_fcs=2,
            ffn_drop=drop_rate,
            dropout_layer=drop_path,
            act_cfg=act_cfg,
            add_identity=True)

    def forward(self, x: torch.Tensor,
                hw_shape: Tuple[int, int]) -> torch.Tensor:

        def inner(x):
            x = x + self.attn(self.norm1(x), hw_shape)
            return self.ffn(self.norm2(x), identity=x)

        if self.with_cp and x.requires_grad:
            return cp.checkpoint(inner, x, use_reentrant=False)
        return inner(x)


class SwinBlockSequence(nn.Module):
    """One stage: ``depth`` blocks alternating regular and shifted windows,
    then an optional downsampling (patch merging).

    Args:
        embed_dims, num_heads, feedforward_channels, window_size, qkv_bias,
        qk_scale, drop_rate, attn_drop_rate, act_cfg, norm_cfg, with_cp:
            see :class:`SwinBlock`.
        depth (int): Number of blocks.
        drop_path_rate (float | list[float]): Stochastic depth, one value
            for all blocks or one per block.
        downsample (nn.Module | None): Applied after the blocks.

    Returns from ``forward``:
        ``(x_down, down_hw_shape, x, hw_shape)``: the downsampled tokens
        (the stage output itself without ``downsample``) and the stage
        output before downsampling, each with its ``(H, W)``.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 feedforward_channels: int,
                 depth: int,
                 window_size: int = 7,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: Union[float, List[float]] = 0.,
                 downsample: Optional[nn.Module] = None,
                 act_cfg: dict = dict(type='GELU'),
                 norm_cfg: dict = dict(type='LN'),
                 with_cp: bool = False) -> None:
        super().__init__()
        if isinstance(drop_path_rate, (list, tuple)):
            if len(drop_path_rate) != depth:
                raise ArgumentError(
                    f'SwinBlockSequence: drop_path_rate has '
                    f'{len(drop_path_rate)} entries, depth is {depth}')
            rates = list(drop_path_rate)
        else:
            rates = [drop_path_rate] * depth
        self.blocks = nn.ModuleList([
            SwinBlock(
                embed_dims,
                num_heads,
                feedforward_channels,
                window_size=window_size,
                shift=i % 2 == 1,
                qkv_bias=qkv_bias,
                qk_scale=qk_scale,
                drop_rate=drop_rate,
                attn_drop_rate=attn_drop_rate,
                drop_path_rate=rates[i],
                act_cfg=act_cfg,
                norm_cfg=norm_cfg,
                with_cp=with_cp) for i in range(depth)
        ])
        self.downsample = downsample

    def forward(self, x: torch.Tensor, hw_shape: Tuple[int, int]):
        for block in self.blocks:
            x = block(x, hw_shape)
        if self.downsample is None:
            return x, hw_shape, x, hw_shape
        x_down, down_hw_shape = self.downsample(x, hw_shape)
        return x_down, down_hw_shape, x, hw_shape


@BACKBONES.register_module()
class SwinTransformer(BaseBackbone):
    """Swin Transformer backbone.

    Args:
        pretrain_img_size (int | tuple[int]): Input size of pretraining
            (sets the absolute position embedding size). Default: 224.
        in_channels (int): Input channels. Default: 3.
        embed_dims (int): Channels of the first stage (doubled by each
            patch merging). Default: 96.
        patch_size (int): Patch side of the embedding. Default: 4.
        window_size (int): Attention window side. Default: 7.
        mlp_ratio (int): FFN hidden channels / channels. Default: 4.
        depths (Sequence[int]): Blocks per stage. Default: (2, 2, 6, 2).
        num_heads (Sequence[int]): Heads per stage. Default: (3, 6, 12, 24).
        strides (Sequence[int]): Stride of the patch embedding, then of each
            patch merging; ``strides[0]`` must equal ``patch_size``.
            Default: (4, 2, 2, 2).
        out_indices (Sequence[int]): Stages whose (normed) outputs are
            returned. Default: (0, 1, 2, 3).
        qkv_bias (bool): Bias in the qkv projections. Default: True.
        qk_scale (float | None): Override of ``head_dims ** -0.5``.
        patch_norm (bool): Norm after patch embedding and in patch merging.
            Default: True.
        drop_rate (float): Dropout rate. Default: 0.
        attn_drop_rate (float): Attention dropout rate. Default: 0.
        drop_path_rate (float): Stochastic depth of the last block (rising
            linearly from 0). Default: 0.1.
        use_abs_pos_embed (bool): Add a learned absolute position embedding.
            Default: False.
        act_cfg (dict): FFN activation. Default: dict(type='GELU').
        norm_cfg (dict): Norm layers. Default: dict(type='LN').
        with_cp (bool): Gradient checkpointing. Default: False.
        convert_weights (bool): ``pretrained`` comes from the original
            Swin repository (keys converted on loading). Default: False.
        frozen_stages (int): Freeze the patch embedding (0) and stages
            ``1..frozen_stages``; -1 freezes nothing. Default: -1.

    Shapes:
        x ``[N, in_channels, H, W]`` -> list of
        ``[N, embed_dims * 2**i, H / (4 * 2**i), W / (4 * 2**i)]`` for each
        ``i`` in ``out_indices`` (sizes rounded up, default strides).
    """

    def __init__(self,
                 pretrain_img_size: Union[int, Tuple[int, ...]] = 224,
                 in_channels: int = 3,
                 embed_dims: int = 96,
                 patch_size: int = 4,
                 window_size: int = 7,
                 mlp_ratio: int = 4,
                 depths: Sequence[int] = (2, 2, 6, 2),
                 num_heads: Sequence[int] = (3, 6, 12, 24),
                 strides: Sequence[int] = (4, 2, 2, 2),
                 out_indices: Sequence[int] = (0, 1, 2, 3),
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 patch_norm: bool = True,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.1,
                 use_abs_pos_embed: bool = False,
                 act_cfg: dict = dict(type='GELU'),
                 norm_cfg: dict = dict(type='LN'),
                 with_cp: bool = False,
                 convert_weights: bool = False,
                 frozen_stages: int = -1) -> None:
        super().__init__()
        pretrain_img_size = to_pair(pretrain_img_size, 'pretrain_img_size')
        num_stages = len(depths)
        for name, value in (('num_heads', num_heads), ('strides', strides)):
            if len(value) != num_stages:
                raise ArgumentError(
                    f'SwinTransformer: {name} {tuple(value)} must have one '
                    f'entry per stage (depths={tuple(depths)})')
        if strides[0] != patch_size:
            raise ArgumentError(
                'SwinTransformer: the patch embedding does not overlap, so '
                f'strides[0] ({strides[0]}) must equal patch_size '
                f'({patch_size})')
        self.out_indices = self._check_out_indices(
            tuple(out_indices), num_stages)
        self._check_frozen_stages(frozen_stages, num_stages)
        self.frozen_stages = frozen_stages
        self.convert_weights = convert_weights
        self.use_abs_pos_embed = use_abs_pos_embed

        self.patch_embed = PatchEmbed(
            in_channels=in_channels,
            embed_dims=embed_dims,
            conv_type='Conv2d',
            kernel_size=patch_size,
            stride=strides[0],
            norm_cfg=norm_cfg if patch_norm else None)
        if use_abs_pos_embed:
            num_patches = (pretrain_img_size[0] // patch_size) * (
                pretrain_img_size[1] // patch_size)
            self.absolute_pos_embed = nn.Parameter(
                torch.zeros(1, num_patches, embed_dims))
        self.drop_after_pos = nn.Dropout(p=drop_rate)

        rates = drop_path_rates(drop_path_rate, sum(depths))
        self.stages = nn.ModuleList()
        channels = embed_dims
        for i, depth in enumerate(depths):
            downsample = None
            if i < num_stages - 1:
                downsample = PatchMerging(
                    in_channels=channels,
                    out_channels=2 * channels,
                    stride=strides[i + 1],
                    norm_cfg=norm_cfg if patch_norm else None)
            first = sum(depths[:i])
            self.stages.append(
                SwinBlockSequence(
                    embed_dims=channels,
                    num_heads=num_heads[i],
                    feedforward_channels=mlp_ratio * channels,
                    depth=depth,
                    window_size=window_size,
                    qkv_bias=qkv_bias,
                    qk_scale=qk_scale,
                    drop_rate=drop_rate,
                    attn_drop_rate=attn_drop_rate,
                    drop_path_rate=rates[first:first + depth],
                    downsample=downsample,
                    act_cfg=act_cfg,
                    norm_cfg=norm_cfg,
                    with_cp=with_cp))
            if downsample is not None:
                channels = downsample.out_channels

        self.num_features = [embed_dims * 2**i for i in range(num_stages)]
        for i in self.out_indices:
            self.add_module(f'norm{i}',
                            build_norm_layer(norm_cfg,
                                             self.num_features[i])[1])

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        """0: the patch embedding; i >= 1: stage ``i - 1`` and its norm."""
        if stage == 0:
            return [self.patch_embed, self.drop_after_pos]
        norm = getattr(self, f'norm{stage - 1}', None)
        norms = [] if norm is None else [norm]
        return [self.stages[stage - 1]] + norms

    def _freeze_stages(self) -> None:
        super()._freeze_stages()
        if self.frozen_stages >= 0 and self.use_abs_pos_embed:
            self.absolute_pos_embed.requires_grad = False

    def _init_from_scratch(self) -> None:
        """Truncated-normal (std 0.02) linear weights, position embedding
        and relative position bias tables, zero biases, unit LayerNorms."""
        if self.use_abs_pos_embed:
            trunc_normal_(self.absolute_pos_embed, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_init(m, std=.02, bias=0.)
            elif isinstance(m, nn.LayerNorm):
                constant_init(m, 1.0)
            elif isinstance(m, WindowMSA):
                m.init_weights()

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load ``pretrained`` (converted from the original Swin layout when
        ``convert_weights``), resizing relative position tables to this
        window size; random init when None."""
        if isinstance(pretrained, str):
            load_pretrained_backbone(
                self, pretrained,
                swin_converter if self.convert_weights else None,
                self._adapt_pretrained)
        else:
            super().init_weights(pretrained)

    def _adapt_pretrained(self, state_dict: dict) -> dict:
        """Bicubic-resize relative position bias tables of another window
        size; drop tables whose head count differs."""
        own = self.state_dict()
        for key in [k for k in state_dict
                    if k.endswith('relative_position_bias_table')]:
            if key not in own:
                continue
            table = state_dict[key]
            (len_old, heads_old), (len_new, heads_new) = (table.shape,
                                                          own[key].shape)
            if heads_old != heads_new:
                del state_dict[key]
            elif len_old != len_new:
                side_old, side_new = int(len_old**0.5), int(len_new**0.5)
                resized = F.interpolate(
                    table.permute(1, 0).reshape(1, heads_old, side_old,
                                                side_old),
                    size=(side_new, side_new),
                    mode='bicubic')
                state_dict[key] = resized.view(heads_new,
                                               len_new).permute(1, 0)
        return state_dict

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (Tensor[N, C, H, W]): Input images.

        Returns:
            list[Tensor[N, C_i, H_i, W_i]]: One map per ``out_indices``.
        """
        x, hw_shape = self.patch_embed(x)
        if self.use_abs_pos_embed:
            x = x + self.absolute_pos_embed
        x = self.drop_after_pos(x)
        outs = []
        for i, stage in enumerate(self.stages):
            x, hw_shape, out, out_hw_shape = stage(x, hw_shape)
            if i in self.out_indices:
                out = getattr(self, f'norm{i}')(out)
                outs.append(
                    out.view(-1, *out_hw_shape,
                             self.num_features[i]).permute(0, 3, 1,
                                                           2).contiguous())
        return outs
