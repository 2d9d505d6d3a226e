"""Bottom-up transforms: random affine/flip at several output scales,
multi-scale test resizing, and target encoding (heatmaps, associative
embedding joint codes, part affinity fields)."""
from typing import List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from mmpose.core.post_processing import (get_affine_transform,
                                         get_warp_matrix, warp_affine_joints)
from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError
from ..builder import PIPELINES
from ..dialects import split_heatmap_target_args
from .shared_transform import Compose
from .top_down_transform import _flip_image
from .warp import warp_affine

SizeT = Union[int, Sequence[int]]


def _size_wh(size: SizeT) -> Tuple[int, int]:
    """An int (square) or ``(w, h)`` as ``(w, h)`` ints."""
    arr = np.atleast_1d(np.asarray(size))
    if arr.size == 1:
        return int(arr[0]), int(arr[0])
    if arr.size != 2:
        raise ArgumentError(f'size must be an int or (w, h), got {size!r}')
    return int(arr[0]), int(arr[1])


def _ceil_to_multiples_of(x: float, base: int = 64) -> int:
    """Smallest multiple of ``base`` >= x."""
    return int(np.ceil(x / base)) * base


def _get_multi_scale_size(image: np.ndarray,
                          input_size: SizeT,
                          current_scale: float,
                          min_scale: float,
                          use_udp: bool = False,
                          base_length: int = 64):
    """Resized size ``(w, h)``, center and scale for testing at
    ``current_scale``: the short side becomes ``input_size * current_scale``
    (rounded up to a multiple of ``base_length`` at ``min_scale``), the
    aspect ratio is kept and the long side is such a multiple at
    ``min_scale`` too.

    Scale is in units of 200 px (non-UDP) or pixels minus one (UDP).
    """
    in_w, in_h = _size_wh(input_size)
    h, w = image.shape[:2]
    min_input_w = _ceil_to_multiples_of(min_scale * in_w, base_length)
    min_input_h = _ceil_to_multiples_of(min_scale * in_h, base_length)
    if w < h:
        w_resized = int(min_input_w * current_scale / min_scale)
        h_resized = int(
            _ceil_to_multiples_of(min_input_w / w * h, base_length) *
            current_scale /
            min_scale)
        if use_udp:
            scale_w = w - 1.0
            scale_h = (h_resized - 1.0) / (w_resized - 1.0) * (w - 1.0)
        else:
            scale_w = w / 200.0
            scale_h = h_resized / w_resized * w / 200.0
    else:
        h_resized = int(min_input_h * current_scale / min_scale)
        w_resized = int(
            _ceil_to_multiples_of(min_input_h / h * w, base_length) *
            current_scale /
            min_scale)
        if use_udp:
            scale_h = h - 1.0
            scale_w = (w_resized - 1.0) / (h_resized - 1.0) * (h - 1.0)
        else:
            scale_h = h / 200.0
            scale_w = w_resized / h_resized * h / 200.0
    if use_udp:
        center = (scale_w / 2.0, scale_h / 2.0)
    else:
        center = np.array([round(w / 2.0), round(h / 2.0)])
    return (w_resized, h_resized), center, np.array([scale_w, scale_h])


def _resize_align_multi_scale(image: np.ndarray,
                              input_size: SizeT,
                              current_scale: float,
                              min_scale: float,
                              base_length: int = 64):
    """Resize (affine) ``image`` for testing at ``current_scale``."""
    size_resized, center, scale = _get_multi_scale_size(
        image, input_size, current_scale, min_scale, False, base_length)
    trans = get_affine_transform(center, scale, 0, size_resized)
    image_resized = warp_affine(image, trans, size_resized)
    return image_resized, center, scale


