# the SMPL wrapper and rotation helpers under their 0.29 path
from ..mesh_heads.geometric_layers import (batch_rodrigues, quat_to_rotmat,
                                           rot6d_to_rotmat)
from ..misc.smpl import SMPL
from .realnvp import RealNVP
from .rescore import DekrRescoreNet

__all__ = ['RealNVP', 'DekrRescoreNet', 'SMPL', 'batch_rodrigues',
           'quat_to_rotmat', 'rot6d_to_rotmat']
