"""Nodes that draw on the frames: objects, a notice board and effects."""
from .bigeye_effect_node import BigeyeEffectNode
from .notice_board_node import NoticeBoardNode
from .object_visualizer_node import ObjectVisualizerNode
from .sunglasses_effect_node import SunglassesEffectNode

__all__ = [
    'ObjectVisualizerNode', 'NoticeBoardNode', 'SunglassesEffectNode',
    'BigeyeEffectNode'
]
