"""COCO-WholeBody dataset for top-down pose estimation."""
from typing import List, Tuple

import numpy as np

from ...registry import DATASETS
from ..base import coco_wholebody_eval
from .topdown_coco_dataset import (COCO_FLIP_PAIRS, COCO_LOWER_BODY_IDS,
                                   COCO_UPPER_BODY_IDS, TopDownCocoDataset)

#: Annotation field and number of keypoints of each part, in index order.
WHOLEBODY_PARTS = (('keypoints', 17), ('foot_kpts', 6), ('face_kpts', 68),
                   ('lefthand_kpts', 21), ('righthand_kpts', 21))
_HAND_SIGMAS = (0.029, 0.022, 0.035, 0.037, 0.047, 0.026, 0.025, 0.024,
                0.035, 0.018, 0.024, 0.022, 0.026, 0.017, 0.021, 0.021,
                0.032, 0.02, 0.019, 0.022, 0.031)
#: OKS sigmas per part (COCO-WholeBody evaluation).
WHOLEBODY_PART_SIGMAS = {
    'body': (0.026, 0.025, 0.025, 0.035, 0.035, 0.079, 0.079, 0.072, 0.072,
             0.062, 0.062, 0.107, 0.107, 0.087, 0.087, 0.089, 0.089),
    'foot': (0.068, 0.066, 0.066, 0.092, 0.094, 0.094),
    'face': (0.042, 0.043, 0.044, 0.043, 0.040, 0.035, 0.031, 0.025, 0.020,
             0.023, 0.029, 0.032, 0.037, 0.038, 0.043, 0.041, 0.045, 0.013,
             0.012, 0.011, 0.011, 0.012, 0.012, 0.011, 0.011, 0.013, 0.015,
             0.009, 0.007, 0.007, 0.007, 0.012, 0.009, 0.008, 0.016, 0.010,
             0.017, 0.011, 0.009, 0.011, 0.009, 0.007, 0.013, 0.008, 0.011,
             0.012, 0.010, 0.034, 0.008, 0.008, 0.009, 0.008, 0.008, 0.007,
             0.010, 0.008, 0.009, 0.009, 0.009, 0.007, 0.007, 0.008, 0.011,
             0.008, 0.008, 0.008, 0.01, 0.008),
    'lefthand': _HAND_SIGMAS,
    'righthand': _HAND_SIGMAS,
}
_FOOT_FLIP_PAIRS = ((17, 20), (18, 21), (19, 22))
_FACE_FLIP_PAIRS = ((23, 39), (24, 38), (25, 37), (26, 36), (27, 35),
                    (28, 34), (29, 33), (30, 32), (40, 49), (41, 48),
                    (42, 47), (43, 46), (44, 45), (54, 58), (55, 57),
                    (59, 68), (60, 67), (61, 66), (62, 65), (63, 70),
                    (64, 69), (71, 77), (72, 76), (73, 75), (78, 82),
                    (79, 81), (83, 87), (84, 86), (88, 90))
_HAND_FLIP_PAIRS = tuple((91 + i, 112 + i) for i in range(21))


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

    DATASET_NAME = 'coco_wholebody'
    NUM_JOINTS = 133
    FLIP_PAIRS = (COCO_FLIP_PAIRS + _FOOT_FLIP_PAIRS + _FACE_FLIP_PAIRS +
                  _HAND_FLIP_PAIRS)
    UPPER_BODY_IDS = COCO_UPPER_BODY_IDS
    LOWER_BODY_IDS = COCO_LOWER_BODY_IDS
    JOINT_WEIGHTS = None
    SIGMAS = sum(WHOLEBODY_PART_SIGMAS.values(), ())
    COCO_IOU_TYPE = 'keypoints_wholebody'

    def _parse_keypoints(self, obj: dict) -> np.ndarray:
        """(133, 3) keypoints: body, foot, face, left and right hand."""
        what = f"annotation id {obj.get('id')} (image {obj.get('image_id')})"
        parts = []
        for field, num in WHOLEBODY_PARTS:
            if field not in obj:
                raise KeyError(f'{self.ann_file}: {what} has no {field}')
            if len(obj[field]) != num * 3:
                raise ValueError(f'{self.ann_file}: {what} has '
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
        cuts = np.cumsum([0] + [num * 3 for _, num in WHOLEBODY_PARTS])
        for (field, _), start, end in zip(WHOLEBODY_PARTS, cuts[:-1],
                                          cuts[1:]):
            result[field] = flat[start:end].tolist()
        return result

    def _do_coco_eval(self, res_file: str) -> List[Tuple[str, float]]:
        """Per-part COCOeval, returning the whole-body stats."""
        return coco_wholebody_eval(self.coco, res_file,
                                   WHOLEBODY_PART_SIGMAS,
                                   self.COCO_USE_AREA)
