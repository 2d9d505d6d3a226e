"""DeepFashion fashion landmark dataset (upper, lower, full)."""
from typing import Any, Sequence, Union

from ...registry import DATASETS
from ..base import TopDownLandmarkDataset

#: Flip pairs and landmark count of each clothes subset.
SUBSETS = {
    'upper': dict(num_joints=6, flip_pairs=((0, 1), (2, 3), (4, 5))),
    'lower': dict(num_joints=4, flip_pairs=((0, 1), (2, 3))),
    'full': dict(num_joints=8, flip_pairs=((0, 1), (2, 3), (4, 5), (6, 7))),
}


@DATASETS.register_module()
class DeepFashionDataset(TopDownLandmarkDataset):
    """DeepFashion dataset (full-body clothes) for fashion landmark detection.

    `DeepFashion: Powering Robust Clothes Recognition and Retrieval with
    Rich Annotations', CVPR'2016 and `Fashion Landmark Detection in the
    Wild', ECCV'2016.

    Fashion landmark indexes for upper-body clothes::

        0: 'left collar', 1: 'right collar', 2: 'left sleeve',
        3: 'right sleeve', 4: 'left hem', 5: 'right hem'

    Fashion landmark indexes for lower-body clothes::

        0: 'left waistline', 1: 'right waistline', 2: 'left hem',
        3: 'right hem'

    Fashion landmark indexes for full-body clothes::

        0: 'left collar', 1: 'right collar', 2: 'left sleeve',
        3: 'right sleeve', 4: 'left waistline', 5: 'right waistline',
        6: 'left hem', 7: 'right hem'

    Ground-truth boxes padded by 1.25 (``use_gt_bbox``/``bbox_file`` are
    ignored, as in 0.x). Metrics: ``'PCK'``, ``'AUC'``, ``'EPE'``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        subset (str): ``'upper'``, ``'lower'`` or ``'full'`` clothes.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_NAME = 'deepfashion'
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 subset: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 test_mode: bool = False):
        if subset not in SUBSETS:
            raise ValueError(f'DeepFashionDataset: subset {subset!r} is not '
                             f'one of {sorted(SUBSETS)}')
        self.subset = subset
        # instance attributes shadow the class metadata for this subset
        self.NUM_JOINTS = SUBSETS[subset]['num_joints']
        self.FLIP_PAIRS = SUBSETS[subset]['flip_pairs']
        self.DATASET_NAME = f'deepfashion_{subset}'
        super().__init__(
            ann_file, img_prefix, data_cfg, pipeline, test_mode=test_mode)
