"""Whole-body keypoint layouts split into annotated parts.

COCO-WholeBody (and Halpe's evaluation files) store a person's keypoints in
five fields, ``keypoints`` (body), ``foot_kpts``, ``face_kpts``,
``lefthand_kpts`` and ``righthand_kpts``, and evaluate each part with its
own ``COCOeval`` iou type before the whole body. :class:`WholeBodyParts`
joins the fields into one (K, 3) array, splits predictions back into them
and cuts the sigmas per part; :class:`WholeBodyEvalMixin` gives a dataset
(top-down or bottom-up) the part-wise evaluation.
"""
from typing import Dict, List, NamedTuple, Sequence, Tuple

import numpy as np

from mmpose.errors import ArgumentError, UnknownNameError
from .coco_eval import coco_wholebody_eval

__all__ = [
    'WholeBodyParts', 'WholeBodyEvalMixin', 'COCO_WHOLEBODY_PARTS',
    'HALPE_PARTS'
]


class Part(NamedTuple):
    """One annotated part: its annotation field, its ``COCOeval`` part
    name (iou type ``'keypoints_<name>'``) and its number of keypoints."""
    field: str
    name: str
    num: int


class WholeBodyParts:
    """The parts of a whole-body layout, in keypoint index order.

    Args:
        parts (Sequence[tuple]): ``(field, name, num)`` per part.
    """

    def __init__(self, parts: Sequence[Tuple[str, str, int]]):
        self.parts = tuple(Part(*p) for p in parts)
        self.num_keypoints = sum(p.num for p in self.parts)
        # keypoint index where each part starts, and the end
        self._cuts = np.cumsum([0] + [p.num for p in self.parts])

    def join(self, obj: dict, where: str) -> np.ndarray:
        """(K, 3) keypoints of an annotation holding every part's field.

        Args:
            obj (dict): COCO-WholeBody style annotation.
            where (str): What ``obj`` is, for error messages.
        """
        flat = []
        for part in self.parts:
            if part.field not in obj:
                raise UnknownNameError(f'{where} has no {part.field!r}')
            if len(obj[part.field]) != part.num * 3:
                raise ArgumentError(
                    f'{where} has {len(obj[part.field])} values in '
                    f'{part.field!r}, expected {part.num * 3}')
            flat.extend(obj[part.field])
        return np.asarray(flat, dtype=np.float64).reshape(-1, 3)

    def split(self, keypoints: np.ndarray) -> Dict[str, List[float]]:
        """``{field: flat [x, y, score] * num}`` of (K, 3) keypoints."""
        keypoints = np.asarray(keypoints).reshape(self.num_keypoints, -1)
        return {
            part.field: keypoints[start:end].reshape(-1).tolist()
            for part, start, end in zip(self.parts, self._cuts[:-1],
                                        self._cuts[1:])
        }

    def sigmas(self, sigmas: np.ndarray) -> Dict[str, np.ndarray]:
        """``{part name: its sigmas}`` cut from the (K,) sigmas."""
        sigmas = np.asarray(sigmas)
        if sigmas.size != self.num_keypoints:
            raise ArgumentError(f'{sigmas.size} sigmas for a layout of '
                                f'{self.num_keypoints} keypoints')
        return {
            part.name: sigmas[start:end]
            for part, start, end in zip(self.parts, self._cuts[:-1],
                                        self._cuts[1:])
        }


#: COCO-WholeBody: 17 body, 6 foot, 68 face, 21 + 21 hand keypoints.
COCO_WHOLEBODY_PARTS = WholeBodyParts(
    (('keypoints', 'body', 17), ('foot_kpts', 'foot', 6),
     ('face_kpts', 'face', 68), ('lefthand_kpts', 'lefthand', 21),
     ('righthand_kpts', 'righthand', 21)))

#: Halpe-FullBody: 20 body, 6 foot, 68 face, 21 + 21 hand keypoints.
HALPE_PARTS = WholeBodyParts(
    (('keypoints', 'body', 20), ('foot_kpts', 'foot', 6),
     ('face_kpts', 'face', 68), ('lefthand_kpts', 'lefthand', 21),
     ('righthand_kpts', 'righthand', 21)))


class WholeBodyEvalMixin:
    """Part-wise COCOeval for a dataset with ``coco``, ``sigmas`` (K,) and
    ``COCO_USE_AREA``; ``PARTS`` names its layout."""

    PARTS: WholeBodyParts = COCO_WHOLEBODY_PARTS

    def _do_coco_eval(self, res_file: str) -> List[Tuple[str, float]]:
        """COCOeval of every part (printed), returning the whole-body
        stats."""
        return coco_wholebody_eval(self.coco, res_file,
                                   self.PARTS.sigmas(self.sigmas),
                                   self.COCO_USE_AREA)
