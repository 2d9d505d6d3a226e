"""Global average pooling neck (turns feature maps into vectors)."""
from typing import Tuple, Union

import torch
from torch import nn

from ..builder import NECKS

__all__ = ['GlobalAveragePooling']


@NECKS.register_module()
class GlobalAveragePooling(nn.Module):
    """Global Average Pooling neck.

    Averages each feature map over its spatial dims. A tensor input gives a
    tensor, a tuple of tensors gives a tuple.
    """

    def __init__(self):
        super().__init__()
        self.gap = nn.AdaptiveAvgPool2d((1, 1))

    def init_weights(self) -> None:
        """The neck has no parameters; nothing to initialise."""

    def forward(self, inputs: Union[torch.Tensor, Tuple[torch.Tensor, ...]]
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Forward function.

        Args:
            inputs (torch.Tensor[N, C, H, W] | tuple[torch.Tensor]): Features.

        Returns:
            torch.Tensor[N, C] | tuple[torch.Tensor[N, C]]: Pooled features.
        """
        if isinstance(inputs, tuple):
            return tuple(self.gap(x).flatten(1) for x in inputs)
        if isinstance(inputs, torch.Tensor):
            return self.gap(inputs).flatten(1)
        raise TypeError(f'GlobalAveragePooling: inputs should be a tuple or '
                        f'a torch.Tensor, got {type(inputs).__name__}')
