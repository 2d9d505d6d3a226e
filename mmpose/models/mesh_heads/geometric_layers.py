"""Rotation and camera geometry shared by the mesh head, the SMPL
discriminator and the mesh loss.

Note:
    batch size: N
    number of points: P
"""
import torch
import torch.nn.functional as F

from mmpose.errors import ArgumentError

__all__ = [
    'rot6d_to_rotmat', 'batch_rodrigues', 'quat_to_rotmat',
    'perspective_projection'
]


def rot6d_to_rotmat(x: torch.Tensor) -> torch.Tensor:
    """Convert the continuous 6D rotation representation to rotation matrices.

    Zhou et al., "On the Continuity of Rotation Representations in Neural
    Networks" (CVPR 2019): the two columns are orthonormalised with
    Gram-Schmidt and the third is their cross product.

    Args:
        x (torch.Tensor[N, 6*J] | [N*J, 6]): 6D rotations, laid out per joint
            as a row-major 3x2 matrix (the two columns interleaved).

    Returns:
        torch.Tensor[N*J, 3, 3]: Rotation matrices.
    """
    if x.numel() % 6 != 0:
        raise ArgumentError(f'rot6d_to_rotmat expects a multiple of 6 values, '
                            f'got a tensor of shape {tuple(x.shape)}')
    x = x.reshape(-1, 3, 2)
    a1, a2 = x[..., 0], x[..., 1]
    b1 = F.normalize(a1, dim=-1)
    b2 = F.normalize(a2 - (b1 * a2).sum(-1, keepdim=True) * b1, dim=-1)
    b3 = torch.cross(b1, b2, dim=-1)
    return torch.stack((b1, b2, b3), dim=-1)


def quat_to_rotmat(quat: torch.Tensor) -> torch.Tensor:
    """Convert quaternions (w, x, y, z) to rotation matrices.

    Args:
        quat (torch.Tensor[N, 4]): Quaternions; they are normalised first.

    Returns:
        torch.Tensor[N, 3, 3]: Rotation matrices.
    """
    if quat.dim() != 2 or quat.shape[1] != 4:
        raise ArgumentError(f'quat_to_rotmat expects [N, 4] quaternions, got '
                            f'{tuple(quat.shape)}')
    q = quat / quat.norm(p=2, dim=1, keepdim=True)
    w, x, y, z = q.unbind(1)
    w2, x2, y2, z2 = w * w, x * x, y * y, z * z
    wx, wy, wz = w * x, w * y, w * z
    xy, xz, yz = x * y, x * z, y * z
    rotmat = torch.stack([
        w2 + x2 - y2 - z2, 2 * (xy - wz), 2 * (wy + xz),
        2 * (wz + xy), w2 - x2 + y2 - z2, 2 * (yz - wx),
        2 * (xz - wy), 2 * (wx + yz), w2 - x2 - y2 + z2
    ], dim=1)
    return rotmat.view(-1, 3, 3)


def batch_rodrigues(theta: torch.Tensor) -> torch.Tensor:
    """Convert axis-angle vectors to rotation matrices (Rodrigues' formula).

    A small epsilon is added before taking the norm, so the zero vector maps
    to the identity without NaNs.

    Args:
        theta (torch.Tensor[N, 3]): Axis-angle rotations (axis * angle).

    Returns:
        torch.Tensor[N, 3, 3]: Rotation matrices.
    """
    if theta.dim() != 2 or theta.shape[1] != 3:
        raise ArgumentError(f'batch_rodrigues expects [N, 3] axis-angle '
                            f'vectors, got {tuple(theta.shape)}')
    angle = torch.norm(theta + 1e-8, p=2, dim=1, keepdim=True)
    axis = theta / angle
    half = angle * 0.5
    quat = torch.cat([torch.cos(half), torch.sin(half) * axis], dim=1)
    return quat_to_rotmat(quat)


def perspective_projection(points: torch.Tensor, rotation: torch.Tensor,
                           translation: torch.Tensor,
                           focal_length: torch.Tensor,
                           camera_center: torch.Tensor) -> torch.Tensor:
    """Project 3D points to the image plane with a pinhole camera.

    Args:
        points (torch.Tensor[N, P, 3]): 3D points.
        rotation (torch.Tensor[N, 3, 3]): Camera rotations.
        translation (torch.Tensor[N, 3]): Camera translations.
        focal_length (torch.Tensor[N] | float): Focal lengths (pixels).
        camera_center (torch.Tensor[N, 2]): Principal points (pixels).

    Returns:
        torch.Tensor[N, P, 2]: Projected 2D points in pixels.
    """
    if points.dim() != 3 or points.shape[-1] != 3:
        raise ArgumentError(f'points must be [N, P, 3], got '
                            f'{tuple(points.shape)}')
    batch_size = points.shape[0]
    focal = torch.as_tensor(
        focal_length, dtype=points.dtype, device=points.device)
    focal = focal.expand(batch_size) if focal.dim() <= 1 else focal
    calib = points.new_zeros(batch_size, 3, 3)
    calib[:, 0, 0] = focal
    calib[:, 1, 1] = focal
    calib[:, 2, 2] = 1.
    calib[:, :2, 2] = camera_center
    cam_points = torch.einsum('bij,bkj->bki', rotation, points)
    cam_points = cam_points + translation.unsqueeze(1)
    projected = cam_points / cam_points[..., -1:]
    projected = torch.einsum('bij,bkj->bki', calib, projected)
    return projected[..., :-1]
