"""HMR head (SMPL parameter regressor) under its MMPose 0.29 name."""
from ..builder import HEADS
from ..mesh_heads.hmr_head import MeshHMRHead

__all__ = ['HMRMeshHead']


@HEADS.register_module()
class HMRMeshHead(MeshHMRHead):
    """0.29 name of :class:`MeshHMRHead`: same arguments and
    parameters."""
