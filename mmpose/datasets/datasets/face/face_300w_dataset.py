"""300W face landmark dataset (68 points)."""
from ...registry import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class Face300WDataset(TopDownLandmarkDataset):
    """Face300W dataset for top-down face keypoint localization.

    `300 faces In-the-wild challenge: Database and results', Image and
    Vision Computing (IMAVIS) 2019.

    The landmark annotations follow the 68 points mark-up
    (https://ibug.doc.ic.ac.uk/resources/300-W/). Instances use the
    annotated ``center`` and ``scale`` (times 1.25) when present, otherwise
    the 1.25-padded box. ``'NME'`` is normalised by the inter-ocular
    distance (outer eye corners 36 and 45).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_NAME = '300w'
    NUM_JOINTS = 68
    FLIP_PAIRS = ((0, 16), (1, 15), (2, 14), (3, 13), (4, 12), (5, 11),
                  (6, 10), (7, 9), (17, 26), (18, 25), (19, 24), (20, 23),
                  (21, 22), (31, 35), (32, 34), (36, 45), (37, 44), (38, 43),
                  (39, 42), (40, 47), (41, 46), (48, 54), (49, 53), (50, 52),
                  (61, 63), (60, 64), (67, 65), (58, 56), (59, 55))
    ALLOWED_METRICS = ('NME', )
    DEFAULT_METRIC = 'NME'
    NME_NORMALIZE_JOINTS = (36, 45)
    USE_ANNOTATED_CENTER_SCALE = True