def _resize_align_multi_scale_udp(image: np.ndarray,
                                  input_size: SizeT,
                                  current_scale: float,
                                  min_scale: float,
                                  base_length: int = 64):
    """UDP version of :func:`_resize_align_multi_scale`."""
    size_resized, _, _ = _get_multi_scale_size(image, input_size,
                                               current_scale, min_scale, True,
                                               base_length)
    _, center, scale = _get_multi_scale_size(image, input_size, min_scale,
                                             min_scale, True, base_length)
    trans = get_warp_matrix(
        theta=0,
        size_input=np.array(scale, dtype=np.float32),
        size_dst=np.array(size_resized, dtype=np.float32) - 1.0,
        size_target=np.array(scale, dtype=np.float32))
    image_resized = warp_affine(
        image, trans, size_resized, flags=cv2.INTER_LINEAR)
    return image_resized, center, scale


def _check_people(joints: np.ndarray) -> np.ndarray:
    joints = np.asarray(joints)
    if joints.ndim != 3 or joints.shape[2] < 3:
        raise ArgumentError('joints must have shape [M, K, 3+] (people, '
                            f'keypoints, (x, y, v, ...)), got {joints.shape}')
    return joints


class HeatmapGenerator:
    """Multi-person Gaussian heatmaps (per-joint maximum over people).

    Args:
        output_size (int | (w, h)): heatmap size.
        num_joints (int): number of keypoints K.
        sigma (float): Gaussian std; negative means ``output_size / 64``.
        use_udp (bool): sub-pixel Gaussian centers (UDP). Default: False.
    """

    def __init__(self, output_size: SizeT, num_joints: int,
                 sigma: float = -1, use_udp: bool = False):
        self.output_size = output_size
        self.W, self.H = _size_wh(output_size)
        self.num_joints = num_joints
        if sigma < 0:
            sigma = self.W / 64
        self.sigma = sigma
        self.use_udp = use_udp
        size = 6 * sigma + 3
        self._offsets = np.arange(0, size, 1, np.float32)  # window cells
        self._c0 = 3 * sigma + 1  # window center (non-UDP)
        d = self._offsets - np.float32(self._c0)
        self._patch = np.exp(-(d[:, None]**2 + d[None, :]**2) /
                             np.float32(2 * sigma**2))  # float32 [S, S]

    def __call__(self, joints: np.ndarray) -> np.ndarray:
        """joints ``[M, K, 3+]`` in heatmap pixels -> ``float32[K, H, W]``."""
        joints = _check_people(joints)
        W, H, sigma = self.W, self.H, self.sigma
        hms = np.zeros((self.num_joints, H, W), dtype=np.float32)
        pts = joints[:, :self.num_joints, :3].reshape(-1, 3).astype(
            np.float64)
        joint_idx = np.tile(np.arange(min(self.num_joints, joints.shape[1])),
                            joints.shape[0])
        xi = np.trunc(pts[:, 0])
        yi = np.trunc(pts[:, 1])
        ok = (pts[:, 2] > 0) & (xi >= 0) & (yi >= 0) & (xi < W) & (yi < H)
        pts, joint_idx, xi, yi = pts[ok], joint_idx[ok], xi[ok], yi[ok]
        if len(pts) == 0:
            return hms

        # window of each point in heatmap cells: [ul, ul + S)
        ul_x = np.round(xi - 3 * sigma - 1)
        ul_y = np.round(yi - 3 * sigma - 1)
        br_x = np.round(xi + 3 * sigma + 2)
        br_y = np.round(yi + 3 * sigma + 2)
        if self.use_udp:
            cx = self._c0 + pts[:, 0] - xi
            cy = self._c0 + pts[:, 1] - yi
        else:
            cx = np.full(len(pts), self._c0)
            cy = np.full(len(pts), self._c0)
        off = self._offsets.astype(np.float64)
        if self.use_udp:
            gx = np.exp(-(off[None] - cx[:, None])**2 / (2 * sigma**2))
            gy = np.exp(-(off[None] - cy[:, None])**2 / (2 * sigma**2))
            g = (gy[:, :, None] * gx[:, None, :]).astype(np.float32)
        else:
            # the one float32 Gaussian of 0.x, exp of the 2-D sum
            g = np.broadcast_to(self._patch, (len(pts), ) + self._patch.shape)

        X = ul_x[:, None] + off[None]  # [P, S] map columns of the window
        Y = ul_y[:, None] + off[None]
        vx = (X >= 0) & (X < np.minimum(br_x, W)[:, None])
        vy = (Y >= 0) & (Y < np.minimum(br_y, H)[:, None])
        valid = vy[:, :, None] & vx[:, None, :]
        P, S = g.shape[:2]
        kk = np.broadcast_to(joint_idx[:, None, None], (P, S, S))[valid]
        yy = np.broadcast_to(Y[:, :, None], (P, S, S))[valid].astype(np.int64)
        xx = np.broadcast_to(X[:, None, :], (P, S, S))[valid].astype(np.int64)
        np.maximum.at(hms, (kk, yy, xx), g[valid])
        return hms


