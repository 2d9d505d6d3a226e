"""Enlarge the eyes of the objects whose eyes were found."""
from typing import Dict, List

import cv2
import numpy as np

from ..registry import NODES
from .eye_effect_node import BaseEyeEffectNode

__all__ = ['BigeyeEffectNode']

#: Strength of the magnification around each eye.
_DISTORTION = 0.001
#: Keeps the radius of the eye's own pixel from being 0.
_EPS = 1e-5


@NODES.register_module()
class BigeyeEffectNode(BaseEyeEffectNode):
    """Magnify the image around the eyes of the objects with eye keypoints
    and a box.

    Each pixel at distance r from an eye samples the image at distance
    ``r / (1 + k / (r^2 / d^2))`` from it (k = 0.001, d the diagonal of the
    object's box): closer to the eye the nearer it is, so the eye grows.
    Takes the arguments of :class:`BaseEyeEffectNode`.
    """

    required_keys = ('bbox', )

    def apply_bigeye_effect(self, canvas: np.ndarray, objects: List[Dict],
                            left_eye_index: int,
                            right_eye_index: int) -> np.ndarray:
        """Magnify around the eyes of each object whose eyes score at least
        ``kpt_thr``.

        Args:
            canvas (np.ndarray[H, W, 3]): The frame.
            objects (list[dict]): Objects with ``bbox`` (``x1, y1, x2, y2,
                ...``) and ``keypoints`` (np.ndarray[K, 3]).
            left_eye_index (int): Keypoint index of the left eye.
            right_eye_index (int): Keypoint index of the right eye.

        Returns:
            np.ndarray[H, W, 3]: The distorted frame (a new array when any
            eye qualifies).
        """
        eyes, valid = self.confident_eyes(objects, left_eye_index,
                                          right_eye_index)
        if not valid.any():
            return canvas
        boxes = np.stack([np.asarray(obj['bbox'][:4]) for obj in objects])
        diag2 = ((boxes[:, 2:] - boxes[:, :2])**2).sum(axis=1)  # [N]

        map_y, map_x = np.indices(canvas.shape[:2], dtype=np.float32)
        centers = eyes[valid, :, :2].reshape(-1, 2)
        scales = np.repeat(diag2[valid], 2)
        # each eye's distortion applies to the coordinates the previous
        # ones produced, so the eyes are taken one after another
        for (xc, yc), scale in zip(centers, scales):
            dx, dy = map_x - xc, map_y - yc
            r2 = (dx**2 + dy**2 + _EPS) / scale
            shrink = 1 / (1 + _DISTORTION / r2)
            map_x = (dx * shrink + xc).astype(np.float32)
            map_y = (dy * shrink + yc).astype(np.float32)
        return cv2.remap(canvas, map_x, map_y, interpolation=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)

    apply_eye_effect = apply_bigeye_effect
