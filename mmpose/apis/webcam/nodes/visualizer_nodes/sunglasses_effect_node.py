"""Put a pair of sunglasses on every face whose eyes were found."""
import os.path as osp
from typing import Dict, List, Optional, Union

import cv2
import numpy as np

from ...utils import (FrameMessage, get_eye_keypoint_ids,
                      load_image_from_disk_or_url)
from ...utils.pose import group_by_pose_model
from ..base_visualizer_node import BaseVisualizerNode
from ..registry import NODES

__all__ = ['SunglassesEffectNode', 'DEFAULT_SUNGLASSES']

#: The sunglasses picture shipped in the package (drawn for it with OpenCV:
#: lenses centred at 30% and 70% of the width, on white).
DEFAULT_SUNGLASSES = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'resources', 'sunglasses.png')

#: Picture pixels at least this bright (grey level) are background.
_BACKGROUND_GREY = 200


@NODES.register_module()
class SunglassesEffectNode(BaseVisualizerNode):
    """Draw sunglasses over the eyes of the objects with eye keypoints.

    The picture is warped so that the points at 30% and 70% of its width
    (at 30% and 70% of its height) land on the right and left eye, the
    glasses as tall as the eyes are apart; its white background is left
    out.

    Args:
        name (str): Node (and thread) name.
        input_buffer (str): Buffer of frames with posed objects.
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int, optional): Key toggling the effect.
            Default: None.
        enable (bool): Whether the effect starts on. Default: True.
        kpt_thr (float): Both eyes must score at least this. Default: 0.5.
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
        super().__init__(
            name=name, input_buffer=input_buffer,
            output_buffer=output_buffer, enable_key=enable_key,
            enable=enable)
        self.kpt_thr = kpt_thr
        self.resource_img = load_image_from_disk_or_url(
            resource_img_path or DEFAULT_SUNGLASSES)

    def draw(self, input_msg: FrameMessage) -> np.ndarray:
        canvas = input_msg.get_image()
        for cfg, objects in group_by_pose_model(input_msg.get_objects()):
            left, right = get_eye_keypoint_ids(cfg)
            canvas = self.apply_sunglasses_effect(canvas, objects, left,
                                                  right)
        return canvas

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
        if not objects:
            return canvas
        kpts = np.stack([obj['keypoints'] for obj in objects])
        eyes = kpts[:, [left_eye_index, right_eye_index]]  # [N, 2, 3]
        eyes = eyes[(eyes[:, :, 2] >= self.kpt_thr).all(axis=1), :, :2]
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
