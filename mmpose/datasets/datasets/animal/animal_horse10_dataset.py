"""Horse-10 animal keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class AnimalHorse10Dataset(TopDownLandmarkDataset):
    """AnimalHorse10Dataset for animal pose estimation.

    `Pretraining boosts out-of-domain robustness for pose estimation',
    WACV'2021.

    Horse-10 keypoint indexes::

        0: 'Nose', 1: 'Eye', 2: 'Nearknee', 3: 'Nearfrontfetlock',
        4: 'Nearfrontfoot', 5: 'Offknee', 6: 'Offfrontfetlock',
        7: 'Offfrontfoot', 8: 'Shoulder', 9: 'Midshoulder', 10: 'Elbow',
        11: 'Girth', 12: 'Wither', 13: 'Nearhindhock',
        14: 'Nearhindfetlock', 15: 'Nearhindfoot', 16: 'Hip', 17: 'Stifle',
        18: 'Offhindhock', 19: 'Offhindfetlock', 20: 'Offhindfoot',
        21: 'Ischium'

    Boxes padded by 1.25; no flip pairs (horses are seen from the side).
    Metrics: ``'PCK'`` and ``'NME'`` (normalised by the nose-eye distance).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'horse10'
    ALLOWED_METRICS = ('PCK', 'NME')
    DEFAULT_METRIC = 'PCK'
    NME_NORMALIZE_JOINTS = (0, 1)
