"""Base of the top-down datasets cut out of COCO-WholeBody annotations.

A COCO-WholeBody person annotation holds, besides the body, a face and two
hand instances: ``<part>_kpts`` (keypoints), ``<part>_box`` (``[x, y, w,
h]``) and ``<part>_valid``. The face and hand datasets read one instance per
valid part with at least one labelled keypoint; everything else (records,
pipeline, metrics) is :class:`TopDownLandmarkDataset`'s.
"""
import os.path as osp
from typing import List, Sequence

from .topdown_landmark_dataset import TopDownLandmarkDataset

__all__ = ['WholeBodyPartDataset']


class WholeBodyPartDataset(TopDownLandmarkDataset):
    """Top-down dataset of one or more parts of COCO-WholeBody persons.

    Subclasses set ``PARTS``: the annotation prefixes read, in order (e.g.
    ``('face', )`` or ``('lefthand', 'righthand')``).
    """

    PARTS: Sequence[str] = ()

    def _load_coco_keypoint_annotations(self) -> List[dict]:
        """One record per valid, labelled part of each person."""
        db = []
        # One pass over the JSON records: parsing is inherently per record.
        for img_id in self.img_ids:
            image_file = osp.join(self.img_prefix, self.id2name[img_id])
            ann_ids = self.coco.getAnnIds(imgIds=img_id, iscrowd=False)
            for obj in self.coco.loadAnns(ann_ids):
                for part in self.PARTS:
                    if not self._require_field(obj, f'{part}_valid'):
                        continue
                    keypoints = self._check_keypoints(
                        self._require_field(obj, f'{part}_kpts'),
                        f"annotation id {obj.get('id')} {part}_kpts")
                    if keypoints.max() <= 0:
                        continue
                    db.append(
                        self._make_record(
                            image_file,
                            list(self._require_field(obj,
                                                     f'{part}_box')[:4]),
                            keypoints,
                            bbox_id=len(db),
                            image_id=img_id))
        return db
