"""CrowdPose dataset for top-down pose estimation."""
from ...builder import DATASETS
from ..base import TopDownBaseDataset


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

    DATASET_INFO = 'crowdpose'
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
    COCO_IOU_TYPE = 'keypoints_crowd'
    COCO_USE_AREA = False
