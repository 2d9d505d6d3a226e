"""MHP v2.0 dataset for top-down pose estimation."""
from ...builder import DATASETS
from ..base import TopDownBaseDataset


@DATASETS.register_module()
class TopDownMhpDataset(TopDownBaseDataset):
    """MHPv2.0 dataset for top-down pose estimation.

    The Multi-Human Parsing project of the LV group, NUS
    <https://lv-mhp.github.io/>. The metric is COCO-style mAP (box area),
    which may differ from the official MHP evaluation.

    MHP keypoint indexes::

        0: 'right ankle', 1: 'right knee', 2: 'right hip', 3: 'left hip',
        4: 'left knee', 5: 'left ankle', 6: 'pelvis', 7: 'thorax',
        8: 'upper neck', 9: 'head top', 10: 'right wrist',
        11: 'right elbow', 12: 'right shoulder', 13: 'left shoulder',
        14: 'left elbow', 15: 'left wrist'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config (MHP configs use ground-truth boxes only).
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'mhp'
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
    COCO_USE_AREA = False
    GT_BBOX_ONLY = True
