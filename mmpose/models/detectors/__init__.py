from .associative_embedding import AssociativeEmbedding
from .base import BasePose
from .bottom_up import BottomUp
from .cid import CID
from .dekr import DisentangledKeypointRegressor
from .mesh import ParametricMesh
from .multi_task import MultiTask
from .pose_lifter import PoseLifter
from .top_down import TopDown

__all__ = [
    'BasePose', 'TopDown', 'BottomUp', 'PoseLifter', 'ParametricMesh',
    'MultiTask', 'AssociativeEmbedding', 'DisentangledKeypointRegressor',
    'CID'
]
