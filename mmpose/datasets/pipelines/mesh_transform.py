"""Transforms for 3D human mesh recovery (HMR): IUV maps, SMPL pose
flip/rotation and the image crop."""
import cv2
import numpy as np
import torch

from mmpose.core.post_processing import (flip_permutation, fliplr_joints,
                                         get_affine_transform,
                                         warp_affine_joints)
from mmpose.errors import ArgumentError
from ..builder import PIPELINES
from .loading import read_image
from .top_down_transform import TopDownGetRandomScaleRotation, _flip_image
from .warp import warp_affine

# SMPL has 24 joints; the mirrored joint of each (left <-> right).
_SMPL_JOINT_MIRROR = np.array(
    [0, 2, 1, 3, 5, 4, 6, 8, 7, 9, 11, 10, 12, 14, 13, 15, 17, 16, 19, 18,
     21, 20, 23, 22],
    dtype=np.int64)
# The same permutation on the flattened axis-angle vector [72].
_SMPL_POSE_MIRROR = (_SMPL_JOINT_MIRROR[:, None] * 3 +
                     np.arange(3)[None, :]).reshape(-1)


def _flip_smpl_pose(pose: np.ndarray) -> np.ndarray:
    """Mirror SMPL axis-angle parameters ``[72]``: swap left/right joints and
    negate the y and z rotation components."""
    pose = np.asarray(pose)
    if pose.shape != (72, ):
        raise ArgumentError('SMPL pose must have shape (72,), got '
                            f'{pose.shape}')
    flipped = pose[_SMPL_POSE_MIRROR].copy()
    flipped[1::3] = -flipped[1::3]
    flipped[2::3] = -flipped[2::3]
    return flipped


def _flip_iuv(iuv: np.ndarray, uv_type: str = 'BF') -> np.ndarray:
    """Mirror an IUV image ``[H, W, 3]`` (index, u, v); for the 'BF' UV
    layout u becomes ``255 - u``."""
    if uv_type not in ('DP', 'SMPL', 'BF'):
        raise ArgumentError("uv_type must be 'DP', 'SMPL' or 'BF', got "
                            f'{uv_type!r}')
    if uv_type != 'BF':
        raise ArgumentError(f'flipping a {uv_type!r} IUV map is not supported '
                            '(its part/uv layout is not mirror-symmetric); '
                            "use uv_type='BF'")
    iuv = np.ascontiguousarray(iuv[:, ::-1])
    iuv[:, :, 1] = 255 - iuv[:, :, 1]
    return iuv


def _construct_rotation_matrix(rot: float, size: int = 3) -> np.ndarray:
    """In-plane rotation by ``rot`` degrees as ``float32[size, size]``."""
    rot_mat = np.eye(size, dtype=np.float32)
    if rot != 0:
        rad = np.deg2rad(rot)
        sn, cs = np.sin(rad), np.cos(rad)
        rot_mat[0, :2] = [cs, -sn]
        rot_mat[1, :2] = [sn, cs]
    return rot_mat


def _rotate_joints_3d(joints_3d: np.ndarray, rot: float) -> np.ndarray:
    """Rotate 3D joints ``[K, 3]`` in the image plane by the crop rotation
    (the crop turns the image by ``-rot``)."""
    rot_mat = _construct_rotation_matrix(-rot, 3)
    return (joints_3d @ rot_mat.T).astype(np.float32)


def _rotate_smpl_pose(pose: np.ndarray, rot: float) -> np.ndarray:
    """Apply the crop rotation to the SMPL global orientation ``pose[:3]``."""
    pose_rotated = np.array(pose, copy=True)
    if rot != 0:
        rot_mat = _construct_rotation_matrix(-rot)
        orient, _ = cv2.Rodrigues(np.asarray(pose[:3], np.float32))
        new_orient, _ = cv2.Rodrigues(rot_mat @ orient)
        pose_rotated[:3] = new_orient.ravel()
    return pose_rotated


def _flip_joints_3d(joints_3d: np.ndarray, joints_3d_visible: np.ndarray,
                    flip_pairs) -> tuple:
    """Mirror camera-frame 3D joints ``[K, 3]`` (x -> -x), swap flip pairs,
    and zero invisible joints."""
    if len(joints_3d) != len(joints_3d_visible):
        raise ArgumentError(f'joints_3d has {len(joints_3d)} joints but '
                            f'joints_3d_visible has {len(joints_3d_visible)}')
    order = flip_permutation(flip_pairs, len(joints_3d))
    flipped = np.array(joints_3d[order], copy=True)
    visible = np.array(joints_3d_visible[order], copy=True)
    flipped[:, 0] = -flipped[:, 0]
    return flipped * visible, visible


@PIPELINES.register_module()
class LoadIUVFromFile:
    """Load the IUV image ``results['iuv_file']`` when the sample has one and
    ``ann_info['use_IUV']``; otherwise set ``iuv=None``, ``has_iuv=0``.

    Args:
        to_float32 (bool): cast the IUV image to float32. Default: False.
    """

    def __init__(self, to_float32: bool = False):
        self.to_float32 = to_float32

    def __call__(self, results: dict) -> dict:
        has_iuv = results['has_iuv']
        if has_iuv and results['ann_info']['use_IUV']:
            iuv = read_image(results['iuv_file'], 'unchanged', 'bgr')
            if self.to_float32:
                iuv = iuv.astype(np.float32)
        else:
            has_iuv = 0
            iuv = None
        results['has_iuv'] = has_iuv
        results['iuv'] = iuv
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(to_float32={self.to_float32})'


