"""Detection every few frames and top-down pose tracking in between."""
from typing import Dict, List, Optional, Tuple, Union

import numpy as np

from ...utils import FrameMessage
from ..registry import NODES
from .detector_node import detections_to_objects, init_mmdet_model
from .model_node import ModelNode, init_mmpose_model, select_objects
from .pose_estimator_node import PoseTracking, estimate_poses

__all__ = ['PoseTrackerNode', 'keypoints_to_bbox']


def keypoints_to_bbox(keypoints: np.ndarray, img_shape: Tuple[int, ...],
                      scale: float = 1.5,
                      kpt_thr: float = 0.3) -> Optional[np.ndarray]:
    """Box around the confident keypoints of one object.

    The tightest box around the keypoints scoring above ``kpt_thr`` is
    scaled by ``scale`` about its centre and clipped into the image.

    Args:
        keypoints (np.ndarray[K, 3]): ``x, y, score``.
        img_shape (tuple): ``(H, W[, C])``.
        scale (float): Side-length factor. Default: 1.5.
        kpt_thr (float): Keypoint score threshold. Default: 0.3.

    Returns:
        np.ndarray[4] | None: float32 ``x1, y1, x2, y2``; None when no
        keypoint is confident.
    """
    valid = keypoints[:, 2] > kpt_thr
    if not valid.any():
        return None
    points = keypoints[valid, :2]
    low, high = points.min(axis=0), points.max(axis=0)
    center, half = (low + high) / 2, (high - low) * scale / 2
    img_h, img_w = img_shape[:2]
    box = np.concatenate([center - half, center + half])
    return np.clip(box, 0, [img_w, img_h, img_w, img_h]).astype(np.float32)


@NODES.register_module()
class PoseTrackerNode(ModelNode):
    """Detect objects every ``det_interval`` frames and estimate their poses
    in every frame; in the frames between detections, each object's box is
    taken around its keypoints of the previous frame.

    Output objects are those of :class:`DetectorNode` and
    :class:`TopDownPoseEstimatorNode` (``keypoints``, ``track_id``,
    ``det_model_cfg``, ``pose_model_cfg``).

    Args:
        name (str): Node (and thread) name.
        det_model_config (str): Detector config path (searched in the mmdet
            package when not found).
        det_model_checkpoint (str): Detector checkpoint path.
        pose_model_config (str): Pose model config path (searched in the
            mmpose package when not found).
        pose_model_checkpoint (str): Pose model checkpoint path.
        input_buffer (str): Buffer of frames (a trigger input ``'input'``).
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int, optional): Key toggling the node; disabled it
            passes frames on unchanged. Default: None.
        enable (bool): Whether the node starts enabled. Default: True.
        device (str): Inference device. Default: ``'cuda:0'`` (the CPU when
            CUDA is not available).
        det_interval (int): Detect every this many frames. Default: 1.
        class_ids (list[int], optional): Track objects of these classes
            only; wins over ``labels``. Default: None (all).
        labels (list[str], optional): Track objects with these labels only.
            Default: None (all).
        bbox_thr (float): Lowest detection score kept. Default: 0.5.
        kpt2bbox_cfg (dict, optional): ``scale`` (default 1.5) and
            ``kpt_thr`` (default 0.3) of :func:`keypoints_to_bbox`.
        smooth (bool): Smooth keypoints over time. Default: False.
        smooth_filter_cfg (str): Filter config of the smoothing. Default:
            the one-euro filter.
    """

    default_kpt2bbox_cfg: Dict = dict(scale=1.5, kpt_thr=0.3)

    def __init__(
            self,
            name: str,
            det_model_config: str,
            det_model_checkpoint: str,
            pose_model_config: str,
            pose_model_checkpoint: str,
            input_buffer: str,
            output_buffer: Union[str, List[str]],
            enable_key: Optional[Union[str, int]] = None,
            enable: bool = True,
            device: str = 'cuda:0',
            det_interval: int = 1,
            class_ids: Optional[List] = None,
            labels: Optional[List] = None,
            bbox_thr: float = 0.5,
            kpt2bbox_cfg: Optional[dict] = None,
            smooth: bool = False,
            smooth_filter_cfg: str = 'configs/_base_/filters/one_euro.py'):
        super().__init__(name, input_buffer, output_buffer, enable_key,
                         enable, device)
        self.det_interval = det_interval
        self.class_ids = class_ids
        self.labels = labels
        self.bbox_thr = bbox_thr
        self.kpt2bbox_cfg = dict(self.default_kpt2bbox_cfg,
                                 **(kpt2bbox_cfg or {}))
        self.tracking = PoseTracking(smooth, smooth_filter_cfg)
        self.det_model, self._detect = init_mmdet_model(
            type(self).__name__, det_model_config, det_model_checkpoint,
            self.device)
        self.pose_model = init_mmpose_model(
            pose_model_config, pose_model_checkpoint, self.device)
        #: frames left until the next detection
        self.det_countdown = 0

    def process(self, input_msgs: Dict) -> FrameMessage:
        msg = input_msgs['input']
        img = msg.get_image()
        if self.det_countdown == 0 or self.tracking.last_objects is None:
            objects = self._detect_objects(img)
            self.det_countdown = self.det_interval
        else:
            objects = self._objects_from_last_poses(img.shape)
        self.det_countdown -= 1

        objects = self.tracking(
            estimate_poses(self.pose_model, img, objects, self.bbox_thr))
        return self.output(msg, objects, det_model_cfg=self.det_model.cfg,
                           pose_model_cfg=self.pose_model.cfg)

    def _detect_objects(self, img: np.ndarray) -> List[Dict]:
        """Detected objects of the selected classes."""
        objects = detections_to_objects(
            self._detect(self.det_model, img), self.det_model.CLASSES,
            self.bbox_thr)
        return select_objects(objects, self.class_ids, self.labels)

    def _objects_from_last_poses(self, img_shape: Tuple[int, ...]
                                 ) -> List[Dict]:
        """The last frame's objects, each boxed around its keypoints (its
        old box kept when no keypoint is confident)."""
        objects = []
        for last in self.tracking.last_objects:
            obj = {k: v for k, v in last.items()
                   if k not in ('keypoints', 'track_id', '_id_')}
            box = keypoints_to_bbox(last['keypoints'], img_shape,
                                    **self.kpt2bbox_cfg)
            obj['bbox'] = np.array(last['bbox'], dtype=np.float32)
            if box is not None:
                obj['bbox'][:4] = box
            objects.append(obj)
        return objects
