"""COCO-WholeBody dataset for top-down pose estimation."""
from typing import List, Tuple

import numpy as np

from mmpose.errors import ArgumentError, UnknownNameError

from ...registry import DATASETS
from ..base import coco_wholebody_eval
from .topdown_coco_dataset import TopDownCocoDataset

#: Annotation field, evaluation part name and number of keypoints of each
#: part, in index order.
WHOLEBODY_PARTS = (('keypoints', 'body', 17), ('foot_kpts', 'foot', 6),
                   ('face_kpts', 'face', 68),
                   ('lefthand_kpts', 'lefthand', 21),
                   ('righthand_kpts', 'righthand', 21))


@DATASETS.register_module()
class TopDownCocoWholeBodyDataset(TopDownCocoDataset):
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
        """(133, 3) keypoints: body, foot, face, left and right hand."""
        what = f"annotation id {obj.get('id')} (image {obj.get('image_id')})"
        parts = []
        for field, _, num in WHOLEBODY_PARTS:
            if field not in obj:
                raise UnknownNameError(f'{self.ann_file}: {what} has no '
                                       f'{field}')
            if len(obj[field]) != num * 3:
                raise ArgumentError(f'{self.ann_file}: {what} has '
                                    f'{len(obj[field])} values in {field}, '
                                    f'expected {num * 3}')
            parts.extend(obj[field])
        kpts = self._check_keypoints(parts, what)
        # visibility flags > 0 mean labelled, whatever their value
        kpts[:, 2] = kpts[:, 2] > 0
        return kpts

    def _coco_result(self, kpt: dict, category_id: int) -> dict:
        """Result entry with the keypoints split into the part fields."""
        result = super()._coco_result(kpt, category_id)
        flat = np.asarray(kpt['keypoints']).reshape(-1)
        cuts = np.cumsum([0] + [num * 3 for *_, num in WHOLEBODY_PARTS])
        for (field, *_), start, end in zip(WHOLEBODY_PARTS, cuts[:-1],
                                           cuts[1:]):
            result[field] = flat[start:end].tolist()
        return result

    def _do_coco_eval(self, res_file: str) -> List[Tuple[str, float]]:
        """Per-part COCOeval (sigmas cut from the table's), returning the
        whole-body stats."""
        cuts = np.cumsum([0] + [num for *_, num in WHOLEBODY_PARTS])
        part_sigmas = {
            part: self.sigmas[start:end]
            for (_, part, _), start, end in zip(WHOLEBODY_PARTS, cuts[:-1],
                                                cuts[1:])
        }
        return coco_wholebody_eval(self.coco, res_file, part_sigmas,
                                   self.COCO_USE_AREA)
