"""VideoPose3D regression head with the trajectory mode of MMPose 0.29."""
from typing import Dict, Optional

import torch

from mmpose.errors import ArgumentError
from ..builder import HEADS
from ..keypoint_heads.temporal_regression_head import \
    TemporalRegressionHead as TemporalRegressionHead014

__all__ = ['TemporalRegressionHead']


@HEADS.register_module(force=True)
class TemporalRegressionHead(TemporalRegressionHead014):
    """Regression head of VideoPose3D (0.29 signature).

    The 0.29 class takes the place of the 0.14 one in the registry (the
    arguments of 0.14 are a keyword subset of these); the 0.14 class, with
    its positional order, stays at ``mmpose.models.keypoint_heads``.

    Args:
        in_channels (int): Number of input channels.
        num_joints (int): Number of joints K (1 for a trajectory model).
        max_norm (float | None): Clip the norm of the conv weights to it.
        loss_keypoint (dict | None): Config for keypoint loss.
        is_trajectory (bool): The head predicts the root trajectory only
            (``num_joints`` must be 1): the loss is 'traj_loss', and when no
            target weight is given each coordinate is weighted by
            ``1 / depth`` of the target. Default: False ('reg_loss', unit
            weights when none are given).
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    def __init__(self,
                 in_channels: int,
                 num_joints: int,
                 max_norm: Optional[float] = None,
                 loss_keypoint: Optional[dict] = None,
                 is_trajectory: bool = False,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        if is_trajectory and num_joints != 1:
            raise ArgumentError(f'a trajectory head (is_trajectory=True) '
                                f'predicts one root joint; num_joints must '
                                f'be 1, got {num_joints}')
        super().__init__(in_channels, num_joints, max_norm, loss_keypoint,
                         train_cfg, test_cfg)
        self.is_trajectory = is_trajectory

    def get_loss(self, output: torch.Tensor, target: torch.Tensor,
                 target_weight: Optional[torch.Tensor]
                 ) -> Dict[str, torch.Tensor]:
        """The pose loss or, for a trajectory head, the trajectory loss.

        Args:
            output (torch.Tensor[N, K, 3]): Predicted keypoints (batch size
                N, K keypoints).
            target (torch.Tensor[N, K, 3]): Target keypoints (a trajectory
                target may be ``[N, 3]``).
            target_weight (torch.Tensor[N, K, 3] | None): Weights; None
                gives ``1 / depth`` (trajectory) or ones (pose).

        Returns:
            dict: ``{'traj_loss': loss}`` or ``{'reg_loss': loss}``.
        """
        if self.is_trajectory and target.dim() == 2:
            target = target.unsqueeze(1)
        if target_weight is None:
            target_weight = ((1. / target[..., 2:]).expand(target.shape)
                             if self.is_trajectory else
                             torch.ones_like(target))
        losses = super().get_loss(output, target, target_weight)
        if self.is_trajectory:
            losses = dict(traj_loss=losses['reg_loss'])
        return losses
