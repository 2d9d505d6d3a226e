"""MHP v2.0 dataset for top-down pose estimation."""
from ...registry import DATASETS
from ..base import TopDownBaseDataset
from .topdown_mpii_dataset import (MPII_FLIP_PAIRS, MPII_LOWER_BODY_IDS,
                                   MPII_UPPER_BODY_IDS)

#: MHP keypoints follow the MPII layout.
MHP_FLIP_PAIRS = MPII_FLIP_PAIRS
MHP_SIGMAS = tuple(
    s / 10.0 for s in (0.89, 0.83, 1.07, 1.07, 0.83, 0.89, 0.26, 0.26, 0.26,
                       0.26, 0.62, 0.72, 1.79, 1.79, 0.72, 0.62))


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

    DATASET_NAME = 'mhp'
    NUM_JOINTS = 16
    FLIP_PAIRS = MHP_FLIP_PAIRS
    UPPER_BODY_IDS = MPII_UPPER_BODY_IDS
    LOWER_BODY_IDS = MPII_LOWER_BODY_IDS
    JOINT_WEIGHTS = (1.5, 1.2, 1., 1., 1.2, 1.5, 1., 1., 1., 1., 1.5, 1.2, 1.,
                     1., 1.2, 1.5)
    SIGMAS = MHP_SIGMAS
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
    COCO_USE_AREA = False

    def _get_db(self):
        """MHP is evaluated on ground-truth boxes only."""
        if self.test_mode and not self.use_gt_bbox:
            raise ValueError(f'{type(self).__name__} supports ground-truth '
                             'boxes only (data_cfg.use_gt_bbox=True)')
        return self._load_coco_keypoint_annotations()
