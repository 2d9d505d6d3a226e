"""Heatmap losses of MMPose 0.29: adaptive wing and CornerNet focal loss."""
from typing import Optional

import torch
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import LOSSES

__all__ = ['AdaptiveWingLoss', 'FocalHeatmapLoss']


def _check_same_shape(name: str, pred: torch.Tensor,
                      target: torch.Tensor) -> None:
    if pred.shape != target.shape:
        raise ArgumentError(f'{name}: prediction and target shapes differ: '
                            f'{tuple(pred.shape)} vs {tuple(target.shape)}')


@LOSSES.register_module()
class AdaptiveWingLoss(nn.Module):
    """Adaptive wing loss for heatmap regression.

    Wang et al., Adaptive Wing Loss for Robust Face Alignment via Heatmap
    Regression (ICCV 2019). With ``d = |target - pred|`` and the exponent
    ``p = alpha - target``: ``omega * ln(1 + (d / epsilon)^p)`` for
    ``d < theta``, else the tangent line ``A * d - C`` that continues it;
    averaged over all elements.

    Args:
        alpha (float): Exponent offset. Default: 2.1.
        omega (float): Scale of the non-linear part. Default: 14.
        epsilon (float): Normaliser of the error. Default: 1.
        theta (float): Error at which the loss turns linear. Default: 0.5.
        use_target_weight (bool): Multiply both heatmaps by the joint
            weight first. Default: False.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self,
                 alpha: float = 2.1,
                 omega: float = 14,
                 epsilon: float = 1,
                 theta: float = 0.5,
                 use_target_weight: bool = False,
                 loss_weight: float = 1.):
        super().__init__()
        self.alpha = float(alpha)
        self.omega = float(omega)
        self.epsilon = float(epsilon)
        self.theta = float(theta)
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def criterion(self, pred: torch.Tensor,
                  target: torch.Tensor) -> torch.Tensor:
        """Mean adaptive wing loss of heatmaps [N, K, H, W]."""
        delta = (target - pred).abs()
        power = self.alpha - target
        ratio = self.theta / self.epsilon
        # slope and offset of the linear piece, tangent at delta == theta
        slope = (self.omega / (1 + ratio**power) * power *
                 ratio**(power - 1) / self.epsilon)
        offset = self.theta * slope - self.omega * torch.log1p(ratio**power)
        losses = torch.where(
            delta < self.theta,
            self.omega * torch.log1p((delta / self.epsilon)**power),
            slope * delta - offset)
        return losses.mean()

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: Optional[torch.Tensor] = None
                ) -> torch.Tensor:
        """Forward function.

        Args:
            output (torch.Tensor[N, K, H, W]): Predicted heatmaps.
            target (torch.Tensor[N, K, H, W]): Target heatmaps.
            target_weight (torch.Tensor[N, K, 1]): Joint weights.
        """
        _check_same_shape('AdaptiveWingLoss', output, target)
        if self.use_target_weight:
            if target_weight is None:
                raise ArgumentError('AdaptiveWingLoss: use_target_weight='
                                    'True needs target_weight')
            weight = target_weight.reshape(*target_weight.shape[:2], 1, 1)
            output, target = output * weight, target * weight
        return self.criterion(output, target) * self.loss_weight


@LOSSES.register_module()
class FocalHeatmapLoss(nn.Module):
    """Penalty-reduced focal loss on heatmaps (CornerNet, Law and Deng,
    ECCV 2018), as used by CID.

    Pixels where the target is 1 are positives, weighted by
    ``(1 - pred)^alpha``; the others are negatives, weighted by
    ``pred^alpha * (1 - target)^beta``. The summed negative log-likelihood
    is divided by the number of positives (when there are any).

    Args:
        alpha (float): Focusing exponent. Default: 2.
        beta (float): Exponent of the penalty reduction near peaks.
            Default: 4.
    """

    def __init__(self, alpha: float = 2, beta: float = 4):
        super().__init__()
        self.alpha = alpha
        self.beta = beta

    def forward(self, pred: torch.Tensor, gt: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Forward function.

        Args:
            pred (torch.Tensor[N, K, H, W]): Predicted heatmaps in (0, 1).
            gt (torch.Tensor[N, K, H, W]): Target heatmaps, 1 at peaks.
            mask (torch.Tensor[N, 1 or K, H, W], optional): 0 where pixels
                are ignored.

        Returns:
            torch.Tensor: Scalar loss.
        """
        _check_same_shape('FocalHeatmapLoss', pred, gt)
        positive = gt.eq(1).float()
        negative = gt.lt(1).float()
        if mask is not None:
            positive = positive * mask
            negative = negative * mask
        pos_loss = torch.log(pred) * (1 - pred)**self.alpha * positive
        neg_loss = (torch.log(1 - pred) * pred**self.alpha *
                    (1 - gt)**self.beta * negative)
        # without positives pos_loss sums to 0 and the total is not divided
        return -(pos_loss.sum() + neg_loss.sum()) / positive.sum().clamp(min=1)
