"""WFLW face landmark dataset (98 points)."""
from ...registry import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class FaceWFLWDataset(TopDownLandmarkDataset):
    """WFLW dataset for top-down face keypoint localization.

    `Look at Boundary: A Boundary-Aware Face Alignment Algorithm', CVPR'2018.

    98 landmarks (https://wywu.github.io/projects/LAB/WFLW.html). Instances
    use the annotated ``center`` and ``scale`` (times 1.25) when present,
    otherwise the 1.25-padded box. ``'NME'`` is normalised by the
    inter-ocular distance (outer eye corners 60 and 72).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_NAME = 'wflw'
    NUM_JOINTS = 98
    FLIP_PAIRS = (
        # face contour
        (0, 32), (1, 31), (2, 30), (3, 29), (4, 28), (5, 27), (6, 26),
        (7, 25), (8, 24), (9, 23), (10, 22), (11, 21), (12, 20), (13, 19),
        (14, 18), (15, 17),
        # eyebrows
        (33, 46), (34, 45), (35, 44), (36, 43), (37, 42), (38, 50), (39, 49),
        (40, 48), (41, 47),
        # eyes
        (60, 72), (61, 71), (62, 70), (63, 69), (64, 68), (65, 75), (66, 74),
        (67, 73),
        # nose
        (55, 59), (56, 58),
        # mouth
        (76, 82), (77, 81), (78, 80), (87, 83), (86, 84), (88, 92), (89, 91),
        (95, 93),
        # pupils
        (96, 97))
    ALLOWED_METRICS = ('NME', )
    DEFAULT_METRIC = 'NME'
    NME_NORMALIZE_JOINTS = (60, 72)
    USE_ANNOTATED_CENTER_SCALE = True
