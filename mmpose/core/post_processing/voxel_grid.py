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

__all__ = ['voxel_to_world', 'voxel_axes', 'voxel_grid']


def voxel_to_world(index, space_size, space_center, cube_size):
    """World position of voxel indexes.

    Works on NumPy arrays and on tensors alike (all arguments of one kind,
    broadcast on the last axis).

    Args:
        index (np.ndarray | torch.Tensor[..., 3]): Voxel indexes (x, y, z).
        space_size, space_center, cube_size ([3]): The cuboid.

    Returns:
        np.ndarray | torch.Tensor[..., 3]: positions (floating point).
    """
    return (index / (cube_size - 1) * space_size + space_center -
            space_size / 2.0)


def _checked(space_size, space_center, cube_size):
    size = np.broadcast_to(np.asarray(space_size, np.float64), (3, ))
    bins = np.broadcast_to(np.asarray(cube_size, np.int64), (3, ))
    center = np.asarray(space_center, np.float64)
    if center.shape != (3, ) or (bins < 2).any():
        raise ArgumentError(
            f'space_center must have 3 values and cube_size values >= 2, '
            f'got space_center={space_center}, cube_size={cube_size}')
    return size, center, bins


def voxel_axes(space_size: Sequence[float], space_center: Sequence[float],
               cube_size: Sequence[int]) -> List[np.ndarray]:
    """World positions of the voxels along each axis.

    Args:
        space_size (Sequence[float] | float): Cuboid size (x, y, z).
        space_center (Sequence[float]): Cuboid centre (x, y, z).
        cube_size (Sequence[int] | int): Voxels per axis (each >= 2).

    Returns:
        list[np.ndarray]: three float64 arrays, ``[cube_size[d]]`` each.
    """
    size, center, bins = _checked(space_size, space_center, cube_size)
    return [
        voxel_to_world(np.arange(bins[d]), size[d], center[d], bins[d])
        for d in range(3)
    ]


def voxel_grid(space_size, space_center, cube_size,
               device=None) -> torch.Tensor:
    """World positions of all voxels, x slowest and z fastest.

    Returns:
        torch.Tensor[X * Y * Z, 3]: float32 on ``device``.
    """
    size, center, bins = _checked(space_size, space_center, cube_size)
    index = torch.stack(
        torch.meshgrid(
            *[torch.arange(int(n), device=device) for n in bins],
            indexing='ij'), -1).view(-1, 3)
    as_tensor = torch.as_tensor
    return voxel_to_world(index.double(), as_tensor(size, device=device),
                          as_tensor(center, device=device),
                          as_tensor(bins, device=device)).float()
