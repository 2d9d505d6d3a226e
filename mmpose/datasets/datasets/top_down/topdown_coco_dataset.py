"""COCO keypoint dataset for top-down pose estimation."""
from ...builder import DATASETS
from ..base import TopDownBaseDataset


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

    DATASET_INFO = 'coco'
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
