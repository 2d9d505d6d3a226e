"""Layers of the plain Vision Transformer backbones of ViTPose (Xu et al.,
"ViTPose: Simple Vision Transformer Baselines for Human Pose Estimation",
NeurIPS 2022) and of its mixture-of-experts variant ViTPose+.

The parameter names are those of the ViTPose fork (timm's ViT layout), so
its checkpoints load with ``strict=True``:

- :class:`ViTPatchEmbed`: ``proj`` (the patch convolution);
- :class:`HybridEmbed`: ``backbone`` and ``proj`` (a linear projection of
  a CNN's last feature map);
- :class:`ViTBlock`: ``norm1``, ``attn.qkv``, ``attn.proj``, ``norm2`` and
  ``mlp.fc1``, ``mlp.fc2`` (plus ``mlp.experts.<i>`` with
  :class:`MoEMlp`).

:class:`GlobalSelfAttention` computes ``softmax(q k^T * scale) v``
explicitly, as the fork does (a forward hook or a debugger sees the same
steps); :func:`set_fused_attention` switches a model's attention layers
to PyTorch's fused ``scaled_dot_product_attention`` (used by the fast
inference copy of :mod:`mmpose.apis.fast_inference`).

Note:
    N: batch size, L: number of tokens (``Hp * Wp``), C: channels,
    Hp, Wp: height and width of the token grid.
"""
from functools import partial
from typing import Callable, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmcv.cnn import build_norm_layer
from mmcv.cnn.bricks.transformer import build_dropout
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError
from .transformer import to_pair

__all__ = [
    'GlobalSelfAttention', 'ViTMlp', 'MoEMlp', 'ViTBlock', 'ViTPatchEmbed',
    'HybridEmbed', 'norm_layer_factory', 'set_fused_attention'
]

NormLayer = Union[None, dict, Callable[[int], nn.Module]]


def norm_layer_factory(norm_layer: NormLayer) -> Callable[[int], nn.Module]:
    """A callable ``channels -> norm module`` from a ViT ``norm_layer``.

    Args:
        norm_layer (None | dict | callable): None for ``LayerNorm`` with
            ``eps=1e-6`` (the fork's default), an mmcv norm config such as
            ``dict(type='LN', eps=1e-6)``, or a callable taking the number
            of channels (e.g. ``functools.partial(nn.LayerNorm, eps=1e-6)``).

    Raises:
        TypeError: ``norm_layer`` is none of these.
    """
    if norm_layer is None:
        return partial(nn.LayerNorm, eps=1e-6)
    if isinstance(norm_layer, dict):
        return lambda channels: build_norm_layer(norm_layer, channels)[1]
    if callable(norm_layer):
        return norm_layer
    raise ArgumentTypeError('norm_layer must be None, an mmcv norm config '
                            f'dict or a callable, got {norm_layer!r}')