class JointsEncoder:
    """Encode visible joints for associative-embedding grouping: per person,
    its visible joints in order as ``(k * H * W + y * W + x, 1)`` with
    per-joint tags, or ``(y * W + x, 1)``; unused slots are ``(0, 0)``.

    Args:
        max_num_people (int): people slots M.
        num_joints (int): number of keypoints K.
        output_size (int | (w, h)): heatmap size.
        tag_per_joint (bool): one tag map per joint.
    """

    def __init__(self, max_num_people: int, num_joints: int,
                 output_size: SizeT, tag_per_joint: bool):
        self.max_num_people = max_num_people
        self.num_joints = num_joints
        self.output_size = output_size
        self.W, self.H = _size_wh(output_size)
        self.tag_per_joint = tag_per_joint

    def __call__(self, joints: np.ndarray) -> np.ndarray:
        """joints ``[M', K, 3+]`` -> ``float32[max_num_people, K, 2]``."""
        joints = _check_people(joints)[:self.max_num_people,
                                       :self.num_joints]
        W, H = self.W, self.H
        out = np.zeros((self.max_num_people, self.num_joints, 2),
                       dtype=np.float32)
        if len(joints) == 0:
            return out
        x = np.trunc(joints[..., 0]).astype(np.int64)
        y = np.trunc(joints[..., 1]).astype(np.int64)
        vis = (joints[..., 2] > 0) & (x >= 0) & (x < W) & (y >= 0) & (y < H)
        code = y * W + x
        if self.tag_per_joint:
            code = code + np.arange(joints.shape[1])[None] * (W * H)
        # visible joints are packed to the front of each person's row
        slot = np.cumsum(vis, axis=1) - 1
        person = np.broadcast_to(np.arange(len(joints))[:, None], vis.shape)
        out[person[vis], slot[vis], 0] = code[vis]
        out[person[vis], slot[vis], 1] = 1
        return out


class PAFGenerator:
    """Part affinity fields: for every limb, the unit vector src -> dst on
    cells within ``limb_width`` of the limb's line (and its bounding box
    grown by ``limb_width``), averaged over overlapping people.

    Args:
        output_size (int | (w, h)): heatmap size.
        limb_width (int): half width of a limb in cells.
        skeleton (list[list]): limbs as (src, dst) joint indices.
    """

    def __init__(self, output_size: SizeT, limb_width: float,
                 skeleton: Sequence[Sequence[int]]):
        self.output_size = output_size
        self.W, self.H = _size_wh(output_size)
        self.limb_width = limb_width
        self.skeleton = skeleton

    def __call__(self, joints: np.ndarray) -> np.ndarray:
        """joints ``[M, K, 3+]`` -> ``float32[2 * L, H, W]``."""
        joints = _check_people(joints)
        W, H, lw = self.W, self.H, self.limb_width
        pafs = np.zeros((len(self.skeleton) * 2, H, W), dtype=np.float32)
        xs = np.arange(W, dtype=np.float64)[None, None, :]
        ys = np.arange(H, dtype=np.float64)[None, :, None]
        # One limb at a time keeps memory at [M, H, W]; people are
        # vectorised.
        for idx, (s, d) in enumerate(self.skeleton):
            src = joints[:, s, :3].astype(np.float64)
            dst = joints[:, d, :3].astype(np.float64)
            use = (src[:, 2] > 0) & (dst[:, 2] > 0)
            if not use.any():
                continue
            src, dst = src[use, :2], dst[use, :2]
            vec = dst - src
            norm = np.linalg.norm(vec, axis=1, keepdims=True)
            unit = np.divide(vec, norm, out=np.zeros_like(vec),
                             where=norm > 0)
            min_x = np.maximum(
                np.floor(np.minimum(src[:, 0], dst[:, 0]) - lw), 0)
            max_x = np.minimum(
                np.ceil(np.maximum(src[:, 0], dst[:, 0]) + lw), W - 1)
            min_y = np.maximum(
                np.floor(np.minimum(src[:, 1], dst[:, 1]) - lw), 0)
            max_y = np.minimum(
                np.ceil(np.maximum(src[:, 1], dst[:, 1]) + lw), H - 1)
            in_box = ((xs >= min_x[:, None, None]) &
                      (xs <= max_x[:, None, None]) &
                      (ys >= min_y[:, None, None]) &
                      (ys <= max_y[:, None, None]))
            dist = np.abs((xs - src[:, 0, None, None]) * unit[:, 1, None,
                                                               None] -
                          (ys - src[:, 1, None, None]) * unit[:, 0, None,
                                                               None])
            mask = in_box & (dist < lw)  # [M, H, W]
            count = mask.sum(axis=0)
            fx = (mask * unit[:, 0, None, None]).sum(axis=0)
            fy = (mask * unit[:, 1, None, None]).sum(axis=0)
            denom = np.maximum(count, 1)
            pafs[2 * idx] = fx / denom
            pafs[2 * idx + 1] = fy / denom
        return pafs


