"""Shared base of the 2D landmark datasets (face, hand, animal, fashion).

These datasets store one COCO-format instance per face / hand / animal /
garment, and MMPose 0.x reads them differently from the COCO person
datasets: the annotated box is used as it is (no clipping to the image, no
``w - 1``), it is padded by a dataset-specific factor (``BBOX_PADDING``:
1.25 for most, 1.76 for Panoptic hands), an annotated ``center``/``scale``
pair (300W, WFLW, AFLW) takes precedence over the box, and ground-truth
boxes are always used. Everything else (records, pipeline, result file,
PCK / PCKh / AUC / EPE / NME) comes from :class:`TopDownBaseDataset`.
"""
import os.path as osp
import warnings
from typing import List

import numpy as np

from mmpose.errors import ArgumentError

from .topdown_base_dataset import TopDownBaseDataset

__all__ = ['TopDownLandmarkDataset']


class TopDownLandmarkDataset(TopDownBaseDataset):
    """Top-down dataset of COCO-format landmark annotations (see module doc).

    Subclasses name their ``dataset_info`` table (``DATASET_INFO``) and give
    their settings as class attributes (``ALLOWED_METRICS``,
    ``BBOX_PADDING``, ``NME_NORMALIZE_JOINTS``...) and, when an annotation
    carries extra fields for the metric (``head_size``, ``box_size``),
    override :meth:`_extra_record_fields`.

    ``data_cfg.use_gt_bbox = False`` is ignored with a warning: as in
    MMPose 0.x these datasets are evaluated on ground-truth boxes.
    """

    #: Use an annotation's ``center`` and ``scale`` (times ``BBOX_PADDING``)
    #: instead of its box when both are present.
    USE_ANNOTATED_CENTER_SCALE: bool = False

    def _get_db(self) -> List[dict]:
        """Ground-truth instances of the COCO-format ``ann_file``."""
        if self.test_mode and not self.use_gt_bbox:
            warnings.warn(
                f'{type(self).__name__} is evaluated on ground-truth boxes; '
                f'use_gt_bbox=False (bbox_file {self.bbox_file!r}) is '
                'ignored', UserWarning)
        return self._load_coco_keypoint_annotations()

    def _annotated_center_scale(self, rec: dict, obj: dict) -> None:
        """Replace the box-derived ``center``/``scale`` of ``rec`` by the
        annotated ones (scale times ``BBOX_PADDING``) when enabled."""
        if self.USE_ANNOTATED_CENTER_SCALE and 'center' in obj \
                and 'scale' in obj:
            rec['center'] = np.asarray(obj['center'], dtype=np.float32)
            rec['scale'] = np.full(
                2, obj['scale'] * self.BBOX_PADDING, dtype=np.float32)

    def _load_coco_keypoint_annotations(self) -> List[dict]:
        """Instances with at least one labelled keypoint, boxes unclipped.

        Raises:
            ValueError: an annotation has the wrong number of keypoint values
                or no box.
        """
        db = []
        # One pass over the JSON records: parsing is inherently per record.
        for img_id in self.img_ids:
            image_file = osp.join(self.img_prefix, self.id2name[img_id])
            img_info = self.coco.loadImgs(img_id)[0]
            ann_ids = self.coco.getAnnIds(imgIds=img_id, iscrowd=False)
            for obj in self.coco.loadAnns(ann_ids):
                if 'keypoints' not in obj:
                    continue
                keypoints = self._parse_keypoints(obj)
                if keypoints.max() == 0:
                    continue
                if 'bbox' not in obj:
                    raise ArgumentError(f'{self.ann_file}: annotation id '
                                        f'{obj.get("id")} (image {img_id}) '
                                        'has keypoints but no bbox')
                rec = self._make_record(
                    image_file,
                    list(obj['bbox'][:4]),
                    keypoints,
                    bbox_id=len(db),
                    image_id=img_id,
                    **self._extra_record_fields(obj, img_info))
                self._annotated_center_scale(rec, obj)
                db.append(rec)
        return db

    def _require_field(self, obj: dict, key: str):
        """``obj[key]``, or an error naming the file and the annotation."""
        if key not in obj:
            raise ArgumentError(f'{self.ann_file}: annotation id '
                                f'{obj.get("id")} (image '
                                f'{obj.get("image_id")}) has no {key!r}, '
                                f'needed by {type(self).__name__}')
        return obj[key]
