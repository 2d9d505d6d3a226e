"""Geometry shared by pipelines, heads and inference: affine matrices,
horizontal flips and the mapping of heatmap coordinates back to images.

Note:
    The bounding-box ``scale`` follows the 0.x convention: it is the box size
    in pixels divided by the pixel standard deviation 200.
"""
import math
from typing import Sequence, Tuple

import numpy as np

from mmpose.errors import ArgumentError, UnknownNameError
from ._checks import check_array

__all__ = [
    'affine_transform', 'flip_back', 'fliplr_joints', 'fliplr_regression',
    'get_affine_transform', 'get_warp_matrix', 'rotate_point',
    'transform_preds', 'warp_affine_joints', 'flip_permutation'
]

PIXEL_STD = 200.0


def flip_permutation(flip_pairs: Sequence[Sequence[int]],
                     num_keypoints: int) -> np.ndarray:
    """Index array that swaps every left/right pair of keypoints.

    Args:
        flip_pairs (list[tuple]): Pairs of mirrored keypoint indices.
        num_keypoints (int): Number of keypoints K.

    Returns:
        np.ndarray[K]: ``perm`` such that ``x[..., perm, :]`` is the
        left/right swapped version of ``x[..., :, :]``.
    """
    perm = np.arange(num_keypoints)
    pairs = np.asarray(flip_pairs, dtype=np.int64).reshape(-1, 2)
    if pairs.size and (pairs.min() < 0 or pairs.max() >= num_keypoints):
        raise ArgumentError(f'flip_pairs index out of range for '
                            f'{num_keypoints} keypoints: {pairs.tolist()}')
    perm[pairs[:, 0]] = pairs[:, 1]
    perm[pairs[:, 1]] = pairs[:, 0]
    return perm


def fliplr_joints(joints_3d: np.ndarray, joints_3d_visible: np.ndarray,
                  img_width: int,
                  flip_pairs: Sequence[Sequence[int]]
                  ) -> Tuple[np.ndarray, np.ndarray]:
    """Flip human joints horizontally.

    Note:
        num_keypoints: K

    Args:
        joints_3d (np.ndarray[K, 3]): Coordinates of keypoints.
        joints_3d_visible (np.ndarray[K, 1] | np.ndarray[K, 3]): Visibility.
        img_width (int): Image width.
        flip_pairs (list[tuple]): Pairs of mirrored keypoints.

    Returns:
        tuple: ``(joints_3d_flipped, joints_3d_visible_flipped)`` with the
        input shapes. x becomes ``img_width - 1 - x``; invisible joints are
        zeroed: the joints are multiplied by ``visibility > 0`` (0.29's fix;
        0.14 multiplied by the visibility itself, which scaled joints whose
        visibility is not 0 or 1).
    """
    joints_3d = check_array('joints_3d', joints_3d, ndim=2,
                            expected='[K, C]')
    joints_3d_visible = check_array('joints_3d_visible', joints_3d_visible,
                                    ndim=2, expected='[K, 1] or [K, C]')
    if len(joints_3d) != len(joints_3d_visible):
        raise ArgumentError(
            f'joints_3d [K, C] and joints_3d_visible [K, C] must have the '
            f'same K, got {joints_3d.shape} and {joints_3d_visible.shape}')
    if img_width <= 0:
        raise ArgumentError(f'img_width should be positive, got {img_width}')
    perm = flip_permutation(flip_pairs, len(joints_3d))
    visible_flipped = joints_3d_visible[perm]
    joints_flipped = joints_3d[perm]
    joints_flipped[:, 0] = img_width - 1 - joints_flipped[:, 0]
    joints_flipped = joints_flipped * (visible_flipped > 0)
    return joints_flipped, visible_flipped


