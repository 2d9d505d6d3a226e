"""Nodes that run models: detection, top-down pose estimation, pose
tracking and hand gesture recognition."""
from .detector_node import DetectorNode
from .hand_gesture_node import HandGestureRecognizerNode
from .pose_estimator_node import TopDownPoseEstimatorNode
from .pose_tracker_node import PoseTrackerNode

__all__ = [
    'DetectorNode', 'TopDownPoseEstimatorNode', 'PoseTrackerNode',
    'HandGestureRecognizerNode'
]
