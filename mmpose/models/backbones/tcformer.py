"""Token Clustering Transformer (TCFormer) backbone.

Zeng et al., "Not All Tokens Are Equal: Human-centric Visual Analysis via
Token Clustering Transformer", CVPR 2022 (https://arxiv.org/abs/2204.08680).
Stage 1 is a PVT-like stage on the regular token grid; each later stage
starts with a clustering-based token merging (:class:`CTM`) that groups
tokens by density peaks, so that tokens follow image content instead of a
grid. The outputs are dynamic-token dicts (see
:mod:`mmpose.models.utils.tcformer_utils`), or maps with ``return_map``.
"""
import math
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmcv.cnn import build_norm_layer
from torch import nn

from mmpose.errors import ArgumentError
from ..builder import BACKBONES
from ..utils.ckpt_convert import load_pretrained_backbone, tcformer_convert
from ..utils.tcformer_utils import (TCFormerDynamicBlock,
                                    TCFormerRegularBlock, TokenConv,
                                    cluster_dpc_knn, init_tcformer_weights,
                                    merge_tokens, token2map)
from ..utils.transformer import PatchEmbed, drop_path_rates
from .base_backbone import BaseBackbone

__all__ = ['TCFormer']


class CTM(nn.Module):
    """Clustering-based Token Merging: a stride-2 :class:`TokenConv`, a
    norm, a per-token score, then DPC-KNN clustering of the tokens into
    ``ceil(N * sample_ratio)`` clusters merged with weights
    ``exp(score)``.

    Args:
        sample_ratio (float): Kept fraction of tokens.
        embed_dim (int): Input channels.
        dim_out (int): Output channels.
        k (int): Neighbours of the DPC-KNN density. Default: 5.

    Returns from ``forward``:
        ``(down_dict, token_dict)``: the merged tokens (map size halved,
        rounded up) and the unmerged ones after the conv (with their
        ``token_score``), which serve as keys and values of the next
        block.
    """

    def __init__(self,
                 sample_ratio: float,
                 embed_dim: int,
                 dim_out: int,
                 k: int = 5) -> None:
        super().__init__()
        self.sample_ratio = sample_ratio
        self.dim_out = dim_out
        self.k = k
        self.conv = TokenConv(
            in_channels=embed_dim,
            out_channels=dim_out,
            kernel_size=3,
            stride=2,
            padding=1)
        self.norm = nn.LayerNorm(dim_out)
        self.score = nn.Linear(dim_out, 1)

    def forward(self, token_dict: dict) -> Tuple[dict, dict]:
        token_dict = token_dict.copy()
        x = self.norm(self.conv(token_dict))
        token_score = self.score(x)
        token_dict['x'] = x
        token_dict['token_score'] = token_score
        cluster_num = max(math.ceil(x.shape[1] * self.sample_ratio), 1)
        idx_cluster, cluster_num = cluster_dpc_knn(token_dict, cluster_num,
                                                   self.k)
        down_dict = merge_tokens(token_dict, idx_cluster, cluster_num,
                                 token_score.exp())
        # output size of the stride-2, kernel-3, padding-1 conv
        down_dict['map_size'] = [(size + 1) // 2
                                 for size in token_dict['map_size']]
        return down_dict, token_dict


