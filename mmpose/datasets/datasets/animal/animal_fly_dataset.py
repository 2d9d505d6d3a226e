"""Vinegar fly animal keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class AnimalFlyDataset(TopDownLandmarkDataset):
    """AnimalFlyDataset for animal pose estimation.

    `Fast animal pose estimation using deep neural networks', Nature
    methods'2019.

    Vinegar Fly keypoint indexes::

        0: 'head', 1: 'eyeL', 2: 'eyeR', 3: 'neck', 4: 'thorax',
        5: 'abdomen', 6-9: 'forelegR1-4', 10-13: 'midlegR1-4',
        14-17: 'hindlegR1-4', 18-21: 'forelegL1-4', 22-25: 'midlegL1-4',
        26-29: 'hindlegL1-4', 30: 'wingL', 31: 'wingR'

    Boxes padded by 1.25. Metrics: ``'PCK'``, ``'AUC'``, ``'EPE'``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'fly'
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'
