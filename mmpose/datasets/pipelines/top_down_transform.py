"""Top-down transforms: box to center/scale, center shift, flip, half-body,
scale/rotation/translation augmentation, the affine crop and target encoding
(heatmaps, combined classification/offset maps, regression)."""
import functools
from typing import Sequence, Tuple, Union

import cv2
import numpy as np

from mmpose.core.bbox import bbox_xywh2cs
from mmpose.core.post_processing import (fliplr_joints, get_affine_transform,
                                         get_warp_matrix, warp_affine_joints)
from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import PIPELINES
from .warp import warp_affine


def _check_joints(joints_3d: np.ndarray, joints_3d_visible: np.ndarray,
                  num_joints: int = None) -> None:
    """Raise a ValueError naming the shapes unless joints are [K, 3]."""
    joints_3d = np.asarray(joints_3d)
    joints_3d_visible = np.asarray(joints_3d_visible)
    if joints_3d.ndim != 2 or joints_3d.shape[1] < 2:
        raise ArgumentError('joints_3d must have shape [K, 3], got '
                            f'{joints_3d.shape}')
    if joints_3d_visible.ndim != 2 or \
            joints_3d_visible.shape[0] != joints_3d.shape[0]:
        raise ArgumentError('joints_3d_visible must have shape [K, 3] '
                            f'matching joints_3d {joints_3d.shape}, got '
                            f'{joints_3d_visible.shape}')
    if num_joints is not None and joints_3d.shape[0] != num_joints:
        raise ArgumentError(f'ann_info["num_joints"] is {num_joints} but '
                            f'joints_3d has {joints_3d.shape[0]} joints')


def _flip_image(img: np.ndarray) -> np.ndarray:
    """Mirror an image or mask ``[H, W, ...]`` left-right into a contiguous
    array (OpenCV for up to 4 channels of the types it takes; NumPy for
    boolean masks and more channels)."""
    if img.dtype == np.bool_ or (img.ndim == 3 and img.shape[2] > 4):
        return np.ascontiguousarray(img[:, ::-1])
    return cv2.flip(img, 1)


@PIPELINES.register_module()
class TopDownGetBboxCenterScale:
    """Box ``[x, y, w, h]`` -> ``center`` (2,) and ``scale`` (2,) (0.29).

    The box is fitted to the aspect ratio of ``ann_info['image_size']`` and
    padded (see :func:`mmpose.core.bbox.bbox_xywh2cs`). The box wins over a
    ``center``/``scale`` already in the sample (the datasets here give both:
    ``center``/``scale`` for 0.14 pipelines, ``bbox`` for 0.29 ones); a
    sample without a box keeps its ``center`` and gets ``scale * padding``,
    as in 0.29.

    Required keys: 'bbox' (or 'center' and 'scale') and 'ann_info'.
    Modifies keys: 'center' and 'scale'.

    Args:
        padding (float): Factor applied to the box size. Default: 1.25.
    """

    #: Scale unit in pixels.
    pixel_std: float = 200.0

    def __init__(self, padding: float = 1.25):
        self.padding = padding

    def __call__(self, results: dict) -> dict:
        if results.get('bbox') is not None:
            image_size = results['ann_info']['image_size']
            results['center'], results['scale'] = bbox_xywh2cs(
                results['bbox'], image_size[0] / image_size[1],
                self.padding, self.pixel_std)
        elif 'center' in results and 'scale' in results:
            results['scale'] = np.asarray(results['scale']) * self.padding
        else:
            raise UnknownNameError('TopDownGetBboxCenterScale needs '
                                   'results["bbox"] or results["center"] and '
                                   'results["scale"]; got keys '
                                   f'{sorted(results)}')
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(padding={self.padding})'


@PIPELINES.register_module()
class TopDownRandomShiftBboxCenter:
    """Randomly shift the box center by up to ``shift_factor`` times the box
    size in each direction (0.29).

    Required keys: 'center' and 'scale'. Modifies key: 'center'.

    Args:
        shift_factor (float): Largest shift as a fraction of ``scale *
            pixel_std``. Default: 0.16.
        prob (float): Probability of shifting. Default: 0.3.
    """

    #: Scale unit in pixels.
    pixel_std: float = 200.0

    def __init__(self, shift_factor: float = 0.16, prob: float = 0.3):
        self.shift_factor = shift_factor
        self.prob = prob

    def __call__(self, results: dict) -> dict:
        if np.random.rand() < self.prob:
            center = np.array(results['center'])  # a copy, same dtype
            center += np.random.uniform(-1, 1, 2) * self.shift_factor * \
                np.asarray(results['scale']) * self.pixel_std
            results['center'] = center
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(shift_factor={self.shift_factor}'
                f', prob={self.prob})')


