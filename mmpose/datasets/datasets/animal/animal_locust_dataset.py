"""Desert locust animal keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class AnimalLocustDataset(TopDownLandmarkDataset):
    """AnimalLocustDataset for animal pose estimation.

    `DeepPoseKit, a software toolkit for fast and robust animal pose
    estimation using deep learning', Elife'2019.

    Desert Locust keypoint indexes::

        0: 'head', 1: 'neck', 2: 'thorax', 3: 'abdomen1', 4: 'abdomen2',
        5: 'anttipL', 6: 'antbaseL', 7: 'eyeL', 8-11: 'forelegL1-4',
        12-15: 'midlegL1-4', 16-19: 'hindlegL1-4', 20: 'anttipR',
        21: 'antbaseR', 22: 'eyeR', 23-26: 'forelegR1-4',
        27-30: 'midlegR1-4', 31-34: 'hindlegR1-4'

    Boxes padded by 1.25. Metrics: ``'PCK'``, ``'AUC'``, ``'EPE'``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'locust'
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'
