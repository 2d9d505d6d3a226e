"""Affine image warping with the fixed-point sampling grid of OpenCV 4.x.

MMPose 0.14 was run with OpenCV 4, whose ``warpAffine`` quantises source
coordinates to 1/32 pixel (``INTER_BITS = 5``) after a 10-bit fixed-point
accumulation. OpenCV 5 samples differently, which moves bilinear results by
up to several grey levels on textured images. Here the OpenCV 4 grid is
computed with NumPy (vectorised over the output) and sampled with
``cv2.remap`` on fixed-point maps, reproducing OpenCV 4 bit-exactly on any
OpenCV version.
"""
from typing import Tuple

import cv2
import numpy as np

_AB_BITS = 10
_AB_SCALE = 1 << _AB_BITS
_INTER_BITS = 5
_INTER_TAB_SIZE = 1 << _INTER_BITS
# keep fixed-point coordinates inside int16 after the final shift
_FIX_LIMIT = 32767 << _INTER_BITS


def _inverse_affine(mat: np.ndarray) -> Tuple[float, ...]:
    """Destination->source matrix entries (m0, m1, m2, m3, m4, m5), computed
    the way OpenCV inverts a 2x3 matrix."""
    M = np.asarray(mat, dtype=np.float64).reshape(-1)
    if M.size != 6:
        raise ValueError(f'affine matrix must be 2x3, got shape '
                         f'{np.shape(mat)}')
    det = M[0] * M[4] - M[1] * M[3]
    det = 1.0 / det if det != 0 else 0.0
    m0, m1, m3, m4 = M[4] * det, -M[1] * det, -M[3] * det, M[0] * det
    m2 = -m0 * M[2] - m1 * M[5]
    m5 = -m3 * M[2] - m4 * M[5]
    return m0, m1, m2, m3, m4, m5


def _fixed_point_grid(mat: np.ndarray, dsize: Tuple[int, int],
                      round_delta: int, shift: int):
    """Source coordinates of every output pixel as int32 ``[H, W]`` arrays
    in units of ``2**-(10 - shift)`` pixels."""
    m0, m1, m2, m3, m4, m5 = _inverse_affine(mat)
    w, h = dsize
    xs = np.arange(w, dtype=np.float64)
    ys = np.arange(h, dtype=np.float64)
    # int32 holds |coordinate| < 2**19 px in 1/1024 units; clip first so
    # far-away (fully outside) pixels cannot overflow.
    lim = float(1 << 29)
    adelta = np.clip(np.rint(m0 * xs * _AB_SCALE), -lim, lim).astype(np.int32)
    bdelta = np.clip(np.rint(m3 * xs * _AB_SCALE), -lim, lim).astype(np.int32)
    x0 = np.clip(np.rint((m1 * ys + m2) * _AB_SCALE), -lim,
                 lim).astype(np.int32) + round_delta
    y0 = np.clip(np.rint((m4 * ys + m5) * _AB_SCALE), -lim,
                 lim).astype(np.int32) + round_delta
    X = x0[:, None] + adelta[None, :]
    Y = y0[:, None] + bdelta[None, :]
    X >>= shift
    Y >>= shift
    return X, Y


def warp_affine(img: np.ndarray,
                mat: np.ndarray,
                dsize: Tuple[int, int],
                flags: int = cv2.INTER_LINEAR,
                border_value: float = 0) -> np.ndarray:
    """``cv2.warpAffine`` (constant border) with OpenCV 4.x sampling.

    Args:
        img (np.ndarray[H, W] | np.ndarray[H, W, C]): source image.
        mat (np.ndarray[2, 3]): source -> destination affine matrix.
        dsize (tuple[int, int]): output size (w, h).
        flags (int): ``cv2.INTER_LINEAR`` or ``cv2.INTER_NEAREST``.
        border_value (float): value outside the source. Default: 0.

    Returns:
        np.ndarray[h, w(, C)]: the warped image, dtype of ``img``.
    """
    dsize = (int(dsize[0]), int(dsize[1]))
    if img.ndim not in (2, 3):
        raise ValueError(f'image must be [H, W] or [H, W, C], got shape '
                         f'{img.shape}')
    if not img.flags.c_contiguous:
        img = np.ascontiguousarray(img)
    if flags == cv2.INTER_NEAREST:
        X, Y = _fixed_point_grid(mat, dsize, _AB_SCALE // 2, _AB_BITS)
        map1 = np.empty(X.shape + (2, ), dtype=np.int16)
        map1[..., 0] = np.clip(X, -32768, 32767)
        map1[..., 1] = np.clip(Y, -32768, 32767)
        return cv2.remap(img, map1, None, cv2.INTER_NEAREST,
                         borderMode=cv2.BORDER_CONSTANT,
                         borderValue=border_value)
    if flags != cv2.INTER_LINEAR:
        raise ValueError('warp_affine supports cv2.INTER_LINEAR and '
                         f'cv2.INTER_NEAREST, got flags={flags}')
    X, Y = _fixed_point_grid(mat, dsize, _AB_SCALE // _INTER_TAB_SIZE // 2,
                             _AB_BITS - _INTER_BITS)
    np.clip(X, -_FIX_LIMIT, _FIX_LIMIT, out=X)
    np.clip(Y, -_FIX_LIMIT, _FIX_LIMIT, out=Y)
    map1 = np.empty(X.shape + (2, ), dtype=np.int16)
    map1[..., 0] = X >> _INTER_BITS
    map1[..., 1] = Y >> _INTER_BITS
    # interpolation table index: (y fraction, x fraction) in 1/32 steps
    map2 = ((Y & (_INTER_TAB_SIZE - 1)) << _INTER_BITS) | (
        X & (_INTER_TAB_SIZE - 1))
    return cv2.remap(img, map1, map2.astype(np.uint16), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT,
                     borderValue=border_value)
