"""Pyramid Vision Transformer backbones (PVT and PVTv2).

Wang et al., "Pyramid Vision Transformer: A Versatile Backbone for Dense
Prediction without Convolutions", ICCV 2021
(https://arxiv.org/abs/2102.12122), and "PVTv2: Improved Baselines with
Pyramid Vision Transformer" (https://arxiv.org/abs/2106.13797). Each stage
embeds patches (shrinking the map) and runs transformer layers whose
keys/values come from a spatially reduced (strided conv) copy of the map.
"""
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
import torch.nn.functional as F
from mmcv.cnn import (build_activation_layer, build_norm_layer,
                      constant_init, kaiming_init, trunc_normal_init)
from mmcv.cnn.bricks.transformer import MultiheadAttention, build_dropout
from mmcv.cnn.utils.weight_init import trunc_normal_
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError
from ..builder import BACKBONES
from ..utils.ckpt_convert import load_pretrained_backbone, pvt_convert
from ..utils.transformer import (PatchEmbed, drop_path_rates, nchw_to_nlc,
                                 nlc_to_nchw, to_pair)
from .base_backbone import BaseBackbone

__all__ = ['PyramidVisionTransformer', 'PyramidVisionTransformerV2']


class MixFFN(nn.Module):
    """PVT's FFN on token maps: 1x1 conv, (PVTv2: depthwise 3x3 conv),
    activation, 1x1 conv, with a residual connection.

    Args:
        embed_dims (int): Channels C.
        feedforward_channels (int): Hidden channels.
        act_cfg (dict): Activation. Default: dict(type='GELU').
        ffn_drop (float): Dropout after the activation and the last conv.
            Default: 0.
        dropout_layer (dict | None): Applied to the branch before the
            residual sum. Default: None.
        use_conv (bool): Add the depthwise 3x3 conv. Default: False.

    Shapes:
        x ``[N, H*W, C]``, hw_shape ``(H, W)`` -> ``[N, H*W, C]``.
    """

    def __init__(self,
                 embed_dims: int,
                 feedforward_channels: int,
                 act_cfg: dict = dict(type='GELU'),
                 ffn_drop: float = 0.,
                 dropout_layer: Optional[dict] = None,
                 use_conv: bool = False) -> None:
        super().__init__()
        # read by 0.29 code
        self.embed_dims = embed_dims
        self.feedforward_channels = feedforward_channels
        self.act_cfg = act_cfg
        drop = nn.Dropout(ffn_drop)
        layers = [nn.Conv2d(embed_dims, feedforward_channels, 1)]
        if use_conv:
            layers.append(
                nn.Conv2d(
                    feedforward_channels,
                    feedforward_channels,
                    3,
                    padding=1,
                    groups=feedforward_channels))
        layers += [
            build_activation_layer(act_cfg), drop,
            nn.Conv2d(feedforward_channels, embed_dims, 1), drop
        ]
        self.layers = nn.Sequential(*layers)
        self.dropout_layer = build_dropout(
            dropout_layer) if dropout_layer else nn.Identity()

    def forward(self,
                x: torch.Tensor,
                hw_shape: Tuple[int, int],
                identity: Optional[torch.Tensor] = None) -> torch.Tensor:
        out = nchw_to_nlc(self.layers(nlc_to_nchw(x, hw_shape)))
        return (x if identity is None else identity) + self.dropout_layer(out)


