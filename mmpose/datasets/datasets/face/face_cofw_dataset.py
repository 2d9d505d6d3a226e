"""COFW face landmark dataset (29 points)."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class FaceCOFWDataset(TopDownLandmarkDataset):
    """COFW dataset for top-down face keypoint localization.

    `Robust face landmark estimation under occlusion', ICCV'2013.

    29 landmarks. Instances use the annotated ``center`` and ``scale``
    (times 1.25) when present, otherwise the 1.25-padded box. ``'NME'`` is
    normalised by the inter-ocular distance (pupils 8 and 9).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'cofw'
    ALLOWED_METRICS = ('NME', )
    DEFAULT_METRIC = 'NME'
    NME_NORMALIZE_JOINTS = (8, 9)
    USE_ANNOTATED_CENTER_SCALE = True
