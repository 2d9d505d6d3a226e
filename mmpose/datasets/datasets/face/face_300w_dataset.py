"""300W face landmark dataset (68 points)."""
from ...builder import DATASETS
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

    DATASET_INFO = '300w'
    ALLOWED_METRICS = ('NME', )
    DEFAULT_METRIC = 'NME'
    NME_NORMALIZE_JOINTS = (36, 45)
    USE_ANNOTATED_CENTER_SCALE = True
