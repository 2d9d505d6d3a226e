"""COCO-WholeBody dataset for top-down pose estimation."""
import numpy as np

from ...builder import DATASETS
from ..base.wholebody_parts import WholeBodyEvalMixin
from .topdown_coco_dataset import TopDownCocoDataset


@DATASETS.register_module()
class TopDownCocoWholeBodyDataset(WholeBodyEvalMixin, TopDownCocoDataset):
    """COCO-WholeBody dataset for top-down pose estimation.

    `Whole-Body Human Pose Estimation in the Wild' ECCV'2020.

    133 keypoints: 0-16 body, 17-22 foot, 23-90 face, 91-111 left hand,
    112-132 right hand, read from ``keypoints``, ``foot_kpts``,
    ``face_kpts``, ``lefthand_kpts`` and ``righthand_kpts``. A keypoint is
    visible when its flag is > 0. The result file splits the keypoints back
    into these fields; mAP runs COCOeval for each part (printed) and reports
    the whole-body numbers.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'coco_wholebody'
    COCO_IOU_TYPE = 'keypoints_wholebody'

    def _parse_keypoints(self, obj: dict) -> np.ndarray:
        """(K, 3) keypoints joined from the part fields."""
        what = f"annotation id {obj.get('id')} (image {obj.get('image_id')})"
        kpts = self._check_keypoints(
            self.PARTS.join(obj, f'{self.ann_file}: {what}'), what)
        # visibility flags > 0 mean labelled, whatever their value
        kpts[:, 2] = kpts[:, 2] > 0
        return kpts

    def _coco_result(self, kpt: dict, category_id: int) -> dict:
        """Result entry with the keypoints split into the part fields."""
        result = super()._coco_result(kpt, category_id)
        result.update(self.PARTS.split(kpt['keypoints']))
        return result
