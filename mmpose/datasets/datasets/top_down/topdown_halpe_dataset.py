"""Halpe-FullBody dataset for top-down whole-body pose estimation."""
import numpy as np

from ...registry import DATASETS
from ..base import TopDownBaseDataset
from ..base.dialect_bases import V029ConstructorOrder
from ..base.wholebody_parts import HALPE_PARTS
from .topdown_coco_wholebody_dataset import TopDownCocoWholeBodyDataset


@DATASETS.register_module()
class TopDownHalpeDataset(V029ConstructorOrder, TopDownCocoWholeBodyDataset):
    """Halpe-FullBody dataset for top-down pose estimation.

    https://github.com/Fang-Haoshu/Halpe-FullBody

    136 keypoints: 0-19 body, 20-25 foot, 26-93 face, 94-114 left hand,
    115-135 right hand. Training files hold all of them in ``keypoints``;
    evaluation files split them into the COCO-WholeBody fields
    (``keypoints`` then holds the 20 body points), and both are read. The
    result file and ``'mAP'`` are COCO-WholeBody's (one COCOeval per part,
    whole-body stats reported) with Halpe's sigmas.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        dataset_info (dict | None): 0.29 ``dataset_info`` table; None uses
            ``halpe``.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'halpe'
    PARTS = HALPE_PARTS

    def _parse_keypoints(self, obj: dict) -> np.ndarray:
        """(136, 3) keypoints of a split or a single-field annotation."""
        if 'foot_kpts' in obj:
            return super()._parse_keypoints(obj)
        kpts = TopDownBaseDataset._parse_keypoints(self, obj)
        kpts[:, 2] = kpts[:, 2] > 0
        return kpts