@PIPELINES.register_module()
class IUVToTensor:
    """Split the IUV image into a part index mask ``LongTensor[1, H, W]``
    and uv coordinates ``FloatTensor[2, H, W]`` in [0, 1]; zeros of size
    ``ann_info['iuv_size']`` when there is no IUV.

    Required keys: 'iuv', 'ann_info'. Modifies keys: 'part_index',
    'uv_coordinates'.
    """

    def __call__(self, results: dict) -> dict:
        iuv = results['iuv']
        if iuv is None:
            H, W = results['ann_info']['iuv_size']
            part_index = torch.zeros([1, H, W], dtype=torch.long)
            uv_coordinates = torch.zeros([2, H, W], dtype=torch.float32)
        else:
            iuv = np.asarray(iuv)
            part_index = torch.from_numpy(iuv[:, :, 0].astype(
                np.int64))[None]
            uv_coordinates = torch.from_numpy(
                np.ascontiguousarray(iuv[:, :, 1:].transpose(2, 0, 1)).astype(
                    np.float32)) / 255
        results['part_index'] = part_index
        results['uv_coordinates'] = uv_coordinates
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'


@PIPELINES.register_module()
class MeshRandomChannelNoise:
    """Multiply each image channel by a factor drawn from
    ``U(1 - noise_factor, 1 + noise_factor)`` (uint8 saturates).

    Required key: 'img'. Modifies key: 'img'.

    Args:
        noise_factor (float): Default: 0.4.
    """

    def __init__(self, noise_factor: float = 0.4):
        self.noise_factor = noise_factor

    def __call__(self, results: dict) -> dict:
        img = results['img']
        pn = np.random.uniform(1 - self.noise_factor, 1 + self.noise_factor,
                               (1, 3))
        noisy = img * pn.reshape(1, 1, 3)
        if img.dtype == np.uint8:
            noisy = np.clip(np.rint(noisy), 0, 255).astype(np.uint8)
        else:
            noisy = noisy.astype(img.dtype)
        results['img'] = noisy
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(noise_factor={self.noise_factor})'


@PIPELINES.register_module()
class MeshRandomFlip:
    """Random horizontal flip of the image, 2D/3D joints, SMPL pose, center
    and IUV.

    Required keys: 'img', 'joints_2d', 'joints_2d_visible', 'joints_3d',
    'joints_3d_visible', 'center', 'pose', 'ann_info' (and 'iuv' if
    present). Modifies those keys.

    Args:
        flip_prob (float): probability of flipping. Default: 0.5.
    """

    def __init__(self, flip_prob: float = 0.5):
        self.flip_prob = flip_prob

    def __call__(self, results: dict) -> dict:
        if np.random.rand() > self.flip_prob:
            return results
        img = _flip_image(results['img'])
        flip_pairs = results['ann_info']['flip_pairs']
        width = img.shape[1]
        results['joints_2d'], results['joints_2d_visible'] = fliplr_joints(
            results['joints_2d'], results['joints_2d_visible'], width,
            flip_pairs)
        results['joints_3d'], results['joints_3d_visible'] = _flip_joints_3d(
            results['joints_3d'], results['joints_3d_visible'], flip_pairs)
        results['pose'] = _flip_smpl_pose(results['pose'])
        center = np.array(results['center'], dtype=np.float64)
        center[0] = width - center[0] - 1
        results['center'] = center
        results['img'] = img
        if results.get('iuv') is not None:
            results['iuv'] = _flip_iuv(results['iuv'],
                                       results['ann_info']['uv_type'])
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(flip_prob={self.flip_prob})'


@PIPELINES.register_module()
class MeshGetRandomScaleRotation(TopDownGetRandomScaleRotation):
    """Random scaling and rotation (same law as the top-down one).

    Required key: 'scale'. Modifies keys: 'scale' and 'rotation'.

    Args:
        rot_factor (int): rotation std in degrees. Default: 30.
        scale_factor (float): scale std. Default: 0.25.
        rot_prob (float): probability of rotating. Default: 0.6.
    """

    def __init__(self, rot_factor: float = 30, scale_factor: float = 0.25,
                 rot_prob: float = 0.6):
        super().__init__(rot_factor, scale_factor, rot_prob)


@PIPELINES.register_module()
class MeshAffine:
    """Crop the box to ``ann_info['image_size']``; move visible 2D joints,
    rotate 3D joints and the SMPL global orientation, and crop the IUV to
    ``ann_info['iuv_size']`` (nearest neighbour).

    Required keys: 'img', 'joints_2d', 'joints_2d_visible', 'joints_3d',
    'pose', 'ann_info', 'scale', 'rotation' and 'center' (and 'iuv' if
    present). Modifies keys: 'img', 'joints_2d', 'joints_3d', 'pose', 'iuv'.
    """

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        image_size = np.asarray(cfg['image_size'])
        c, s = results['center'], results['scale']
        r = results['rotation']
        trans = get_affine_transform(c, s, r, image_size)
        results['img'] = warp_affine(
            results['img'], trans, (int(image_size[0]), int(image_size[1])),
            flags=cv2.INTER_LINEAR)

        joints_2d = np.array(results['joints_2d'], copy=True)
        keep = np.asarray(results['joints_2d_visible'])[:, 0] > 0.0
        moved = warp_affine_joints(joints_2d[:, :2].copy(), trans)
        joints_2d[keep, :2] = moved[keep]
        results['joints_2d'] = joints_2d
        results['joints_3d'] = _rotate_joints_3d(results['joints_3d'], r)
        results['pose'] = _rotate_smpl_pose(results['pose'], r)

        if results.get('iuv') is not None:
            iuv_size = np.asarray(cfg['iuv_size'])
            trans_iuv = get_affine_transform(c, s, r, iuv_size)
            results['iuv'] = warp_affine(
                results['iuv'], trans_iuv,
                (int(iuv_size[0]), int(iuv_size[1])),
                flags=cv2.INTER_NEAREST)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
