"""Sub-JHMDB dataset for top-down pose estimation."""
import warnings
from typing import List, Sequence, Tuple

import numpy as np

from ...builder import DATASETS
from ..base import TopDownBaseDataset

#: Reported groups: name -> keypoint indexes averaged.
_JHMDB_GROUPS = (('Head', (2, )), ('Sho', (3, 4)), ('Elb', (7, 8)),
                 ('Wri', (11, 12)), ('Hip', (5, 6)), ('Knee', (9, 10)),
                 ('Ank', (13, 14)))


@DATASETS.register_module()
class TopDownJhmdbDataset(TopDownBaseDataset):
    """Sub-JHMDB dataset for top-down pose estimation.

    `Towards understanding action recognition' ICCV'2013.

    Annotations are 1-based (MATLAB); boxes and keypoints are shifted to
    0-based when loaded. Ground-truth boxes only.

    Metrics: ``'PCK'`` (threshold 0.2 of the longer box side) and
    ``'tPCK'`` (0.2 of the torso size, the distance between the left
    shoulder and the right hip), reported per joint group as
    ``Head/Sho/Elb/Wri/Hip/Knee/Ank/Mean PCK`` (or ``tPCK``).

    sub-JHMDB keypoint indexes::

        0: 'neck', 1: 'belly', 2: 'head', 3: 'right_shoulder',
        4: 'left_shoulder', 5: 'right_hip', 6: 'left_hip',
        7: 'right_elbow', 8: 'left_elbow', 9: 'right_knee',
        10: 'left_knee', 11: 'right_wrist', 12: 'left_wrist',
        13: 'right_ankle', 14: 'left_ankle'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'jhmdb'
    GT_BBOX_ONLY = True
    ALLOWED_METRICS = ('PCK', 'tPCK')
    DEFAULT_METRIC = 'PCK'

    def _parse_bbox(self, obj: dict) -> List[float]:
        """Box shifted from 1-based to 0-based."""
        x, y, w, h = obj['bbox']
        return [x - 1, y - 1, w, h]

    def _parse_keypoints(self, obj: dict) -> np.ndarray:
        """Keypoints shifted from 1-based to 0-based."""
        kpts = super()._parse_keypoints(obj)
        kpts[:, :2] -= 1
        return kpts

    def _report_metric(self,
                       kpts: List[dict],
                       metrics: Sequence[str],
                       pck_thr: float = 0.2,
                       **kwargs) -> List[Tuple[str, float]]:
        """Per-group PCK / tPCK at ``pck_thr``."""
        from mmpose.core.evaluation import keypoint_pck_accuracy

        records = self._match_records(kpts)
        preds = np.stack([np.asarray(k['keypoints'])[:, :2] for k in kpts])
        gts = np.stack([r['joints_3d'][:, :2] for r in records])
        masks = np.stack([r['joints_3d_visible'][:, 0] > 0 for r in records])
        info = []
        for metric in metrics:
            if metric == 'PCK':
                size = np.array([np.max(r['bbox'][2:4]) for r in records],
                                dtype=np.float64)
            else:
                size = np.linalg.norm(gts[:, 4] - gts[:, 5], axis=1)
                small = size < 1
                if small.any():
                    warnings.warn('Torso Size < 1: using the predicted torso')
                    size[small] = np.linalg.norm(
                        preds[small, 4] - preds[small, 5], axis=1)
            acc, avg, _ = keypoint_pck_accuracy(preds, gts, masks, pck_thr,
                                                np.tile(size[:, None],
                                                        (1, 2)))
            acc = np.asarray(acc, dtype=np.float64)
            for name, ids in _JHMDB_GROUPS:
                info.append((f'{name} {metric}', float(acc[list(ids)].mean())))
            info.append((f'Mean {metric}', float(avg)))
        return info
