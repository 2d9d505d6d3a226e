"""Rendered Handpose Dataset (RHD), 2D keypoints."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class Rhd2DDataset(TopDownLandmarkDataset):
    """Rendered Handpose Dataset for top-down hand pose estimation.

    `Learning to Estimate 3D Hand Pose from Single RGB Images', ICCV'2017.

    21 keypoints per hand (0 wrist, 1-4 thumb tip to base ... 17-20 pinky,
    stored as the dataset's ``keypoints`` [[x, y, v], ...]), boxes padded by
    1.25, no flip pairs. Metrics: ``'PCK'``, ``'AUC'``, ``'EPE'``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'rhd2d'
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'
