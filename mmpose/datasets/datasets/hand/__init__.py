"""2D and 3D hand keypoint datasets."""
from .deprecated_hand_datasets import (TopDownFreiHandDataset,
                                       TopDownOneHand10KDataset,
                                       TopDownPanopticDataset)
from .freihand_dataset import FreiHandDataset
from .hand_coco_wholebody_dataset import HandCocoWholeBodyDataset
from .interhand2d_dataset import InterHand2DDataset
from .interhand3d_dataset import InterHand3DDataset
from .onehand10k_dataset import OneHand10KDataset
from .panoptic_dataset import PanopticDataset
from .rhd2d_dataset import Rhd2DDataset

__all__ = [
    'OneHand10KDataset', 'FreiHandDataset', 'PanopticDataset',
    'Rhd2DDataset', 'InterHand2DDataset', 'InterHand3DDataset',
    'TopDownFreiHandDataset', 'TopDownOneHand10KDataset',
    'TopDownPanopticDataset', 'HandCocoWholeBodyDataset'
]
