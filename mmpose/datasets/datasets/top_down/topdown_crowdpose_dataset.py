"""CrowdPose dataset for top-down pose estimation."""
from ...registry import DATASETS
from ..base import TopDownBaseDataset

CROWDPOSE_FLIP_PAIRS = ((0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11))
CROWDPOSE_SIGMAS = tuple(
    s / 10.0 for s in (.79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87,
                       .89, .89, .79, .79))


@DATASETS.register_module()
class TopDownCrowdPoseDataset(TopDownBaseDataset):
    """CrowdPose dataset for top-down pose estimation.

    `CrowdPose: Efficient Crowded Scenes Pose Estimation and A New
    Benchmark' CVPR'2019. mAP runs COCOeval with the ``'keypoints_crowd'``
    iou type (AP(E)/AP(M)/AP(H) by crowd index) and the box area.

    CrowdPose keypoint indexes::

        0: 'left_shoulder', 1: 'right_shoulder', 2: 'left_elbow',
        3: 'right_elbow', 4: 'left_wrist', 5: 'right_wrist', 6: 'left_hip',
        7: 'right_hip', 8: 'left_knee', 9: 'right_knee', 10: 'left_ankle',
        11: 'right_ankle', 12: 'top_head', 13: 'neck'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_NAME = 'crowdpose'
    NUM_JOINTS = 14
    FLIP_PAIRS = CROWDPOSE_FLIP_PAIRS
    UPPER_BODY_IDS = (0, 1, 2, 3, 4, 5, 12, 13)
    LOWER_BODY_IDS = (6, 7, 8, 9, 10, 11)
    JOINT_WEIGHTS = (0.2, 0.2, 0.2, 1.3, 1.5, 0.2, 1.3, 1.5, 0.2, 0.2, 0.5,
                     0.2, 0.2, 0.5)
    SIGMAS = CROWDPOSE_SIGMAS
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
    COCO_IOU_TYPE = 'keypoints_crowd'
    COCO_USE_AREA = False