def fliplr_regression(regression: np.ndarray,
                      flip_pairs: Sequence[Sequence[int]],
                      center_mode: str = 'static',
                      center_x: float = 0.5,
                      center_index: int = 0) -> np.ndarray:
    """Flip regressed keypoints horizontally around a vertical axis.

    Note:
        batch_size: N, num_keypoints: K, keypoint dims: C

    Args:
        regression (np.ndarray[..., K, C]): Keypoint coordinates, e.g.
            ``[N, K, C]`` or ``[N, T, K, C]`` for pose sequences.
        flip_pairs (list[tuple]): Pairs of mirrored keypoints.
        center_mode (str): ``'static'``: flip around x = ``center_x``;
            ``'root'``: flip around the x of keypoint ``center_index``.
        center_x (float): Flip centre for ``'static'``. Default: 0.5.
        center_index (int): Root keypoint index for ``'root'``. Default: 0.

    Returns:
        np.ndarray[..., K, C]: Flipped keypoints.
    """
    regression = check_array('regression', regression,
                             expected='[..., K, C] (at least 2 dims)')
    if regression.ndim < 2:
        raise ArgumentError(f'regression should have shape [..., K, C], got '
                            f'{regression.shape}')
    if center_mode == 'static':
        x_c = center_x
    elif center_mode == 'root':
        if not 0 <= center_index < regression.shape[-2]:
            raise ArgumentError(
                f'center_index {center_index} out of range for '
                f'{regression.shape[-2]} keypoints')
        x_c = regression[..., center_index:center_index + 1, 0]
    else:
        raise UnknownNameError(
            f"center_mode should be 'static' or 'root', got "
            f'{center_mode!r}')
    perm = flip_permutation(flip_pairs, regression.shape[-2])
    flipped = regression[..., perm, :]
    flipped[..., 0] = x_c * 2 - flipped[..., 0]
    return flipped


