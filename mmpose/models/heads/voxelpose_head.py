"""VoxelPose heads: human centers from a 3D center heatmap, and joints by
soft-argmax over a cuboid's voxels.

Tu et al., "VoxelPose: Towards Multi-Camera 3D Human Pose Estimation in Wild
Environment", ECCV 2020 (https://arxiv.org/abs/2004.06239).
"""
from typing import Dict, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from mmpose.core.post_processing.voxel_grid import voxel_to_world
from mmpose.errors import ArgumentError
from ..builder import HEADS

__all__ = ['CuboidCenterHead', 'CuboidPoseHead']


@HEADS.register_module()
class CuboidCenterHead(nn.Module):
    """Human centers as the strongest local maxima of a 3D heatmap.

    A voxel is a local maximum when it equals the max over the
    ``max_pool_kernel`` cube around it (3D max-pool NMS); the ``max_num``
    highest are returned with their world positions (see
    :mod:`mmpose.core.post_processing.voxel_grid`).

    Args:
        space_size (list[3]): Size of the 3D space (mm).
        space_center (list[3]): Centre of the 3D space (mm).
        cube_size (list[3]): Voxels per axis of the heatmap.
        max_num (int): Number of centers returned. Default: 10.
        max_pool_kernel (int): Odd window of the NMS. Default: 3.
    """

    def __init__(self,
                 space_size: Sequence[float],
                 space_center: Sequence[float],
                 cube_size: Sequence[int],
                 max_num: int = 10,
                 max_pool_kernel: int = 3):
        super().__init__()
        if max_pool_kernel % 2 != 1:
            raise ArgumentError('max_pool_kernel must be odd, got '
                                f'{max_pool_kernel}')
        # Persistent as in 0.29 checkpoints (dtypes as given).
        self.register_buffer('grid_size', torch.tensor(space_size))
        self.register_buffer('cube_size', torch.tensor(cube_size))
        self.register_buffer('grid_center', torch.tensor(space_center))
        self.num_candidates = max_num
        self.max_pool_kernel = max_pool_kernel
        self.loss = nn.MSELoss()

    def forward(self, heatmap_volumes: torch.Tensor) -> torch.Tensor:
        """Decode centers.

        Args:
            heatmap_volumes (torch.Tensor[N, X, Y, Z]): Center heatmaps.

        Returns:
            torch.Tensor[N, max_num, 5]: per candidate the world position
            (x, y, z), 0 (the slot the detector fills with the matched
            person or -1) and the heatmap value, highest value first.
        """
        volumes = heatmap_volumes.detach()
        cube_size = volumes.shape[1:]
        if list(cube_size) != self.cube_size.tolist():
            raise ArgumentError(
                f'heatmap_volumes must be [N, *cube_size] with cube_size='
                f'{self.cube_size.tolist()}, got {tuple(volumes.shape)}')
        kernel = self.max_pool_kernel
        pooled = F.max_pool3d(volumes, kernel, stride=1, padding=kernel // 2)
        peaks = (volumes * (volumes == pooled)).flatten(1)
        values, index = peaks.topk(self.num_candidates, dim=1)
        index = torch.stack(torch.unravel_index(index, cube_size), -1)
        positions = voxel_to_world(index.double(), self.grid_size,
                                   self.grid_center, self.cube_size)
        return torch.cat([
            positions.to(values.dtype),
            torch.zeros_like(values)[..., None], values[..., None]
        ], -1)

    def get_loss(self, pred_cubes: torch.Tensor,
                 gt: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Mean squared error between predicted and target heatmaps
        (torch.Tensor[N, X, Y, Z] both): ``{'loss_center'}``."""
        return dict(loss_center=self.loss(pred_cubes, gt))


@HEADS.register_module()
class CuboidPoseHead(nn.Module):
    """Joint positions by soft-argmax (integral regression) over the voxels
    of a cuboid: ``sum_v softmax(beta * h)_v * position_v``.

    Args:
        beta (float): Sharpness of the softmax.
    """

    def __init__(self, beta: float):
        super().__init__()
        self.beta = beta
        self.loss = nn.L1Loss()

    def forward(self, heatmap_volumes: torch.Tensor,
                grid_coordinates: torch.Tensor) -> torch.Tensor:
        """Regress joints.

        Args:
            heatmap_volumes (torch.Tensor[N, K, X, Y, Z]): Joint heatmaps.
            grid_coordinates (torch.Tensor[N, X * Y * Z, 3]): World position
                of each voxel (x slowest, z fastest).

        Returns:
            torch.Tensor[N, K, 3]: joint positions.
        """
        weights = F.softmax(self.beta * heatmap_volumes.flatten(2), dim=2)
        return weights @ grid_coordinates

    def get_loss(self, preds: torch.Tensor, targets: torch.Tensor,
                 weights: torch.Tensor) -> Dict[str, torch.Tensor]:
        """L1 between weighted predictions and targets (torch.Tensor[N, K,
        3], weights [N, K, 1]): ``{'loss_pose'}``."""
        return dict(loss_pose=self.loss(preds * weights, targets * weights))