def _scale_sizes(results: dict, who: str) -> list:
    sizes = results['ann_info']['heatmap_size']
    sizes = list(sizes) if isinstance(sizes, (list, tuple, np.ndarray)) \
        else [sizes]
    mask, joints = results['mask'], results['joints']
    if not isinstance(mask, list) or not isinstance(joints, list):
        raise ArgumentTypeError(f'{who}: results["mask"] and '
                                'results["joints"] must be lists with one '
                                'entry per output scale')
    if not len(mask) == len(joints) == len(sizes):
        raise ArgumentError(f'{who}: {len(mask)} masks and {len(joints)} '
                            f'joint arrays for {len(sizes)} heatmap sizes '
                            f'{sizes}')
    return sizes


@PIPELINES.register_module()
class BottomUpRandomFlip:
    """Random horizontal flip of the image and, per output scale, the mask
    and joints (reordered by ``ann_info['flip_index']``).

    Optional ``bboxes`` ([M, 4, 2] corners, in the first output scale's
    pixels; 0.29) are mirrored in that frame too, left and right corners
    swapped so that corner 0 stays the top-left one.

    Args:
        flip_prob (float): probability of flipping. Default: 0.5.
    """

    def __init__(self, flip_prob: float = 0.5):
        self.flip_prob = flip_prob

    def __call__(self, results: dict) -> dict:
        sizes = _scale_sizes(results, 'BottomUpRandomFlip')
        if np.random.random() < self.flip_prob:
            flip_index = results['ann_info']['flip_index']
            results['img'] = _flip_image(results['img'])
            masks, joints = results['mask'], results['joints']
            for i, size in enumerate(sizes):  # a handful of scales
                w, _ = _size_wh(size)
                masks[i] = _flip_image(masks[i])
                j = np.array(joints[i][:, flip_index], copy=True)
                j[:, :, 0] = w - j[:, :, 0] - 1
                joints[i] = j
            if 'bboxes' in results:
                w, _ = _size_wh(sizes[0])
                boxes = np.asarray(results['bboxes'])[:, [1, 0, 3, 2]]
                boxes[:, :, 0] = w - boxes[:, :, 0] - 1
                results['bboxes'] = boxes
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(flip_prob={self.flip_prob})'


