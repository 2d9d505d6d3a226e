"""DeepFashion fashion landmark dataset (upper, lower, full)."""
from typing import Any, Optional, Sequence, Union

from mmpose.errors import ArgumentError, ArgumentTypeError

from ...dataset_info import table_dataset_info, warn_missing_dataset_info
from ...dialects import split_deepfashion_args
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset

#: Number of landmarks and flip pairs of each clothes subset, read from the
#: ``deepfashion_<subset>`` tables.
SUBSETS = {
    subset: dict(
        num_joints=table_dataset_info(f'deepfashion_{subset}').keypoint_num,
        flip_pairs=tuple(
            tuple(p)
            for p in table_dataset_info(f'deepfashion_{subset}').flip_pairs))
    for subset in ('upper', 'lower', 'full')
}


@DATASETS.register_module()
class DeepFashionDataset(TopDownLandmarkDataset):
    """Fashion landmark detection on DeepFashion (upper, lower or full-body
    clothes, chosen by ``subset``).

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
        subset (str): ``'upper'``, ``'lower'`` or ``'full'`` clothes (may
            be empty with ``dataset_info``, as 0.29 allows).
        data_cfg (dict): config (required; the default only lets 0.29's
            parameter order through).
        pipeline (list[dict | callable]): A sequence of data transforms
            (required, as ``data_cfg``).
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
        dataset_info (dict | None): 0.29 ``dataset_info``; None reads the
            ``deepfashion_<subset>`` table (after a ``DeprecationWarning``).
    """

    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 subset: str = '',
                 data_cfg: Optional[dict] = None,
                 pipeline: Optional[Sequence[Union[dict, Any]]] = None,
                 test_mode: bool = False,
                 dataset_info: Optional[dict] = None):
        subset, data_cfg, pipeline, test_mode, dataset_info = \
            split_deepfashion_args(subset, data_cfg, pipeline, test_mode,
                                   dataset_info)
        if data_cfg is None or pipeline is None:
            raise ArgumentTypeError('DeepFashionDataset needs data_cfg and '
                                    'pipeline')
        if subset not in SUBSETS and not (dataset_info and not subset):
            raise ArgumentError(f'DeepFashionDataset: subset {subset!r} is '
                                f'not one of {sorted(SUBSETS)} (it may be '
                                'left empty when dataset_info is given)')
        self.subset = subset
        if dataset_info is None:
            warn_missing_dataset_info(type(self).__name__,
                                      f'deepfashion_{subset}')
            dataset_info = table_dataset_info(f'deepfashion_{subset}')
        super().__init__(
            ann_file,
            img_prefix,
            data_cfg,
            pipeline,
            test_mode=test_mode,
            dataset_info=dataset_info)
