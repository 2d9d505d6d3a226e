"""MPII-TRB dataset for top-down pose estimation."""
import os.path as osp
import warnings
from typing import List, Sequence, Tuple

import numpy as np

from mmpose.errors import ArgumentError, UnknownNameError

from ...builder import DATASETS
from ..base import TopDownBaseDataset, load_json
from .topdown_mpii_dataset import approx_headbox


@DATASETS.register_module()
class TopDownMpiiTrbDataset(TopDownBaseDataset):
    """MPII-TRB Dataset for top-down pose estimation.

    `TRB: A Novel Triplet Representation for Understanding 2D Human Body'
    ICCV'2019.

    40 keypoints: 14 skeleton joints then 26 contour points. ``'PCKh'``
    counts a visible keypoint as correct when it lies within
    0.3 x head-box diagonal; the results are ``Skeleton_acc`` (first 14),
    ``Contour_acc`` (the rest) and ``PCKh`` (all). Annotations without
    ``headbox`` use a square box spanning head to neck (approximate).

    MPII-TRB keypoint indexes::

        0: 'left_shoulder', 1: 'right_shoulder', 2: 'left_elbow',
        3: 'right_elbow', 4: 'left_wrist', 5: 'right_wrist', 6: 'left_hip',
        7: 'right_hip', 8: 'left_knee', 9: 'right_knee', 10: 'left_ankle',
        11: 'right_ankle', 12: 'head', 13: 'neck', 14: 'right_neck',
        15: 'left_neck', 16: 'medial_right_shoulder',
        17: 'lateral_right_shoulder', 18: 'medial_right_bow',
        19: 'lateral_right_bow', 20: 'medial_right_wrist',
        21: 'lateral_right_wrist', 22: 'medial_left_shoulder',
        23: 'lateral_left_shoulder', 24: 'medial_left_bow',
        25: 'lateral_left_bow', 26: 'medial_left_wrist',
        27: 'lateral_left_wrist', 28: 'medial_right_hip',
        29: 'lateral_right_hip', 30: 'medial_right_knee',
        31: 'lateral_right_knee', 32: 'medial_right_ankle',
        33: 'lateral_right_ankle', 34: 'medial_left_hip',
        35: 'lateral_left_hip', 36: 'medial_left_knee',
        37: 'lateral_left_knee', 38: 'medial_left_ankle',
        39: 'lateral_left_ankle'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'mpii_trb'
    GT_BBOX_ONLY = True
    ALLOWED_METRICS = ('PCKh', )
    DEFAULT_METRIC = 'PCKh'
    COCO_FORMAT = False
    #: Number of skeleton keypoints (the rest are contour points).
    NUM_SKELETON = 14

    def _get_db(self) -> List[dict]:
        """Parse the TRB json (COCO-like, with ``center``/``scale``)."""
        data = load_json(self.ann_file)
        if not data.get('annotations'):
            raise ArgumentError(f'annotation file {self.ann_file} has no '
                                'annotations')
        id2name = {img['id']: img['file_name'] for img in data['images']}
        self.id2name = id2name
        self.name2id = {v: k for k, v in id2name.items()}
        image_size = np.asarray(self.ann_info['image_size'], np.float32)
        db = []
        for anno in data['annotations']:
            what = f"annotation id {anno.get('id')} (image " \
                   f"{anno.get('image_id')})"
            if anno['image_id'] not in id2name:
                raise UnknownNameError(f'{self.ann_file}: {what} refers to an '
                                       'unknown image')
            kpts = self._check_keypoints(anno['keypoints'], what)
            if kpts.max() == 0:
                continue
            joints_3d = np.zeros((len(kpts), 3), dtype=np.float32)
            joints_3d[:, :2] = kpts[:, :2]
            joints_3d_visible = np.zeros((len(kpts), 3), dtype=np.float32)
            joints_3d_visible[:, :2] = np.minimum(kpts[:, 2:3], 1)
            rec = {
                'image_file': osp.join(self.img_prefix,
                                       id2name[anno['image_id']]),
                'image_id': anno['image_id'],
                'bbox_id': anno['id'],
                'center': np.array(anno['center'], dtype=np.float32),
                # the TRB annotation scale is inverse: image_size/scale/200
                'scale': image_size / anno['scale'] / 200.0,
                'rotation': 0,
                'joints_3d': joints_3d,
                'joints_3d_visible': joints_3d_visible,
                'dataset': self.dataset_name,
                'bbox_score': 1,
            }
            if 'headbox' in anno:
                rec['headbox'] = np.asarray(anno['headbox'], np.float64)
            db.append(rec)
        return sorted(db, key=lambda r: r['bbox_id'])

    def _report_metric(self, kpts: List[dict], metrics: Sequence[str],
                       **kwargs) -> List[Tuple[str, float]]:
        """Skeleton / contour / overall accuracy at 0.3 head-box diagonal."""
        records = self._match_records(kpts)
        preds = np.stack([np.asarray(k['keypoints'])[:, :2] for k in kpts])
        gts = np.stack([r['joints_3d'][:, :2] for r in records])
        visible = np.stack([r['joints_3d_visible'][:, 0] > 0
                            for r in records])
        if all('headbox' in r for r in records):
            boxes = np.stack([r['headbox'] for r in records])
        else:
            warnings.warn(f'{self.ann_file} has no head boxes: using square '
                          'boxes from head to neck (approximate)')
            boxes = approx_headbox(gts[:, 12], gts[:, 13])
        threshold = np.linalg.norm(boxes[:, :2] - boxes[:, 2:], axis=1) * 0.3
        dist = np.linalg.norm(preds - gts, axis=-1)
        hit = (dist < threshold[:, None]) & visible
        hits, exists = hit.sum(axis=0), visible.sum(axis=0)
        k = self.NUM_SKELETON
        return [('Skeleton_acc', float(hits[:k].sum() / exists[:k].sum())),
                ('Contour_acc', float(hits[k:].sum() / exists[k:].sum())),
                ('PCKh', float(hits.sum() / exists.sum()))]
