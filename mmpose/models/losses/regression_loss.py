"""Coordinate regression losses: MSE, L1, smooth L1, Wing and MPJPE."""
import math
from abc import ABCMeta, abstractmethod
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError

from ..builder import LOSSES

__all__ = ['MSELoss', 'L1Loss', 'SmoothL1Loss', 'WingLoss', 'SoftWingLoss',
           'MPJPELoss', 'SoftWeightSmoothL1Loss']


class _WeightedRegressionLoss(nn.Module, metaclass=ABCMeta):
    """Shared frame of the coordinate losses.

    With ``use_target_weight`` both prediction and target are multiplied by
    the target weight before :meth:`criterion` compares them; the result is
    scaled by ``loss_weight``.

    Args:
        use_target_weight (bool): Option to use weighted loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight: bool = False,
                 loss_weight: float = 1.):
        super().__init__()
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    @abstractmethod
    def criterion(self, pred: torch.Tensor,
                  target: torch.Tensor) -> torch.Tensor:
        """Unweighted loss between ``pred`` and ``target``."""

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: Optional[torch.Tensor] = None
                ) -> torch.Tensor:
        """Forward function.

        Note:
            Shape symbols: N is the batch size; K is the number of keypoints; D
            is the keypoint dimension (2 or 3).

        Args:
            output (torch.Tensor[N, K, D]): Output regression.
            target (torch.Tensor[N, K, D]): Target regression.
            target_weight (torch.Tensor[N, K, D]): Weights across different
                joint types ([N, K, 1] broadcasts).

        Returns:
            torch.Tensor: Scalar loss.
        """
        if output.shape != target.shape:
            raise ArgumentError(f'{type(self).__name__}: output and target '
                                f'shapes differ: {tuple(output.shape)} vs '
                                f'{tuple(target.shape)}')
        if self.use_target_weight:
            if target_weight is None:
                raise ArgumentError(
                    f'{type(self).__name__}: use_target_weight='
                    f'True needs target_weight')
            output = output * target_weight
            target = target * target_weight
        return self.criterion(output, target) * self.loss_weight


@LOSSES.register_module()
class MSELoss(_WeightedRegressionLoss):
    """MSE loss for coordinate regression.

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def criterion(self, pred: torch.Tensor,
                  target: torch.Tensor) -> torch.Tensor:
        """Mean squared error."""
        return F.mse_loss(pred, target)


@LOSSES.register_module()
class L1Loss(_WeightedRegressionLoss):
    """L1 loss for coordinate regression.

    Args:
        use_target_weight (bool): Option to use weighted L1 loss.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def criterion(self, pred: torch.Tensor,
                  target: torch.Tensor) -> torch.Tensor:
        """Mean absolute error."""
        return F.l1_loss(pred, target)


@LOSSES.register_module()
class SmoothL1Loss(_WeightedRegressionLoss):
    """Smooth L1 loss (beta = 1) for coordinate regression.

    Args:
        use_target_weight (bool): Option to use weighted loss.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def criterion(self, pred: torch.Tensor,
                  target: torch.Tensor) -> torch.Tensor:
        """Mean smooth L1 error."""
        return F.smooth_l1_loss(pred, target)


@LOSSES.register_module()
class WingLoss(_WeightedRegressionLoss):
    """Wing loss.

    ``w * ln(1 + |d| / e)`` for ``|d| < w``, else ``|d| - C`` with
    ``C = w - w * ln(1 + w / e)``; summed over keypoints and coordinates and
    averaged over the batch.

    Paper ref: Feng et al. Wing Loss for Robust Facial Landmark Localisation
    with Convolutional Neural Networks (CVPR 2018).

    Args:
        omega (float): Range (w) of the non-linear part. Default: 10.0.
        epsilon (float): Curvature (e) of the non-linear part. Default: 2.0.
        use_target_weight (bool): Option to use weighted loss.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, omega: float = 10.0, epsilon: float = 2.0,
                 use_target_weight: bool = False, loss_weight: float = 1.):
        super().__init__(use_target_weight, loss_weight)
        if omega <= 0 or epsilon <= 0:
            raise ArgumentError(
                f'WingLoss: omega and epsilon must be positive, '
                f'got omega={omega}, epsilon={epsilon}')
        self.omega = omega
        self.epsilon = epsilon
        # constant that joins the log and linear pieces continuously
        self.C = self.omega * (1.0 - math.log(1.0 + self.omega / self.epsilon))

    def criterion(self, pred: torch.Tensor,
                  target: torch.Tensor) -> torch.Tensor:
        """Criterion of wing loss.

        Args:
            pred (torch.Tensor[N, K, D]): Output regression.
            target (torch.Tensor[N, K, D]): Target regression.
        """
        delta = (target - pred).abs()
        losses = torch.where(delta < self.omega,
                             self.omega * torch.log1p(delta / self.epsilon),
                             delta - self.C)
        return losses.flatten(1).sum(dim=1).mean(dim=0)


@LOSSES.register_module()
class MPJPELoss(_WeightedRegressionLoss):
    """MPJPE (Mean Per Joint Position Error) loss.

    The mean Euclidean distance between predicted and target keypoints; the
    target weight multiplies the difference vector.

    Args:
        use_target_weight (bool): Option to use weighted loss.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def criterion(self, pred: torch.Tensor,
                  target: torch.Tensor) -> torch.Tensor:
        """Mean L2 norm over the last dimension."""
        return torch.norm(pred - target, dim=-1).mean()


