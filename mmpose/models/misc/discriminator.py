"""Import location of the SMPL discriminator used by MMPose 0.x."""
from ..mesh_heads.discriminator import (FullPoseDiscriminator,
                                        PoseDiscriminator, ShapeDiscriminator,
                                        SMPLDiscriminator)

__all__ = [
    'SMPLDiscriminator', 'PoseDiscriminator', 'FullPoseDiscriminator',
    'ShapeDiscriminator'
]
