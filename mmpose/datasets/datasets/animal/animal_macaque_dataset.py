"""MacaquePose animal keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownBaseDataset


@DATASETS.register_module()
class AnimalMacaqueDataset(TopDownBaseDataset):
    """MacaquePose dataset for animal pose estimation.

    `MacaquePose: A novel 'in the wild' macaque monkey pose dataset for
    markerless motion capture', bioRxiv'2020.

    The 17 keypoints, flip pairs and OKS sigmas are those of COCO persons
    (0: 'nose', 1: 'left_eye', 2: 'right_eye', 3: 'left_ear',
    4: 'right_ear', 5: 'left_shoulder', 6: 'right_shoulder',
    7: 'left_elbow', 8: 'right_elbow', 9: 'left_wrist', 10: 'right_wrist',
    11: 'left_hip', 12: 'right_hip', 13: 'left_knee', 14: 'right_knee',
    15: 'left_ankle', 16: 'right_ankle'). COCO-style loading and ``'mAP'``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'macaque'
    GT_BBOX_ONLY = True
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