@PIPELINES.register_module()
class BottomUpRandomAffine:
    """Random scale, rotation and translation of the whole image to the
    square input size, and of masks and joints to each output size.

    Optional ``bboxes`` ([M, 4, 2] corners; 0.29) are mapped into the first
    output scale's pixels, the frame CID's targets read them in.

    Args:
        rot_factor (int): rotation drawn from ``[-rot_factor, rot_factor]``.
        scale_factor (tuple[float]): (min, max) scale.
        scale_type (str): scale relative to the 'long' or 'short' side.
        trans_factor (float): translation up to
            ``trans_factor * scale / 200`` pixels.
        use_udp (bool): unbiased data processing. Default: False.
    """

    def __init__(self,
                 rot_factor: float,
                 scale_factor: Sequence[float],
                 scale_type: str,
                 trans_factor: float,
                 use_udp: bool = False):
        if scale_type not in ('long', 'short'):
            raise ArgumentError("scale_type must be 'long' or 'short', got "
                                f'{scale_type!r}')
        self.max_rotation = rot_factor
        self.min_scale = scale_factor[0]
        self.max_scale = scale_factor[1]
        self.scale_type = scale_type
        self.trans_factor = trans_factor
        self.use_udp = use_udp

    @staticmethod
    def _get_affine_matrix(center, scale: float, res: Tuple[int, int],
                           rot: float = 0) -> np.ndarray:
        """Matrix ``[3, 3]`` mapping the square of side ``scale`` around
        ``center`` onto ``res = (w, h)``, rotated by ``rot`` degrees about
        the output center."""
        out_w, out_h = res
        t = np.zeros((3, 3), dtype=np.float32)
        t[0, 0] = float(out_w) / scale
        t[1, 1] = float(out_h) / scale
        t[0, 2] = out_w * (-float(center[0]) / scale + .5)
        t[1, 2] = out_h * (-float(center[1]) / scale + .5)
        t[2, 2] = 1
        if rot != 0:
            rad = -rot * np.pi / 180  # matches the crop's rotation direction
            sn, cs = np.sin(rad), np.cos(rad)
            rot_mat = np.zeros((3, 3), dtype=np.float32)
            rot_mat[0, :2] = [cs, -sn]
            rot_mat[1, :2] = [sn, cs]
            rot_mat[2, 2] = 1
            t_mat = np.eye(3)
            t_mat[0, 2] = -out_w / 2
            t_mat[1, 2] = -out_h / 2
            t_inv = t_mat.copy()
            t_inv[:2, 2] *= -1
            t = t_inv @ rot_mat @ t_mat @ t
        return t

    def __call__(self, results: dict) -> dict:
        sizes = _scale_sizes(results, 'BottomUpRandomAffine')
        cfg = results['ann_info']
        in_w, in_h = _size_wh(cfg['image_size'])
        image = results['img']
        masks, joints = results['mask'], results['joints']
        height, width = image.shape[:2]
        if self.use_udp:
            center = np.array(((width - 1.0) / 2, (height - 1.0) / 2))
        else:
            center = np.array((width / 2, height / 2))
        if self.scale_type == 'long':
            scale = max(height, width) / 1.0
        else:
            scale = min(height, width) / 1.0

        aug_scale = np.random.random() * (self.max_scale -
                                          self.min_scale) + self.min_scale
        scale *= aug_scale
        aug_rot = (np.random.random() * 2 - 1) * self.max_rotation
        if self.trans_factor > 0:
            limit = int(self.trans_factor * scale / 200.0)
            if limit > 0:
                center[0] += np.random.randint(-limit, limit)
                center[1] += np.random.randint(-limit, limit)

        scale_aware = cfg.get('scale_aware_sigma', False)
        for i, size in enumerate(sizes):  # a handful of output scales
            out_w, out_h = _size_wh(size)
            if self.use_udp:
                mat = get_warp_matrix(
                    theta=aug_rot,
                    size_input=center * 2.0,
                    size_dst=np.array((out_w, out_h), np.float32) - 1.0,
                    size_target=np.array((scale, scale), np.float32))
            else:
                mat = self._get_affine_matrix(center, scale, (out_w, out_h),
                                              aug_rot)[:2]
            m = warp_affine((masks[i] * 255).astype(np.uint8), mat,
                               (out_w, out_h), flags=cv2.INTER_LINEAR) / 255
            masks[i] = (m > 0.5).astype(np.float32)
            j = np.array(joints[i], dtype=np.float64 if joints[i].dtype ==
                         np.float64 else np.float32, copy=True)
            j[:, :, 0:2] = warp_affine_joints(j[:, :, 0:2].copy(), mat)
            if scale_aware:
                j[:, :, 3] = j[:, :, 3] / aug_scale
            joints[i] = j
            if i == 0 and 'bboxes' in results:
                results['bboxes'] = warp_affine_joints(results['bboxes'], mat)

        if self.use_udp:
            mat_input = get_warp_matrix(
                theta=aug_rot,
                size_input=center * 2.0,
                size_dst=np.array((in_w, in_h), np.float32) - 1.0,
                size_target=np.array((scale, scale), np.float32))
        else:
            mat_input = self._get_affine_matrix(center, scale, (in_w, in_h),
                                                aug_rot)[:2]
        results['img'] = warp_affine(
            image, mat_input, (in_w, in_h), flags=cv2.INTER_LINEAR)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(rot_factor={self.max_rotation}, '
                f'scale_factor=({self.min_scale}, {self.max_scale}), '
                f'scale_type={self.scale_type!r}, trans_factor='
                f'{self.trans_factor}, use_udp={self.use_udp})')