class SpatialReductionAttention(MultiheadAttention):
    """Multi-head attention whose keys and values come from the token map
    shrunk by a ``sr_ratio``-strided conv and a norm (mmcv's
    ``MultiheadAttention`` otherwise), with a residual connection.

    Args:
        embed_dims (int): Channels C.
        num_heads (int): Attention heads.
        attn_drop (float): Dropout on attention weights. Default: 0.
        proj_drop (float): Dropout on the output. Default: 0.
        dropout_layer (dict | None): Applied before the residual sum.
        batch_first (bool): Tokens are ``[N, L, C]``. Default: True.
        qkv_bias (bool): Bias of the input projections. Default: True.
        norm_cfg (dict): Norm after the reduction. Default: dict(type='LN').
        sr_ratio (int): Spatial reduction (1: none). Default: 1.

    Shapes:
        x ``[N, H*W, C]``, hw_shape ``(H, W)`` -> ``[N, H*W, C]``.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.,
                 dropout_layer: Optional[dict] = None,
                 batch_first: bool = True,
                 qkv_bias: bool = True,
                 norm_cfg: dict = dict(type='LN'),
                 sr_ratio: int = 1) -> None:
        super().__init__(
            embed_dims,
            num_heads,
            attn_drop,
            proj_drop,
            dropout_layer=dropout_layer,
            batch_first=batch_first,
            bias=qkv_bias)
        self.sr_ratio = sr_ratio
        if sr_ratio > 1:
            self.sr = nn.Conv2d(
                embed_dims, embed_dims, kernel_size=sr_ratio, stride=sr_ratio)
            self.norm = build_norm_layer(norm_cfg, embed_dims)[1]

    def forward(self,
                x: torch.Tensor,
                hw_shape: Tuple[int, int],
                identity: Optional[torch.Tensor] = None) -> torch.Tensor:
        x_kv = x
        if self.sr_ratio > 1:
            x_kv = self.norm(nchw_to_nlc(self.sr(nlc_to_nchw(x, hw_shape))))
        query = x
        if self.batch_first:  # nn.MultiheadAttention here is length-first
            query, x_kv = query.transpose(0, 1), x_kv.transpose(0, 1)
        out = self.attn(query=query, key=x_kv, value=x_kv)[0]
        if self.batch_first:
            out = out.transpose(0, 1)
        identity = x if identity is None else identity
        return identity + self.dropout_layer(self.proj_drop(out))


class PVTEncoderLayer(nn.Module):
    """Pre-norm PVT layer: spatial-reduction attention then
    :class:`MixFFN`, both residual.

    Args:
        embed_dims (int): Channels C.
        num_heads (int): Attention heads.
        feedforward_channels (int): FFN hidden channels.
        drop_rate (float): Dropout after attention and in the FFN.
        attn_drop_rate (float): Dropout on attention weights.
        drop_path_rate (float): Stochastic depth.
        qkv_bias (bool): Bias of the input projections. Default: True.
        act_cfg (dict): FFN activation. Default: dict(type='GELU').
        norm_cfg (dict): Norm layers. Default: dict(type='LN').
        sr_ratio (int): Spatial reduction of the attention. Default: 1.
        use_conv_ffn (bool): Depthwise conv in the FFN. Default: False.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 feedforward_channels: int,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 qkv_bias: bool = True,
                 act_cfg: dict = dict(type='GELU'),
                 norm_cfg: dict = dict(type='LN'),
                 sr_ratio: int = 1,
                 use_conv_ffn: bool = False) -> None:
        super().__init__()
        drop_path = dict(type='DropPath', drop_prob=drop_path_rate)
        self.norm1 = build_norm_layer(norm_cfg, embed_dims)[1]
        self.attn = SpatialReductionAttention(
            embed_dims,
            num_heads,
            attn_drop=attn_drop_rate,
            proj_drop=drop_rate,
            dropout_layer=drop_path,
            qkv_bias=qkv_bias,
            norm_cfg=norm_cfg,
            sr_ratio=sr_ratio)
        self.norm2 = build_norm_layer(norm_cfg, embed_dims)[1]
        self.ffn = MixFFN(
            embed_dims,
            feedforward_channels,
            act_cfg=act_cfg,
            ffn_drop=drop_rate,
            dropout_layer=drop_path,
            use_conv=use_conv_ffn)

    def forward(self, x: torch.Tensor,
                hw_shape: Tuple[int, int]) -> torch.Tensor:
        x = self.attn(self.norm1(x), hw_shape, identity=x)
        return self.ffn(self.norm2(x), hw_shape, identity=x)


class AbsolutePositionEmbedding(nn.Module):
    """Learned position embedding of a ``pos_shape`` grid, resized
    (bilinear) to the actual token map and added to the tokens.

    Args:
        pos_shape (int | tuple[int]): Grid ``(H0, W0)`` of the embedding.
        pos_dim (int): Channels C.
        drop_rate (float): Dropout after the sum. Default: 0.

    Shapes:
        x ``[N, H*W, C]``, hw_shape ``(H, W)`` -> ``[N, H*W, C]``.
    """

    def __init__(self,
                 pos_shape: Union[int, Tuple[int, int]],
                 pos_dim: int,
                 drop_rate: float = 0.) -> None:
        super().__init__()
        self.pos_shape = to_pair(pos_shape, 'pos_shape')
        self.pos_dim = pos_dim
        self.pos_embed = nn.Parameter(
            torch.zeros(1, self.pos_shape[0] * self.pos_shape[1], pos_dim))
        self.drop = nn.Dropout(p=drop_rate)

    def init_weights(self) -> None:
        trunc_normal_(self.pos_embed, std=0.02)

    def resize_pos_embed(self,
                         pos_embed: torch.Tensor,
                         input_shape: Tuple[int, int],
                         mode: str = 'bilinear') -> torch.Tensor:
        """``pos_embed [1, L0, C]`` (its last ``H0*W0`` tokens) resized to
        ``[1, H*W, C]``."""
        if pos_embed.dim() != 3:
            raise ArgumentError('AbsolutePositionEmbedding: pos_embed must be'
                                f' [B, L, C], got {tuple(pos_embed.shape)}')
        height, width = self.pos_shape
        grid = pos_embed[:, -height * width:].reshape(
            1, height, width, self.pos_dim).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, size=tuple(input_shape), mode=mode)
        return grid.flatten(2).transpose(1, 2).contiguous()

    def forward(self,
                x: torch.Tensor,
                hw_shape: Tuple[int, int],
                mode: str = 'bilinear') -> torch.Tensor:
        return self.drop(
            x + self.resize_pos_embed(self.pos_embed, hw_shape, mode))


