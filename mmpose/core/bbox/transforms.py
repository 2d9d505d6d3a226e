"""Bounding-box format conversions (the ``mmpose.core.bbox`` API of 0.29).

Boxes are ``xyxy`` (left, top, right, bottom), ``xywh`` (left, top, width,
height) or a ``center`` (2,) with a ``scale`` (2,) = padded box size / pixel
std (200 px in MMPose 0.x). The 0.29 ``xyxy``/``xywh`` conversions use
``w = x2 - x1`` (no "+1" inclusive-pixel term).

Note:
    number of boxes: N
"""
from typing import Tuple

import numpy as np

from mmpose.errors import ArgumentError

__all__ = [
    'bbox_xyxy2xywh', 'bbox_xywh2xyxy', 'bbox_xywh2cs', 'bbox_cs2xywh'
]


def _check_boxes(boxes: np.ndarray, name: str) -> None:
    if boxes.ndim != 2 or boxes.shape[1] not in (4, 5):
        raise ArgumentError(f'{name} must have shape (N, 4) or (N, 5), got '
                            f'{boxes.shape}')


def bbox_xyxy2xywh(bbox_xyxy: np.ndarray) -> np.ndarray:
    """``x1, y1, x2, y2[, score]`` -> ``x, y, w, h[, score]``.

    Args:
        bbox_xyxy (np.ndarray[N, 4 | 5]): Boxes, optionally with scores.

    Returns:
        np.ndarray[N, 4 | 5]: A new array; scores are kept.
    """
    _check_boxes(bbox_xyxy, 'bbox_xyxy')
    bbox_xywh = bbox_xyxy.copy()
    bbox_xywh[:, 2:4] = bbox_xyxy[:, 2:4] - bbox_xyxy[:, 0:2]
    return bbox_xywh


def bbox_xywh2xyxy(bbox_xywh: np.ndarray) -> np.ndarray:
    """``x, y, w, h[, score]`` -> ``x1, y1, x2, y2[, score]``.

    Args:
        bbox_xywh (np.ndarray[N, 4 | 5]): Boxes, optionally with scores.

    Returns:
        np.ndarray[N, 4 | 5]: A new array; scores are kept.
    """
    _check_boxes(bbox_xywh, 'bbox_xywh')
    bbox_xyxy = bbox_xywh.copy()
    bbox_xyxy[:, 2:4] = bbox_xywh[:, 2:4] + bbox_xywh[:, 0:2]
    return bbox_xyxy


def bbox_xywh2cs(bbox: np.ndarray,
                 aspect_ratio: float,
                 padding: float = 1.,
                 pixel_std: float = 200.) -> Tuple[np.ndarray, np.ndarray]:
    """Box ``x, y, w, h`` -> ``center`` and ``scale``.

    The box is widened or heightened to ``aspect_ratio`` (w / h), multiplied
    by ``padding`` and divided by ``pixel_std``.

    Args:
        bbox (np.ndarray[4 | 5] | np.ndarray[N, 4 | 5]): One box or N boxes.
        aspect_ratio (float): Wanted width / height, e.g. of the model input.
        padding (float): Factor applied to the scale. Default: 1.0.
        pixel_std (float): Scale unit in pixels. Default: 200.0.

    Returns:
        tuple: ``center`` and ``scale``, float32, each (2,) for one box or
        (N, 2) for N boxes.
    """
    bbox = np.asarray(bbox)
    if bbox.shape[-1] < 4 or bbox.ndim not in (1, 2):
        raise ArgumentError(f'bbox must have shape (4,) or (N, 4+), got '
                            f'{bbox.shape}')
    xy = bbox[..., 0:2].astype(np.float64)
    wh = bbox[..., 2:4].astype(np.float64)
    center = (xy + wh * 0.5).astype(np.float32)
    w, h = wh[..., 0], wh[..., 1]
    fitted = np.stack([
        np.where(w < aspect_ratio * h, h * aspect_ratio, w),
        np.where(w > aspect_ratio * h, w / aspect_ratio, h)
    ], axis=-1)
    scale = fitted.astype(np.float32) / pixel_std * padding
    return center, scale.astype(np.float32)


def bbox_cs2xywh(center: np.ndarray,
                 scale: np.ndarray,
                 padding: float = 1.,
                 pixel_std: float = 200.) -> np.ndarray:
    """``center`` and ``scale`` -> box ``x, y, w, h``.

    Not an exact inverse of :func:`bbox_xywh2cs`: the aspect-ratio fitting
    cannot be undone.

    Args:
        center (np.ndarray[2] | np.ndarray[N, 2]): Box centers.
        scale (np.ndarray[2] | np.ndarray[N, 2]): Box scales.
        padding (float): Padding that was applied to the scale. Default: 1.0.
        pixel_std (float): Scale unit in pixels. Default: 200.0.

    Returns:
        np.ndarray[4] | np.ndarray[N, 4]: Boxes.
    """
    center = np.asarray(center)
    wh = np.asarray(scale) / padding * pixel_std
    return np.concatenate([center - 0.5 * wh, wh], axis=-1)
