"""Bone-length and semi-supervision losses of video pose lifting.

Pavllo et al., 3D human pose estimation in video with temporal convolutions
and semi-supervised training (CVPR 2019).
"""
from typing import Dict, Optional, Sequence

import torch
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import LOSSES
from .regression_loss import MPJPELoss

__all__ = ['BoneLoss', 'SemiSupervisionLoss']


@LOSSES.register_module()
class BoneLoss(nn.Module):
    """Difference of the batch-mean bone lengths of two poses.

    A bone joins each joint to its parent; the root (its own parent) has
    none. The loss is the mean absolute difference, over bones, of the
    bone lengths averaged over the batch.

    Args:
        joint_parents (Sequence[int]): Parent index of every joint.
        use_target_weight (bool): Weight the bone lengths by a per-bone
            target weight [N, B]. Default: False.
        loss_weight (float): Weight of the loss. Default: 1.0.
    """

    def __init__(self, joint_parents: Sequence[int],
                 use_target_weight: bool = False, loss_weight: float = 1.):
        super().__init__()
        self.joint_parents = list(joint_parents)
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight
        self.non_root_indices = [
            i for i, parent in enumerate(self.joint_parents) if i != parent
        ]

    def bone_lengths(self, pose: torch.Tensor) -> torch.Tensor:
        """Lengths [N, B] of the non-root bones of poses [N, K, D]."""
        bones = pose - pose[:, self.joint_parents]
        return bones.norm(dim=-1)[:, self.non_root_indices]

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: Optional[torch.Tensor] = None
                ) -> torch.Tensor:
        """Forward function.

        Args:
            output (torch.Tensor[N, K, D]): Predicted poses.
            target (torch.Tensor[N, K, D]): Reference poses.
            target_weight (torch.Tensor[N, B]): Bone weights.
        """
        if output.shape[1:] != target.shape[1:] or output.shape[1] != len(
                self.joint_parents):
            raise ArgumentError(
                f'BoneLoss: poses must be [N, {len(self.joint_parents)}, D], '
                f'got {tuple(output.shape)} and {tuple(target.shape)}')
        output_bones = self.bone_lengths(output)
        target_bones = self.bone_lengths(target)
        if self.use_target_weight:
            if target_weight is None:
                raise ArgumentError(
                    'BoneLoss: use_target_weight=True needs target_weight')
            output_bones = output_bones * target_weight
            target_bones = target_bones * target_weight
        loss = (output_bones.mean(dim=0) - target_bones.mean(dim=0)).abs()
        return loss.mean() * self.loss_weight


@LOSSES.register_module()
class SemiSupervisionLoss(nn.Module):
    """Losses on unlabelled video: the projection of the predicted 3D pose
    (plus trajectory) against the 2D detections, and the bone lengths of the
    unlabelled poses against the labelled ones.

    Args:
        joint_parents (Sequence[int]): Parent index of every joint.
        projection_loss_weight (float): Weight of the projection loss.
        bone_loss_weight (float): Weight of the bone loss.
        warmup_iterations (int): The first ``warmup_iterations`` calls
            return no losses (the model trains on labelled data only).
    """

    def __init__(self, joint_parents: Sequence[int],
                 projection_loss_weight: float = 1.,
                 bone_loss_weight: float = 1.,
                 warmup_iterations: int = 0):
        super().__init__()
        self.criterion_projection = MPJPELoss(
            loss_weight=projection_loss_weight)
        self.criterion_bone = BoneLoss(
            joint_parents, loss_weight=bone_loss_weight)
        self.warmup_iterations = warmup_iterations
        self.num_iterations = 0

    @staticmethod
    def project_joints(x: torch.Tensor,
                       intrinsics: torch.Tensor) -> torch.Tensor:
        """Project camera-space joints to the image.

        Args:
            x (torch.Tensor[N, K, 3]): Joints in camera coordinates.
            intrinsics (torch.Tensor[N, 4] or [N, 9]): ``f`` (2), ``c`` (2)
                and optionally radial ``k`` (3) and tangential ``p`` (2)
                distortion.

        Returns:
            torch.Tensor[N, K, 2]: Image coordinates.
        """
        intrinsics = intrinsics.reshape(
            intrinsics.shape[0], *([1] * (x.dim() - 2)), intrinsics.shape[-1])
        f, c = intrinsics[..., :2], intrinsics[..., 2:4]
        xy = torch.clamp(x[..., :2] / x[..., 2:], -1, 1)
        if intrinsics.shape[-1] == 9:
            k, p = intrinsics[..., 4:7], intrinsics[..., 7:9]
            r2 = (xy**2).sum(dim=-1, keepdim=True)
            radial = 1 + (k * torch.cat((r2, r2**2, r2**3), dim=-1)).sum(
                dim=-1, keepdim=True)
            tangential = (p * xy).sum(dim=-1, keepdim=True)
            xy = xy * (radial + tangential) + p * r2
        return f * xy + c

    def forward(self, output: Dict[str, torch.Tensor],
                target: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        """Losses ``proj_loss`` and ``bone_loss`` (none during warm-up).

        Args:
            output (dict): ``labeled_pose``, ``unlabeled_pose`` [N, K, 3] and
                ``unlabeled_traj`` [N, 1, 3].
            target (dict): ``unlabeled_target_2d`` [N, K, 2] and
                ``intrinsics`` [N, 4 or 9].
        """
        self.num_iterations += 1
        if self.num_iterations <= self.warmup_iterations:
            return {}
        projected = self.project_joints(
            output['unlabeled_pose'] + output['unlabeled_traj'],
            target['intrinsics'])
        return {
            'proj_loss': self.criterion_projection(
                projected, target['unlabeled_target_2d']),
            'bone_loss': self.criterion_bone(output['unlabeled_pose'],
                                             output['labeled_pose']),
        }
