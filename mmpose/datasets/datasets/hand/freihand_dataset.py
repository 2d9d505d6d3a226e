"""FreiHAND hand keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class FreiHandDataset(TopDownLandmarkDataset):
    """FreiHand dataset for top-down hand pose estimation.

    `FreiHAND: A Dataset for Markerless Capture of Hand Pose and Shape from
    Single RGB Images', ICCV'2019.

    21 keypoints in the OneHand10K order (0 wrist, 1-4 thumb, 5-8
    forefinger, 9-12 middle finger, 13-16 ring finger, 17-20 pinky) on
    224x224 images, boxes padded by 1.25, no flip pairs. Metrics:
    ``'PCK'``, ``'AUC'``, ``'EPE'``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'freihand2d'
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'