@PIPELINES.register_module()
class TopDownRandomFlip:
    """Random horizontal flip of the image, joints and bbox center.

    Required keys: 'img', 'joints_3d', 'joints_3d_visible', 'center' and
    'ann_info' (with 'flip_pairs'). Modifies keys: 'img', 'joints_3d',
    'joints_3d_visible', 'center' and 'flipped'.

    Args:
        flip_prob (float): probability of flipping. Default: 0.5.
    """

    def __init__(self, flip_prob: float = 0.5):
        self.flip_prob = flip_prob

    def __call__(self, results: dict) -> dict:
        img = results['img']
        flipped = False
        if np.random.rand() <= self.flip_prob:
            flipped = True
            if isinstance(img, (list, tuple)):
                img = [_flip_image(i) for i in img]
                width = img[0].shape[1]
            else:
                img = _flip_image(img)
                width = img.shape[1]
            joints_3d, joints_3d_visible = fliplr_joints(
                results['joints_3d'], results['joints_3d_visible'], width,
                results['ann_info']['flip_pairs'])
            center = np.array(results['center'], dtype=np.float64)
            center[0] = width - center[0] - 1
            results['joints_3d'] = joints_3d
            results['joints_3d_visible'] = joints_3d_visible
            results['center'] = center
            results['img'] = img
        results['flipped'] = flipped
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(flip_prob={self.flip_prob})'


@PIPELINES.register_module()
class TopDownHalfBodyTransform:
    """Randomly re-center the box on the upper or the lower body.

    Required keys: 'joints_3d', 'joints_3d_visible' and 'ann_info' (with
    'upper_body_ids', 'num_joints', 'image_size'). Modifies keys: 'scale'
    and 'center'.

    Args:
        num_joints_half_body (int): apply only when more than this many
            joints are visible. Default: 8.
        prob_half_body (float): probability of the transform. Default: 0.3.
    """

    def __init__(self, num_joints_half_body: int = 8,
                 prob_half_body: float = 0.3):
        self.num_joints_half_body = num_joints_half_body
        self.prob_half_body = prob_half_body

    @staticmethod
    def half_body_transform(cfg: dict, joints_3d: np.ndarray,
                            joints_3d_visible: np.ndarray):
        """Center ``[2]`` and scale ``[2]`` of the box around the visible
        joints of one half of the body, or ``(None, None)`` when fewer than
        two joints are left."""
        num_joints = cfg['num_joints']
        visible = np.asarray(joints_3d_visible)[:num_joints, 0] > 0
        is_upper = np.zeros(num_joints, dtype=bool)
        is_upper[np.asarray(cfg['upper_body_ids'], dtype=np.int64)] = True
        upper_joints = joints_3d[:num_joints][visible & is_upper]
        lower_joints = joints_3d[:num_joints][visible & ~is_upper]

        # The original draws from a normal distribution here (randn < 0.5,
        # i.e. upper body ~69% of the time); kept for the same statistics.
        if np.random.randn() < 0.5 and len(upper_joints) > 2:
            selected = upper_joints
        elif len(lower_joints) > 2:
            selected = lower_joints
        else:
            selected = upper_joints
        if len(selected) < 2:
            return None, None

        selected = np.asarray(selected, dtype=np.float32)
        center = selected.mean(axis=0)[:2]
        left_top = selected.min(axis=0)
        right_bottom = selected.max(axis=0)
        w = right_bottom[0] - left_top[0]
        h = right_bottom[1] - left_top[1]
        aspect_ratio = cfg['image_size'][0] / cfg['image_size'][1]
        if w > aspect_ratio * h:
            h = w * 1.0 / aspect_ratio
        elif w < aspect_ratio * h:
            w = h * aspect_ratio
        scale = np.array([w / 200.0, h / 200.0], dtype=np.float32) * 1.5
        return center, scale

    def __call__(self, results: dict) -> dict:
        joints_3d = results['joints_3d']
        joints_3d_visible = results['joints_3d_visible']
        if (np.sum(joints_3d_visible[:, 0]) > self.num_joints_half_body
                and np.random.rand() < self.prob_half_body):
            center, scale = self.half_body_transform(results['ann_info'],
                                                     joints_3d,
                                                     joints_3d_visible)
            if center is not None and scale is not None:
                results['center'] = center
                results['scale'] = scale
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_joints_half_body='
                f'{self.num_joints_half_body}, prob_half_body='
                f'{self.prob_half_body})')


