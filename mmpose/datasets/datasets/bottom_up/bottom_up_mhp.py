"""MHP v2.0 dataset for bottom-up pose estimation."""
from mmpose.core.post_processing import flip_permutation

from ...registry import DATASETS
from ..base import BottomUpBaseDataset
from ..top_down.topdown_mhp_dataset import MHP_FLIP_PAIRS, MHP_SIGMAS


@DATASETS.register_module()
class BottomUpMhpDataset(BottomUpBaseDataset):
    """MHPv2.0 dataset for bottom-up pose estimation.

    The Multi-Human Parsing project of the LV group, NUS
    <https://lv-mhp.github.io/>. mAP is COCO-style with the box area.

    Keypoint layout and metadata: see :class:`TopDownMhpDataset`.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_NAME = 'mhp'
    NUM_JOINTS = 16
    FLIP_INDEX = tuple(flip_permutation(MHP_FLIP_PAIRS, NUM_JOINTS).tolist())
    SIGMAS = MHP_SIGMAS
    COCO_USE_AREA = False
