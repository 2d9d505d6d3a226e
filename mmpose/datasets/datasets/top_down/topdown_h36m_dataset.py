"""Human3.6M images as a 2D top-down keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset
from ..base.dialect_bases import V029ConstructorOrder


@DATASETS.register_module()
class TopDownH36MDataset(V029ConstructorOrder, TopDownLandmarkDataset):
    """Human3.6M dataset for top-down 2D pose estimation.

    `Human3.6M: Large Scale Datasets and Predictive Methods for 3D Human
    Sensing in Natural Environments', TPAMI'2014.

    COCO-format annotations; every instance with a labelled keypoint is
    kept with its box as annotated (not clipped) padded by 1.25. Metrics:
    ``'PCK'`` (0.2 of the longer box side) and ``'EPE'``.

    Human3.6M keypoint indexes::

        0: 'root (pelvis)', 1: 'right_hip', 2: 'right_knee',
        3: 'right_foot', 4: 'left_hip', 5: 'left_knee', 6: 'left_foot',
        7: 'spine', 8: 'thorax', 9: 'neck_base', 10: 'head',
        11: 'left_shoulder', 12: 'left_elbow', 13: 'left_wrist',
        14: 'right_shoulder', 15: 'right_elbow', 16: 'right_wrist'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        dataset_info (dict | None): 0.29 ``dataset_info`` table; None uses
            ``h36m``.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'h36m'
    ALLOWED_METRICS = ('PCK', 'EPE')
    DEFAULT_METRIC = 'PCK'
