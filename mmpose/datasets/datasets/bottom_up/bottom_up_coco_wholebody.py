"""COCO-WholeBody dataset for bottom-up pose estimation."""
from typing import Any, Dict, List

import numpy as np

from ...builder import DATASETS
from ..base import BottomUpBaseDataset
from ..base.dialect_bases import V029ConstructorOrder
from ..base.wholebody_parts import WholeBodyEvalMixin


@DATASETS.register_module()
class BottomUpCocoWholeBodyDataset(V029ConstructorOrder, WholeBodyEvalMixin,
                                   BottomUpBaseDataset):
    """COCO-WholeBody dataset for bottom-up pose estimation.

    `Whole-Body Human Pose Estimation in the Wild', ECCV'2020.

    Samples are whole images with all people (see
    :class:`BottomUpBaseDataset`), each person's 133 keypoints joined from
    ``keypoints`` (0-16 body), ``foot_kpts`` (17-22), ``face_kpts``
    (23-90), ``lefthand_kpts`` (91-111) and ``righthand_kpts`` (112-132).
    ``evaluate`` writes the predictions split into these fields to
    ``${res_folder}/result_keypoints.json`` and runs COCOeval on every part
    (printed), reporting the whole-body ``'mAP'`` stats.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        dataset_info (dict | None): 0.29 ``dataset_info`` table; None uses
            ``coco_wholebody``.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'coco_wholebody'
    COCO_IOU_TYPE = 'keypoints_wholebody'

    def _parse_keypoints(self, obj: dict) -> np.ndarray:
        """(133, 3) keypoints joined from the part fields."""
        return self.PARTS.join(
            obj, f"{self.ann_file}: annotation id {obj.get('id')}").astype(
                np.float32)

    def _nms_and_format(self, kpts: Dict[Any, List[dict]]) -> List[dict]:
        """Result entries with the keypoints split into the part fields."""
        results = super()._nms_and_format(kpts)
        for result in results:
            result.update(self.PARTS.split(result['keypoints']))
        return results
