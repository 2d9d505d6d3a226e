"""Dynamic tokens of TCFormer (Zeng et al., "Not All Tokens Are Equal:
Human-centric Visual Analysis via Token Clustering Transformer", CVPR 2022,
https://arxiv.org/abs/2204.08680) and the transformer blocks that use them.

A set of dynamic tokens is a dict:

- ``x`` (Tensor[B, N, C]): token features;
- ``token_num`` (int): N;
- ``map_size`` ([H, W]): resolution of the feature map the tokens stand
  for at this stage;
- ``init_grid_size`` ([H0, W0]): the initial token grid (stage 1);
- ``idx_token`` (LongTensor[B, N0]): token each initial grid cell belongs
  to (N0 = H0 * W0);
- ``agg_weight`` (Tensor[B, N0, 1]): weight of each grid cell in its token;
- ``token_score`` (Tensor[B, N, 1], optional): confidence added to the
  attention logits of the token as a key.

Moving between tokens and maps averages over the grid cells they share;
it is written as ``index_add`` over the grid cells (cost ``B * N0 * C``).
"""
import math
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmcv.cnn import (build_norm_layer, constant_init, normal_init,
                      trunc_normal_init)
from mmcv.cnn.bricks.transformer import build_dropout
from torch import nn

from mmpose.errors import ArgumentError

__all__ = [
    'get_grid_index', 'index_points', 'token2map', 'map2token',
    'token_interp', 'cluster_dpc_knn', 'merge_tokens', 'TokenConv',
    'TCFormerRegularBlock', 'TCFormerDynamicBlock'
]

# Added to weight sums before dividing (as in the original).
EPS = 1e-6


def init_tcformer_weights(module: nn.Module) -> None:
    """Initialise every sub-module of ``module`` as TCFormer does:
    truncated-normal (std 0.02) linears, unit LayerNorms and convs
    N(0, sqrt(2 / fan_out))."""
    for m in module.modules():
        if isinstance(m, nn.Linear):
            trunc_normal_init(m, std=.02, bias=0.)
        elif isinstance(m, nn.LayerNorm):
            constant_init(m, 1.0)
        elif isinstance(m, nn.Conv2d):
            fan_out = (m.kernel_size[0] * m.kernel_size[1] *
                       m.out_channels) // m.groups
            normal_init(m, 0, math.sqrt(2.0 / fan_out))


def get_grid_index(init_grid_size: Sequence[int], map_size: Sequence[int],
                   device: torch.device) -> torch.Tensor:
    """Index in the flattened ``[H, W]`` map of every cell of the initial
    ``[H0, W0]`` grid (nearest-neighbour resampling).

    Returns:
        LongTensor[H0 * W0]
    """
    index = torch.arange(
        map_size[0] * map_size[1], device=device,
        dtype=torch.float32).reshape(1, 1, *map_size)
    return F.interpolate(index, list(init_grid_size),
                         mode='nearest').long().flatten()


