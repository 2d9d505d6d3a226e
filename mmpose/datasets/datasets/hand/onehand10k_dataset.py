"""OneHand10K hand keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class OneHand10KDataset(TopDownLandmarkDataset):
    """OneHand10K dataset for top-down hand pose estimation.

    `Mask-pose Cascaded CNN for 2D Hand Pose Estimation from Single Color
    Images', TCSVT'2019.

    21 keypoints (:data:`HAND21_KEYPOINTS`: 0 wrist, 1-4 thumb, 5-8
    forefinger, 9-12 middle finger, 13-16 ring finger, 17-20 pinky), boxes
    padded by 1.25, no flip pairs. Metrics: ``'PCK'`` (threshold 0.2 of the
    longer box side), ``'AUC'`` (30 pixels), ``'EPE'``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'onehand10k'
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'
