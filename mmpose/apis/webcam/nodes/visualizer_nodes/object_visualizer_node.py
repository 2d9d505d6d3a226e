"""Draw the boxes and poses of the objects of a frame."""
from typing import Dict, List, Optional, Tuple, Union

import numpy as np
from mmcv import color_val

from mmpose.core.visualization import imshow_bboxes, imshow_keypoints
from ...utils import FrameMessage
from ...utils.pose import group_by_pose_model, pose_dataset_meta
from ..base_visualizer_node import BaseVisualizerNode
from ..registry import NODES

__all__ = ['ObjectVisualizerNode']

Color = Union[str, Tuple[int, int, int]]


@NODES.register_module()
class ObjectVisualizerNode(BaseVisualizerNode):
    """Draw each object's box (with its label) and keypoints (with the
    skeleton and colours of its pose model's dataset).

    Args:
        name (str): Node (and thread) name.
        input_buffer (str): Buffer of frames with objects.
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int, optional): Key toggling the drawing.
            Default: None.
        enable (bool): Whether drawing starts on. Default: True.
        show_bbox (bool): Draw boxes. Default: True.
        show_keypoint (bool): Draw keypoints. Default: True.
        must_have_keypoint (bool): Draw boxes of objects with keypoints
            only. Default: False.
        kpt_thr (float): Keypoints scoring below it are not drawn.
            Default: 0.3.
        radius (int): Keypoint radius. Default: 4.
        thickness (int): Skeleton line thickness. Default: 2.
        bbox_color (str | tuple | dict, optional): One colour (a name such
            as ``'green'`` or a BGR tuple) for every box, or a
            ``{label: colour}`` map (green for other labels). Default: None,
            :attr:`default_bbox_color`.
    """

    #: Box colours (BGR) by label when ``bbox_color`` is not given.
    default_bbox_color: Dict[str, Tuple[int, int, int]] = {
        'person': (148, 139, 255),
        'cat': (255, 255, 0),
        'dog': (255, 255, 0),
    }
    #: Colour of labels missing from a colour map.
    fallback_bbox_color: Tuple[int, int, int] = (0, 255, 0)

    def __init__(self,
                 name: str,
                 input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 enable_key: Optional[Union[str, int]] = None,
                 enable: bool = True,
                 show_bbox: bool = True,
                 show_keypoint: bool = True,
                 must_have_keypoint: bool = False,
                 kpt_thr: float = 0.3,
                 radius: int = 4,
                 thickness: int = 2,
                 bbox_color: Optional[Union[Color, Dict[str, Color]]] = None):
        super().__init__(name, input_buffer, output_buffer, enable_key,
                         enable)
        self.show_bbox = show_bbox
        self.show_keypoint = show_keypoint
        self.must_have_keypoint = must_have_keypoint
        self.kpt_thr = kpt_thr
        self.radius = radius
        self.thickness = thickness
        if bbox_color is None:
            self.bbox_color = dict(self.default_bbox_color)
        elif isinstance(bbox_color, dict):
            self.bbox_color = {k: color_val(v) for k, v in bbox_color.items()}
        else:
            self.bbox_color = color_val(bbox_color)

    def _box_colors(self, labels: List[Optional[str]]) -> list:
        if isinstance(self.bbox_color, dict):
            return [
                self.bbox_color.get(label, self.fallback_bbox_color)
                for label in labels
            ]
        return [self.bbox_color] * len(labels)

    def _draw_bboxes(self, canvas: np.ndarray, msg: FrameMessage) -> None:
        objects = msg.get_objects(
            lambda obj: 'bbox' in obj and
            ('keypoints' in obj or not self.must_have_keypoint))
        if not objects:
            return
        labels = [obj.get('label') for obj in objects]
        imshow_bboxes(
            canvas,
            np.stack([np.asarray(obj['bbox'][:4]) for obj in objects]),
            labels=[str(label) if label is not None else ''
                    for label in labels],
            colors=self._box_colors(labels),
            text_color='white',
            font_scale=0.5,
            show=False)

    def _draw_keypoints(self, canvas: np.ndarray, msg: FrameMessage) -> None:
        for cfg, group in group_by_pose_model(msg.get_objects()):
            meta = pose_dataset_meta(cfg)
            imshow_keypoints(
                canvas, [obj['keypoints'] for obj in group],
                skeleton=meta.skeleton,
                kpt_score_thr=self.kpt_thr,
                pose_kpt_color=meta.pose_kpt_color,
                pose_link_color=meta.pose_link_color,
                radius=self.radius,
                thickness=self.thickness)

    def draw(self, input_msg: FrameMessage) -> np.ndarray:
        canvas = input_msg.get_image()
        if self.show_bbox:
            self._draw_bboxes(canvas, input_msg)
        if self.show_keypoint:
            self._draw_keypoints(canvas, input_msg)
        return canvas
