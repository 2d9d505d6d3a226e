"""Temporal convolutional network (TCN) backbone.

"3D human pose estimation in video with temporal convolutions and
semi-supervised training", Pavllo et al., CVPR 2019 (VideoPose3D,
https://arxiv.org/abs/1811.11742).
"""
import copy
from typing import Optional, Sequence, Tuple

import torch
from mmcv.cnn import ConvModule, build_conv_layer, constant_init, kaiming_init
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.errors import ArgumentError
from mmpose.models.builder import BACKBONES

from .base_backbone import BaseBackbone

__all__ = ['TCN', 'BasicTemporalBlock']


class BasicTemporalBlock(nn.Module):
    """A temporal conv (``conv1``), a 1x1 conv (``conv2``) and a shortcut
    cropped to the output frames.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        mid_channels (int): Channels after ``conv1``. Default: 1024.
        kernel_size (int): Kernel size of ``conv1`` (odd). Default: 3.
        dilation (int): Dilation of ``conv1`` (its stride instead, equal to
            ``kernel_size``, with ``use_stride_conv``). Default: 3.
        dropout (float): Dropout rate after each conv. Default: 0.25.
        causal (bool): Causal convolution: the output frame depends only on
            past frames. Default: False.
        residual (bool): Add the shortcut. Default: True.
        use_stride_conv (bool): Strided instead of dilated ``conv1``.
            Default: False.
        conv_cfg (dict): Config of the convolutions.
            Default: dict(type='Conv1d').
        norm_cfg (dict): Config of the norm layers.
            Default: dict(type='BN1d').

    Shape:
        x: ``[N, in_channels, T]`` -> ``[N, out_channels, T']`` with
        ``T' = T - (kernel_size - 1) * dilation`` (dilated) or
        ``T' = T // kernel_size`` (strided).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 mid_channels: int = 1024,
                 kernel_size: int = 3,
                 dilation: int = 3,
                 dropout: float = 0.25,
                 causal: bool = False,
                 residual: bool = True,
                 use_stride_conv: bool = False,
                 conv_cfg: dict = dict(type='Conv1d'),
                 norm_cfg: dict = dict(type='BN1d')) -> None:
        super().__init__()
        conv_cfg = copy.deepcopy(conv_cfg)
        norm_cfg = copy.deepcopy(norm_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.mid_channels = mid_channels
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.causal = causal
        self.residual = residual
        self.use_stride_conv = use_stride_conv

        # frames cut from each side of the (symmetric) receptive field
        self.pad = (kernel_size - 1) * dilation // 2
        if use_stride_conv:
            self.stride = kernel_size
            self.causal_shift = kernel_size // 2 if causal else 0
            self.dilation = 1
        else:
            self.stride = 1
            self.causal_shift = kernel_size // 2 * dilation if causal else 0

        self.conv1 = nn.Sequential(
            ConvModule(
                in_channels,
                mid_channels,
                kernel_size=kernel_size,
                stride=self.stride,
                dilation=self.dilation,
                bias='auto',
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg))
        self.conv2 = nn.Sequential(
            ConvModule(
                mid_channels,
                out_channels,
                kernel_size=1,
                bias='auto',
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg))

        if residual and in_channels != out_channels:
            self.short_cut = build_conv_layer(conv_cfg, in_channels,
                                              out_channels, 1)
        else:
            self.short_cut = None

        self.dropout = nn.Dropout(dropout) if dropout > 0 else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block to ``x [N, C_in, T]``."""
        num_frames = x.shape[2]
        if self.use_stride_conv:
            first = self.causal_shift + self.kernel_size // 2
            if first >= num_frames:
                raise ArgumentError(
                    f'a strided block with kernel_size {self.kernel_size} '
                    f'needs more than {first} frames, but got {num_frames}')
        elif not (0 <= self.pad + self.causal_shift <
                  num_frames - self.pad + self.causal_shift <= num_frames):
            raise ArgumentError(
                f'a block with receptive field {2 * self.pad + 1} needs more '
                f'than {2 * self.pad} frames, but got {num_frames}')

        out = self.conv1(x)
        if self.dropout is not None:
            out = self.dropout(out)
        out = self.conv2(out)
        if self.dropout is not None:
            out = self.dropout(out)

        if self.residual:
            # the input frames aligned with the output frames
            if self.use_stride_conv:
                res = x[:, :, self.causal_shift +
                        self.kernel_size // 2::self.kernel_size]
            else:
                res = x[:, :, self.pad + self.causal_shift:num_frames -
                        self.pad + self.causal_shift]
            if self.short_cut is not None:
                res = self.short_cut(res)
            out = out + res
        return out


@BACKBONES.register_module()
class TCN(BaseBackbone):
    """TCN backbone.

    Temporal Convolutional Networks: an expand conv (``expand_conv``, kernel
    ``kernel_sizes[0]``) followed by ``num_blocks`` residual temporal blocks
    (``tcn_blocks``) whose dilations grow as the product of the previous
    kernel sizes, so the receptive field is ``prod(kernel_sizes)`` frames.

    Args:
        in_channels (int): Number of input channels, which equals to
            num_keypoints * num_features.
        stem_channels (int): Number of feature channels. Default: 1024.
        num_blocks (int): Number of basic temporal convolutional blocks.
            Default: 2.
        kernel_sizes (Sequence[int]): Sizes of the convolving kernel of each
            basic block (odd); ``num_blocks + 1`` of them.
            Default: (3, 3, 3).
        dropout (float): Dropout rate. Default: 0.25.
        causal (bool): Use causal convolutions instead of symmetric
            convolutions (for real-time applications). Default: False.
        residual (bool): Use residual connection. Default: True.
        use_stride_conv (bool): Use the variant tuned for single-frame
            batching, in which every sample spans exactly the receptive field
            and yields a single output frame. Dilated convolutions are replaced
            with strided convolutions; the weights are interchangeable.
            Default: False.
        conv_cfg (dict): Config of the conv layers.
            Default: dict(type='Conv1d').
        norm_cfg (dict): Config of the norm layers.
            Default: dict(type='BN1d').
        max_norm (float | None): If not None, the weight of every conv layer
            is clipped to this maximum norm before each forward pass.
            Default: None.

    Shape:
        x: ``[N, in_channels, T]`` -> tuple of ``num_blocks`` tensors
        ``[N, stem_channels, T_i]``.

    Example:
        >>> import torch
        >>> model = TCN(in_channels=34).eval()
        >>> [tuple(o.shape) for o in model(torch.rand(1, 34, 243))]
        [(1, 1024, 235), (1, 1024, 217)]
    """

    def __init__(self,
                 in_channels: int,
                 stem_channels: int = 1024,
                 num_blocks: int = 2,
                 kernel_sizes: Sequence[int] = (3, 3, 3),
                 dropout: float = 0.25,
                 causal: bool = False,
                 residual: bool = True,
                 use_stride_conv: bool = False,
                 conv_cfg: dict = dict(type='Conv1d'),
                 norm_cfg: dict = dict(type='BN1d'),
                 max_norm: Optional[float] = None) -> None:
        super().__init__()
        conv_cfg = copy.deepcopy(conv_cfg)
        norm_cfg = copy.deepcopy(norm_cfg)
        if len(kernel_sizes) != num_blocks + 1:
            raise ArgumentError(
                f'kernel_sizes {tuple(kernel_sizes)} must have num_blocks + 1 '
                f'= {num_blocks + 1} entries')
        even = [k for k in kernel_sizes if k % 2 != 1]
        if even:
            raise ArgumentError('only odd kernel sizes are supported, but '
                                f'kernel_sizes is {tuple(kernel_sizes)}')
        self.in_channels = in_channels
        self.stem_channels = stem_channels
        self.num_blocks = num_blocks
        self.kernel_sizes = kernel_sizes
        self.causal = causal
        self.residual = residual
        self.use_stride_conv = use_stride_conv
        self.max_norm = max_norm

        self.expand_conv = ConvModule(
            in_channels,
            stem_channels,
            kernel_size=kernel_sizes[0],
            stride=kernel_sizes[0] if use_stride_conv else 1,
            bias='auto',
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg)

        dilation = kernel_sizes[0]
        self.tcn_blocks = nn.ModuleList()
        for i in range(1, num_blocks + 1):
            self.tcn_blocks.append(
                BasicTemporalBlock(
                    in_channels=stem_channels,
                    out_channels=stem_channels,
                    mid_channels=stem_channels,
                    kernel_size=kernel_sizes[i],
                    dilation=dilation,
                    dropout=dropout,
                    causal=causal,
                    residual=residual,
                    use_stride_conv=use_stride_conv,
                    conv_cfg=conv_cfg,
                    norm_cfg=norm_cfg))
            dilation *= kernel_sizes[i]

        if self.max_norm is not None:
            # clip each conv weight's norm right before the conv runs
            from mmpose.core.utils import WeightNormClipHook
            weight_clip = WeightNormClipHook(self.max_norm)
            for module in self.modules():
                if isinstance(module, nn.modules.conv._ConvNd):
                    module.register_forward_pre_hook(weight_clip.hook)

        self.dropout = nn.Dropout(dropout) if dropout > 0 else None

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Forward function.

        Args:
            x (Tensor[N, in_channels, T]): Input sequences.

        Returns:
            tuple[Tensor]: The output ``[N, stem_channels, T_i]`` of each
            block.
        """
        x = self.expand_conv(x)
        if self.dropout is not None:
            x = self.dropout(x)
        outs = []
        for block in self.tcn_blocks:
            x = block(x)
            outs.append(x)
        return tuple(outs)

    def _init_from_scratch(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.modules.conv._ConvNd):
                kaiming_init(m, mode='fan_in', nonlinearity='relu')
            elif isinstance(m, _BatchNorm):
                constant_init(m, 1)
