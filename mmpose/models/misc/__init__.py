from .discriminator import SMPLDiscriminator
from .smpl import SMPL, SMPLBody, load_joints_regressor

__all__ = ['SMPL', 'SMPLBody', 'SMPLDiscriminator', 'load_joints_regressor']
