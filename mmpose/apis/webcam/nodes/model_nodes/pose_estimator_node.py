"""Top-down pose estimation of the detected objects of webcam frames."""
from typing import Dict, List, Optional, Union

from mmpose.apis import get_track_id, inference_top_down_pose_model
from mmpose.core.post_processing import Smoother
from ...utils import FrameMessage, get_config_path
from ..registry import NODES
from .model_node import ModelNode, init_mmpose_model, select_objects

__all__ = ['PoseTracking', 'TopDownPoseEstimatorNode', 'estimate_poses']

#: IoU above which a box continues the track of a box of the last frame.
TRACKING_THR = 0.3


def estimate_poses(model, img, objects: List[Dict],
                   bbox_thr: float) -> List[Dict]:
    """Objects (with xyxy ``bbox`` and score) whose box scores above
    ``bbox_thr``, each with ``keypoints`` (np.ndarray[K, 3]) added."""
    pose_results, _ = inference_top_down_pose_model(
        model, img, objects, bbox_thr=bbox_thr, format='xyxy',
        dataset=model.cfg.data.test.type)
    return pose_results


class PoseTracking:
    """Give the poses of consecutive frames track ids (box IoU with the
    last frame, :func:`get_track_id`) and optionally smooth them over time.

    Args:
        smooth (bool): Smooth the keypoints of each track with a
            :class:`Smoother`.
        smooth_filter_cfg (str): Filter config file of the smoother,
            searched in the mmpose package when not found.
    """

    def __init__(self, smooth: bool, smooth_filter_cfg: str):
        self.next_id = 0
        #: the tracked objects of the last frame, before smoothing
        self.last_objects: Optional[List[Dict]] = None
        self.smoother = Smoother(
            get_config_path(smooth_filter_cfg, 'mmpose'),
            keypoint_dim=2) if smooth else None

    def __call__(self, objects: List[Dict]) -> List[Dict]:
        """``objects`` with ``track_id`` (and smoothed keypoints)."""
        objects, self.next_id = get_track_id(
            objects, self.last_objects, self.next_id, use_oks=False,
            tracking_thr=TRACKING_THR)
        self.last_objects = [dict(obj) for obj in objects]
        if self.smoother is not None and objects:
            objects = self.smoother.smooth(objects)
        return objects


@NODES.register_module()
class TopDownPoseEstimatorNode(ModelNode):
    """Estimate the keypoints of the detected objects with a top-down MMPose
    model, tracking them from frame to frame.

    Place it after a :class:`DetectorNode`. The objects that get keypoints
    gain ``keypoints`` (np.ndarray[K, 3]: x, y, score), ``track_id`` and
    ``pose_model_cfg`` (the pose model's config).

    Args:
        name (str): Node (and thread) name.
        model_config (str): Pose model config path (searched in the mmpose
            package when not found).
        model_checkpoint (str): Pose model checkpoint path.
        input_buffer (str): Buffer of frames with detected objects.
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int, optional): Key toggling the node; disabled it
            passes frames on unchanged. Default: None.
        enable (bool): Whether the node starts enabled. Default: True.
        device (str): Inference device. Default: ``'cuda:0'`` (the CPU when
            CUDA is not available).
        class_ids (list[int], optional): Estimate poses of objects of these
            classes only; wins over ``labels``. Default: None (all).
        labels (list[str], optional): Estimate poses of objects with these
            labels only. Default: None (all).
        bbox_thr (float): Skip objects whose box scores are not above it.
            Default: 0.5.
        smooth (bool): Smooth keypoints over time. Default: False.
        smooth_filter_cfg (str): Filter config of the smoothing. Default:
            the one-euro filter.
    """

    def __init__(
            self,
            name: str,
            model_config: str,
            model_checkpoint: str,
            input_buffer: str,
            output_buffer: Union[str, List[str]],
            enable_key: Optional[Union[str, int]] = None,
            enable: bool = True,
            device: str = 'cuda:0',
            class_ids: Optional[List[int]] = None,
            labels: Optional[List[str]] = None,
            bbox_thr: float = 0.5,
            smooth: bool = False,
            smooth_filter_cfg: str = 'configs/_base_/filters/one_euro.py'):
        super().__init__(name, input_buffer, output_buffer, enable_key,
                         enable, device)
        self.model = init_mmpose_model(model_config, model_checkpoint,
                                       self.device)
        self.model_config = self.model.cfg.filename
        self.model_checkpoint = model_checkpoint
        self.class_ids = class_ids
        self.labels = labels
        self.bbox_thr = bbox_thr
        self.tracking = PoseTracking(smooth, smooth_filter_cfg)

    def process(self, input_msgs: Dict) -> FrameMessage:
        msg = input_msgs['input']
        objects = estimate_poses(
            self.model, msg.get_image(),
            select_objects(msg.get_objects(), self.class_ids,
                           self.labels), self.bbox_thr)
        return self.output(msg, self.tracking(objects),
                           pose_model_cfg=self.model.cfg)
