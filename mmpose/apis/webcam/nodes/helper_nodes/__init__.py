"""Helper nodes: monitoring, joining results with frames, recording."""
from .monitor_node import MonitorNode
from .object_assigner_node import ObjectAssignerNode
from .recorder_node import RecorderNode

__all__ = ['MonitorNode', 'ObjectAssignerNode', 'RecorderNode']
