from .associative_embedding import AssociativeEmbedding
from .base import BasePose
from .bottom_up import BottomUp
from .cid import CID
from .gesture_recognizer import GestureRecognizer
from .interhand_3d import Interhand3D
from .one_stage import DisentangledKeypointRegressor
from .mesh import ParametricMesh
from .multi_task import MultiTask
from .multiview_pose import (DetectAndRegress, VoxelCenterDetector,
                             VoxelSinglePose)
from .pose_lifter import PoseLifter
from .posewarper import PoseWarper
from .top_down import TopDown
from .top_down_moe import TopDownMoE

__all__ = [
    'BasePose', 'TopDown', 'BottomUp', 'PoseLifter', 'ParametricMesh',
    'MultiTask', 'AssociativeEmbedding', 'DisentangledKeypointRegressor',
    'CID', 'DetectAndRegress', 'VoxelCenterDetector', 'VoxelSinglePose',
    'GestureRecognizer', 'Interhand3D', 'PoseWarper', 'TopDownMoE'
]
