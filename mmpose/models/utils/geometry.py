"""MMPose 0.29 module path of the rotation helpers (defined once in
:mod:`mmpose.models.mesh_heads.geometric_layers`, the 0.14 path)."""
from ..mesh_heads.geometric_layers import (batch_rodrigues, quat_to_rotmat,
                                           rot6d_to_rotmat)

__all__ = ['batch_rodrigues', 'quat_to_rotmat', 'rot6d_to_rotmat']