@PIPELINES.register_module()
class BottomUpGenerateHeatmapTarget:
    """Multi-scale heatmap targets, optionally with instance-center
    heatmaps and background-weighted masks (DEKR, 0.29).

    Modifies keys: 'target' (list of ``float32[K, H_s, W_s]``; with
    ``gen_center_heatmap`` the center heatmap first, ``[1 + K, H_s,
    W_s]``), 'heatmaps' (the same list, 0.29) and, with ``bg_weight != 1``,
    'masks' (per scale, the mask repeated per channel, ``bg_weight`` where
    the heatmap is 0). Needs 'center' (see ``GetKeypointCenterArea``) with
    ``gen_center_heatmap``.

    Args:
        sigma (float | Sequence[float]): Gaussian std of the keypoints, and
            of the centers as a second value.
        use_udp (bool): unbiased data processing. Default: False.
        bg_weight (float): Loss weight of the background. Default: 1.0.
        gen_center_heatmap (bool): Add the center heatmaps. Default: False.

    0.29 orders them ``(sigma, bg_weight, gen_center_heatmap, use_udp)``; a
    positional 0.29 call is recognised by its second argument, a number
    rather than a bool (:func:`mmpose.datasets.dialects.
    split_heatmap_target_args`).
    """

    def __init__(self,
                 sigma,
                 use_udp: bool = False,
                 bg_weight: float = 1.0,
                 gen_center_heatmap: bool = False):
        use_udp, bg_weight, gen_center_heatmap = split_heatmap_target_args(
            use_udp, bg_weight, gen_center_heatmap)
        sigmas = tuple(sigma) if isinstance(sigma, (list, tuple)) else (
            sigma, )
        if gen_center_heatmap and len(sigmas) != 2:
            raise ArgumentError('gen_center_heatmap needs sigma=(keypoint '
                                f'sigma, center sigma), got {sigma}')
        self.sigma = sigma
        self.use_udp = use_udp
        self.bg_weight = bg_weight
        self.gen_center_heatmap = gen_center_heatmap
        self._sigmas = sigmas

    def _generate(self, num_joints: int, heatmap_size,
                  sigma: Optional[float] = None) -> list:
        sigma = self._sigmas[0] if sigma is None else sigma
        return [
            HeatmapGenerator(s, num_joints, sigma, self.use_udp)
            for s in heatmap_size
        ]

    def _weighted_mask(self, mask: np.ndarray,
                       heatmaps: np.ndarray) -> np.ndarray:
        """``bg_weight`` on the kept background, 1 on kept foreground."""
        kept = np.broadcast_to(np.asarray(mask, np.float32),
                               heatmaps.shape)
        return np.where((heatmaps > 0) & (kept > 0), 1.0,
                        kept * self.bg_weight).astype(np.float32)

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        scales = range(cfg['num_scales'])
        generators = self._generate(cfg['num_joints'], cfg['heatmap_size'])
        targets = [generators[i](results['joints'][i]) for i in scales]
        if self.gen_center_heatmap:
            centers = self._generate(1, cfg['heatmap_size'], self._sigmas[1])
            targets = [
                np.concatenate([centers[i](results['center'][i]), t], axis=0)
                for i, t in zip(scales, targets)
            ]
        results['target'] = targets
        if self.gen_center_heatmap or self.bg_weight != 1:
            results['heatmaps'] = targets
        if self.bg_weight != 1:
            results['masks'] = [
                self._weighted_mask(results['mask'][i], t)
                for i, t in zip(scales, targets)
            ]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sigma={self.sigma}, '
                f'use_udp={self.use_udp}, bg_weight={self.bg_weight}, '
                f'gen_center_heatmap={self.gen_center_heatmap})')


