"""Webcam nodes, all registered in :data:`NODES`."""
from .base_visualizer_node import BaseVisualizerNode
from .node import Node
from .registry import NODES

__all__ = ['BaseVisualizerNode', 'Node', 'NODES']

from .helper_nodes import (MonitorNode, ObjectAssignerNode,  # noqa: E402
                           RecorderNode)

__all__ += ['MonitorNode', 'ObjectAssignerNode', 'RecorderNode']

# model nodes and visualizer nodes (engineer B)
from .model_nodes import (DetectorNode, HandGestureRecognizerNode,  # noqa
                          PoseTrackerNode, TopDownPoseEstimatorNode)
from .visualizer_nodes import (BigeyeEffectNode, NoticeBoardNode,  # noqa
                               ObjectVisualizerNode, SunglassesEffectNode)

__all__ += [
    'DetectorNode', 'TopDownPoseEstimatorNode', 'PoseTrackerNode',
    'HandGestureRecognizerNode', 'ObjectVisualizerNode', 'NoticeBoardNode',
    'SunglassesEffectNode', 'BigeyeEffectNode'
]
