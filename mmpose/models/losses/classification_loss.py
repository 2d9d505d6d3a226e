"""Binary cross-entropy loss for multi-label classification."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import LOSSES

__all__ = ['BCELoss']


@LOSSES.register_module()
class BCELoss(nn.Module):
    """Binary Cross Entropy loss on probabilities.

    Args:
        use_target_weight (bool): Option to weight the per-label losses.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight: bool = False,
                 loss_weight: float = 1.):
        super().__init__()
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: Optional[torch.Tensor] = None
                ) -> torch.Tensor:
        """Forward function.

        Note:
            batch_size: N
            num_labels: K

        Args:
            output (torch.Tensor[N, K]): Output classification (probability).
            target (torch.Tensor[N, K]): Target classification.
            target_weight (torch.Tensor[N, K] or torch.Tensor[N]): Weights
                across different labels.

        Returns:
            torch.Tensor: Scalar loss.
        """
        if output.shape != target.shape:
            raise ArgumentError(
                f'BCELoss: output and target shapes differ: '
                f'{tuple(output.shape)} vs {tuple(target.shape)}')
        if self.use_target_weight:
            if target_weight is None:
                raise ArgumentError('BCELoss: use_target_weight=True needs '
                                    'target_weight')
            loss = F.binary_cross_entropy(output, target, reduction='none')
            if target_weight.dim() == 1:
                target_weight = target_weight[:, None]
            loss = (loss * target_weight).mean()
        else:
            loss = F.binary_cross_entropy(output, target)
        return loss * self.loss_weight
