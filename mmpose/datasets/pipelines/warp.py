"""Affine image warping shared by the top-down, bottom-up and mesh transforms.

With OpenCV 4.x (pinned in requirements/runtime.txt) ``cv2.warpAffine``
reproduces MMPose 0.14's crops bit-exactly; OpenCV 5 samples bilinear
interpolation on a different grid and moves pixels by several grey levels.
"""
from typing import Sequence

import cv2
import numpy as np

from mmpose.errors import ArgumentError


def warp_affine(img: np.ndarray,
                mat: np.ndarray,
                dsize: Sequence[int],
                flags: int = cv2.INTER_LINEAR,
                border_value: float = 0) -> np.ndarray:
    """Warp ``img`` by the 2x3 matrix ``mat`` into a ``dsize`` image.

    Args:
        img (np.ndarray[H, W] | np.ndarray[H, W, C]): Source image.
        mat (np.ndarray[2, 3]): Source -> destination affine matrix.
        dsize (tuple[int, int]): Output (width, height).
        flags (int): OpenCV interpolation flag. Default: INTER_LINEAR.
        border_value (float): Value outside the source. Default: 0.

    Returns:
        np.ndarray: The warped image ``[dsize[1], dsize[0], (C)]``.
    """
    mat = np.asarray(mat, dtype=np.float64)
    if mat.shape != (2, 3):
        raise ArgumentError('affine matrix must be 2x3, got shape '
                            f'{mat.shape}')
    return cv2.warpAffine(
        img,
        mat, (int(dsize[0]), int(dsize[1])),
        flags=flags,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=border_value)
