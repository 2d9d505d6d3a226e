"""Decoding of top-down heatmaps and regression outputs into image
keypoints: argmax, the +/-0.25 shift, DARK, MEGVII and UDP refinements.

Note:
    batch_size: N, num_keypoints: K, heatmap height: H, heatmap width: W
"""
import warnings
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np

from mmpose.core.post_processing._checks import (check_array,
                                                 check_same_leading)
from mmpose.core.post_processing.post_transforms import transform_preds_batch
from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

__all__ = [
    'get_max_preds', 'get_max_preds_3d', 'gaussian_blur_maps', 'post_dark_udp',
    'keypoints_from_heatmaps', 'keypoints_from_regression',
    'keypoints_from_heatmaps3d'
]

_POST_PROCESS = (None, 'default', 'unbiased', 'megvii')


def get_max_preds(heatmaps: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Location and value of the maximum of every heatmap.

    Args:
        heatmaps (np.ndarray[N, K, H, W]): Heatmaps.

    Returns:
        tuple: ``preds`` (np.ndarray[N, K, 2], float32 (x, y); -1 where the
        maximum is not positive) and ``maxvals`` (np.ndarray[N, K, 1]).
    """
    return _argmax_preds(heatmaps, 4, '[N, K, H, W]')


def get_max_preds_3d(heatmaps: np.ndarray
                     ) -> Tuple[np.ndarray, np.ndarray]:
    """Location and value of the maximum of every 3D heatmap.

    Args:
        heatmaps (np.ndarray[N, K, D, H, W]): Volumetric heatmaps.

    Returns:
        tuple: ``preds`` (np.ndarray[N, K, 3], float32 (x, y, z); -1 where
        the maximum is not positive) and ``maxvals`` (np.ndarray[N, K, 1]).
    """
    return _argmax_preds(heatmaps, 5, '[N, K, D, H, W]')


def _argmax_preds(heatmaps: np.ndarray, ndim: int,
                  layout: str) -> Tuple[np.ndarray, np.ndarray]:
    """Argmax location (x, y[, z]) and value of every map of ``heatmaps``
    (np.ndarray[N, K, *S] of ``ndim`` dims, described by ``layout``)."""
    if not isinstance(heatmaps, np.ndarray):
        raise ArgumentTypeError(f'heatmaps should be a numpy.ndarray '
                                f'{layout}, got {type(heatmaps).__name__}')
    heatmaps = check_array('heatmaps', heatmaps, ndim=ndim, expected=layout)
    N, K = heatmaps.shape[:2]
    flat = heatmaps.reshape(N, K, -1)
    idx = np.argmax(flat, axis=2)[..., None]
    maxvals = np.take_along_axis(flat, idx, axis=2)
    # Unravel to (..., y, x) and reverse to x first.
    coords = np.unravel_index(idx[..., 0], heatmaps.shape[2:])[::-1]
    preds = np.stack(coords, axis=2).astype(np.float32)
    preds = np.where(maxvals > 0.0, preds, np.float32(-1))
    return preds, maxvals


def _gaussian_blur(heatmaps: np.ndarray, kernel: int = 11) -> np.ndarray:
    """Modulate heatmaps in place (0.x helper): zero-padded Gaussian blur,
    rescaled to each map's original maximum.

    Args:
        heatmaps (np.ndarray[N, K, H, W]): Heatmaps, overwritten.
        kernel (int): Odd Gaussian kernel size; 17 for sigma=3, 11 for
            sigma=2.

    Returns:
        np.ndarray[N, K, H, W]: ``heatmaps``, modulated.
    """
    heatmaps[...] = _blur_keep_max(heatmaps, kernel)
    return heatmaps


def gaussian_blur_maps(maps: np.ndarray,
                       kernel: int,
                       zero_border: bool = False) -> np.ndarray:
    """``cv2.GaussianBlur(map, (kernel, kernel), 0)`` of every map.

    All maps are padded by ``kernel // 2`` and stacked into one tall image,
    so one OpenCV call blurs them all with the result of separate calls.

    Args:
        maps (np.ndarray[..., H, W]): Maps (blurred in float32).
        kernel (int): Odd kernel size.
        zero_border (bool): Pad with zeros instead of reflecting the map
            (OpenCV's default ``BORDER_REFLECT_101``).

    Returns:
        np.ndarray[..., H, W]: Blurred maps (float32).
    """
    if kernel % 2 != 1 or kernel < 1:
        raise ArgumentError(f'kernel should be a positive odd number, got '
                            f'{kernel}')
    maps = np.asarray(maps, dtype=np.float32)
    H, W = maps.shape[-2:]
    b = kernel // 2
    flat = maps.reshape(-1, H, W)
    if len(flat) == 0 or b == 0:
        return maps.copy()
    padded = np.pad(flat, ((0, 0), (b, b), (b, b)),
                    mode='constant' if zero_border else 'reflect')
    tall = np.ascontiguousarray(padded.reshape(-1, W + 2 * b))
    blurred = cv2.GaussianBlur(tall, (kernel, kernel), 0)
    blurred = blurred.reshape(-1, H + 2 * b, W + 2 * b)[:, b:b + H, b:b + W]
    return blurred.reshape(maps.shape)


def _blur_keep_max(heatmaps: np.ndarray, kernel: int) -> np.ndarray:
    """Zero-padded Gaussian blur, rescaled to each map's original maximum
    (the modulation of DARK and MEGVII).

    Args:
        heatmaps (np.ndarray[N, K, H, W]): Heatmaps.
        kernel (int): Odd kernel size.

    Returns:
        np.ndarray[N, K, H, W]: Blurred heatmaps (float32).
    """
    heatmaps = heatmaps.astype(np.float32, copy=False)
    origin_max = heatmaps.max(axis=(2, 3))
    blurred = gaussian_blur_maps(heatmaps, kernel, zero_border=True)
    with np.errstate(divide='ignore', invalid='ignore'):
        factor = origin_max / blurred.max(axis=(2, 3))
    return blurred * factor[..., None, None]


def _nk_index(N: int, K: int) -> Tuple[np.ndarray, np.ndarray]:
    """Broadcastable batch and keypoint indices (np.ndarray[N, 1], [1, K])."""
    return np.arange(N)[:, None], np.arange(K)[None, :]


def _shift_quarter(preds: np.ndarray, heatmaps: np.ndarray,
                   megvii: bool) -> np.ndarray:
    """Move each prediction 0.25 px towards its higher neighbour (and 0.5 px
    more for MEGVII) where all 4 neighbours are inside the map."""
    N, K, H, W = heatmaps.shape
    px = preds[..., 0].astype(np.int64)
    py = preds[..., 1].astype(np.int64)
    inside = (px > 1) & (px < W - 1) & (py > 1) & (py < H - 1)
    px = np.clip(px, 1, W - 2)
    py = np.clip(py, 1, H - 2)
    n, k = _nk_index(N, K)
    diff = np.stack([
        heatmaps[n, k, py, px + 1] - heatmaps[n, k, py, px - 1],
        heatmaps[n, k, py + 1, px] - heatmaps[n, k, py - 1, px]
    ], axis=-1)
    shift = np.sign(diff) * np.float32(.25)
    if megvii:
        shift = shift + np.float32(0.5)
    return np.where(inside[..., None], preds + shift, preds)


def _local_blur(heatmaps: np.ndarray, px: np.ndarray, py: np.ndarray,
                radius: int, kernel: int) -> np.ndarray:
    """Zero-padded Gaussian blur evaluated only on a window around each
    location.

    Equals ``cv2.GaussianBlur`` of the zero-padded map (same float32
    kernel) up to float rounding, without blurring the whole map.

    Args:
        heatmaps (np.ndarray[N, K, H, W]): Heatmaps.
        px, py (np.ndarray[N, K]): Window centres (integers).
        radius (int): Half size of the window.
        kernel (int): Odd Gaussian kernel size.

    Returns:
        np.ndarray[N, K, 2*radius+1, 2*radius+1]: Blurred values, rows
        ``py - radius .. py + radius``, columns ``px - radius .. px + radius``.
    """
    N, K, H, W = heatmaps.shape
    b = kernel // 2
    weights = cv2.getGaussianKernel(kernel, 0, ktype=cv2.CV_32F)
    weights = weights[:, 0].astype(np.float64)
    steps = np.arange(-radius - b, radius + b + 1)
    rows = py[..., None] + steps
    cols = px[..., None] + steps
    n, k = _nk_index(N, K)
    patch = heatmaps[n[..., None, None], k[..., None, None],
                     np.clip(rows, 0, H - 1)[..., :, None],
                     np.clip(cols, 0, W - 1)[..., None, :]]
    inside = ((rows >= 0) & (rows < H))[..., :, None] & (
        (cols >= 0) & (cols < W))[..., None, :]
    patch = np.where(inside, patch, 0).astype(np.float64)
    windows = np.lib.stride_tricks.sliding_window_view
    horizontal = windows(patch, kernel, axis=3) @ weights
    return windows(horizontal, kernel, axis=2) @ weights


def _dark_refine(preds: np.ndarray, heatmaps: np.ndarray,
                 kernel: int) -> np.ndarray:
    """DARK: one Newton step on the log of the modulated heatmap.

    From Zhang et al., CVPR 2020 ("Distribution-Aware Coordinate
    Representation for Human Pose Estimation"). The modulation (Gaussian
    blur rescaled to the original maximum) is evaluated only on the 5x5
    window the Taylor expansion reads; the rescaling is a constant factor
    whose logarithm cancels in every derivative, so it is left out.

    Args:
        preds (np.ndarray[N, K, 2]): Integer argmax locations (float32).
        heatmaps (np.ndarray[N, K, H, W]): Raw heatmaps.
        kernel (int): Modulation kernel size.

    Returns:
        np.ndarray[N, K, 2]: Refined locations (float32).
    """
    N, K, H, W = heatmaps.shape
    if kernel % 2 != 1:
        raise ArgumentError(f'kernel should be odd, got {kernel}')
    px = preds[..., 0].astype(np.int64)
    py = preds[..., 1].astype(np.int64)
    inside = (px > 1) & (px < W - 2) & (py > 1) & (py < H - 2)
    logs = np.log(np.maximum(_local_blur(heatmaps, px, py, 2, kernel),
                             1e-10))
    offset, ok = _newton_step(logs)
    ok &= inside
    refined = (preds + offset).astype(np.float32)
    return np.where(ok[..., None], refined, preds)


def _newton_step(logs: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Newton step towards the maximum of a log-heatmap, from the finite
    differences of a 5x5 window centred on the current location.

    Args:
        logs (np.ndarray[..., 5, 5]): Log-heatmap windows.

    Returns:
        tuple: ``offset`` (np.ndarray[..., 2], x then y; 0 where the Hessian
        is singular) and ``ok`` (np.ndarray[...], bool: Hessian invertible).
    """
    def at(dy: int, dx: int) -> np.ndarray:
        return logs[..., 2 + dy, 2 + dx]

    dx = 0.5 * (at(0, 1) - at(0, -1))
    dy = 0.5 * (at(1, 0) - at(-1, 0))
    dxx = 0.25 * (at(0, 2) - 2 * at(0, 0) + at(0, -2))
    dyy = 0.25 * (at(2, 0) - 2 * at(0, 0) + at(-2, 0))
    dxy = 0.25 * (at(1, 1) - at(-1, 1) - at(1, -1) + at(-1, -1))
    det = dxx * dyy - dxy**2
    ok = det != 0
    det = np.where(ok, det, 1.0)
    offset = np.stack([-(dyy * dx - dxy * dy) / det,
                       -(dxx * dy - dxy * dx) / det], -1)
    return np.where(ok[..., None], offset, 0.), ok


def _taylor(heatmap: np.ndarray, coord: np.ndarray) -> np.ndarray:
    """DARK refinement of one location (0.x helper).

    Args:
        heatmap (np.ndarray[H, W]): Log of the (modulated) heatmap of one
            joint.
        coord (np.ndarray[2, ]): Location (x, y); updated in place.

    Returns:
        np.ndarray[2, ]: ``coord``, moved by one Newton step where the 5x5
        window fits inside the map and the Hessian is invertible.
    """
    heatmap = check_array('heatmap', heatmap, ndim=2, expected='[H, W]')
    H, W = heatmap.shape
    px, py = int(coord[0]), int(coord[1])
    if 1 < px < W - 2 and 1 < py < H - 2:
        offset, ok = _newton_step(heatmap[py - 2:py + 3, px - 2:px + 3])
        if ok:
            coord += offset
    return coord


def post_dark_udp(coords: np.ndarray,
                  batch_heatmaps: np.ndarray,
                  kernel: int = 3) -> np.ndarray:
    """DARK post-processing as implemented by UDP.

    Reference: Huang et al., CVPR 2020 - The Devil is in the Details,
    i.e. unbiased data processing for human pose estimation.

    Note:
        batch size: B, num persons: N, num keypoints: K. B=1 for bottom-up
        (all persons share the heatmaps), B=N for top-down.

    Args:
        coords (np.ndarray[N, K, 2]): Initial coordinates (x, y).
        batch_heatmaps (np.ndarray[B, K, H, W]): Heatmaps (not modified).
        kernel (int): Gaussian kernel size for modulation. Default: 3.

    Returns:
        np.ndarray[N, K, 2]: Refined coordinates (float32). Where the
        Hessian is singular the coordinate is returned unchanged.
    """
    batch_heatmaps = check_array('batch_heatmaps', batch_heatmaps, ndim=4,
                                 expected='[B, K, H, W]')
    B, K, H, W = batch_heatmaps.shape
    coords = check_array('coords', coords, ndim=3, last_dims=(K, 2),
                         expected=f'[N, {K}, 2]')
    N = coords.shape[0]
    if B not in (1, N):
        raise ArgumentError(
            f'batch_heatmaps [B, K, H, W] needs B == 1 or B == '
            f'N (N={N} from coords {coords.shape}), got '
            f'{batch_heatmaps.shape}')
    blurred = gaussian_blur_maps(batch_heatmaps, kernel)
    log_hm = np.log(np.clip(blurred, np.float32(0.001), np.float32(50)))
    padded = np.pad(log_hm, ((0, 0), (0, 0), (1, 1), (1, 1)),
                    mode='symmetric')
    flat = padded.reshape(-1)

    # Flat indices into the padded maps, as in 0.x (including its wrap-around
    # for coordinates of -1).
    Wp = W + 2
    coords64 = coords.astype(np.float64)
    index = np.trunc(coords64[..., 0] + 1 + (coords64[..., 1] + 1) * Wp)
    index = index.astype(np.int64) + (
        Wp * (H + 2) * np.arange(B * K).reshape(-1, K))

    def at(step: int) -> np.ndarray:
        return np.take(flat, index + step, mode='wrap')

    i_ = at(0)
    ix1, ix1_ = at(1), at(-1)
    iy1, iy1_ = at(Wp), at(-Wp)
    ix1y1, ix1_y1_ = at(Wp + 1), at(-Wp - 1)

    dx = 0.5 * (ix1 - ix1_)
    dy = 0.5 * (iy1 - iy1_)
    dxx = ix1 - 2 * i_ + ix1_
    dyy = iy1 - 2 * i_ + iy1_
    dxy = 0.5 * (ix1y1 - ix1 - iy1 + i_ + i_ - ix1_ - iy1_ + ix1_y1_)

    eps = float(np.finfo(np.float32).eps)
    a = dxx.astype(np.float64) + eps
    d = dyy.astype(np.float64) + eps
    b = dxy.astype(np.float64)
    det = a * d - b * b
    ok = det != 0
    det = np.where(ok, det, 1.0)
    offset = np.stack([(d * dx - b * dy) / det, (a * dy - b * dx) / det], -1)
    offset = np.where(ok[..., None], offset, 0.)
    return (coords64 - offset).astype(np.float32)


def _normalize_post_process(post_process, unbiased: bool, kernel: int,
                            use_udp: bool) -> Optional[str]:
    """Resolve the deprecated ``unbiased`` / boolean ``post_process``."""
    if unbiased and post_process in (False, None, 'megvii'):
        raise ArgumentError(f'unbiased=True conflicts with post_process='
                            f'{post_process!r}')
    if post_process in ('megvii', 'unbiased') and kernel <= 0:
        raise ArgumentError(f'post_process={post_process!r} needs kernel > 0, '
                            f'got {kernel}')
    if use_udp and post_process == 'megvii':
        raise ArgumentError("post_process='megvii' cannot be used with UDP")
    if post_process is False:
        warnings.warn('post_process=False is deprecated, please use '
                      'post_process=None instead', DeprecationWarning)
        return None
    if post_process is True:
        resolved = 'unbiased' if unbiased else 'default'
        warnings.warn(f'post_process=True is deprecated, please use '
                      f"post_process='{resolved}' instead",
                      DeprecationWarning)
        return resolved
    if post_process == 'default' and unbiased:
        warnings.warn("unbiased=True is deprecated, please use "
                      "post_process='unbiased' instead", DeprecationWarning)
        return 'unbiased'
    if post_process not in _POST_PROCESS:
        raise UnknownNameError(
            f'post_process should be one of {_POST_PROCESS}, '
            f'got {post_process!r}')
    return post_process


def _decode_combined(heatmaps: np.ndarray, kernel: int,
                     valid_radius_factor: float
                     ) -> Tuple[np.ndarray, np.ndarray]:
    """UDP CombinedTarget: argmax of the blurred heatmap plus the blurred
    offset at that location, for any batch size.

    Args:
        heatmaps (np.ndarray[N, 3K, H, W]): (heatmap, x offset, y offset)
            triplets.

    Returns:
        tuple: preds (np.ndarray[N, K, 2]) and maxvals (np.ndarray[N, K, 1])
        in heatmap coordinates.
    """
    N, C, H, W = heatmaps.shape
    if C % 3:
        raise ArgumentError(
            f'CombinedTarget heatmaps should have 3*K channels '
            f'[N, 3K, H, W], got {heatmaps.shape}')
    hm = gaussian_blur_maps(heatmaps[:, 0::3], 2 * kernel + 1)
    offsets = gaussian_blur_maps(
        heatmaps.reshape(N, C // 3, 3, H, W)[:, :, 1:], kernel)
    offsets = offsets * (valid_radius_factor * H)
    preds, maxvals = get_max_preds(hm)
    flat_idx = np.argmax(hm.reshape(N, C // 3, -1), axis=2)
    picked = np.take_along_axis(
        offsets.reshape(N, C // 3, 2, H * W), flat_idx[:, :, None, None],
        axis=3)[..., 0]
    preds = np.where(maxvals > 0, preds + picked, preds)
    return preds, maxvals


def keypoints_from_heatmaps(heatmaps: np.ndarray,
                            center: np.ndarray,
                            scale: np.ndarray,
                            unbiased: bool = False,
                            post_process: Optional[str] = 'default',
                            kernel: int = 11,
                            valid_radius_factor: float = 0.0546875,
                            use_udp: bool = False,
                            target_type: str = 'GaussianHeatMap'
                            ) -> Tuple[np.ndarray, np.ndarray]:
    """Keypoints in the image from predicted heatmaps.

    Args:
        heatmaps (np.ndarray[N, K, H, W]): Predicted heatmaps
            ([N, 3K, H, W] for UDP ``CombinedTarget``). Not modified.
        center (np.ndarray[N, 2]): Bounding-box centres (x, y).
        scale (np.ndarray[N, 2]): Bounding-box scales wrt [width, height].
        unbiased (bool): Deprecated, same as ``post_process='unbiased'``.
        post_process (str | None): None (argmax), 'default' (+/-0.25 px
            shift), 'unbiased' (DARK) or 'megvii' (blur, shift, +0.5 px).
        kernel (int): Gaussian kernel of DARK / MEGVII / UDP; K=17 for
            sigma=3 and K=11 for sigma=2.
        valid_radius_factor (float): UDP CombinedTarget offset radius as a
            fraction of the heatmap height.
        use_udp (bool): Unbiased data processing (DARK-UDP refinement for
            'GaussianHeatMap', offsets for 'CombinedTarget').
        target_type (str): 'GaussianHeatMap' or 'CombinedTarget'.

    Returns:
        tuple: ``preds`` (np.ndarray[N, K, 2]) image coordinates and
        ``maxvals`` (np.ndarray[N, K, 1]) confidences.
    """
    heatmaps = check_array('heatmaps', heatmaps, ndim=4,
                           expected='[N, K, H, W]')
    center = check_array('center', center, ndim=2, last_dims=(2, ),
                         expected='[N, 2]')
    scale = check_array('scale', scale, ndim=2, last_dims=(2, ),
                        expected='[N, 2]')
    check_same_leading(('heatmaps', 'center', 'scale'),
                       (heatmaps, center, scale))
    post_process = _normalize_post_process(post_process, unbiased, kernel,
                                           use_udp)
    N, K, H, W = heatmaps.shape

    if use_udp:
        kind = target_type.lower()
        if kind == 'gaussianheatmap':
            preds, maxvals = get_max_preds(heatmaps)
            preds = post_dark_udp(preds, heatmaps, kernel=kernel)
        elif kind == 'combinedtarget':
            preds, maxvals = _decode_combined(heatmaps, kernel,
                                              valid_radius_factor)
        else:
            raise UnknownNameError(
                f"target_type should be 'GaussianHeatMap' or "
                f"'CombinedTarget', got {target_type!r}")
    elif post_process == 'megvii':
        heatmaps = _blur_keep_max(heatmaps, kernel)
        preds, maxvals = get_max_preds(heatmaps)
        preds = _shift_quarter(preds, heatmaps, megvii=True)
    else:
        preds, maxvals = get_max_preds(heatmaps)
        if post_process == 'unbiased':
            preds = _dark_refine(preds, heatmaps, kernel)
        elif post_process == 'default':
            preds = _shift_quarter(preds, heatmaps, megvii=False)

    preds = transform_preds_batch(preds, center, scale, [W, H],
                                  use_udp=use_udp)
    if post_process == 'megvii':
        maxvals = maxvals / 255.0 + 0.5
    return preds, maxvals


def keypoints_from_regression(regression_preds: np.ndarray,
                              center: np.ndarray, scale: np.ndarray,
                              img_size: Sequence[int]
                              ) -> Tuple[np.ndarray, np.ndarray]:
    """Keypoints in the image from normalised regression outputs.

    Args:
        regression_preds (np.ndarray[N, K, 2]): Coordinates in [0, 1]
            relative to the model input.
        center (np.ndarray[N, 2]): Bounding-box centres (x, y).
        scale (np.ndarray[N, 2]): Bounding-box scales wrt [width, height].
        img_size (list(img_width, img_height)): Model input size.

    Returns:
        tuple: ``preds`` (np.ndarray[N, K, 2]) and ``maxvals``
        (np.ndarray[N, K, 1], all ones).
    """
    regression_preds = check_array('regression_preds', regression_preds,
                                   ndim=3, last_dims=(2, ),
                                   expected='[N, K, 2]')
    center = check_array('center', center, ndim=2, last_dims=(2, ),
                         expected='[N, 2]')
    scale = check_array('scale', scale, ndim=2, last_dims=(2, ),
                        expected='[N, 2]')
    check_same_leading(('regression_preds', 'center', 'scale'),
                       (regression_preds, center, scale))
    N, K, _ = regression_preds.shape
    preds = regression_preds * np.asarray(img_size)
    preds = transform_preds_batch(preds, center, scale, img_size)
    return preds, np.ones((N, K, 1), dtype=np.float32)


def keypoints_from_heatmaps3d(heatmaps: np.ndarray, center: np.ndarray,
                              scale: np.ndarray
                              ) -> Tuple[np.ndarray, np.ndarray]:
    """Keypoints from volumetric heatmaps: argmax, with x and y mapped back
    to the image and z left in heatmap (depth bin) units.

    Args:
        heatmaps (np.ndarray[N, K, D, H, W]): Predicted 3D heatmaps.
        center (np.ndarray[N, 2]): Bounding-box centres (x, y).
        scale (np.ndarray[N, 2]): Bounding-box scales wrt [width, height].

    Returns:
        tuple: ``preds`` (np.ndarray[N, K, 3]) and ``maxvals``
        (np.ndarray[N, K, 1]).
    """
    preds, maxvals = get_max_preds_3d(heatmaps)
    center = check_array('center', center, ndim=2, last_dims=(2, ),
                         expected='[N, 2]')
    scale = check_array('scale', scale, ndim=2, last_dims=(2, ),
                        expected='[N, 2]')
    check_same_leading(('heatmaps', 'center', 'scale'),
                       (heatmaps, center, scale))
    H, W = heatmaps.shape[3:]
    preds[..., :2] = transform_preds_batch(preds[..., :2], center, scale,
                                           [W, H])
    return preds, maxvals