def index_points(points: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    """``points[b, idx[b, ...]]`` for every batch element.

    Args:
        points (Tensor[B, N, C]): Values.
        idx (LongTensor[B, ...]): Indices into N.

    Returns:
        Tensor[B, ..., C]
    """
    batch = torch.arange(points.shape[0], device=points.device)
    batch = batch.view(-1, *([1] * (idx.dim() - 1)))
    return points[batch, idx]


def _scatter_mean(values: torch.Tensor, target: torch.Tensor,
                  weight: torch.Tensor, size: int) -> torch.Tensor:
    """Weighted mean of ``values [M, C]`` per ``target`` index
    (``[M]`` in ``[0, size)``), weights ``[M]``; empty targets give 0."""
    total = weight.new_zeros(size).index_add_(0, target, weight) + EPS
    weight = (weight / total[target]).to(values.dtype)
    out = values.new_zeros(size, values.shape[-1])
    return out.index_add_(0, target, values * weight[:, None])


def token2map(token_dict: dict) -> torch.Tensor:
    """Tokens to their ``map_size`` feature map: each pixel averages the
    tokens of the initial grid cells that fall on it (the map must not be
    finer than the initial grid).

    Returns:
        Tensor[B, C, H, W]
    """
    x = token_dict['x']
    height, width = token_dict['map_size']
    b, n, c = x.shape
    grid_h, grid_w = token_dict['init_grid_size']
    if n == grid_h * grid_w == height * width:
        return x.reshape(b, height, width, c).permute(0, 3, 1, 2).contiguous()
    idx_token = token_dict['idx_token']
    pixel = get_grid_index((grid_h, grid_w), (height, width), x.device)
    offsets = torch.arange(b, device=x.device)[:, None] * (height * width)
    out = _scatter_mean(
        index_points(x, idx_token).reshape(-1, c).float(),
        (pixel[None] + offsets).reshape(-1),
        x.new_ones(idx_token.numel(), dtype=torch.float32),
        b * height * width).to(x.dtype)
    return out.reshape(b, height, width, c).permute(0, 3, 1, 2).contiguous()


def map2token(feature_map: torch.Tensor, token_dict: dict) -> torch.Tensor:
    """A feature map to the tokens of ``token_dict``: each token averages
    the pixels under its initial grid cells.

    Args:
        feature_map (Tensor[B, C, H, W]): Map, not finer than the grid.
        token_dict (dict): The tokens (``idx_token``, ``token_num``,
            ``init_grid_size``).

    Returns:
        Tensor[B, N, C]
    """
    b, c, height, width = feature_map.shape
    n = token_dict['token_num']
    grid_h, grid_w = token_dict['init_grid_size']
    if n == grid_h * grid_w == height * width:
        return feature_map.flatten(2).permute(0, 2, 1).contiguous()
    idx_token = token_dict['idx_token']
    pixel = get_grid_index((grid_h, grid_w), (height, width),
                           feature_map.device)
    pixels = feature_map.flatten(2).permute(0, 2, 1)  # [B, H*W, C]
    values = index_points(pixels, pixel[None].expand(b, -1))
    offsets = torch.arange(b, device=feature_map.device)[:, None] * n
    out = _scatter_mean(
        values.reshape(-1, c).float(), (idx_token + offsets).reshape(-1),
        feature_map.new_ones(idx_token.numel(), dtype=torch.float32), b * n)
    return out.to(feature_map.dtype).reshape(b, n, c)


def token_interp(target_dict: dict, source_dict: dict) -> torch.Tensor:
    """Features of the source tokens carried to the target tokens: each
    target token takes the mean of the source tokens sharing its initial
    grid cells, weighted by the target's ``agg_weight``.

    Returns:
        Tensor[B, T, C]
    """
    x_s = source_dict['x']
    b, s, c = x_s.shape
    t = target_dict['token_num']
    idx_s, idx_t = source_dict['idx_token'], target_dict['idx_token']
    weight = target_dict.get('agg_weight')
    if weight is None:
        weight = x_s.new_ones(idx_t.shape)
    offsets = torch.arange(b, device=x_s.device)[:, None]
    out = _scatter_mean(
        index_points(x_s, idx_s).reshape(-1, c).float(),
        (idx_t + offsets * t).reshape(-1),
        weight.detach().reshape(-1).float(), b * t)
    return out.reshape(b, t, c).to(x_s.dtype)


def cluster_dpc_knn(token_dict: dict,
                    cluster_num: int,
                    k: int = 5,
                    token_mask: Optional[torch.Tensor] = None
                    ) -> Tuple[torch.Tensor, int]:
    """Cluster tokens by density peaks with k-nearest-neighbour density
    (DPC-KNN).

    The density of a token is ``exp(-mean(d^2))`` over its k nearest
    tokens (itself included; d: feature distance / sqrt(C)), plus noise
    below 1e-6 to break ties; its score is the density times the distance
    to the nearest denser token. The ``cluster_num`` best-scored tokens are
    the centres; every token joins its nearest centre.

    Args:
        token_dict (dict): Tokens (``x [B, N, C]``).
        cluster_num (int): Number of clusters.
        k (int): Neighbours of the local density (at most N). Default: 5.
        token_mask (Tensor[B, N] | None): Non-zero for real tokens, zero
            for padding (kept out of densities and centres).

    Returns:
        tuple: ``idx_cluster (LongTensor[B, N])`` and ``cluster_num``.
    """
    with torch.no_grad():
        x = token_dict['x']
        b, n, c = x.shape
        if not 0 < cluster_num <= n:
            raise ArgumentError(f'cluster_dpc_knn: cluster_num must be in '
                                f'[1, {n}], got {cluster_num}')
        dist = torch.cdist(x, x) / c**0.5
        if token_mask is not None:
            valid = token_mask > 0
            dist = torch.where(valid[:, None, :], dist, dist.max() + 1)
        nearest = torch.topk(dist, k=min(k, n), dim=-1, largest=False)[0]
        density = (-(nearest**2).mean(dim=-1)).exp()
        density = density + torch.rand_like(density) * 1e-6
        if token_mask is not None:
            density = density * valid
        denser = density[:, None, :] > density[:, :, None]
        dist_max = dist.flatten(1).max(dim=-1)[0][:, None, None]
        parent_dist = torch.where(denser, dist, dist_max).min(dim=-1)[0]
        centres = torch.topk(parent_dist * density, k=cluster_num, dim=-1)[1]
        idx_cluster = index_points(dist, centres).argmin(dim=1)
        batch = torch.arange(b, device=x.device)[:, None]
        idx_cluster[batch, centres] = torch.arange(
            cluster_num, device=x.device)[None]
    return idx_cluster, cluster_num


def merge_tokens(token_dict: dict,
                 idx_cluster: torch.Tensor,
                 cluster_num: int,
                 token_weight: Optional[torch.Tensor] = None) -> dict:
    """Merge the tokens of each cluster into one: the ``token_weight``-
    weighted mean of their features; the grid cells follow their token.

    Args:
        token_dict (dict): Input tokens.
        idx_cluster (LongTensor[B, N]): Cluster of each token.
        cluster_num (int): Number of clusters.
        token_weight (Tensor[B, N, 1] | None): Weights (uniform when None).

    Returns:
        dict: The merged tokens (``map_size`` and ``init_grid_size``
        unchanged; ``agg_weight`` multiplied by each cell's normalised
        weight in its cluster).
    """
    x = token_dict['x']
    b, n, c = x.shape
    if token_weight is None:
        token_weight = x.new_ones(b, n, 1)
    target = (idx_cluster +
              torch.arange(b, device=x.device)[:, None] * cluster_num)
    target = target.reshape(-1)
    weight = token_weight.reshape(-1)
    total = weight.new_zeros(b * cluster_num).index_add_(0, target,
                                                         weight) + EPS
    norm_weight = (weight / total[target]).reshape(b, n, 1)
    merged = x.new_zeros(b * cluster_num, c).index_add_(
        0, target, (x * norm_weight).reshape(-1, c).to(x.dtype))
    idx_token = token_dict['idx_token']
    return {
        'x': merged.reshape(b, cluster_num, c),
        'token_num': cluster_num,
        'map_size': token_dict['map_size'],
        'init_grid_size': token_dict['init_grid_size'],
        'idx_token': index_points(idx_cluster[..., None],
                                  idx_token).squeeze(-1),
        'agg_weight': token_dict['agg_weight'] *
        index_points(norm_weight, idx_token),
    }


class TokenConv(nn.Conv2d):
    """Conv2d on dynamic tokens: tokens are drawn on their map, convolved
    and read back, plus a 1x1 (grouped) projection of the tokens
    themselves (``skip``) that keeps per-token detail.

    Args:
        **kwargs: ``nn.Conv2d`` arguments (``in_channels``,
            ``out_channels``, ``kernel_size`` ... given by keyword).

    Shapes:
        token_dict with ``x [B, N, C_in]`` -> ``[B, N, C_out]``.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.skip = nn.Conv1d(
            in_channels=kwargs['in_channels'],
            out_channels=kwargs['out_channels'],
            kernel_size=1,
            bias=False,
            groups=kwargs.get('groups', 1))

    def forward(self, token_dict: dict) -> torch.Tensor:
        x = self.skip(token_dict['x'].permute(0, 2, 1)).permute(0, 2, 1)
        return x + map2token(super().forward(token2map(token_dict)),
                             token_dict)


def _tokens_to_map(x: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Grid tokens ``[B, H*W, C]`` to ``[B, C, H, W]``."""
    return x.transpose(1, 2).reshape(x.shape[0], x.shape[2], height, width)


class DWConv(nn.Module):
    """Depthwise 3x3 conv on grid tokens ``[B, H*W, C]``."""

    def __init__(self, dim: int = 768) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 3, 1, 1, bias=True, groups=dim)

    def forward(self, x: torch.Tensor, H: int, W: int) -> torch.Tensor:
        return self.dwconv(_tokens_to_map(x, H, W)).flatten(2).transpose(
            1, 2)


