from .dekr_cid_decode import nearby_joints_nms
from .group import HeatmapParser
from .nms import oks_iou, oks_nms, soft_oks_nms
from .one_euro_filter import OneEuroFilter
from .post_transforms import (affine_transform, flip_back, flip_permutation,
                              fliplr_joints, fliplr_regression,
                              get_affine_transform, get_warp_matrix,
                              rotate_point, transform_preds,
                              warp_affine_joints)

__all__ = [
    'affine_transform', 'flip_back', 'fliplr_joints', 'fliplr_regression',
    'get_affine_transform', 'get_warp_matrix', 'oks_iou', 'oks_nms',
    'soft_oks_nms', 'rotate_point', 'transform_preds', 'warp_affine_joints',
    'OneEuroFilter', 'HeatmapParser', 'flip_permutation', 'nearby_joints_nms'
]

# MMPose 0.29: temporal smoothing (the 0.14 ``OneEuroFilter`` helper above
# stays; the 0.29 filter of that name is ``temporal_filters.OneEuroFilter``)
from .smoother import Smoother  # noqa: E402
from . import temporal_filters  # noqa: E402,F401

__all__ += ['Smoother']