@BACKBONES.register_module()
class TCFormer(BaseBackbone):
    """TCFormer backbone.

    Args:
        in_channels (int): Input channels. Default: 3.
        embed_dims (Sequence[int]): Channels per stage.
            Default: [64, 128, 256, 512].
        num_heads (Sequence[int]): Heads per stage. Default: [1, 2, 4, 8].
        mlp_ratios (Sequence[float]): FFN ratio per stage.
            Default: [4, 4, 4, 4].
        qkv_bias (bool): Default: True.
        qk_scale (float | None): Default: None.
        drop_rate (float): Default: 0.
        attn_drop_rate (float): Default: 0.
        drop_path_rate (float): Stochastic depth of the last block (rising
            linearly from 0). Default: 0.
        norm_cfg (dict): Norms of the blocks and stages.
            Default: dict(type='LN', eps=1e-6).
        num_layers (Sequence[int]): Blocks per stage. Default: [3, 4, 6, 3].
        sr_ratios (Sequence[int]): Attention spatial reduction per stage.
            Default: [8, 4, 2, 1].
        num_stages (int): Default: 4.
        pretrained (str | None): Checkpoint loaded at construction (and by
            ``init_weights()``). Default: None.
        k (int): Neighbours of the clustering density. Default: 5.
        sample_ratios (Sequence[float]): Kept fraction of tokens of each
            CTM. Default: [0.25, 0.25, 0.25].
        return_map (bool): Return feature maps instead of token dicts.
            Default: False.
        convert_weights (bool): ``pretrained`` comes from the original
            repository (keys converted). Default: True.

    Shapes:
        x ``[B, in_channels, H, W]`` -> ``num_stages`` token dicts with
        ``x [B, N_i, embed_dims[i]]`` (``N_0 = H/4 * W/4``, then
        ``ceil(N_{i-1} * sample_ratios[i-1])``), or maps
        ``[B, embed_dims[i], H/2**(i+2), W/2**(i+2)]`` with ``return_map``.
    """

    def __init__(self,
                 in_channels: int = 3,
                 embed_dims: Sequence[int] = [64, 128, 256, 512],
                 num_heads: Sequence[int] = [1, 2, 4, 8],
                 mlp_ratios: Sequence[float] = [4, 4, 4, 4],
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 norm_cfg: dict = dict(type='LN', eps=1e-6),
                 num_layers: Sequence[int] = [3, 4, 6, 3],
                 sr_ratios: Sequence[int] = [8, 4, 2, 1],
                 num_stages: int = 4,
                 pretrained: Optional[str] = None,
                 k: int = 5,
                 sample_ratios: Sequence[float] = [0.25, 0.25, 0.25],
                 return_map: bool = False,
                 convert_weights: bool = True) -> None:
        super().__init__()
        per_stage = dict(
            embed_dims=embed_dims,
            num_heads=num_heads,
            mlp_ratios=mlp_ratios,
            num_layers=num_layers,
            sr_ratios=sr_ratios)
        wrong = {k: list(v) for k, v in per_stage.items()
                 if len(v) < num_stages}
        if wrong or len(sample_ratios) < num_stages - 1:
            raise ArgumentError(
                f'TCFormer: {wrong or dict(sample_ratios=sample_ratios)} '
                f'must have an entry per stage (num_stages={num_stages}; '
                'sample_ratios one fewer)')
        self.num_layers = num_layers
        self.num_stages = num_stages
        self.grid_stride = sr_ratios[0]
        self.embed_dims = embed_dims
        self.sr_ratios = sr_ratios
        self.mlp_ratios = mlp_ratios
        self.sample_ratios = sample_ratios
        self.return_map = return_map
        self.convert_weights = convert_weights

        rates = drop_path_rates(drop_path_rate, sum(num_layers[:num_stages]))
        for i in range(num_stages):
            if i == 0:
                self.patch_embed1 = PatchEmbed(
                    in_channels=in_channels,
                    embed_dims=embed_dims[0],
                    kernel_size=7,
                    stride=4,
                    padding=3,
                    bias=True,
                    norm_cfg=dict(type='LN', eps=1e-6))
            else:
                setattr(
                    self, f'ctm{i}',
                    CTM(sample_ratios[i - 1], embed_dims[i - 1],
                        embed_dims[i], k))
            block = TCFormerDynamicBlock if i else TCFormerRegularBlock
            first = sum(num_layers[:i])
            setattr(
                self, f'block{i + 1}',
                nn.ModuleList([
                    block(
                        dim=embed_dims[i],
                        num_heads=num_heads[i],
                        mlp_ratio=mlp_ratios[i],
                        qkv_bias=qkv_bias,
                        qk_scale=qk_scale,
                        drop=drop_rate,
                        attn_drop=attn_drop_rate,
                        drop_path=rates[first + j],
                        norm_cfg=norm_cfg,
                        sr_ratio=sr_ratios[i]) for j in range(num_layers[i])
                ]))
            setattr(self, f'norm{i + 1}',
                    build_norm_layer(norm_cfg, embed_dims[i])[1])
        self.init_weights(pretrained)

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load ``pretrained`` (keys converted with ``convert_weights``),
        else initialise randomly."""
        if isinstance(pretrained, str):
            load_pretrained_backbone(
                self, pretrained,
                tcformer_convert if self.convert_weights else None)
        else:
            super().init_weights(pretrained)

    def _init_from_scratch(self) -> None:
        """Truncated-normal (std 0.02) linears, unit LayerNorms, convs
        N(0, sqrt(2 / fan_out))."""
        init_tcformer_weights(self)

    def forward(self, x: torch.Tensor
                ) -> Union[List[dict], List[torch.Tensor]]:
        """Forward function.

        Args:
            x (Tensor[B, C, H, W]): Input images.

        Returns:
            list[dict] | list[Tensor]: One token dict (or map) per stage.
        """
        x, (height, width) = self.patch_embed1(x)
        for block in self.block1:
            x = block(x, height, width)
        x = self.norm1(x)
        b, n, _ = x.shape
        token_dict = {
            'x': x,
            'token_num': n,
            'map_size': [height, width],
            'init_grid_size': [height, width],
            'idx_token': torch.arange(n, device=x.device)[None].repeat(b, 1),
            'agg_weight': x.new_ones(b, n, 1),
        }
        outs = [token_dict.copy()]
        for i in range(1, self.num_stages):
            token_dict = getattr(self, f'ctm{i}')(token_dict)
            for block in getattr(self, f'block{i + 1}'):
                token_dict = block(token_dict)
            token_dict['x'] = getattr(self, f'norm{i + 1}')(token_dict['x'])
            outs.append(token_dict)
        if self.return_map:
            return [token2map(out) for out in outs]
        return outs
