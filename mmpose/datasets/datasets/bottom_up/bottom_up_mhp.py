"""MHP v2.0 dataset for bottom-up pose estimation."""
from ...builder import DATASETS
from ..base import BottomUpBaseDataset


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

    DATASET_INFO = 'mhp'
    COCO_USE_AREA = False
