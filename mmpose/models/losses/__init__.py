from .bone_loss import BoneLoss, SemiSupervisionLoss
from .classification_loss import BCELoss
from .heatmap_loss import AdaptiveWingLoss, FocalHeatmapLoss
from .mesh_loss import GANLoss, MeshLoss
from .mse_loss import CombinedTargetMSELoss, JointsMSELoss, JointsOHKMMSELoss
from .multi_loss_factory import AELoss, HeatmapLoss, MultiLossFactory
from .regression_loss import (L1Loss, MPJPELoss, MSELoss, SmoothL1Loss,
                              SoftWeightSmoothL1Loss, SoftWingLoss, WingLoss)
from .rle_loss import RLELoss

__all__ = [
    'JointsMSELoss', 'JointsOHKMMSELoss', 'CombinedTargetMSELoss',
    'HeatmapLoss', 'AELoss', 'MultiLossFactory', 'MeshLoss', 'GANLoss',
    'SmoothL1Loss', 'WingLoss', 'MPJPELoss', 'MSELoss', 'L1Loss', 'BCELoss',
    'SoftWingLoss', 'SoftWeightSmoothL1Loss', 'RLELoss', 'AdaptiveWingLoss',
    'FocalHeatmapLoss', 'BoneLoss', 'SemiSupervisionLoss'
]
