"""Building blocks shared by the transformer backbones (Swin, HRFormer, PVT,
TCFormer).

``PatchEmbed`` and ``PatchMerging`` are mmcv's (MMPose 0.29 exposed copies
of them at ``mmpose.models.utils``; the signatures and parameter names are
the same). The rest:

- token layout: :func:`nlc_to_nchw`, :func:`nchw_to_nlc`;
- windows: :func:`window_partition`, :func:`window_reverse`,
  :func:`relative_position_index` and :class:`WindowMSA`, the window
  multi-head self-attention with a relative position bias;
- :func:`drop_path_rates`, the linear stochastic-depth schedule, and
  :func:`to_pair` for image and grid sizes.

Note:
    N: batch size, L: number of tokens (``H * W``), C: channels,
    Wh, Ww: window height and width.
"""
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmcv.cnn.bricks.transformer import PatchEmbed, PatchMerging
from mmcv.cnn.utils.weight_init import trunc_normal_
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError

__all__ = [
    'PatchEmbed', 'PatchMerging', 'nlc_to_nchw', 'nchw_to_nlc',
    'window_partition', 'window_reverse', 'relative_position_index',
    'WindowMSA', 'drop_path_rates', 'to_pair'
]


def nlc_to_nchw(x: torch.Tensor, hw_shape: Sequence[int]) -> torch.Tensor:
    """Tokens ``[N, L, C]`` to a feature map ``[N, C, H, W]``.

    Raises:
        ValueError: ``x`` is not 3-D or ``L != H * W``.
    """
    height, width = hw_shape
    if x.dim() != 3 or x.shape[1] != height * width:
        raise ArgumentError(
            f'nlc_to_nchw: x must be [N, L, C] with L = H * W = '
            f'{height} * {width}, got shape {tuple(x.shape)}')
    return x.transpose(1, 2).reshape(x.shape[0], x.shape[2], height, width)


def nchw_to_nlc(x: torch.Tensor) -> torch.Tensor:
    """A feature map ``[N, C, H, W]`` to tokens ``[N, H * W, C]``.

    Raises:
        ValueError: ``x`` is not 4-D.
    """
    if x.dim() != 4:
        raise ArgumentError('nchw_to_nlc: x must be [N, C, H, W], got shape '
                            f'{tuple(x.shape)}')
    return x.flatten(2).transpose(1, 2).contiguous()


def to_pair(size: Union[int, Sequence[int]], name: str) -> Tuple[int, int]:
    """``(h, w)`` from an int or a 1- or 2-element sequence.

    Raises:
        TypeError: ``size`` is neither an int nor a sequence.
        ValueError: ``size`` has another length.
    """
    if isinstance(size, (int, np.integer)):
        return (int(size), int(size))
    if not isinstance(size, (tuple, list, np.ndarray)):
        raise ArgumentTypeError(
            f'{name} must be an int or a tuple, got {size!r}')
    if len(size) not in (1, 2):
        raise ArgumentError(f'{name} must have length 1 or 2, got {size!r}')
    return (int(size[0]), int(size[-1]))


