"""Small tensor operations the 0.29 models share."""
import warnings
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F

__all__ = ['resize', 'torch_meshgrid_ij']


def resize(input: torch.Tensor,
           size: Optional[Union[int, Sequence[int]]] = None,
           scale_factor: Optional[Union[float, Sequence[float]]] = None,
           mode: str = 'nearest',
           align_corners: Optional[bool] = None,
           warning: bool = True) -> torch.Tensor:
    """``F.interpolate`` that warns (with ``warning``) when
    ``align_corners=True`` is used with an output size that does not keep
    the corners of the input on the output grid, i.e. when
    ``(out - 1)`` is not a multiple of ``(in - 1)``.

    Args:
        input (torch.Tensor[N, C, H, W]): Feature maps.
        size (int | Sequence[int], optional): Output size (H, W).
        scale_factor (float | Sequence[float], optional): Scale of H, W.
        mode (str): Interpolation mode. Default: 'nearest'.
        align_corners (bool, optional): As in ``F.interpolate``.
        warning (bool): Warn about misaligned corners. Default: True.
    """
    if warning and size is not None and align_corners:
        in_h, in_w = input.shape[2:]
        out_h, out_w = (size, size) if isinstance(size, int) else size[:2]
        if out_h > in_h or out_w > in_w:
            if ((out_h > 1 and out_w > 1 and in_h > 1 and in_w > 1)
                    and ((out_h - 1) % (in_h - 1) or
                         (out_w - 1) % (in_w - 1))):
                warnings.warn(
                    f'align_corners=True with input {(in_h, in_w)} and '
                    f'output {(out_h, out_w)}: the output is better aligned '
                    'when out - 1 is a multiple of in - 1')
    if isinstance(size, torch.Size):
        size = tuple(int(s) for s in size)
    return F.interpolate(input, size, scale_factor, mode, align_corners)


def torch_meshgrid_ij(*tensors: torch.Tensor) -> Tuple[torch.Tensor, ...]:
    """``torch.meshgrid`` with matrix ('ij') indexing: the first tensor
    varies along the first output dimension."""
    return torch.meshgrid(*tensors, indexing='ij')
