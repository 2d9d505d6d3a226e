"""AI Challenger dataset for top-down pose estimation."""
from ...registry import DATASETS
from ..base import TopDownBaseDataset

AIC_FLIP_PAIRS = ((0, 3), (1, 4), (2, 5), (6, 9), (7, 10), (8, 11))
AIC_SIGMAS = (0.01388152, 0.01515228, 0.01057665, 0.01417709, 0.01497891,
              0.01402144, 0.03909642, 0.03686941, 0.01981803, 0.03843971,
              0.03412318, 0.02415081, 0.01291456, 0.01236173)


@DATASETS.register_module()
class TopDownAicDataset(TopDownBaseDataset):
    """AI Challenger dataset for top-down pose estimation.

    `AI Challenger: A Large-scale Dataset for Going Deeper in Image
    Understanding'. COCO-format annotations; mAP uses the box area
    (``use_area=False``) since AIC areas are not annotated.

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
    FLIP_PAIRS = AIC_FLIP_PAIRS
    UPPER_BODY_IDS = (0, 1, 2, 3, 4, 5, 12, 13)
    LOWER_BODY_IDS = (6, 7, 8, 9, 10, 11)
    JOINT_WEIGHTS = (1., 1.2, 1.5, 1., 1.2, 1.5, 1., 1.2, 1.5, 1., 1.2, 1.5,
                     1., 1.)
    SIGMAS = AIC_SIGMAS
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
    COCO_USE_AREA = False