@LOSSES.register_module()
class SoftWingLoss(_WeightedRegressionLoss):
    """Soft wing loss.

    ``|d|`` for ``|d| < omega1``, else ``omega2 * ln(1 + |d| / epsilon) + B``
    with ``B`` joining both pieces continuously; summed over keypoints and
    coordinates and averaged over the batch.

    Paper ref: Lin et al. Structure-Coherent Deep Feature Learning for Robust
    Face Alignment (TIP 2021).

    Args:
        omega1 (float): Error at which the loss turns logarithmic.
            Default: 2.0.
        omega2 (float): Scale of the logarithmic part. Default: 20.0.
        epsilon (float): Curvature of the logarithmic part. Default: 0.5.
        use_target_weight (bool): Option to use weighted loss.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, omega1: float = 2.0, omega2: float = 20.0,
                 epsilon: float = 0.5, use_target_weight: bool = False,
                 loss_weight: float = 1.):
        super().__init__(use_target_weight, loss_weight)
        self.omega1 = omega1
        self.omega2 = omega2
        self.epsilon = epsilon
        self.B = omega1 - omega2 * math.log1p(omega1 / epsilon)

    def criterion(self, pred: torch.Tensor,
                  target: torch.Tensor) -> torch.Tensor:
        """Soft wing loss of [N, K, D] coordinates."""
        delta = (target - pred).abs()
        losses = torch.where(
            delta < self.omega1, delta,
            self.omega2 * torch.log1p(delta / self.epsilon) + self.B)
        return losses.flatten(1).sum(dim=1).mean(dim=0)


_REDUCTIONS = ('none', 'mean', 'sum')


@LOSSES.register_module()
class SoftWeightSmoothL1Loss(nn.Module):
    """Smooth L1 loss whose per-element weights are soft (DEKR offsets).

    With ``use_target_weight`` the element-wise smooth L1 loss is multiplied
    by the target weight, then averaged over all elements
    (``supervise_empty=True``) or summed and divided by the number of
    elements with a positive weight (``supervise_empty=False``). Without it,
    the plain mean smooth L1 loss.

    Args:
        use_target_weight (bool): Option to use weighted loss.
        supervise_empty (bool): Count zero-weight elements in the average.
            Default: True.
        beta (float): Error at which the loss turns from L2 to L1.
            Default: 1.0.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight: bool = False,
                 supervise_empty: bool = True, beta: float = 1.0,
                 loss_weight: float = 1.):
        super().__init__()
        self.use_target_weight = use_target_weight
        self.supervise_empty = supervise_empty
        self.beta = beta
        self.loss_weight = loss_weight

    @staticmethod
    def smooth_l1_loss(input: torch.Tensor,
                       target: torch.Tensor,
                       reduction: str = 'none',
                       beta: float = 1.0) -> torch.Tensor:
        """Element-wise smooth L1 loss (``0.5 * d**2 / beta`` below
        ``beta``, ``|d| - 0.5 * beta`` above; L1 for ``beta = 0``), reduced
        by ``reduction``: 'none', 'mean' or 'sum' (MMPose 0.29's
        staticmethod).
        """
        if reduction not in _REDUCTIONS:
            raise UnknownNameError(
                f'SoftWeightSmoothL1Loss.smooth_l1_loss: reduction must be '
                f'one of {_REDUCTIONS}, got {reduction!r}')
        return F.smooth_l1_loss(input, target, reduction=reduction,
                                beta=beta)

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: Optional[torch.Tensor] = None
                ) -> torch.Tensor:
        """Forward function.

        Args:
            output (torch.Tensor[N, K, D]): Output regression.
            target (torch.Tensor[N, K, D]): Target regression.
            target_weight (torch.Tensor[N, K, D]): Soft weights.
        """
        if output.shape != target.shape:
            raise ArgumentError(
                f'SoftWeightSmoothL1Loss: output and target shapes differ: '
                f'{tuple(output.shape)} vs {tuple(target.shape)}')
        if not self.use_target_weight:
            return self.smooth_l1_loss(output, target, 'mean',
                                       self.beta) * self.loss_weight
        if target_weight is None:
            raise ArgumentError('SoftWeightSmoothL1Loss: use_target_weight='
                                'True needs target_weight')
        loss = self.smooth_l1_loss(output, target, 'none',
                                   self.beta) * target_weight
        if self.supervise_empty:
            loss = loss.mean()
        else:
            loss = loss.sum() / (target_weight > 0).sum().clamp(min=1)
        return loss * self.loss_weight