@PIPELINES.register_module()
class TopDownGetRandomScaleRotation:
    """Random scaling and rotation of the box.

    Scale factor ``clip(N(1, sf), 1 - sf, 1 + sf)``; rotation
    ``clip(N(0, rf), -2 rf, 2 rf)`` degrees with probability ``rot_prob``,
    else 0.

    Required key: 'scale'. Modifies keys: 'scale' and 'rotation'.

    Args:
        rot_factor (int): rotation std in degrees. Default: 40.
        scale_factor (float): scale std. Default: 0.5.
        rot_prob (float): probability of rotating. Default: 0.6.
    """

    def __init__(self, rot_factor: float = 40, scale_factor: float = 0.5,
                 rot_prob: float = 0.6):
        self.rot_factor = rot_factor
        self.scale_factor = scale_factor
        self.rot_prob = rot_prob

    def __call__(self, results: dict) -> dict:
        sf, rf = self.scale_factor, self.rot_factor
        s_factor = np.clip(np.random.randn() * sf + 1, 1 - sf, 1 + sf)
        r_factor = np.clip(np.random.randn() * rf, -rf * 2, rf * 2)
        rotation = r_factor if np.random.rand() <= self.rot_prob else 0
        results['scale'] = results['scale'] * s_factor
        results['rotation'] = rotation
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(rot_factor={self.rot_factor}, '
                f'scale_factor={self.scale_factor}, '
                f'rot_prob={self.rot_prob})')


@PIPELINES.register_module()
class TopDownRandomTranslation:
    """Random shift of the box center by up to ``trans_factor`` of the box
    size: ``center + trans_factor * U(-1, 1)^2 * [W, H]`` (W, H = 200 *
    scale).

    Required keys: 'scale' and 'center'. Modifies key: 'center'.

    Args:
        trans_factor (float): maximum shift relative to the box size.
            Default: 0.15.
    """

    def __init__(self, trans_factor: float = 0.15):
        self.trans_factor = trans_factor

    def __call__(self, results: dict) -> dict:
        shift = self.trans_factor * np.random.uniform(-1, 1, size=2)
        results['center'] = (results['center'] +
                             shift * np.asarray(results['scale']) * 200)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(trans_factor={self.trans_factor})'


@PIPELINES.register_module()
class TopDownAffine:
    """Crop the box (center, scale, rotation) to ``ann_info['image_size']``
    with an affine warp, and move the joints with it.

    Without UDP only visible joints are transformed (invisible ones keep
    their coordinates); with UDP every joint is.

    Required keys: 'img', 'joints_3d', 'joints_3d_visible', 'ann_info',
    'scale', 'rotation' and 'center'. Modifies keys: 'img', 'joints_3d'.

    Args:
        use_udp (bool): unbiased data processing (Huang et al., CVPR 2020).
            Default: False.
    """

    def __init__(self, use_udp: bool = False):
        self.use_udp = use_udp

    def __call__(self, results: dict) -> dict:
        image_size = np.asarray(results['ann_info']['image_size'])
        out_wh = (int(image_size[0]), int(image_size[1]))
        img = results['img']
        joints_3d = np.array(results['joints_3d'], copy=True)
        visible = np.asarray(results['joints_3d_visible'])
        _check_joints(joints_3d, visible)
        c, s = np.asarray(results['center']), np.asarray(results['scale'])
        r = results['rotation']

        if self.use_udp:
            trans = get_warp_matrix(r, c * 2.0, image_size - 1.0, s * 200.0)
        else:
            trans = get_affine_transform(c, s, r, image_size)

        def warp(im):
            return warp_affine(im, trans, out_wh, flags=cv2.INTER_LINEAR)

        if isinstance(img, (list, tuple)):
            img = [warp(i) for i in img]
        else:
            img = warp(img)

        moved = warp_affine_joints(joints_3d[:, 0:2].copy(), trans)
        if self.use_udp:
            joints_3d[:, 0:2] = moved
        else:
            keep = visible[:, 0] > 0.0
            joints_3d[keep, 0:2] = moved[keep]

        results['img'] = img
        results['joints_3d'] = joints_3d
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(use_udp={self.use_udp})'


