"""Put a pair of sunglasses on every face whose eyes were found."""
import os.path as osp
from typing import Dict, List, Optional, Union

import cv2
import numpy as np

from ...utils import load_image_from_disk_or_url
from ..registry import NODES
from .eye_effect_node import BaseEyeEffectNode

__all__ = ['SunglassesEffectNode', 'DEFAULT_SUNGLASSES']

#: The sunglasses picture shipped in the package (drawn for it with OpenCV:
#: lenses centred at 30% and 70% of the width, on white).
DEFAULT_SUNGLASSES = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'resources', 'sunglasses.png')

#: Picture pixels at least this bright (grey level) are background.
_BACKGROUND_GREY = 200


@NODES.register_module()
class SunglassesEffectNode(BaseEyeEffectNode):
    """Draw sunglasses over the eyes of the objects with eye keypoints.

    The picture is warped so that the points at 30% and 70% of its width
    (at 30% and 70% of its height) land on the right and left eye, the
    glasses as tall as the eyes are apart; its white background is left
    out.

    Args:
        name, input_buffer, output_buffer, enable_key, enable, kpt_thr: As
            for :class:`BaseEyeEffectNode`.
        resource_img_path (str, optional): Picture of sunglasses on a white
            background (path or URL). Default: None, the picture shipped in
            the package (:data:`DEFAULT_SUNGLASSES`).

    Raises:
        FileNotFoundError: ``resource_img_path`` cannot be read.
    """

    def __init__(self,
                 name: str,
                 input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 enable_key: Optional[Union[str, int]] = None,
                 enable: bool = True,
                 kpt_thr: float = 0.5,
                 resource_img_path: Optional[str] = None):
        super().__init__(name, input_buffer, output_buffer, enable_key,
                         enable, kpt_thr)
        self.resource_img = load_image_from_disk_or_url(
            resource_img_path or DEFAULT_SUNGLASSES)

    def apply_sunglasses_effect(self, canvas: np.ndarray, objects: List[Dict],
                                left_eye_index: int,
                                right_eye_index: int) -> np.ndarray:
        """Draw the sunglasses on each object whose eyes score at least
        ``kpt_thr``.

        Args:
            canvas (np.ndarray[H, W, 3]): The frame (drawn on in place).
            objects (list[dict]): Objects with ``keypoints``
                (np.ndarray[K, 3]).
            left_eye_index (int): Keypoint index of the left eye.
            right_eye_index (int): Keypoint index of the right eye.

        Returns:
            np.ndarray[H, W, 3]: The frame.
        """
        eyes, valid = self.confident_eyes(objects, left_eye_index,
                                          right_eye_index)
        eyes = eyes[valid, :, :2]
        pic_h, pic_w = self.resource_img.shape[:2]
        src = np.float32([[0.3, 0.3], [0.3, 0.7], [0.7, 0.3], [0.7, 0.7]]) * \
            [pic_w, pic_h]
        # half the eye-to-eye vector turned by 90 degrees: "up" on the face
        up = 0.5 * (eyes[:, 1] - eyes[:, 0])[:, ::-1] * [-1, 1]
        left, right = eyes[:, 0], eyes[:, 1]
        dst = np.stack([right + up, right - up, left + up, left - up],
                       axis=1).astype(np.float32)  # [N, 4, 2]
        size = (canvas.shape[1], canvas.shape[0])
        # one perspective warp per face
        for corners in dst:
            patch = cv2.warpPerspective(
                self.resource_img,
                cv2.getPerspectiveTransform(src.astype(np.float32), corners),
                size, borderValue=(255, 255, 255))
            glasses = cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY) < \
                _BACKGROUND_GREY
            canvas[glasses] = patch[glasses]
        return canvas

    apply_eye_effect = apply_sunglasses_effect
