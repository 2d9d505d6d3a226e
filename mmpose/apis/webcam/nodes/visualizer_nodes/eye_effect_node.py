"""Base class of the effects drawn around the eyes of posed objects."""
from abc import abstractmethod
from typing import Dict, List, Optional, Tuple, Union

import numpy as np

from ...utils import FrameMessage, get_eye_keypoint_ids
from ...utils.pose import group_by_pose_model
from ..base_visualizer_node import BaseVisualizerNode

__all__ = ['BaseEyeEffectNode']


class BaseEyeEffectNode(BaseVisualizerNode):
    """A visualizer applying an effect around the eyes of each object with
    ``keypoints`` and ``pose_model_cfg`` (and the :attr:`required_keys`).

    :meth:`draw` groups the objects by pose model, looks up the eye
    keypoints in each model's dataset table (:func:`get_eye_keypoint_ids`)
    and calls :meth:`apply_eye_effect` on each group.

    Args:
        name (str): Node (and thread) name.
        input_buffer (str): Buffer of frames with posed objects.
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int, optional): Key toggling the effect.
            Default: None.
        enable (bool): Whether the effect starts on. Default: True.
        kpt_thr (float): Both eyes must score at least this. Default: 0.5.
    """

    #: Keys an object needs, besides the pose, to get the effect.
    required_keys: Tuple[str, ...] = ()

    def __init__(self,
                 name: str,
                 input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 enable_key: Optional[Union[str, int]] = None,
                 enable: bool = True,
                 kpt_thr: float = 0.5):
        super().__init__(name, input_buffer, output_buffer, enable_key,
                         enable)
        self.kpt_thr = kpt_thr

    def draw(self, input_msg: FrameMessage) -> np.ndarray:
        canvas = input_msg.get_image()
        objects = input_msg.get_objects(
            lambda obj: all(key in obj for key in self.required_keys))
        for cfg, group in group_by_pose_model(objects):
            left, right = get_eye_keypoint_ids(cfg)
            canvas = self.apply_eye_effect(canvas, group, left, right)
        return canvas

    def confident_eyes(self, objects: List[Dict], left_eye_index: int,
                       right_eye_index: int) -> Tuple[np.ndarray, np.ndarray]:
        """The eye keypoints of ``objects`` (with ``keypoints``,
        np.ndarray[K, 3]) and which objects have both eyes scoring at least
        ``kpt_thr``.

        Returns:
            tuple: ``eyes`` np.ndarray[N, 2, 3] (left eye, right eye; x, y,
            score) and ``valid`` np.ndarray[N] of bool.
        """
        if not objects:
            return np.zeros((0, 2, 3)), np.zeros(0, dtype=bool)
        kpts = np.stack([obj['keypoints'] for obj in objects])
        eyes = kpts[:, [left_eye_index, right_eye_index]]
        return eyes, (eyes[:, :, 2] >= self.kpt_thr).all(axis=1)

    @abstractmethod
    def apply_eye_effect(self, canvas: np.ndarray, objects: List[Dict],
                         left_eye_index: int,
                         right_eye_index: int) -> np.ndarray:
        """Apply the effect to ``canvas`` (np.ndarray[H, W, 3]) for the
        ``objects`` of one pose model, whose eyes are the keypoints
        ``left_eye_index`` and ``right_eye_index``; returns the frame."""
