"""Shared base classes and evaluation helpers of the keypoint datasets."""
from .bottom_up_base_dataset import BottomUpBaseDataset
from .coco_eval import (COCO_STATS_NAMES, CROWDPOSE_STATS_NAMES,
                        coco_keypoint_eval, coco_wholebody_eval, load_coco,
                        load_json, write_json)
from .keypoint_base_dataset import KeypointBaseDataset
from .topdown_base_dataset import TopDownBaseDataset, sort_and_unique
from .topdown_landmark_dataset import TopDownLandmarkDataset

# Last: the 0.29 bases need the body3d package, whose modules import the
# helpers above from this package.
from .dialect_bases import (  # isort:skip
    Kpt2dSviewRgbImgBottomUpDataset,
    Kpt2dSviewRgbImgTopDownDataset,
    Kpt2dSviewRgbVidTopDownDataset,
    Kpt3dMviewRgbImgDirectDataset,
    Kpt3dSviewKpt2dDataset,
    Kpt3dSviewRgbImgTopDownDataset)

__all__ = [
    'KeypointBaseDataset',
    'TopDownBaseDataset', 'TopDownLandmarkDataset', 'BottomUpBaseDataset',
    'coco_keypoint_eval', 'coco_wholebody_eval', 'load_coco', 'load_json',
    'write_json', 'sort_and_unique', 'COCO_STATS_NAMES',
    'CROWDPOSE_STATS_NAMES', 'Kpt2dSviewRgbImgTopDownDataset',
    'Kpt2dSviewRgbImgBottomUpDataset', 'Kpt2dSviewRgbVidTopDownDataset',
    'Kpt3dSviewRgbImgTopDownDataset', 'Kpt3dSviewKpt2dDataset',
    'Kpt3dMviewRgbImgDirectDataset'
]