@PIPELINES.register_module()
class BottomUpGenerateTarget:
    """Multi-scale heatmap targets and associative-embedding joint codes.

    Modifies keys: 'targets' (list of ``float32[K, H_s, W_s]``), 'masks'
    (list of float32 masks), 'joints' (list of ``int32[M, K, 2]``).

    Args:
        sigma (int): Gaussian std.
        max_num_people (int): people slots M.
        use_udp (bool): unbiased data processing. Default: False.
    """

    def __init__(self, sigma: float, max_num_people: int,
                 use_udp: bool = False):
        self.sigma = sigma
        self.max_num_people = max_num_people
        self.use_udp = use_udp

    def _generate(self, num_joints: int, heatmap_size):
        heatmap_generators = [
            HeatmapGenerator(s, num_joints, self.sigma, self.use_udp)
            for s in heatmap_size
        ]
        joints_encoders = [
            JointsEncoder(self.max_num_people, num_joints, s, True)
            for s in heatmap_size
        ]
        return heatmap_generators, joints_encoders

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        generators, encoders = self._generate(cfg['num_joints'],
                                              cfg['heatmap_size'])
        masks, joints = results['mask'], results['joints']
        targets = []
        for i in range(cfg['num_scales']):  # a handful of scales
            targets.append(generators[i](joints[i]))
            masks[i] = masks[i].astype(np.float32)
            joints[i] = encoders[i](joints[i]).astype(np.int32)
        results['masks'] = masks
        results['joints'] = joints
        results['targets'] = targets
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sigma={self.sigma}, '
                f'max_num_people={self.max_num_people}, '
                f'use_udp={self.use_udp})')


def zero_based_skeleton(skeleton: Sequence[Sequence[int]], num_joints: int,
                        index_base: Optional[int] = None) -> np.ndarray:
    """Skeleton links as 0-based joint pairs ``int64[L, 2]``.

    MMPose 0.14 numbered the joints of a skeleton from 1 (as its drawing
    code), 0.29 from 0 (``dataset_info``). With ``index_base=None`` the base
    is read from the links: 0 when one uses joint 0, 1 when one uses joint
    ``num_joints``; links using neither are ambiguous and refused.

    Args:
        skeleton (Sequence[Sequence[int]]): Links (L, 2).
        num_joints (int): K.
        index_base (int | None): 0, 1 or None (infer).
    """
    links = np.asarray(skeleton, dtype=np.int64).reshape(-1, 2)
    if links.size == 0:
        return links
    low, high = int(links.min()), int(links.max())
    if index_base is None:
        if low == 0:
            index_base = 0
        elif high == num_joints:
            index_base = 1
        else:
            raise ArgumentError(
                f'skeleton {links.tolist()} of {num_joints} joints could be '
                '0-based (0.29) or 1-based (0.14); pass index_base=0 or 1')
    if index_base not in (0, 1) or low < index_base or \
            high > num_joints - 1 + index_base:
        raise ArgumentError(
            f'skeleton {links.tolist()} does not index {num_joints} joints '
            f'from {index_base} (index_base must be 0 or 1)')
    return links - index_base


