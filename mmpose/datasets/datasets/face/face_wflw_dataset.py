"""WFLW face landmark dataset (98 points)."""
from ...builder import DATASETS
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

    DATASET_INFO = 'wflw'
    ALLOWED_METRICS = ('NME', )
    DEFAULT_METRIC = 'NME'
    NME_NORMALIZE_JOINTS = (60, 72)
    USE_ANNOTATED_CENTER_SCALE = True
