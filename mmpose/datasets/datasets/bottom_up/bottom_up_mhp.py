"""MHP v2.0 dataset for bottom-up pose estimation."""
from ...registry import DATASETS
from ..base import BottomUpBaseDataset
from ..top_down.topdown_mhp_dataset import MHP_SIGMAS


@DATASETS.register_module()
class BottomUpMhpDataset(BottomUpBaseDataset):
    """MHPv2.0 dataset for bottom-up pose estimation.

    The Multi-Human Parsing project of the LV group, NUS
    <https://lv-mhp.github.io/>. mAP is COCO-style with the box area.

    MHP keypoint indexes::

        0: 'right ankle', 1: 'right knee', 2: 'right hip', 3: 'left hip',
        4: 'left knee', 5: 'left ankle', 6: 'pelvis', 7: 'thorax',
        8: 'upper neck', 9: 'head top', 10: 'right wrist',
        11: 'right elbow', 12: 'right shoulder', 13: 'left shoulder',
        14: 'left elbow', 15: 'left wrist'

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
    FLIP_INDEX = (5, 4, 3, 2, 1, 0, 6, 7, 8, 9, 15, 14, 13, 12, 11, 10)
    SIGMAS = MHP_SIGMAS
    COCO_USE_AREA = False
