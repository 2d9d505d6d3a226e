# the SMPL wrapper and rotation helpers under their 0.29 paths
from ..misc.smpl import SMPL
from .geometry import batch_rodrigues, quat_to_rotmat, rot6d_to_rotmat
# transformer pieces of Swin, HRFormer, PVT and TCFormer
from .ckpt_convert import pvt_convert, swin_converter, tcformer_convert
from .ops import resize, torch_meshgrid_ij
from .realnvp import RealNVP
from .rescore import DekrRescoreNet
from .tcformer_utils import (TCFormerDynamicBlock, TCFormerRegularBlock,
                             TokenConv, cluster_dpc_knn, merge_tokens,
                             token2map, token_interp)
from .transformer import PatchEmbed, PatchMerging, nchw_to_nlc, nlc_to_nchw

__all__ = [
    'RealNVP', 'DekrRescoreNet', 'SMPL', 'batch_rodrigues', 'quat_to_rotmat',
    'rot6d_to_rotmat', 'resize', 'torch_meshgrid_ij', 'PatchEmbed',
    'PatchMerging', 'nchw_to_nlc', 'nlc_to_nchw', 'pvt_convert',
    'swin_converter', 'tcformer_convert', 'TCFormerDynamicBlock',
    'TCFormerRegularBlock', 'TokenConv', 'cluster_dpc_knn', 'merge_tokens',
    'token2map', 'token_interp'
]
