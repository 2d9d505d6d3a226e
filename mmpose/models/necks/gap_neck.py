"""Global average pooling neck (turns feature maps into vectors)."""
from typing import List, Tuple, Union

import torch
from torch import nn

from mmpose.errors import ArgumentTypeError

from ..builder import NECKS

__all__ = ['GlobalAveragePooling']

Features = Union[torch.Tensor, Tuple[torch.Tensor, ...], List[torch.Tensor]]


@NECKS.register_module()
class GlobalAveragePooling(nn.Module):
    """Global Average Pooling neck.

    Averages each feature map over its spatial dims and flattens it. The
    output has the kind of the input: a tensor gives a tensor, a tuple of
    tensors a tuple, a list of tensors a list (as in MMPose 0.x).
    """

    def __init__(self):
        super().__init__()
        self.gap = nn.AdaptiveAvgPool2d((1, 1))

    def init_weights(self) -> None:
        """The neck has no parameters; nothing to initialise."""

    def forward(self, inputs: Features) -> Features:
        """Forward function.

        Args:
            inputs (torch.Tensor[N, C, H, W] | tuple | list): Features, or a
                tuple or list of them.

        Returns:
            torch.Tensor[N, C] | tuple | list: The pooled features, in a
            container of the same kind as ``inputs``.
        """
        if isinstance(inputs, torch.Tensor):
            return self.gap(inputs).flatten(1)
        if isinstance(inputs, (tuple, list)):
            return type(inputs)(self.gap(x).flatten(1) for x in inputs)
        raise ArgumentTypeError(
            f'GlobalAveragePooling: inputs should be a torch.Tensor, a tuple '
            f'or a list of them, got {type(inputs).__name__}')
