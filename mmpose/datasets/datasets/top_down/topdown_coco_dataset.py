"""COCO keypoint dataset for top-down pose estimation."""
from ...registry import DATASETS
from ..base import TopDownBaseDataset

#: COCO person keypoint metadata, shared by the COCO-layout datasets.
COCO_FLIP_PAIRS = ((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12),
                   (13, 14), (15, 16))
COCO_UPPER_BODY_IDS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
COCO_LOWER_BODY_IDS = (11, 12, 13, 14, 15, 16)
COCO_JOINT_WEIGHTS = (1., 1., 1., 1., 1., 1., 1., 1.2, 1.2, 1.5, 1.5, 1., 1.,
                      1.2, 1.2, 1.5, 1.5)
COCO_SIGMAS = tuple(
    s / 10.0 for s in (.26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62,
                       1.07, 1.07, .87, .87, .89, .89))


@DATASETS.register_module()
class TopDownCocoDataset(TopDownBaseDataset):
    """COCO dataset for top-down pose estimation.

    `Microsoft COCO: Common Objects in Context' ECCV'2014.

    Ground-truth boxes, or at test time the person boxes of
    ``data_cfg.bbox_file`` (``use_gt_bbox=False``) above ``det_bbox_thr``.
    Evaluation (``'mAP'``) rescores each instance by its box score times the
    mean score of the keypoints above ``vis_thr``, applies (soft) OKS-NMS
    per image with ``oks_thr`` and runs COCOeval on
    ``${res_folder}/result_keypoints.json``.

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
    FLIP_PAIRS = COCO_FLIP_PAIRS
    UPPER_BODY_IDS = COCO_UPPER_BODY_IDS
    LOWER_BODY_IDS = COCO_LOWER_BODY_IDS
    JOINT_WEIGHTS = COCO_JOINT_WEIGHTS
    SIGMAS = COCO_SIGMAS
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
