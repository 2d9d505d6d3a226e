"""AI Challenger dataset for top-down pose estimation."""
from ...builder import DATASETS
from ..base import TopDownBaseDataset


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

    DATASET_INFO = 'aic'
    GT_BBOX_ONLY = True
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
    COCO_USE_AREA = False
