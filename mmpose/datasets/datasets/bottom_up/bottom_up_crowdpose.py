"""CrowdPose dataset for bottom-up pose estimation."""
from ...builder import DATASETS
from ..base import BottomUpBaseDataset


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

    DATASET_INFO = 'crowdpose'
    COCO_IOU_TYPE = 'keypoints_crowd'
    COCO_USE_AREA = False
