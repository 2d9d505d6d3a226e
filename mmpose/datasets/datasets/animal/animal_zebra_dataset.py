"""Grévy's zebra animal keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class AnimalZebraDataset(TopDownLandmarkDataset):
    """AnimalZebraDataset for animal pose estimation.

    `DeepPoseKit, a software toolkit for fast and robust animal pose
    estimation using deep learning', Elife'2019.

    Zebra keypoint indexes::

        0: 'snout', 1: 'head', 2: 'neck', 3: 'forelegL1', 4: 'forelegR1',
        5: 'hindlegL1', 6: 'hindlegR1', 7: 'tailbase', 8: 'tailtip'

    Boxes padded by 1.25. Metrics: ``'PCK'``, ``'AUC'``, ``'EPE'``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'zebra'
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'
