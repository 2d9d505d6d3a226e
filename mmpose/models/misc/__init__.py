from .discriminator import SMPLDiscriminator
from .smpl import SMPL, load_joints_regressor

__all__ = ['SMPL', 'SMPLDiscriminator', 'load_joints_regressor']