class MLP(nn.Module):
    """FFN with a depthwise 3x3 conv between its linear layers (grid
    tokens; :class:`TCMLP` for dynamic ones).

    Args:
        in_features (int): Channels C.
        hidden_features (int | None): Hidden channels (C when None).
        out_features (int | None): Output channels (C when None).
        act_layer (type): Activation class. Default: nn.GELU.
        drop (float): Dropout. Default: 0.
    """

    def __init__(self,
                 in_features: int,
                 hidden_features: Optional[int] = None,
                 out_features: Optional[int] = None,
                 act_layer: type = nn.GELU,
                 drop: float = 0.) -> None:
        super().__init__()
        hidden_features = hidden_features or in_features
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.dwconv = self._make_dwconv(hidden_features)
        self.act = act_layer()
        self.fc2 = nn.Linear(hidden_features, out_features or in_features)
        self.drop = nn.Dropout(drop)

    @staticmethod
    def _make_dwconv(channels: int) -> nn.Module:
        return DWConv(channels)

    def forward(self, x: torch.Tensor, H: int, W: int) -> torch.Tensor:
        x = self.drop(self.act(self.dwconv(self.fc1(x), H, W)))
        return self.drop(self.fc2(x))


class TCMLP(MLP):
    """:class:`MLP` for dynamic tokens (the depthwise conv is a
    :class:`TokenConv`)."""

    @staticmethod
    def _make_dwconv(channels: int) -> nn.Module:
        return TokenConv(
            in_channels=channels,
            out_channels=channels,
            kernel_size=3,
            padding=1,
            stride=1,
            bias=True,
            groups=channels)

    def forward(self, token_dict: dict) -> torch.Tensor:
        token_dict['x'] = self.fc1(token_dict['x'])
        x = self.drop(self.act(self.dwconv(token_dict)))
        return self.drop(self.fc2(x))


