"""CrowdPose dataset for bottom-up pose estimation."""
from ...registry import DATASETS
from ..base import BottomUpBaseDataset
from ..top_down.topdown_crowdpose_dataset import CROWDPOSE_SIGMAS


@DATASETS.register_module()
class BottomUpCrowdPoseDataset(BottomUpBaseDataset):
    """CrowdPose dataset for bottom-up pose estimation.

    mAP uses the ``'keypoints_crowd'`` iou type and the box area, reporting
    ``AP, AP .5, AP .75, AR, AR .5, AR .75, AP(E), AP(M), AP(H)``.

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
    FLIP_INDEX = (1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 12, 13)
    SIGMAS = CROWDPOSE_SIGMAS
    COCO_IOU_TYPE = 'keypoints_crowd'
    COCO_USE_AREA = False
