"""MMPose 0.29 module path of the :class:`SMPL` wrapper (defined in
:mod:`mmpose.models.misc.smpl`)."""
from ..builder import MESH_MODELS
from ..misc.smpl import SMPL

__all__ = ['MESH_MODELS', 'SMPL']