def _gaussian_exponent(d2: np.ndarray, sigma: float) -> np.ndarray:
    """``exp(-d2 / (2 sigma^2))`` in float32, rounded as the 0.x code does
    (a float32 division by ``2 sigma^2``, not a multiplication by its
    reciprocal), so that the heatmaps match it bit for bit."""
    return np.exp(np.divide(d2, np.float32(-2 * sigma**2), out=d2), out=d2)


@functools.lru_cache(maxsize=32)
def _window_offsets(tmp_size: float) -> np.ndarray:
    """``float64[2, 1]``: ``[-tmp_size, tmp_size + 1]``, added to a joint on
    the grid to get its window corners ``ul`` and ``br`` (then truncated
    towards zero like the 0.x ``int()``)."""
    offsets = np.array([[-tmp_size], [tmp_size + 1]], dtype=np.float64)
    offsets.flags.writeable = False
    return offsets


@functools.lru_cache(maxsize=32)
def _gaussian_patches(sigma: float, num_joints: int) -> np.ndarray:
    """The unnormalised MSRA Gaussian, ``n = ceil(6 sigma + 1)`` cells a
    side and peaking at 1 on cell ``(6 sigma + 1) // 2``, repeated for
    each joint: ``float32[K, n, n]``, computed once per (sigma, K) and
    shared read-only."""
    size = 2 * sigma * 3 + 1
    d = np.arange(0, size, 1, np.float32) - np.float32(size // 2)
    d2 = d * d
    patch = _gaussian_exponent(d2[:, None] + d2[None, :], sigma)
    patches = np.repeat(patch[None], num_joints, axis=0)
    patches.flags.writeable = False
    return patches


@functools.lru_cache(maxsize=32)
def _paste_layout(K: int, H: int, W: int):
    """Constants of :func:`_paste_windows` for ``K`` maps of ``H x W``:
    the (x, y) multipliers ``int64[1, 2, 1]`` and the map offsets
    ``int64[K, 2, 1]`` that turn cell coordinates into flat indices."""
    scale = np.array([1, W], dtype=np.int64).reshape(1, 2, 1)
    offset = np.zeros((K, 2, 1), dtype=np.int64)
    offset[:, 1, 0] = np.arange(K) * (H * W)
    return scale, offset


def _paste_windows(W: int, H: int, ul: np.ndarray, br: np.ndarray,
                   patches: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """Paste one ``n x n`` patch per joint into zero heatmaps.

    Patch k goes with its top-left cell on ``ul_k`` and is clipped to the
    map and to the window ``[ul_k, br_k)``; joints not in ``draw`` keep an
    empty map. The flat index of a cell is the sum of a row part and a
    column part; a clipped row or column gets the part ``K * H * W``, which
    sends the cell to a spare last element of the flat buffer, so that all
    patches go in with a single fancy-indexed store.

    Args:
        W, H (int): heatmap width and height.
        ul, br (np.ndarray[K, 2]): int64 window corners (x, y).
        patches (np.ndarray[K, n, n]): float32, one patch per joint.
        draw (np.ndarray[K]): bool, the joints to draw.

    Returns:
        np.ndarray[K, H, W] (float32)
    """
    K = len(ul)
    spare = K * H * W
    scale, offset = _paste_layout(K, H, W)
    cells = ul[:, :, None] + np.arange(patches.shape[-1])  # [K, 2 (x, y), n]
    stop = np.minimum(br, (W, H))
    stop *= draw[:, None]  # stop 0: no cell of an undrawn joint is inside
    # One unsigned comparison tests 0 <= cell < stop (stop >= 0 here:
    # drawn windows reach the map).
    inside = cells.view(np.uint64) < stop.view(np.uint64)[:, :, None]
    part = np.where(inside, cells * scale + offset, spare)
    index = part[:, 1, :, None] + part[:, 0, None, :]  # [K, n (y), n (x)]
    flat = np.zeros(spare + 1, dtype=np.float32)
    flat[np.minimum(index, spare, out=index)] = patches
    return flat[:spare].reshape(K, H, W)


def _pad_joints(target: np.ndarray, target_weight: np.ndarray,
                max_num_joints: int,
                channels_per_joint: int) -> Tuple[np.ndarray, np.ndarray]:
    """Zero targets and weights for joints ``K..max_num_joints - 1``
    (ViTPose+ batches samples of datasets with different K).

    Args:
        target (np.ndarray[..., C, H, W]): ``C = channels_per_joint * K``.
        target_weight (np.ndarray[..., K, 1]): Joint weights.
        max_num_joints (int): Joints after padding (>= K).
        channels_per_joint (int): 1, or 3 for CombinedTarget.

    Returns:
        tuple: target ``[..., channels_per_joint * max_num_joints, H, W]``
        and target_weight ``[..., max_num_joints, 1]``.
    """
    num_joints = target_weight.shape[-2]
    missing = int(max_num_joints) - num_joints
    if missing < 0:
        raise ArgumentError(f'max_num_joints ({max_num_joints}) must be at '
                            f'least num_joints ({num_joints})')
    target_pad = [(0, 0)] * target.ndim
    target_pad[-3] = (0, missing * channels_per_joint)
    weight_pad = [(0, 0)] * target_weight.ndim
    weight_pad[-2] = (0, missing)
    return np.pad(target, target_pad), np.pad(target_weight, weight_pad)


@PIPELINES.register_module()
class TopDownGenerateTarget:
    """Encode the joints as target heatmaps.

    Encodings:

    - 'MSRA': a Gaussian (std ``sigma``) around the joint rounded to the
      heatmap grid, truncated at 3 sigma; with ``unbiased_encoding`` (DARK,
      Zhang et al., CVPR 2020) an untruncated Gaussian at the sub-pixel
      location.
    - 'Megvii': a one-hot map blurred by a Gaussian ``kernel`` and scaled to
      a peak of 255.
    - 'UDP' (Huang et al., CVPR 2020): with ``target_type='GaussianHeatMap'``
      a sub-pixel Gaussian truncated at 3 sigma; with ``'CombinedTarget'``
      a disc of radius ``valid_radius_factor * H`` plus x/y offset maps.

    ``sigma`` (MSRA/UDP Gaussian), ``kernel`` (Megvii) or
    ``valid_radius_factor`` (CombinedTarget) may be a list to get one target
    per value stacked on a new first axis.

    ViTPose+ (the fork's ``data_cfg`` keys, copied into ``ann_info`` by the
    dataset): with ``max_num_joints`` the target and weights are padded
    with zeros to that many joints; with ``max_num_joints`` or
    ``dataset_idx`` the results get ``'dataset_idx'`` (default 0), the
    index of the sample's dataset (its head and experts in TopDownMoE).

    Required keys: 'joints_3d', 'joints_3d_visible', 'ann_info'. Modifies
    keys: 'target' (``np.ndarray[K, H, W]``, ``[3K, H, W]`` for
    CombinedTarget) and 'target_weight' (``np.ndarray[K, 1]``); adds
    'dataset_idx' as above.

    Args:
        sigma: Gaussian std in heatmap pixels. Default: 2.
        kernel: Megvii blur kernel (w, h). Default: (11, 11).
        valid_radius_factor (float): CombinedTarget radius relative to the
            heatmap height. Default: 0.0546875.
        target_type (str): 'GaussianHeatMap' or 'CombinedTarget' (UDP).
        encoding (str): 'MSRA', 'Megvii' or 'UDP'. Default: 'MSRA'.
        unbiased_encoding (bool): DARK encoding for MSRA. Default: False.
    """

    def __init__(self,
                 sigma: Union[float, Sequence[float]] = 2,
                 kernel: Union[Tuple[int, int], Sequence] = (11, 11),
                 valid_radius_factor: Union[float,
                                            Sequence[float]] = 0.0546875,
                 target_type: str = 'GaussianHeatMap',
                 encoding: str = 'MSRA',
                 unbiased_encoding: bool = False):
        if encoding not in ('MSRA', 'Megvii', 'UDP'):
            raise ArgumentError(f'Encoding approach {encoding!r} is not '
                                "supported; use 'MSRA', 'Megvii' or 'UDP'")
        if target_type.lower() not in ('gaussianheatmap', 'combinedtarget'):
            raise ArgumentError(f'target_type {target_type!r} is not '
                                "supported; use 'GaussianHeatMap' or "
                                "'CombinedTarget'")
        if encoding != 'UDP' and target_type.lower() == 'combinedtarget':
            raise ArgumentError("target_type='CombinedTarget' needs "
                                "encoding='UDP'")
        self.sigma = sigma
        self.unbiased_encoding = unbiased_encoding
        self.kernel = kernel
        self.valid_radius_factor = valid_radius_factor
        self.target_type = target_type
        self.encoding = encoding

    # ------------------------------------------------------------ helpers
    @staticmethod
    def _geometry(cfg: dict):
        image_size = np.asarray(cfg['image_size'], dtype=np.float64)
        heatmap_size = cfg['heatmap_size']
        return image_size, int(heatmap_size[0]), int(heatmap_size[1])

    @staticmethod
    def _apply_joint_weights(cfg: dict, target_weight: np.ndarray):
        if cfg.get('use_different_joint_weights', False):
            weights = np.asarray(cfg['joint_weights'], dtype=np.float32)
            target_weight = np.multiply(target_weight,
                                        weights.reshape(-1, 1))
        return target_weight

    # ------------------------------------------------------------ encoders
    def _msra_generate_target(self, cfg: dict, joints_3d: np.ndarray,
                              joints_3d_visible: np.ndarray, sigma: float):
        """MSRA / DARK Gaussian heatmaps.

        Returns:
            tuple: target ``float32[K, H, W]``, target_weight
            ``float32[K, 1]``.
        """
        image_size, W, H = self._geometry(cfg)
        # float32 joints over float64 strides: float64 as in 0.x
        mu_f = joints_3d[:, :2] / (image_size / (W, H))
        tmp_size = sigma * 3
        target_weight = joints_3d_visible[:, 0:1].astype(np.float32)

        if self.unbiased_encoding:
            ul = mu_f - tmp_size
            br = mu_f + tmp_size + 1
            outside = ((ul[:, 0] >= W) | (ul[:, 1] >= H) | (br[:, 0] < 0) |
                       (br[:, 1] < 0))
            target_weight[outside] = 0
            draw = target_weight[:, 0] > 0.5
            # Whole-map Gaussians at the sub-pixel joint, float32 throughout
            # (the joint rounded to float32, as the 0.x code subtracts it
            # from a float32 grid).
            mu = mu_f[draw].astype(np.float32)
            dx = np.arange(W, dtype=np.float32) - mu[:, 0:1]
            dy = np.arange(H, dtype=np.float32) - mu[:, 1:2]
            d2 = (dx * dx)[:, None, :] + (dy * dy)[:, :, None]
            target = np.zeros((len(mu_f), H, W), dtype=np.float32)
            target[draw] = _gaussian_exponent(d2, sigma)
        else:
            # int() truncation towards zero, as in the 0.x encoding:
            # window [ul, br) around the joint rounded to the grid
            mu = (mu_f + 0.5).astype(np.int64)
            window = (mu[:, None] + _window_offsets(tmp_size)).astype(np.int64)
            ul, br = window[:, 0], window[:, 1]
            outside = ((ul >= (W, H)) | (br < 0)).any(axis=1)
            target_weight[outside] = 0
            draw = target_weight[:, 0] > 0.5
            target = _paste_windows(W, H, ul, br,
                                    _gaussian_patches(sigma, len(ul)), draw)

        target_weight = self._apply_joint_weights(cfg, target_weight)
        return target, target_weight

    def _megvii_generate_target(self, cfg: dict, joints_3d: np.ndarray,
                                joints_3d_visible: np.ndarray,
                                kernel: Sequence[int]):
        """Megvii blurred one-hot heatmaps peaking at 255.

        Returns:
            tuple: target ``float32[K, H, W]``, target_weight
            ``float32[K, 1]``.
        """
        image_size, W, H = self._geometry(cfg)
        K = joints_3d.shape[0]
        kw, kh = int(kernel[0]), int(kernel[1])
        target_weight = joints_3d_visible[:, 0:1].astype(np.float32)
        tx = np.trunc(joints_3d[:, 0] * W / image_size[0]).astype(np.int64)
        ty = np.trunc(joints_3d[:, 1] * H / image_size[1]).astype(np.int64)
        inside = (tx >= 0) & (tx < W) & (ty >= 0) & (ty < H)
        target_weight[(target_weight[:, 0] >= 1) & ~inside] = 0
        draw = target_weight[:, 0] >= 1
        rows = np.arange(K)

        # The 2-D blur of a one-hot map is separable: the outer product of
        # the 1-D blurs of one-hot rows (same border reflection).
        ex = np.zeros((K, W), dtype=np.float32)
        ey = np.zeros((K, H), dtype=np.float32)
        ex[rows[draw], tx[draw]] = 1
        ey[rows[draw], ty[draw]] = 1
        ex = cv2.GaussianBlur(ex, (kw, 1), 0).reshape(K, W)
        ey = cv2.GaussianBlur(ey, (kh, 1), 0).reshape(K, H)
        target = ey[:, :, None] * ex[:, None, :]
        peak = np.ones(K, dtype=np.float32)
        peak[draw] = target[rows[draw], ty[draw], tx[draw]]
        target = target / (peak / np.float32(255))[:, None, None]
        target[~draw] = 0
        return target.astype(np.float32), target_weight

    def _udp_generate_target(self, cfg: dict, joints_3d: np.ndarray,
                             joints_3d_visible: np.ndarray, factor: float,
                             target_type: str):
        """UDP Gaussian heatmaps or combined classification/offset maps.

        Returns:
            tuple: target ``float32[K, H, W]`` (``[3K, H, W]`` for
            CombinedTarget), target_weight ``float32[K, 1]``.
        """
        image_size, W, H = self._geometry(cfg)
        K = joints_3d.shape[0]
        target_weight = joints_3d_visible[:, 0:1].astype(np.float32)
        stride = (image_size - 1.0) / (np.array([W, H], np.float64) - 1.0)
        mu_f = joints_3d[:, :2].astype(np.float64) / stride

        if target_type.lower() == 'gaussianheatmap':
            tmp_size = factor * 3
            size = 2 * tmp_size + 1
            n = int(np.ceil(size))
            mu = (mu_f + 0.5).astype(np.int64)  # int() as in 0.x
            window = (mu[:, None] + _window_offsets(tmp_size)).astype(np.int64)
            ul, br = window[:, 0], window[:, 1]
            outside = ((ul >= (W, H)) | (br < 0)).any(axis=1)
            target_weight[outside] = 0
            draw = target_weight[:, 0] > 0.5
            # One patch per joint: the Gaussian centre is moved by the
            # sub-pixel rest of the joint, rounded to float32 as in 0.x.
            center = (size // 2 + (mu_f - mu)).astype(np.float32)
            steps = np.arange(n, dtype=np.float32)
            dx = steps - center[:, 0:1]
            dy = steps - center[:, 1:2]
            d2 = (dx * dx)[:, None, :] + (dy * dy)[:, :, None]
            target = _paste_windows(W, H, ul, br,
                                    _gaussian_exponent(d2, factor), draw)
        else:
            valid_radius = factor * H
            xs = np.arange(W, dtype=np.float64)
            ys = np.arange(H, dtype=np.float64)
            x_off = (mu_f[:, 0, None, None] - xs[None, None, :]) / valid_radius
            y_off = (mu_f[:, 1, None, None] - ys[None, :, None]) / valid_radius
            x_off = np.broadcast_to(x_off, (K, H, W))
            y_off = np.broadcast_to(y_off, (K, H, W))
            keep = (x_off**2 + y_off**2 <= 1) & (target_weight[:, 0] >
                                                 0.5)[:, None, None]
            target = np.zeros((K, 3, H, W), dtype=np.float32)
            target[:, 0] = keep
            target[:, 1] = np.where(keep, x_off, 0)
            target[:, 2] = np.where(keep, y_off, 0)
            target = target.reshape(K * 3, H, W)

        target_weight = self._apply_joint_weights(cfg, target_weight)
        return target, target_weight

    # ------------------------------------------------------------ call
    @staticmethod
    def _is_multi(value, depth: int) -> bool:
        """Whether ``value`` lists several settings (kernels are pairs, so
        a list of kernels is a list of sequences)."""
        if depth == 0:
            return isinstance(value, (list, tuple))
        return isinstance(value, (list, tuple)) and len(value) > 0 and \
            isinstance(value[0], (list, tuple))

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        joints_3d = np.asarray(results['joints_3d'])
        joints_3d_visible = np.asarray(results['joints_3d_visible'])
        _check_joints(joints_3d, joints_3d_visible, cfg.get('num_joints'))

        if self.encoding == 'MSRA':
            values, multi = self.sigma, self._is_multi(self.sigma, 0)

            def encode(v):
                return self._msra_generate_target(cfg, joints_3d,
                                                  joints_3d_visible, v)
        elif self.encoding == 'Megvii':
            values, multi = self.kernel, self._is_multi(self.kernel, 1)

            def encode(v):
                return self._megvii_generate_target(cfg, joints_3d,
                                                    joints_3d_visible, v)
        else:
            if self.target_type.lower() == 'combinedtarget':
                values = self.valid_radius_factor
            else:
                values = self.sigma
            multi = self._is_multi(values, 0)

            def encode(v):
                return self._udp_generate_target(cfg, joints_3d,
                                                 joints_3d_visible, v,
                                                 self.target_type)

        if multi:
            outs = [encode(v) for v in values]  # one pass per setting
            target = np.stack([o[0] for o in outs]).astype(np.float32)
            target_weight = np.stack([o[1]
                                      for o in outs]).astype(np.float32)
        else:
            target, target_weight = encode(values)
        if cfg.get('max_num_joints') is not None:
            combined = self.target_type.lower() == 'combinedtarget'
            per_joint = 3 if combined else 1
            target, target_weight = _pad_joints(target, target_weight,
                                                cfg['max_num_joints'],
                                                per_joint)
        if 'dataset_idx' in cfg or 'max_num_joints' in cfg:
            results['dataset_idx'] = cfg.get('dataset_idx', 0)
        results['target'] = target
        results['target_weight'] = target_weight
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sigma={self.sigma}, '
                f'kernel={self.kernel}, valid_radius_factor='
                f'{self.valid_radius_factor}, target_type='
                f"'{self.target_type}', encoding='{self.encoding}', "
                f'unbiased_encoding={self.unbiased_encoding})')


@PIPELINES.register_module()
class TopDownGenerateTargetRegression:
    """Encode the joints as coordinates normalised by the input size.

    Joints outside the input image get zero weight.

    Required keys: 'joints_3d', 'joints_3d_visible', 'ann_info'. Modifies
    keys: 'target' (``float32[K, 2]``) and 'target_weight'
    (``float32[K, 2]``).
    """

    def _generate_target(self, cfg: dict, joints_3d: np.ndarray,
                         joints_3d_visible: np.ndarray):
        image_size = np.asarray(cfg['image_size'])
        x, y = joints_3d[:, 0], joints_3d[:, 1]
        inside = ((x >= 0) & (x <= image_size[0] - 1) & (y >= 0) &
                  (y <= image_size[1] - 1))
        target = (joints_3d[:, :2] / image_size).astype(np.float32)
        target_weight = joints_3d_visible[:, :2] * inside[:, None]
        if cfg.get('use_different_joint_weights', False):
            target_weight = np.multiply(
                target_weight,
                np.asarray(cfg['joint_weights']).reshape(-1, 1))
        return target, target_weight.astype(np.float32)

    def __call__(self, results: dict) -> dict:
        joints_3d = np.asarray(results['joints_3d'])
        joints_3d_visible = np.asarray(results['joints_3d_visible'])
        _check_joints(joints_3d, joints_3d_visible)
        target, target_weight = self._generate_target(results['ann_info'],
                                                      joints_3d,
                                                      joints_3d_visible)
        results['target'] = target
        results['target_weight'] = target_weight
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