@BACKBONES.register_module()
class PyramidVisionTransformer(BaseBackbone):
    """Pyramid Vision Transformer (PVT).

    Stage ``i`` has ``embed_dims * num_heads[i]`` channels; its patch
    embedding has kernel ``patch_sizes[i]``, ``strides[i]`` and
    ``paddings[i]``.

    Args:
        pretrain_img_size (int | tuple[int]): Input size of pretraining
            (sizes the position embeddings). Default: 224.
        in_channels (int): Input channels. Default: 3.
        embed_dims (int): Channels per head. Default: 64.
        num_stages (int): Stages. Default: 4.
        num_layers (Sequence[int]): Layers per stage. Default: [3, 4, 6, 3].
        num_heads (Sequence[int]): Heads per stage. Default: [1, 2, 5, 8].
        patch_sizes (Sequence[int]): Default: [4, 2, 2, 2].
        strides (Sequence[int]): Default: [4, 2, 2, 2].
        paddings (Sequence[int]): Default: [0, 0, 0, 0].
        sr_ratios (Sequence[int]): Attention spatial reduction per stage.
            Default: [8, 4, 2, 1].
        out_indices (Sequence[int] | int): Stages returned.
            Default: (0, 1, 2, 3).
        mlp_ratios (Sequence[int]): FFN ratio per stage.
            Default: [8, 8, 4, 4].
        qkv_bias (bool): Default: True.
        drop_rate (float): Default: 0.
        attn_drop_rate (float): Default: 0.
        drop_path_rate (float): Stochastic depth of the last layer (rising
            linearly from 0). Default: 0.1.
        use_abs_pos_embed (bool): Learned position embeddings.
            Default: True.
        norm_after_stage (bool): A norm at the end of each stage.
            Default: False.
        use_conv_ffn (bool): Depthwise conv in the FFNs. Default: False.
        act_cfg (dict): Default: dict(type='GELU').
        norm_cfg (dict): Default: dict(type='LN', eps=1e-6).
        pretrained (str | None): Checkpoint loaded by ``init_weights()``.
        convert_weights (bool): ``pretrained`` comes from the original PVT
            repository (keys converted). Default: True.
        init_cfg (dict | list | None): ``dict(type='Pretrained',
            checkpoint=...)`` is the same as ``pretrained``; other init
            configs are not applied (the architecture's own init is used).

    Shapes:
        x ``[N, in_channels, H, W]`` -> list of
        ``[N, embed_dims * num_heads[i], H_i, W_i]`` for ``i`` in
        ``out_indices`` (``H_i = H / (4 * 2**i)`` with the default sizes).
    """

    def __init__(self,
                 pretrain_img_size: Union[int, Tuple[int, int]] = 224,
                 in_channels: int = 3,
                 embed_dims: int = 64,
                 num_stages: int = 4,
                 num_layers: Sequence[int] = [3, 4, 6, 3],
                 num_heads: Sequence[int] = [1, 2, 5, 8],
                 patch_sizes: Sequence[int] = [4, 2, 2, 2],
                 strides: Sequence[int] = [4, 2, 2, 2],
                 paddings: Sequence[int] = [0, 0, 0, 0],
                 sr_ratios: Sequence[int] = [8, 4, 2, 1],
                 out_indices: Union[int, Sequence[int]] = (0, 1, 2, 3),
                 mlp_ratios: Sequence[int] = [8, 8, 4, 4],
                 qkv_bias: bool = True,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.1,
                 use_abs_pos_embed: bool = True,
                 norm_after_stage: bool = False,
                 use_conv_ffn: bool = False,
                 act_cfg: dict = dict(type='GELU'),
                 norm_cfg: dict = dict(type='LN', eps=1e-6),
                 pretrained: Optional[str] = None,
                 convert_weights: bool = True,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__()
        pretrain_img_size = np.array(
            to_pair(pretrain_img_size, 'pretrain_img_size'))
        per_stage = dict(
            num_layers=num_layers,
            num_heads=num_heads,
            patch_sizes=patch_sizes,
            strides=strides,
            sr_ratios=sr_ratios)
        wrong = {k: list(v) for k, v in per_stage.items()
                 if len(v) != num_stages}
        if wrong:
            raise ArgumentError(f'PyramidVisionTransformer: {wrong} must '
                                f'have num_stages={num_stages} entries')
        if pretrained is not None and not isinstance(pretrained, str):
            raise ArgumentTypeError('PyramidVisionTransformer: pretrained '
                                    'must be a str or None, got '
                                    f'{type(pretrained).__name__}')
        if pretrained is not None and init_cfg is not None:
            raise ArgumentError('PyramidVisionTransformer: set pretrained or'
                                ' init_cfg, not both')
        if isinstance(init_cfg, dict) and init_cfg.get('type') == 'Pretrained':
            pretrained = init_cfg['checkpoint']
        self.out_indices = self._check_out_indices(out_indices, num_stages)
        self.pretrained = pretrained
        self.init_cfg = init_cfg
        self.convert_weights = convert_weights
        self.embed_dims = embed_dims
        self.num_stages = num_stages
        self.num_layers = num_layers
        self.num_heads = num_heads
        self.patch_sizes = patch_sizes
        self.strides = strides
        self.sr_ratios = sr_ratios

        rates = drop_path_rates(drop_path_rate, sum(num_layers))
        self.layers = nn.ModuleList()
        for i, depth in enumerate(num_layers):
            channels = embed_dims * num_heads[i]
            patch_embed = PatchEmbed(
                in_channels=in_channels,
                embed_dims=channels,
                kernel_size=patch_sizes[i],
                stride=strides[i],
                padding=paddings[i],
                bias=True,
                norm_cfg=norm_cfg)
            blocks = nn.ModuleList()
            if use_abs_pos_embed:
                blocks.append(
                    AbsolutePositionEmbedding(
                        pretrain_img_size // np.prod(patch_sizes[:i + 1]),
                        channels,
                        drop_rate=drop_rate))
            first = sum(num_layers[:i])
            blocks.extend(
                PVTEncoderLayer(
                    channels,
                    num_heads[i],
                    mlp_ratios[i] * channels,
                    drop_rate=drop_rate,
                    attn_drop_rate=attn_drop_rate,
                    drop_path_rate=rates[first + j],
                    qkv_bias=qkv_bias,
                    act_cfg=act_cfg,
                    norm_cfg=norm_cfg,
                    sr_ratio=sr_ratios[i],
                    use_conv_ffn=use_conv_ffn) for j in range(depth))
            norm = build_norm_layer(
                norm_cfg, channels)[1] if norm_after_stage else nn.Identity()
            self.layers.append(nn.ModuleList([patch_embed, blocks, norm]))
            in_channels = channels

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load ``pretrained`` (or the constructor's ``pretrained``),
        converting original PVT keys when ``convert_weights``; random init
        when neither is given."""
        pretrained = pretrained if pretrained is not None else self.pretrained
        if isinstance(pretrained, str):
            load_pretrained_backbone(
                self, pretrained,
                pvt_convert if self.convert_weights else None)
        else:
            super().init_weights(pretrained)

    def _init_from_scratch(self) -> None:
        """Truncated-normal (std 0.02) linears and position embeddings,
        unit LayerNorms, Kaiming convs."""
        for m in self.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_init(m, std=.02, bias=0.)
            elif isinstance(m, nn.LayerNorm):
                constant_init(m, 1.0)
            elif isinstance(m, nn.Conv2d):
                kaiming_init(m)
            elif isinstance(m, AbsolutePositionEmbedding):
                m.init_weights()

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (Tensor[N, C, H, W]): Input images.

        Returns:
            list[Tensor[N, C_i, H_i, W_i]]: One map per ``out_indices``.
        """
        outs = []
        for i, (patch_embed, blocks, norm) in enumerate(self.layers):
            x, hw_shape = patch_embed(x)
            for block in blocks:
                x = block(x, hw_shape)
            x = nlc_to_nchw(norm(x), hw_shape)
            if i in self.out_indices:
                outs.append(x)
        return outs


@BACKBONES.register_module()
class PyramidVisionTransformerV2(PyramidVisionTransformer):
    """PVTv2: :class:`PyramidVisionTransformer` with overlapping patch
    embeddings (kernels 7, 3, 3, 3; paddings 3, 1, 1, 1), no position
    embedding, a norm after each stage and a depthwise conv in the FFNs.

    Args:
        **kwargs: The other arguments of :class:`PyramidVisionTransformer`.
    """

    def __init__(self, **kwargs) -> None:
        fixed = dict(
            patch_sizes=[7, 3, 3, 3],
            paddings=[3, 1, 1, 1],
            use_abs_pos_embed=False,
            norm_after_stage=True,
            use_conv_ffn=True)
        clash = sorted(fixed.keys() & kwargs.keys())
        if clash:
            raise ArgumentError(f'PyramidVisionTransformerV2 fixes {clash};'
                                ' they cannot be given')
        super().__init__(**fixed, **kwargs)