def flip_back(output_flipped: np.ndarray,
              flip_pairs: Sequence[Sequence[int]],
              target_type: str = 'GaussianHeatMap') -> np.ndarray:
    """Flip the heatmaps predicted on a flipped image back.

    Note:
        batch_size: N, num_keypoints: K, heatmap height: H, width: W

    Args:
        output_flipped (np.ndarray[N, K, H, W]): Heatmaps of the flipped
            image. For ``'CombinedTarget'`` the channels are K/3 triplets of
            (heatmap, x offset, y offset); the x offsets change sign.
        flip_pairs (list[tuple]): Pairs of mirrored keypoints.
        target_type (str): ``'GaussianHeatMap'`` or ``'CombinedTarget'``.

    Returns:
        np.ndarray[N, K, H, W]: Heatmaps in the original image frame. The
        input is left unchanged.
    """
    output_flipped = check_array('output_flipped', output_flipped, ndim=4,
                                 expected='[N, K, H, W]')
    N, C, H, W = output_flipped.shape
    channels = 1
    if target_type.lower() == 'combinedtarget':
        channels = 3
        if C % 3:
            raise ArgumentError(
                f'CombinedTarget output needs 3*K channels, got '
                f'shape {output_flipped.shape}')
    elif target_type.lower() != 'gaussianheatmap':
        raise UnknownNameError(f"target_type should be 'GaussianHeatMap' or "
                               f"'CombinedTarget', got {target_type!r}")
    grouped = output_flipped.reshape(N, C // channels, channels, H, W)
    perm = flip_permutation(flip_pairs, C // channels)
    flipped_back = grouped[:, perm, :, :, ::-1].reshape(N, C, H, W)
    if channels == 3:
        flipped_back[:, 1::3] = -flipped_back[:, 1::3]
    return flipped_back


def transform_preds(coords: np.ndarray,
                    center,
                    scale,
                    output_size,
                    use_udp: bool = False) -> np.ndarray:
    """Map keypoints from heatmap coordinates back to the image.

    Note:
        num_keypoints: K

    Args:
        coords (np.ndarray[K, ndims]): ndims is 2 (x, y), 4 (x, y, score,
            tag) or 5 (x, y, score, tag, flipped tag).
        center (np.ndarray[2, ]): Bounding-box centre (x, y).
        scale (np.ndarray[2, ]): Bounding-box scale wrt [width, height].
        output_size (np.ndarray[2, ] | list(2,)): Heatmap size [w, h].
        use_udp (bool): Unbiased data processing (scale by size - 1).

    Returns:
        np.ndarray[K, ndims]: Image coordinates. As in MMPose 0.x, columns
        after (x, y) are set to 1.
    """
    coords = check_array('coords', coords, ndim=2, expected='[K, 2|4|5]')
    if coords.shape[1] not in (2, 4, 5):
        raise ArgumentError(f'coords should have shape [K, 2], [K, 4] or '
                            f'[K, 5], got {coords.shape}')
    center = check_array('center', center, ndim=1, last_dims=(2, ),
                         expected='[2]')
    scale = check_array('scale', scale, ndim=1, last_dims=(2, ),
                        expected='[2]')
    return transform_preds_batch(coords[None], center[None], scale[None],
                                 output_size, use_udp)[0]


def transform_preds_batch(coords: np.ndarray,
                          center: np.ndarray,
                          scale: np.ndarray,
                          output_size,
                          use_udp: bool = False) -> np.ndarray:
    """Batched :func:`transform_preds`.

    Args:
        coords (np.ndarray[N, K, ndims]): Heatmap coordinates.
        center (np.ndarray[N, 2]): Bounding-box centres.
        scale (np.ndarray[N, 2]): Bounding-box scales.
        output_size (Sequence[int]): Heatmap size [w, h].
        use_udp (bool): Unbiased data processing.

    Returns:
        np.ndarray[N, K, ndims]: Image coordinates (float).
    """
    if len(output_size) != 2:
        raise ArgumentError(f'output_size should be [w, h], got {output_size}')
    dtype = np.result_type(coords.dtype, np.float32)
    # Scale-to-pixels stays in the dtype of `scale` (0.x float32 rules);
    # the per-pixel ratio is formed in float64 and then cast to the dtype of
    # the coordinates, matching the original's scalar arithmetic.
    scale_px = np.asarray(scale) * PIXEL_STD
    size = np.array([float(output_size[0]), float(output_size[1])])
    if use_udp:
        size = size - 1.0
    ratio = (scale_px.astype(np.float64) / size).astype(dtype)
    offset = np.asarray(center).astype(dtype)
    half = (scale_px * 0.5).astype(dtype)
    target = np.ones(coords.shape, dtype=dtype)
    target[..., :2] = (coords[..., :2].astype(dtype) * ratio[:, None, :] +
                       offset[:, None, :] - half[:, None, :])
    return target


def rotate_point(pt: Sequence[float], angle_rad: float) -> list:
    """Rotate a 2D point counter-clockwise by ``angle_rad`` radians.

    Args:
        pt (list[float]): A point (x, y).
        angle_rad (float): Rotation angle in radians.

    Returns:
        list[float]: The rotated point [x, y].
    """
    if len(pt) != 2:
        raise ArgumentError(f'pt should be a 2D point, got {pt}')
    sn, cs = np.sin(angle_rad), np.cos(angle_rad)
    return [pt[0] * cs - pt[1] * sn, pt[0] * sn + pt[1] * cs]


def _get_3rd_point(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The third anchor point of an affine transform: ``a - b`` rotated by
    90 degrees anticlockwise around ``b`` (0.x name).

    Args:
        a, b (np.ndarray[2, ]): Points (x, y).

    Returns:
        np.ndarray[2, ]: The third point (float32 offset).
    """
    if len(a) != 2 or len(b) != 2:
        raise ArgumentError(f'a and b should be 2D points (x, y), got {a} '
                            f'and {b}')
    direction = a - b
    return b + np.array([-direction[1], direction[0]], dtype=np.float32)


def affine_from_points(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The affine matrix (np.ndarray[2, 3]) mapping 3 points ``src`` onto
    ``dst`` (both np.ndarray[3, 2]), solved in float64."""
    src_h = np.concatenate([np.asarray(src, np.float64), np.ones((3, 1))],
                           axis=1)
    return np.linalg.solve(src_h, np.asarray(dst, np.float64)).T


def get_affine_transform(center,
                         scale,
                         rot: float,
                         output_size,
                         shift=(0., 0.),
                         inv: bool = False) -> np.ndarray:
    """Affine matrix mapping the box (center, scale, rot) to the output.

    Args:
        center (np.ndarray[2, ]): Bounding-box centre (x, y).
        scale (np.ndarray[2, ]): Bounding-box scale wrt [width, height].
        rot (float): Rotation angle in degrees.
        output_size (np.ndarray[2, ] | list(2,)): Destination size [w, h].
        shift (0-100%): Shift ratio wrt the box width/height.
        inv (bool): False: src -> dst; True: dst -> src.

    Returns:
        np.ndarray[2, 3]: The transform matrix (float64).
    """
    for name, value in (('center', center), ('scale', scale),
                        ('output_size', output_size), ('shift', shift)):
        if len(value) != 2:
            raise ArgumentError(f'{name} should have 2 elements, got {value}')
    scale_px = np.asarray(scale) * PIXEL_STD
    shift = np.array(shift)
    dst_w, dst_h = output_size[0], output_size[1]
    rot_rad = np.pi * rot / 180
    src_dir = rotate_point([0., scale_px[0] * -0.5], rot_rad)

    # The three anchor points are stored in float32 as in the 0.x code.
    src = np.zeros((3, 2), dtype=np.float32)
    src[0] = np.asarray(center) + scale_px * shift
    src[1] = np.asarray(center) + src_dir + scale_px * shift
    src[2] = _get_3rd_point(src[0], src[1])
    dst = np.zeros((3, 2), dtype=np.float32)
    dst[0] = [dst_w * 0.5, dst_h * 0.5]
    dst[1] = np.array([dst_w * 0.5, dst_h * 0.5]) + [0., dst_w * -0.5]
    dst[2] = _get_3rd_point(dst[0], dst[1])
    if inv:
        return affine_from_points(dst, src)
    return affine_from_points(src, dst)


def affine_transform(pt, trans_mat: np.ndarray) -> np.ndarray:
    """Apply a 2x3 affine matrix to a point or an array of points.

    Args:
        pt (np.ndarray[2, ] | np.ndarray[..., 2]): Point(s) (x, y).
        trans_mat (np.ndarray[2, 3]): Affine matrix.

    Returns:
        np.ndarray: Transformed point(s), same shape as ``pt``.
    """
    pt = check_array('pt', pt, last_dims=(2, ), expected='[2] or [..., 2]')
    trans_mat = check_array('trans_mat', trans_mat, ndim=2,
                            last_dims=(2, 3), expected='[2, 3]')
    return pt @ trans_mat[:, :2].T + trans_mat[:, 2]


def warp_affine_joints(joints, mat: np.ndarray) -> np.ndarray:
    """Apply an affine matrix to joints.

    Args:
        joints (np.ndarray[..., 2]): Joint coordinates.
        mat (np.ndarray[2, 3]): The affine matrix.

    Returns:
        np.ndarray[..., 2]: Transformed joints.
    """
    return affine_transform(np.array(joints), mat)


def get_warp_matrix(theta: float, size_input, size_dst,
                    size_target) -> np.ndarray:
    """Unbiased (UDP) transformation matrix.

    Reference: Huang et al., CVPR 2020 - The Devil is in the Details,
    i.e. unbiased data processing for human pose estimation.

    Args:
        theta (float): Rotation angle in degrees.
        size_input (np.ndarray[2, ]): Size of the input image [w, h].
        size_dst (np.ndarray[2, ]): Size of the output image [w, h].
        size_target (np.ndarray[2, ]): Size of the ROI in the input [w, h].

    Returns:
        np.ndarray[2, 3]: The matrix (float32).
    """
    theta = math.radians(theta)
    size_input = np.asarray(size_input)
    size_dst = np.asarray(size_dst)
    size_target = np.asarray(size_target)
    scale_x = float(size_dst[0] / size_target[0])
    scale_y = float(size_dst[1] / size_target[1])
    in_w, in_h = float(size_input[0]), float(size_input[1])
    cs, sn = math.cos(theta), math.sin(theta)
    matrix = np.zeros((2, 3), dtype=np.float32)
    matrix[0, 0] = cs * scale_x
    matrix[0, 1] = -sn * scale_x
    matrix[0, 2] = scale_x * (-0.5 * in_w * cs + 0.5 * in_h * sn +
                              0.5 * float(size_target[0]))
    matrix[1, 0] = sn * scale_y
    matrix[1, 1] = cs * scale_y
    matrix[1, 2] = scale_y * (-0.5 * in_w * sn - 0.5 * in_h * cs +
                              0.5 * float(size_target[1]))
    return matrix
