"""Shared behaviour of the bottom-up (associative embedding) heads."""
from typing import Dict, List, Optional, Sequence

import torch
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import build_head_loss

__all__ = ['BottomUpBaseHead']


class BottomUpBaseHead(nn.Module):
    """Base of the bottom-up heads: builds the loss and sums its per-output
    heatmap, push and pull terms.

    Args:
        num_joints (int): Number of joints.
        tag_per_joint (bool): One tag map per joint (else a single map).
        with_ae_loss (list[bool] | None): Per output, whether it carries tag
            maps. None means every output does.
        num_outputs (int): Number of outputs of the head.
        loss_keypoint (dict): Config for loss (MultiLossFactory);
            required, as in 0.x (``TypeError`` without it).
    """

    def __init__(self, num_joints: int, tag_per_joint: bool,
                 with_ae_loss: Optional[Sequence[bool]], num_outputs: int,
                 loss_keypoint: Optional[dict]):
        super().__init__()
        if with_ae_loss is None:
            with_ae_loss = [True] * num_outputs
        if len(with_ae_loss) < num_outputs:
            raise ArgumentError(
                f'with_ae_loss needs {num_outputs} entries (one '
                f'per output), got {list(with_ae_loss)}')
        self.num_joints = num_joints
        self.tag_per_joint = tag_per_joint
        self.with_ae_loss = list(with_ae_loss)
        self.loss = build_head_loss(loss_keypoint, type(self).__name__)

    def _output_channels(self, index: int) -> int:
        """Heatmaps plus (if output ``index`` has AE loss) tag maps."""
        dim_tag = self.num_joints if self.tag_per_joint else 1
        return self.num_joints + (dim_tag if self.with_ae_loss[index] else 0)

    def get_loss(self, output: List[torch.Tensor],
                 targets: List[torch.Tensor], masks: List[torch.Tensor],
                 joints: List[torch.Tensor]) -> Dict[str, torch.Tensor]:
        """Calculate bottom-up keypoint loss.

        The per-image losses of every output are averaged over the batch and
        summed over the outputs.

        Note:
            Shape symbols: N is the batch size; K is the number of keypoints; O
            is the number of outputs; H is the heatmap height; W is the heatmap
            width.

        Args:
            output (list(torch.Tensor[NxCxHxW])): Outputs of the head.
            targets (List(torch.Tensor[NxKxHxW])): Multi-scale target
                heatmaps.
            masks (List(torch.Tensor[NxHxW])): Masks of multi-scale target
                heatmaps
            joints (List(torch.Tensor[NxMxKx2])): Joints of multi-scale target
                heatmaps for ae loss

        Returns:
            dict: 'heatmap_loss', 'push_loss', 'pull_loss' (those present).
        """
        heatmaps_losses, push_losses, pull_losses = self.loss(
            output, targets, masks, joints)
        losses = dict()
        for name, per_output in (('heatmap_loss', heatmaps_losses),
                                 ('push_loss', push_losses),
                                 ('pull_loss', pull_losses)):
            present = [loss.mean(dim=0) for loss in per_output
                       if loss is not None]
            if present:
                losses[name] = torch.stack(present).sum()
        return losses
