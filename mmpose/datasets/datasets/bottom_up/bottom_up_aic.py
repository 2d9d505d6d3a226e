"""AI Challenger dataset for bottom-up pose estimation."""
from ...registry import DATASETS
from ..base import BottomUpBaseDataset
from ..top_down.topdown_aic_dataset import AIC_SIGMAS


@DATASETS.register_module()
class BottomUpAicDataset(BottomUpBaseDataset):
    """AI Challenger dataset for bottom-up pose estimation.

    `AI Challenger: A Large-scale Dataset for Going Deeper in Image
    Understanding'. mAP is COCO-style with the box area.

    AIC keypoint indexes::

        0: 'right_shoulder', 1: 'right_elbow', 2: 'right_wrist',
        3: 'left_shoulder', 4: 'left_elbow', 5: 'left_wrist',
        6: 'right_hip', 7: 'right_knee', 8: 'right_ankle', 9: 'left_hip',
        10: 'left_knee', 11: 'left_ankle', 12: 'head_top', 13: 'neck'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_NAME = 'aic'
    NUM_JOINTS = 14
    FLIP_INDEX = (3, 4, 5, 0, 1, 2, 9, 10, 11, 6, 7, 8, 12, 13)
    SIGMAS = AIC_SIGMAS
    COCO_USE_AREA = False
