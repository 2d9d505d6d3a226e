"""Animal-Pose (5 mammal categories) keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownBaseDataset


@DATASETS.register_module()
class AnimalPoseDataset(TopDownBaseDataset):
    """Animal-Pose dataset for animal pose estimation.

    `Cross-domain Adaptation For Animal Pose Estimation', ICCV'2019.

    Animal-Pose keypoint indexes::

        0: 'L_Eye', 1: 'R_Eye', 2: 'L_EarBase', 3: 'R_EarBase', 4: 'Nose',
        5: 'Throat', 6: 'TailBase', 7: 'Withers', 8: 'L_F_Elbow',
        9: 'R_F_Elbow', 10: 'L_B_Elbow', 11: 'R_B_Elbow', 12: 'L_F_Knee',
        13: 'R_F_Knee', 14: 'L_B_Knee', 15: 'R_B_Knee', 16: 'L_F_Paw',
        17: 'R_F_Paw', 18: 'L_B_Paw', 19: 'R_B_Paw'

    COCO-style loading (boxes clipped, padded by 1.25) and ``'mAP'`` with
    sigmas adapted from COCO (the paper gives none).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'animalpose'
    GT_BBOX_ONLY = True
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