def window_partition(x: torch.Tensor,
                     window_size: Union[int, Sequence[int]]) -> torch.Tensor:
    """Cut ``x [N, H, W, C]`` (H, W multiples of the window ``(Wh, Ww)``,
    an int for square windows) into windows ``[N * H/Wh * W/Ww, Wh, Ww,
    C]``, row-major over the windows of each image.

    The result is contiguous (a copy, as in 0.29), so callers may ``view``
    it whatever the map size: for some sizes (e.g. one window per row) a
    ``reshape`` of the permuted map would be a strided view instead.
    """
    wh, ww = to_pair(window_size, 'window_size')
    n, height, width, channels = x.shape
    x = x.view(n, height // wh, wh, width // ww, ww, channels)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(-1, wh, ww, channels)


def window_reverse(windows: torch.Tensor, height: int,
                   width: int) -> torch.Tensor:
    """Inverse of :func:`window_partition`: ``[N * H/Wh * W/Ww, Wh, Ww, C]``
    to ``[N, H, W, C]`` (contiguous)."""
    _, wh, ww, channels = windows.shape
    x = windows.view(-1, height // wh, width // ww, wh, ww, channels)
    return x.permute(0, 1, 3, 2, 4, 5).contiguous().view(
        -1, height, width, channels)


def relative_position_index(window_size: Sequence[int]) -> torch.Tensor:
    """Index into a ``[(2Wh-1) * (2Ww-1), heads]`` bias table of every pair
    of tokens of a ``Wh x Ww`` window.

    Tokens ``i = (h_i, w_i)`` and ``j`` (row-major) map to
    ``(h_i - h_j + Wh - 1) * (2Ww - 1) + (w_i - w_j + Ww - 1)``.

    Returns:
        LongTensor[Wh*Ww, Wh*Ww]
    """
    wh, ww = window_size
    rows = torch.arange(wh).repeat_interleave(ww)
    cols = torch.arange(ww).repeat(wh)
    d_rows = rows[:, None] - rows[None, :] + wh - 1
    d_cols = cols[:, None] - cols[None, :] + ww - 1
    return d_rows * (2 * ww - 1) + d_cols


def drop_path_rates(max_rate: float, depth: int) -> List[float]:
    """Stochastic-depth rate of each of ``depth`` blocks, rising linearly
    from 0 to ``max_rate`` (computed on the host, so that models also build
    on the meta device)."""
    return np.linspace(0, max_rate, depth).tolist()


class WindowMSA(nn.Module):
    """Multi-head self-attention inside windows, with a learned relative
    position bias (Swin Transformer, HRFormer).

    Args:
        embed_dims (int): Channels C.
        num_heads (int): Attention heads.
        window_size (tuple[int]): ``(Wh, Ww)``.
        qkv_bias (bool): Bias in the qkv projection. Default: True.
        qk_scale (float | None): Scale of ``q k^T``; ``head_dims ** -0.5``
            when None. Default: None.
        attn_drop_rate (float): Dropout on the attention weights.
            Default: 0.
        proj_drop_rate (float): Dropout on the output. Default: 0.
        with_rpe (bool): Add the relative position bias. Default: True.

    Shapes:
        x ``[B, Wh*Ww, C]`` (B: number of windows times batch), mask
        ``[nW, Wh*Ww, Wh*Ww]`` of additive values (0 or very negative) or
        None -> ``[B, Wh*Ww, C]``.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 window_size: Tuple[int, int],
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 attn_drop_rate: float = 0.,
                 proj_drop_rate: float = 0.,
                 with_rpe: bool = True) -> None:
        super().__init__()
        if embed_dims % num_heads:
            raise ArgumentError(f'WindowMSA: embed_dims ({embed_dims}) must '
                                f'be divisible by num_heads ({num_heads})')
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.window_size = tuple(window_size)
        self.scale = qk_scale or (embed_dims // num_heads)**-0.5
        self.with_rpe = with_rpe
        if with_rpe:
            wh, ww = self.window_size
            self.relative_position_bias_table = nn.Parameter(
                torch.zeros((2 * wh - 1) * (2 * ww - 1), num_heads))
            self.register_buffer('relative_position_index',
                                 relative_position_index(self.window_size))
        self.qkv = nn.Linear(embed_dims, embed_dims * 3, bias=qkv_bias)
        self.attn_drop = nn.Dropout(attn_drop_rate)
        self.proj = nn.Linear(embed_dims, embed_dims)
        self.proj_drop = nn.Dropout(proj_drop_rate)

    def init_weights(self) -> None:
        """Truncated-normal (std 0.02) relative position bias table."""
        if self.with_rpe:
            trunc_normal_(self.relative_position_bias_table, std=0.02)

    def forward(self,
                x: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.num_heads,
                                  c // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * self.scale, qkv[1], qkv[2]
        attn = q @ k.transpose(-2, -1)  # [B, heads, n, n]
        if self.with_rpe:
            bias = self.relative_position_bias_table[
                self.relative_position_index.view(-1)].view(n, n, -1)
            attn = attn + bias.permute(2, 0, 1).unsqueeze(0)
        if mask is not None:
            num_windows = mask.shape[0]
            attn = attn.view(b // num_windows, num_windows, self.num_heads, n,
                             n) + mask[None, :, None]
            attn = attn.view(b, self.num_heads, n, n)
        attn = self.attn_drop(attn.softmax(dim=-1))
        x = (attn @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj_drop(self.proj(x))
