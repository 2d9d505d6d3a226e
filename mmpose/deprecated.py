"""Deprecated names at their MMPose 0.x module path ``mmpose.deprecated``.

0.14 kept the renamed top-down hand datasets here; 0.29 added the 0.14
names of the renamed heads and of the bottom-up detector (see
:data:`mmpose.dialects.RENAMED`). Each is defined where its family lives;
this module re-exports them with the registries they are registered in.
"""
from .datasets.datasets.hand.deprecated_hand_datasets import (
    TopDownFreiHandDataset, TopDownOneHand10KDataset, TopDownPanopticDataset)
from .datasets.builder import DATASETS
from .models.builder import HEADS, POSENETS
from .models.detectors import BottomUp
from .models.keypoint_heads import (BottomUpHigherResolutionHead,
                                    BottomUpSimpleHead, FcHead,
                                    TopDownMSMUHead, TopDownMultiStageHead,
                                    TopDownSimpleHead)
from .models.mesh_heads import MeshHMRHead

__all__ = [
    'DATASETS', 'HEADS', 'POSENETS', 'TopDownFreiHandDataset',
    'TopDownOneHand10KDataset', 'TopDownPanopticDataset',
    'BottomUpHigherResolutionHead', 'BottomUpSimpleHead', 'TopDownSimpleHead',
    'TopDownMultiStageHead', 'TopDownMSMUHead', 'MeshHMRHead', 'FcHead',
    'BottomUp'
]