class TCFormerRegularAttention(nn.Module):
    """Spatial-reduction attention on grid tokens: keys and values come
    from the map reduced by a ``sr_ratio``-strided conv + LayerNorm
    (``use_sr_conv``) or by average pooling.

    Args:
        dim (int): Channels C.
        num_heads (int): Attention heads. Default: 8.
        qkv_bias (bool): Bias of q and kv. Default: False.
        qk_scale (float | None): Override of ``head_dims ** -0.5``.
        attn_drop (float): Dropout on attention weights. Default: 0.
        proj_drop (float): Dropout on the output. Default: 0.
        sr_ratio (int): Spatial reduction. Default: 1.
        use_sr_conv (bool): Reduce with a conv (else average pooling).
            Default: True.

    Shapes:
        x ``[B, H*W, C]`` -> ``[B, H*W, C]``.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int = 8,
                 qkv_bias: bool = False,
                 qk_scale: Optional[float] = None,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.,
                 sr_ratio: int = 1,
                 use_sr_conv: bool = True) -> None:
        super().__init__()
        if dim % num_heads:
            raise ArgumentError(f'{type(self).__name__}: dim ({dim}) must be'
                                f' divisible by num_heads ({num_heads})')
        self.dim = dim
        self.num_heads = num_heads
        self.scale = qk_scale or (dim // num_heads)**-0.5
        self.q = nn.Linear(dim, dim, bias=qkv_bias)
        self.kv = nn.Linear(dim, dim * 2, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)
        self.sr_ratio = sr_ratio
        self.use_sr_conv = use_sr_conv
        if sr_ratio > 1 and use_sr_conv:
            self.sr = nn.Conv2d(
                dim, dim, kernel_size=sr_ratio, stride=sr_ratio)
            self.norm = nn.LayerNorm(dim)

    def _reduce(self, kv_map: torch.Tensor) -> torch.Tensor:
        """``[B, C, H, W]`` -> reduced tokens ``[B, L, C]``."""
        if self.use_sr_conv:
            return self.norm(self.sr(kv_map).flatten(2).transpose(1, 2))
        return F.avg_pool2d(kv_map, self.sr_ratio).flatten(2).transpose(1, 2)

    def _attend(self,
                q: torch.Tensor,
                kv: torch.Tensor,
                bias: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Attention of ``q [B, Nq, C]`` over ``kv [B, L, C]``, with an
        additive per-key ``bias [B, L]``."""
        b, nq, c = q.shape
        heads = self.num_heads
        q = self.q(q).reshape(b, nq, heads, c // heads).transpose(1, 2)
        kv = self.kv(kv).reshape(b, -1, 2, heads,
                                 c // heads).permute(2, 0, 3, 1, 4)
        attn = (q * self.scale) @ kv[0].transpose(-2, -1)
        if bias is not None:
            attn = attn + bias[:, None, None, :]
        attn = self.attn_drop(attn.softmax(dim=-1))
        x = (attn @ kv[1]).transpose(1, 2).reshape(b, nq, c)
        return self.proj_drop(self.proj(x))

    def forward(self, x: torch.Tensor, H: int, W: int) -> torch.Tensor:
        kv = x
        if self.sr_ratio > 1:
            kv = self._reduce(_tokens_to_map(x, H, W))
        return self._attend(x, kv)


class TCFormerDynamicAttention(TCFormerRegularAttention):
    """:class:`TCFormerRegularAttention` for dynamic tokens: the key/value
    tokens (and their ``token_score``, added to the logits) are drawn on
    the query's map before the reduction."""

    def forward(self, q_dict: dict, kv_dict: dict) -> torch.Tensor:
        kv = kv_dict['x']
        b, n_kv, c = kv.shape
        score = kv_dict.get('token_score')
        if score is None:
            score = kv.new_zeros(b, n_kv, 1)
        if self.sr_ratio > 1:
            both = token2map(
                dict(kv_dict,
                     x=torch.cat([kv, score], dim=-1),
                     map_size=q_dict['map_size']))
            kv = self._reduce(both[:, :c])
            score = F.avg_pool2d(both[:, c:], self.sr_ratio).flatten(
                2).transpose(1, 2)
        return self._attend(q_dict['x'], kv, score.squeeze(-1))


class TCFormerRegularBlock(nn.Module):
    """Pre-norm transformer block on grid tokens: spatial-reduction
    attention and :class:`MLP`, both residual.

    Args:
        dim (int): Channels C.
        num_heads (int): Attention heads.
        mlp_ratio (float): FFN hidden channels / C. Default: 4.
        qkv_bias (bool): Default: False.
        qk_scale (float | None): Default: None.
        drop (float): Dropout after attention and in the FFN. Default: 0.
        attn_drop (float): Dropout on attention weights. Default: 0.
        drop_path (float): Stochastic depth. Default: 0.
        act_layer (type): FFN activation class. Default: nn.GELU.
        norm_cfg (dict): Pre-norms. Default: dict(type='LN').
        sr_ratio (int): Attention spatial reduction. Default: 1.
        use_sr_conv (bool): Reduce with a conv (else pooling).
            Default: True.

    Shapes:
        x ``[B, H*W, C]`` -> ``[B, H*W, C]``.
    """

    attention = TCFormerRegularAttention
    mlp_class = MLP

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = False,
                 qk_scale: Optional[float] = None,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 drop_path: float = 0.,
                 act_layer: type = nn.GELU,
                 norm_cfg: dict = dict(type='LN'),
                 sr_ratio: int = 1,
                 use_sr_conv: bool = True) -> None:
        super().__init__()
        self.norm1 = build_norm_layer(norm_cfg, dim)[1]
        self.attn = self.attention(
            dim,
            num_heads=num_heads,
            qkv_bias=qkv_bias,
            qk_scale=qk_scale,
            attn_drop=attn_drop,
            proj_drop=drop,
            sr_ratio=sr_ratio,
            use_sr_conv=use_sr_conv)
        self.drop_path = build_dropout(
            dict(type='DropPath', drop_prob=drop_path))
        self.norm2 = build_norm_layer(norm_cfg, dim)[1]
        self.mlp = self.mlp_class(
            in_features=dim,
            hidden_features=int(dim * mlp_ratio),
            act_layer=act_layer,
            drop=drop)

    def forward(self, x: torch.Tensor, H: int, W: int) -> torch.Tensor:
        x = x + self.drop_path(self.attn(self.norm1(x), H, W))
        return x + self.drop_path(self.mlp(self.norm2(x), H, W))


class TCFormerDynamicBlock(TCFormerRegularBlock):
    """:class:`TCFormerRegularBlock` for dynamic tokens.

    ``forward`` takes one token dict (queries = keys = values) or a pair
    ``(q_dict, kv_dict)``; both dicts are updated in place (their ``x``
    normalised) and ``q_dict`` is returned with the block's output as
    ``x``.
    """

    attention = TCFormerDynamicAttention
    mlp_class = TCMLP

    def forward(self, inputs) -> dict:
        if isinstance(inputs, (tuple, list)):
            q_dict, kv_dict = inputs
        else:
            q_dict, kv_dict = inputs, None
        x = q_dict['x']
        q_dict['x'] = self.norm1(x)
        if kv_dict is None:
            kv_dict = q_dict
        else:
            kv_dict['x'] = self.norm1(kv_dict['x'])
        x = x + self.drop_path(self.attn(q_dict, kv_dict))
        q_dict['x'] = self.norm2(x)
        q_dict['x'] = x + self.drop_path(self.mlp(q_dict))
        return q_dict