class GlobalSelfAttention(nn.Module):
    """Multi-head self-attention over all tokens with one fused ``qkv``
    projection.

    Args:
        dim (int): Channels C (a multiple of ``num_heads``).
        num_heads (int): Attention heads. Default: 8.
        qkv_bias (bool): Bias in the ``qkv`` projection. Default: False.
        qk_scale (float | None): Scale of ``q k^T``; ``(C / heads) ** -0.5``
            when None (or 0). Default: None.
        attn_drop (float): Dropout on the attention weights. Default: 0.
        proj_drop (float): Dropout on the output. Default: 0.

    Shapes:
        x ``[N, L, C]`` -> ``[N, L, C]``.
    """

    #: Use ``F.scaled_dot_product_attention`` (set per instance by
    #: :func:`set_fused_attention`); the class default keeps the explicit
    #: softmax path.
    fused = False

    def __init__(self,
                 dim: int,
                 num_heads: int = 8,
                 qkv_bias: bool = False,
                 qk_scale: Optional[float] = None,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.) -> None:
        super().__init__()
        if dim % num_heads:
            raise ArgumentError(f'attention: dim ({dim}) must be divisible '
                                f'by num_heads ({num_heads})')
        self.num_heads = num_heads
        self.scale = qk_scale or (dim // num_heads)**-0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop)
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, length, _ = x.shape
        q, k, v = self.qkv(x).reshape(n, length, 3, self.num_heads,
                                      -1).permute(2, 0, 3, 1, 4).unbind(0)
        if self.fused:
            drop = self.attn_drop.p if self.training else 0.
            out = F.scaled_dot_product_attention(
                q, k, v, dropout_p=drop, scale=self.scale)
        else:
            weights = ((q * self.scale) @ k.transpose(-2, -1)).softmax(-1)
            out = self.attn_drop(weights) @ v
        out = out.transpose(1, 2).reshape(n, length, -1)
        return self.proj_drop(self.proj(out))


def set_fused_attention(module: nn.Module, enabled: bool = True) -> int:
    """Make every :class:`GlobalSelfAttention` inside ``module`` use (or
    stop using) ``F.scaled_dot_product_attention``.

    The fused kernel gives the explicit path's results up to float
    rounding, faster and with less memory.

    Returns:
        int: How many attention layers were switched.
    """
    layers = [m for m in module.modules()
              if isinstance(m, GlobalSelfAttention)]
    for layer in layers:
        layer.fused = enabled
    return len(layers)


class ViTMlp(nn.Module):
    """Two-layer GELU MLP of a ViT block: ``fc1`` (C -> hidden), the
    activation, ``fc2`` (hidden -> C) and dropout.

    Shapes:
        x ``[N, L, C]`` -> ``[N, L, C]``.
    """

    def __init__(self,
                 in_features: int,
                 hidden_features: int,
                 act_layer: Callable[[], nn.Module] = nn.GELU,
                 drop: float = 0.) -> None:
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.act = act_layer()
        self.fc2 = nn.Linear(hidden_features, in_features)
        self.drop = nn.Dropout(drop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.fc2(self.act(self.fc1(x))))


class MoEMlp(nn.Module):
    """MLP of a ViTPose+ block: ``fc2`` gives the first ``C -
    part_features`` output channels (shared by all datasets), one of
    ``num_expert`` expert layers ``experts.<i>`` the last ``part_features``
    (chosen per sample by its dataset index). No dropout, as in the fork.

    Args:
        num_expert (int): Number of experts (datasets).
        in_features (int): Channels C.
        hidden_features (int): Hidden channels.
        part_features (int): Output channels of each expert (< C).
        act_layer (type): Activation. Default: nn.GELU.

    Shapes:
        x ``[N, L, C]``, indices ``LongTensor[N]`` in ``[0, num_expert)``
        -> ``[N, L, C]``.
    """

    def __init__(self,
                 num_expert: int,
                 in_features: int,
                 hidden_features: int,
                 part_features: int,
                 act_layer: Callable[[], nn.Module] = nn.GELU) -> None:
        super().__init__()
        if not 0 < part_features < in_features:
            raise ArgumentError(
                f'part_features must be in (0, embed_dim={in_features}), '
                f'got {part_features}')
        if num_expert < 1:
            raise ArgumentError(f'num_expert must be >= 1, got {num_expert}')
        self.num_expert = num_expert
        self.part_features = part_features
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.act = act_layer()
        self.fc2 = nn.Linear(hidden_features, in_features - part_features)
        self.experts = nn.ModuleList(
            nn.Linear(hidden_features, part_features)
            for _ in range(num_expert))

    def forward(self, x: torch.Tensor,
                indices: torch.Tensor) -> torch.Tensor:
        hidden = self.act(self.fc1(x))
        # Each sample's expert weights, gathered from the stacked experts
        # (every expert stays in the graph, so all get gradients, as DDP
        # needs): [N, part, hidden] and [N, part].
        weight = torch.stack([e.weight for e in self.experts])[indices]
        bias = torch.stack([e.bias for e in self.experts])[indices]
        expert = hidden @ weight.transpose(1, 2) + bias[:, None]
        return torch.cat([self.fc2(hidden), expert.to(hidden.dtype)], dim=-1)


class ViTBlock(nn.Module):
    """Pre-norm transformer block: ``x + attn(norm1(x))``, then ``x +
    mlp(norm2(x))``, each residual branch under stochastic depth.

    Args:
        dim (int): Channels C.
        num_heads (int): Attention heads.
        mlp_ratio (float): Hidden channels of the MLP over C. Default: 4.
        qkv_bias (bool): Bias in the ``qkv`` projection. Default: False.
        qk_scale (float | None): See :class:`GlobalSelfAttention`.
        drop (float): Dropout after the attention and MLP projections.
        attn_drop (float): Dropout on the attention weights.
        drop_path (float): Stochastic depth rate of this block.
        act_layer (type): MLP activation. Default: nn.GELU.
        norm_layer (callable): ``channels -> norm module``. Default:
            LayerNorm with ``eps=1e-6``.
        num_expert (int): Experts of a :class:`MoEMlp` (with
            ``part_features``). Default: 1.
        part_features (int | None): Expert channels; None for a plain
            :class:`ViTMlp`. Default: None.

    Shapes:
        x ``[N, L, C]`` (and ``indices [N]`` with experts) -> ``[N, L, C]``.
    """

    def __init__(self,
                 dim: int,
                 num_heads: int,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = False,
                 qk_scale: Optional[float] = None,
                 drop: float = 0.,
                 attn_drop: float = 0.,
                 drop_path: float = 0.,
                 act_layer: Callable[[], nn.Module] = nn.GELU,
                 norm_layer: Callable[[int], nn.Module] = partial(
                     nn.LayerNorm, eps=1e-6),
                 num_expert: int = 1,
                 part_features: Optional[int] = None) -> None:
        super().__init__()
        self.norm1 = norm_layer(dim)
        self.attn = GlobalSelfAttention(dim, num_heads, qkv_bias, qk_scale,
                                        attn_drop, drop)
        self.drop_path = build_dropout(
            dict(type='DropPath', drop_prob=drop_path))
        self.norm2 = norm_layer(dim)
        hidden = int(dim * mlp_ratio)
        if part_features is None:
            self.mlp = ViTMlp(dim, hidden, act_layer, drop)
        else:
            self.mlp = MoEMlp(num_expert, dim, hidden, part_features,
                              act_layer)

    def forward(self,
                x: torch.Tensor,
                indices: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = x + self.drop_path(self.attn(self.norm1(x)))
        mlp_args = () if indices is None else (indices, )
        return x + self.drop_path(self.mlp(self.norm2(x), *mlp_args))


class ViTPatchEmbed(nn.Module):
    """Image to patch tokens by one convolution (kernel ``patch_size``,
    stride ``patch_size // ratio``, padding ``4 + 2 * (ratio // 2 - 1)``).

    With ``ratio > 1`` patches overlap and the grid is ``ratio`` times
    finer; ``patch_shape`` is the token grid of an ``img_size`` input.

    Args:
        img_size (int | tuple[int]): Input (h, w). Default: 224.
        patch_size (int | tuple[int]): Patch (h, w). Default: 16.
        in_chans (int): Image channels. Default: 3.
        embed_dim (int): Channels C. Default: 768.
        ratio (int): Overlap ratio. Default: 1.

    Shapes:
        x ``[N, in_chans, H, W]`` -> tokens ``[N, Hp * Wp, C]`` and
        ``(Hp, Wp)``.
    """

    def __init__(self,
                 img_size: Union[int, Sequence[int]] = 224,
                 patch_size: Union[int, Sequence[int]] = 16,
                 in_chans: int = 3,
                 embed_dim: int = 768,
                 ratio: int = 1) -> None:
        super().__init__()
        img_h, img_w = to_pair(img_size, 'img_size')
        patch_h, patch_w = to_pair(patch_size, 'patch_size')
        self.img_size = (img_h, img_w)
        self.patch_size = (patch_h, patch_w)
        self.patch_shape = (img_h // patch_h * ratio, img_w // patch_w * ratio)
        self.num_patches = self.patch_shape[0] * self.patch_shape[1]
        self.proj = nn.Conv2d(
            in_chans,
            embed_dim,
            kernel_size=(patch_h, patch_w),
            stride=patch_h // ratio,
            padding=4 + 2 * (ratio // 2 - 1))

    def forward(self, x: torch.Tensor
                ) -> Tuple[torch.Tensor, Tuple[int, int]]:
        x = self.proj(x)
        return x.flatten(2).transpose(1, 2), (x.shape[2], x.shape[3])


class HybridEmbed(nn.Module):
    """Tokens from the last feature map of a CNN, projected to C channels
    by a linear layer (the "hybrid" ViT).

    Args:
        backbone (nn.Module): CNN returning a feature map ``[N, C', h, w]``
            or a list/tuple of them (the last is used).
        img_size (int | tuple[int]): Input (h, w), used once to find the
            feature map's size and channels. Default: 224.
        in_chans (int): Image channels. Default: 3.
        embed_dim (int): Channels C. Default: 768.

    Shapes:
        x ``[N, in_chans, H, W]`` -> tokens ``[N, h * w, C]`` and
        ``(h, w)``.
    """

    def __init__(self,
                 backbone: nn.Module,
                 img_size: Union[int, Sequence[int]] = 224,
                 in_chans: int = 3,
                 embed_dim: int = 768) -> None:
        super().__init__()
        if not isinstance(backbone, nn.Module):
            raise ArgumentTypeError('hybrid_backbone must be an nn.Module, '
                                    f'got {type(backbone).__name__}')
        self.img_size = to_pair(img_size, 'img_size')
        self.backbone = backbone
        training = backbone.training
        backbone.eval()
        with torch.no_grad():
            feature = self._last_feature(
                torch.zeros(1, in_chans, *self.img_size))
        backbone.train(training)
        self.patch_shape = tuple(feature.shape[-2:])
        self.num_patches = self.patch_shape[0] * self.patch_shape[1]
        self.proj = nn.Linear(feature.shape[1], embed_dim)

    def _last_feature(self, x: torch.Tensor) -> torch.Tensor:
        feature = self.backbone(x)
        return feature[-1] if isinstance(feature, (list, tuple)) else feature

    def forward(self, x: torch.Tensor
                ) -> Tuple[torch.Tensor, Tuple[int, int]]:
        feature = self._last_feature(x)
        grid = (feature.shape[2], feature.shape[3])
        return self.proj(feature.flatten(2).transpose(1, 2)), grid
