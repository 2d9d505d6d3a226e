"""The regular voxel grid of a cuboid in world space (VoxelPose).

A cuboid of size ``space_size`` (mm, x/y/z) centred at ``space_center`` is
sampled by ``cube_size`` voxels per axis, corners included: voxel ``i`` of
axis ``d`` sits at ``center[d] - size[d] / 2 + i * size[d] /
(cube_size[d] - 1)``. Pipelines (targets), the projection layer and the
center head all read positions from here.
"""
from typing import List, Sequence

import numpy as np
import torch

from mmpose.errors import ArgumentError

__all__ = ['voxel_axes', 'voxel_grid']


def voxel_axes(space_size: Sequence[float], space_center: Sequence[float],
               cube_size: Sequence[int]) -> List[np.ndarray]:
    """World positions of the voxels along each axis.

    Args:
        space_size (Sequence[float]): Cuboid size (x, y, z), or one number
            for a cube.
        space_center (Sequence[float]): Cuboid centre (x, y, z).
        cube_size (Sequence[int]): Voxels per axis (each >= 2), or one
            number.

    Returns:
        list[np.ndarray]: three float64 arrays, ``[cube_size[d]]`` each.
    """
    size = np.broadcast_to(np.asarray(space_size, np.float64), (3, ))
    bins = np.broadcast_to(np.asarray(cube_size), (3, ))
    center = np.asarray(space_center, np.float64)
    if center.shape != (3, ) or (bins < 2).any():
        raise ArgumentError(
            f'space_center must have 3 values and cube_size values >= 2, '
            f'got space_center={space_center}, cube_size={cube_size}')
    return [
        np.linspace(-size[d] / 2, size[d] / 2, int(bins[d])) + center[d]
        for d in range(3)
    ]


def voxel_grid(space_size: Sequence[float], space_center: Sequence[float],
               cube_size: Sequence[int], device=None) -> torch.Tensor:
    """World positions of all voxels, x slowest and z fastest.

    Returns:
        torch.Tensor[X * Y * Z, 3]: float32 on ``device``.
    """
    axes = [
        torch.as_tensor(axis, dtype=torch.float32, device=device)
        for axis in voxel_axes(space_size, space_center, cube_size)
    ]
    return torch.stack(torch.meshgrid(*axes, indexing='ij'), -1).view(-1, 3)
