"""COCO dataset for bottom-up pose estimation."""
from ...registry import DATASETS
from ..base import BottomUpBaseDataset
from ..top_down.topdown_coco_dataset import COCO_JOINT_WEIGHTS, COCO_SIGMAS


@DATASETS.register_module()
class BottomUpCocoDataset(BottomUpBaseDataset):
    """COCO dataset for bottom-up pose estimation.

    Samples are whole images with all people (see
    :class:`BottomUpBaseDataset`); ``evaluate`` writes
    ``${res_folder}/result_keypoints.json`` and reports COCO mAP.

    COCO keypoint indexes::

        0: 'nose', 1: 'left_eye', 2: 'right_eye', 3: 'left_ear',
        4: 'right_ear', 5: 'left_shoulder', 6: 'right_shoulder',
        7: 'left_elbow', 8: 'right_elbow', 9: 'left_wrist',
        10: 'right_wrist', 11: 'left_hip', 12: 'right_hip', 13: 'left_knee',
        14: 'right_knee', 15: 'left_ankle', 16: 'right_ankle'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_NAME = 'coco'
    NUM_JOINTS = 17
    FLIP_INDEX = (0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15)
    JOINT_WEIGHTS = COCO_JOINT_WEIGHTS
    SIGMAS = COCO_SIGMAS