@PIPELINES.register_module()
class BottomUpGeneratePAFTarget:
    """Multi-scale part affinity field targets (Cao et al., CVPR 2017).

    Modifies key: 'target' (list of ``float32[2L, H_s, W_s]``).

    Args:
        limb_width (int): limb half width in heatmap cells.
        skeleton (list[list] | None): limbs as joint index pairs; None uses
            ``ann_info['skeleton']``.
        index_base (int | None): Whether the skeleton numbers joints from 0
            (0.29) or 1 (0.14); None infers it (see
            :func:`zero_based_skeleton`).
    """

    def __init__(self,
                 limb_width: float,
                 skeleton: Optional[List[List[int]]] = None,
                 index_base: Optional[int] = None):
        self.limb_width = limb_width
        self.skeleton = skeleton
        self.index_base = index_base

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        skeleton = self.skeleton
        if skeleton is None:
            skeleton = cfg.get('skeleton')
            if skeleton is None:
                raise UnknownNameError('BottomUpGeneratePAFTarget: no '
                                       'skeleton given and ann_info has no '
                                       '"skeleton"')
        links = zero_based_skeleton(skeleton, cfg['num_joints'],
                                    self.index_base)
        results['target'] = [
            PAFGenerator(size, self.limb_width, links)(results['joints'][i])
            for i, size in enumerate(cfg['heatmap_size'][:cfg['num_scales']])
        ]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(limb_width={self.limb_width}, '
                f'skeleton={self.skeleton}, index_base={self.index_base})')


@PIPELINES.register_module()
class BottomUpGetImgSize:
    """Compute the multi-scale test geometry: ``ann_info['base_size']``
    (resized (w, h) at ``current_scale``), 'center', 'scale' and
    'test_scale_factor'.

    Args:
        test_scale_factor (list[float]): test scales.
        current_scale (int): scale for base_size. Default: 1.
        use_udp (bool): unbiased data processing. Default: False.
        base_length (int): sizes are multiples of it (0.29). Default: 64.
    """

    def __init__(self,
                 test_scale_factor: Sequence[float],
                 current_scale: float = 1,
                 use_udp: bool = False,
                 base_length: int = 64):
        self.test_scale_factor = test_scale_factor
        self.min_scale = min(test_scale_factor)
        self.current_scale = current_scale
        self.use_udp = use_udp
        self.base_length = base_length

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        base_size, center, scale = _get_multi_scale_size(
            results['img'], cfg['image_size'], self.current_scale,
            self.min_scale, self.use_udp, self.base_length)
        cfg['test_scale_factor'] = self.test_scale_factor
        cfg['base_size'] = base_size
        cfg['center'] = center
        cfg['scale'] = scale
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(test_scale_factor='
                f'{self.test_scale_factor}, current_scale='
                f'{self.current_scale}, use_udp={self.use_udp}, '
                f'base_length={self.base_length})')


@PIPELINES.register_module()
class BottomUpResizeAlign:
    """Resize the image for every test scale (largest first), run
    ``transforms`` (ToTensor, NormalizeTensor) on each and store the
    ``Tensor[1, C, H, W]`` list in ``ann_info['aug_data']``.

    Args:
        transforms (list): transforms applied to each resized image.
        use_udp (bool): unbiased data processing. Default: False.
        base_length (int): sizes are multiples of it (0.29). Default: 64.
    """

    def __init__(self,
                 transforms: list,
                 use_udp: bool = False,
                 base_length: int = 64):
        self.transforms = Compose(transforms)
        self.use_udp = use_udp
        self.base_length = base_length
        self._resize_align_multi_scale = (
            _resize_align_multi_scale_udp
            if use_udp else _resize_align_multi_scale)

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        if 'test_scale_factor' not in cfg:
            raise UnknownNameError('BottomUpResizeAlign needs '
                                   'ann_info["test_scale_factor"]; run '
                                   'BottomUpGetImgSize first')
        scales = sorted(cfg['test_scale_factor'], reverse=True)
        aug_data = []
        for s in scales:  # a handful of test scales
            _results = results.copy()
            _results['img'], _, _ = self._resize_align_multi_scale(
                results['img'], cfg['image_size'], s, min(scales),
                self.base_length)
            _results = self.transforms(_results)
            aug_data.append(_results['img'].unsqueeze(0))
        cfg['aug_data'] = aug_data
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(transforms={self.transforms}, '
                f'use_udp={self.use_udp}, base_length={self.base_length})')
