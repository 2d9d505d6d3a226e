"""Building blocks shared by the keypoint heads: deconv stacks, final conv
layers, their weight initialisation and the reading of ``img_metas``."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmcv.cnn import (build_conv_layer, build_norm_layer,
                      build_upsample_layer, constant_init, normal_init)
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

__all__ = [
    'get_deconv_cfg', 'check_deconv_args', 'build_deconv_layers',
    'deconv_bn_relu',
    'parse_final_conv_kernel', 'build_final_conv',
    'init_deconv_final_weights', 'read_bbox_metas', 'build_linear_layers',
    'init_linear_weights', 'read_image_paths'
]

# deconv kernel -> (padding, output_padding) so that stride 2 doubles H, W
_DECONV_CFG = {4: (1, 0), 3: (1, 1), 2: (0, 0)}


def get_deconv_cfg(deconv_kernel: int) -> Tuple[int, int, int]:
    """Kernel, padding and output padding of a stride-2 deconv layer.

    Args:
        deconv_kernel (int): Kernel size, one of 2, 3 or 4.

    Returns:
        tuple[int, int, int]: kernel size, padding, output padding.
    """
    if deconv_kernel not in _DECONV_CFG:
        raise ArgumentError(f'Not supported num_kernels ({deconv_kernel}); '
                            f'supported deconv kernels are '
                            f'{sorted(_DECONV_CFG)}.')
    padding, output_padding = _DECONV_CFG[deconv_kernel]
    return deconv_kernel, padding, output_padding


def check_deconv_args(num_layers: int, num_filters: Sequence[int],
                      num_kernels: Sequence[int],
                      num_groups: Optional[Sequence[int]] = None) -> None:
    """Validate the deconv arguments of a head (``num_groups``: optional
    per-layer groups, as ViPNAS heads have)."""
    if num_layers < 0:
        raise ArgumentError(f'num_deconv_layers ({num_layers}) should >= 0.')
    if num_layers == 0:
        return
    if num_layers != len(num_filters):
        raise ArgumentError(f'num_deconv_layers ({num_layers}) != length of '
                            f'num_deconv_filters ({len(num_filters)})')
    if num_layers != len(num_kernels):
        raise ArgumentError(f'num_deconv_layers ({num_layers}) != length of '
                            f'num_deconv_kernels ({len(num_kernels)})')
    if num_groups is not None and num_layers != len(num_groups):
        raise ArgumentError(f'num_deconv_layers ({num_layers}) != length of '
                            f'num_deconv_groups ({len(num_groups)})')


def build_deconv_layers(in_channels: int, num_layers: int,
                        num_filters: Sequence[int],
                        num_kernels: Sequence[int],
                        num_groups: Optional[Sequence[int]] = None
                        ) -> nn.Module:
    """Stack of ``num_layers`` x (stride-2 deconv, BN, ReLU).

    Args:
        in_channels (int): Input channels.
        num_layers (int): Number of deconv layers; 0 gives ``nn.Identity``.
        num_filters (Sequence[int]): Output channels of each layer.
        num_kernels (Sequence[int]): Kernel size of each layer.
        num_groups (Sequence[int] | None): Groups of each deconv.
            Default: None (1 for every layer).

    Returns:
        nn.Module: ``nn.Sequential`` (indices 3i, 3i+1, 3i+2 for layer i) or
        ``nn.Identity``.
    """
    check_deconv_args(num_layers, num_filters, num_kernels, num_groups)
    if num_layers == 0:
        return nn.Identity()
    if num_groups is None:
        num_groups = [1] * num_layers
    layers = []
    for planes, kernel_size, groups in zip(num_filters, num_kernels,
                                           num_groups):
        layers += deconv_bn_relu(in_channels, planes, kernel_size, groups)
        in_channels = planes
    return nn.Sequential(*layers)


def deconv_bn_relu(in_channels: int,
                   out_channels: int,
                   kernel_size: int,
                   groups: int = 1) -> List[nn.Module]:
    """A stride-2 deconv (no bias; padding from :func:`get_deconv_cfg`),
    BN and ReLU: the layers that double the resolution in the heads.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int): Kernel size, one of 2, 3 or 4.
        groups (int): Groups of the deconv. Default: 1.

    Returns:
        list[nn.Module]: The three layers.
    """
    kernel, padding, output_padding = get_deconv_cfg(kernel_size)
    deconv = build_upsample_layer(
        dict(type='deconv'),
        in_channels=in_channels,
        out_channels=out_channels,
        kernel_size=kernel,
        groups=groups,
        stride=2,
        padding=padding,
        output_padding=output_padding,
        bias=False)
    return [
        deconv,
        build_norm_layer(dict(type='BN'), out_channels)[1],
        nn.ReLU(inplace=True)
    ]


def parse_final_conv_kernel(extra: Optional[dict],
                            allowed: Sequence[int] = (0, 1, 3)
                            ) -> Tuple[int, int]:
    """Kernel size and padding of the final conv from ``extra``.

    ``extra['final_conv_kernel']`` defaults to 1; 0 (where allowed) means an
    identity final layer.

    Returns:
        tuple[int, int]: kernel size (0 for identity) and padding.
    """
    if extra is not None and not isinstance(extra, dict):
        raise ArgumentTypeError(f'extra should be dict or None, got '
                                f'{type(extra).__name__}')
    kernel = 1 if extra is None else extra.get('final_conv_kernel', 1)
    if kernel not in allowed:
        raise ArgumentError(f"extra['final_conv_kernel'] must be one of "
                            f'{list(allowed)}, got {kernel}')
    return kernel, (kernel - 1) // 2 if kernel > 0 else 0


def build_final_conv(in_channels: int, out_channels: int,
                     kernel_size: int, padding: int) -> nn.Module:
    """The 2D conv (with bias) that predicts the output maps."""
    return build_conv_layer(
        dict(type='Conv2d'),
        in_channels=in_channels,
        out_channels=out_channels,
        kernel_size=kernel_size,
        stride=1,
        padding=padding)


def init_deconv_final_weights(deconv_layers: nn.Module,
                              final_layers: nn.Module) -> None:
    """Normal(std=0.001) deconvs and final convs, unit BN weights.

    Only the transposed convs and BNs of ``deconv_layers`` are touched (the
    residual blocks of HigherHRNet keep their default init).
    """
    for m in deconv_layers.modules():
        if isinstance(m, nn.ConvTranspose2d):
            normal_init(m, std=0.001)
        elif isinstance(m, nn.BatchNorm2d):
            constant_init(m, 1)
    for m in final_layers.modules():
        if isinstance(m, nn.Conv2d):
            normal_init(m, std=0.001, bias=0)
        elif isinstance(m, nn.BatchNorm2d):
            constant_init(m, 1)


def read_bbox_metas(img_metas: Sequence[dict]) -> Dict[str, object]:
    """Gather the box information of a top-down batch.

    Args:
        img_metas (list[dict]): With 'center', 'scale', 'image_file' and
            optionally 'bbox_score' (default 1) and 'bbox_id'.

    Returns:
        dict: 'center' (np.ndarray[N, 2]), 'scale' (np.ndarray[N, 2]),
        'score' (np.ndarray[N]), 'image_paths' (list[str]) and 'bbox_ids'
        (list or None when the metas carry no 'bbox_id').
    """
    if len(img_metas) == 0:
        raise ArgumentError('img_metas is empty')
    for key in ('center', 'scale', 'image_file'):
        if key not in img_metas[0]:
            raise UnknownNameError(f'img_metas[0] has no {key!r}; keys: '
                                   f'{sorted(img_metas[0])}')
    # img_metas is a list of dicts, one per sample: gather field by field
    center = np.array([m['center'] for m in img_metas],
                      dtype=np.float32).reshape(-1, 2)
    scale = np.array([m['scale'] for m in img_metas],
                     dtype=np.float32).reshape(-1, 2)
    score = np.array([
        float(np.asarray(m.get('bbox_score', 1.)).reshape(-1)[0])
        for m in img_metas
    ])
    image_paths: List[str] = [m['image_file'] for m in img_metas]
    bbox_ids = ([m['bbox_id'] for m in img_metas]
                if 'bbox_id' in img_metas[0] else None)
    return dict(center=center, scale=scale, score=score,
                image_paths=image_paths, bbox_ids=bbox_ids)


def build_linear_layers(feat_dims: Sequence[int],
                        relu_final: bool = False) -> nn.Sequential:
    """Fully connected layers ``feat_dims[0] -> ... -> feat_dims[-1]`` with a
    ReLU after each but the last (unless ``relu_final``).

    Linear layer i sits at index 2i of the returned ``nn.Sequential``.
    """
    if len(feat_dims) < 2:
        raise ArgumentError(f'feat_dims needs at least 2 entries, got '
                            f'{list(feat_dims)}')
    layers = []
    num_linear = len(feat_dims) - 1
    for i in range(num_linear):
        layers.append(nn.Linear(feat_dims[i], feat_dims[i + 1]))
        if i < num_linear - 1 or relu_final:
            layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


def init_linear_weights(module: nn.Module, std: float = 0.01) -> None:
    """Normal(std) weights and zero bias for every ``nn.Linear``."""
    for m in module.modules():
        if isinstance(m, nn.Linear):
            normal_init(m, mean=0, std=std, bias=0)


def read_image_paths(img_metas: Sequence[dict]) -> List[str]:
    """The 'image_file' of every sample."""
    if len(img_metas) and 'image_file' not in img_metas[0]:
        raise UnknownNameError(f"img_metas[0] has no 'image_file'; keys: "
                               f'{sorted(img_metas[0])}')
    return [m['image_file'] for m in img_metas]
