"""CrowdPose dataset for bottom-up pose estimation."""
from mmpose.core.post_processing import flip_permutation

from ...registry import DATASETS
from ..base import BottomUpBaseDataset
from ..top_down.topdown_crowdpose_dataset import (CROWDPOSE_FLIP_PAIRS,
                                                  CROWDPOSE_SIGMAS)


@DATASETS.register_module()
class BottomUpCrowdPoseDataset(BottomUpBaseDataset):
    """CrowdPose dataset for bottom-up pose estimation.

    mAP uses the ``'keypoints_crowd'`` iou type and the box area, reporting
    ``AP, AP .5, AP .75, AR, AR .5, AR .75, AP(E), AP(M), AP(H)``.

    Keypoint layout and metadata: see :class:`TopDownCrowdPoseDataset`.

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
    FLIP_INDEX = tuple(
        flip_permutation(CROWDPOSE_FLIP_PAIRS, NUM_JOINTS).tolist())
    SIGMAS = CROWDPOSE_SIGMAS
    COCO_IOU_TYPE = 'keypoints_crowd'
    COCO_USE_AREA = False
