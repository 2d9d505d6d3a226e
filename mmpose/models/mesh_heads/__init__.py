from .discriminator import (FullPoseDiscriminator, PoseDiscriminator,
                            ShapeDiscriminator, SMPLDiscriminator)
from .geometric_layers import (batch_rodrigues, perspective_projection,
                               quat_to_rotmat, rot6d_to_rotmat)
from .hmr_head import MeshHMRHead

__all__ = [
    'MeshHMRHead', 'SMPLDiscriminator', 'PoseDiscriminator',
    'FullPoseDiscriminator', 'ShapeDiscriminator', 'batch_rodrigues',
    'rot6d_to_rotmat', 'quat_to_rotmat', 'perspective_projection'
]
