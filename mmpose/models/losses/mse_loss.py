"""Heatmap MSE losses for top-down keypoint models.

``JointsMSELoss`` (Simple Baselines), ``CombinedTargetMSELoss`` (UDP's
combined classification + offset target) and ``JointsOHKMMSELoss`` (online
hard keypoint mining, as used by CPN/MSPN/RSN).
"""
from typing import Tuple

import torch
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import LOSSES

__all__ = ['JointsMSELoss', 'CombinedTargetMSELoss', 'JointsOHKMMSELoss']


def _flatten_heatmaps(output: torch.Tensor, target: torch.Tensor, name: str
                      ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Reshape ``[N, K, ...]`` heatmaps to ``[N, K, L]`` (shapes checked)."""
    if output.shape != target.shape:
        raise ArgumentError(f'{name}: output and target shapes differ: '
                            f'{tuple(output.shape)} vs {tuple(target.shape)}')
    if output.dim() < 3:
        raise ArgumentError(f'{name}: expects heatmaps [N, K, ...], got '
                            f'{tuple(output.shape)}')
    n, k = output.shape[:2]
    return output.reshape(n, k, -1), target.reshape(n, k, -1)


def _joint_weight(target_weight: torch.Tensor, n: int, k: int,
                  name: str, length: int = 1) -> torch.Tensor:
    """Target weights ``[N, K]`` or ``[N, K, 1]`` as ``[N, K, 1]``; with
    ``length`` L > 1, per-pixel weights ``[N, K, L]`` (0.29's DEKR) too."""
    if target_weight is not None and length > 1 and tuple(
            target_weight.shape) == (n, k, length):
        return target_weight
    if target_weight is None or target_weight.numel() != n * k:
        shape = None if target_weight is None else tuple(target_weight.shape)
        raise ArgumentError(
            f'{name}: use_target_weight=True needs target_weight '
            f'of shape [{n}, {k}, 1], got {shape}')
    return target_weight.reshape(n, k, 1)


@LOSSES.register_module()
class JointsMSELoss(nn.Module):
    """MSE loss for heatmaps.

    The mean squared error over all pixels of all keypoints; with
    ``use_target_weight`` each keypoint's predicted and target heatmaps are
    both scaled by its weight before the difference is taken.

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight: bool = False,
                 loss_weight: float = 1.):
        super().__init__()
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Note:
            batch_size: N
            num_keypoints: K

        Args:
            output (torch.Tensor[N, K, H, W]): Output heatmaps (any number of
                trailing dims is accepted, e.g. [N, K, D, H, W]).
            target (torch.Tensor[N, K, H, W]): Target heatmaps.
            target_weight (torch.Tensor[N, K, 1]): Weights across different
                joint types, or per pixel ([N, K, H * W]).

        Returns:
            torch.Tensor: Scalar loss.
        """
        pred, gt = _flatten_heatmaps(output, target, 'JointsMSELoss')
        diff = pred - gt
        if self.use_target_weight:
            n, k, length = pred.shape
            diff = diff * _joint_weight(target_weight, n, k, 'JointsMSELoss',
                                        length)
        return diff.pow(2).mean() * self.loss_weight


@LOSSES.register_module()
class CombinedTargetMSELoss(nn.Module):
    """MSE loss for the combined target of UDP.

    The output holds 3 channels per keypoint: a response heatmap and the x/y
    offset maps. The heatmap term is a (weighted) MSE; the offset terms are
    MSEs of the offsets multiplied by the (weighted) target heatmap, so only
    the positive area contributes. Each of the three terms counts 0.5.

    Reference: Huang et al., CVPR 2020 - The Devil is in the Details,
    i.e. unbiased data processing for human pose estimation.

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
            Different joint types may have different target weights.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight: bool, loss_weight: float = 1.):
        super().__init__()
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            output (torch.Tensor[N, 3K, H, W]): Response and offset maps,
                channel ``3k`` is the heatmap of keypoint k, ``3k+1`` and
                ``3k+2`` its x and y offsets.
            target (torch.Tensor[N, 3K, H, W]): Combined target.
            target_weight (torch.Tensor[N, K, 1]): Weights across different
                joint types.

        Returns:
            torch.Tensor: Scalar loss.
        """
        pred, gt = _flatten_heatmaps(output, target, 'CombinedTargetMSELoss')
        n, c, length = pred.shape
        if c % 3 != 0:
            raise ArgumentError(
                f'CombinedTargetMSELoss: the channel number must '
                f'be 3 * num_keypoints, got {c}')
        k = c // 3
        pred = pred.reshape(n, k, 3, length)
        gt = gt.reshape(n, k, 3, length)
        heat_pred, heat_gt = pred[:, :, 0], gt[:, :, 0]
        if self.use_target_weight:
            weight = _joint_weight(target_weight, n, k,
                                   'CombinedTargetMSELoss')
            heat_pred = heat_pred * weight
            heat_gt = heat_gt * weight
        # per-keypoint means over N*L, averaged over keypoints == full mean
        cls_loss = (heat_pred - heat_gt).pow(2).mean()
        offset_diff = heat_gt.unsqueeze(2) * (pred[:, :, 1:] - gt[:, :, 1:])
        reg_loss = offset_diff.pow(2).mean(dim=(0, 1, 3)).sum()
        return 0.5 * (cls_loss + reg_loss) * self.loss_weight


@LOSSES.register_module()
class JointsOHKMMSELoss(nn.Module):
    """MSE loss with online hard keypoint mining.

    The per-keypoint MSE of every sample is computed and only the ``topk``
    largest keypoint losses of each sample are averaged.

    Args:
        use_target_weight (bool): Option to use weighted MSE loss.
            Different joint types may have different target weights.
        topk (int): Only top k joint losses are kept.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, use_target_weight: bool = False, topk: int = 8,
                 loss_weight: float = 1.):
        super().__init__()
        if topk <= 0:
            raise ArgumentError(f'JointsOHKMMSELoss: topk must be > 0, '
                                f'got {topk}')
        self.use_target_weight = use_target_weight
        self.topk = topk
        self.loss_weight = loss_weight

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            output (torch.Tensor[N, K, H, W]): Output heatmaps.
            target (torch.Tensor[N, K, H, W]): Target heatmaps.
            target_weight (torch.Tensor[N, K, 1]): Weights across different
                joint types.

        Returns:
            torch.Tensor: Scalar loss.
        """
        pred, gt = _flatten_heatmaps(output, target, 'JointsOHKMMSELoss')
        n, k = pred.shape[:2]
        if k < self.topk:
            raise ArgumentError(
                f'JointsOHKMMSELoss: topk ({self.topk}) must not '
                f'exceed the number of keypoints ({k})')
        diff = pred - gt
        if self.use_target_weight:
            diff = diff * _joint_weight(target_weight, n, k,
                                        'JointsOHKMMSELoss')
        joint_losses = diff.pow(2).mean(dim=2)  # [N, K]
        hardest, _ = joint_losses.topk(self.topk, dim=1, sorted=False)
        return hardest.mean() * self.loss_weight
