"""MPII Human Pose dataset for top-down pose estimation."""
import os.path as osp
import warnings
from collections import OrderedDict
from typing import List, Optional, Sequence, Union

import numpy as np

from mmpose.core.bbox import bbox_cs2xywh
from mmpose.errors import ArgumentError

from ...builder import DATASETS
from ..base import TopDownBaseDataset, load_json
from ..base.topdown_base_dataset import PIXEL_STD

#: Head normalisation bias of the MPII evaluation: head size is
#: SC_BIAS * diagonal of the head box.
SC_BIAS = 0.6


def approx_headbox(top: np.ndarray, neck: np.ndarray) -> np.ndarray:
    """Square head box ``[x1, y1, x2, y2]`` (N, 4) from two head points.

    Used when an annotation has no head box: the box is centred between the
    head top and the neck, with the side equal to their distance.

    Args:
        top (np.ndarray[N, 2]): Head-top points.
        neck (np.ndarray[N, 2]): (Upper) neck points.
    """
    center = (top + neck) / 2
    half = np.linalg.norm(top - neck, axis=-1, keepdims=True) / 2
    return np.concatenate([center - half, center + half], axis=-1)


@DATASETS.register_module()
class TopDownMpiiDataset(TopDownBaseDataset):
    """MPII Dataset for top-down pose estimation.

    `2D Human Pose Estimation: New Benchmark and State of the Art Analysis'
    CVPR'2014.

    Reads the MPII json (a list of ``{'image', 'center', 'scale', 'joints',
    'joints_vis'}``, 1-based MATLAB coordinates). The center is moved down
    by 15 * scale and the scale enlarged by 1.25 to avoid cutting limbs.

    ``'PCKh'`` follows the MPII evaluation: a joint is correct when its
    distance to the ground truth is at most 0.5 head size
    (0.6 x head-box diagonal); ``PCKh`` averages all joints but pelvis and
    thorax weighted by their counts, ``PCKh@0.1`` is the same at 0.11 as in
    0.x. The ground truth is ``mpii_gt_val.mat`` beside ``ann_file`` when
    present (exact official numbers); otherwise the json joints with their
    ``headbox`` ``[x1, y1, x2, y2]``, or, without one, a square head box
    spanning head top to upper neck (approximate).

    MPII keypoint indexes::

        0: 'right_ankle', 1: 'right_knee', 2: 'right_hip', 3: 'left_hip',
        4: 'left_knee', 5: 'left_ankle', 6: 'pelvis', 7: 'thorax',
        8: 'upper_neck', 9: 'head_top', 10: 'right_wrist',
        11: 'right_elbow', 12: 'right_shoulder', 13: 'left_shoulder',
        14: 'left_elbow', 15: 'left_wrist'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'mpii'
    ALLOWED_METRICS = ('PCKh', )
    DEFAULT_METRIC = 'PCKh'
    COCO_FORMAT = False
    #: Index of each MPII evaluation joint name in this dataset's order.
    JOINT_IDS = dict(
        rank=0, rkne=1, rhip=2, lhip=3, lkne=4, lank=5, pelv=6, thor=7,
        neck=8, head=9, rwri=10, relb=11, rsho=12, lsho=13, lelb=14, lwri=15)

    def _get_db(self) -> List[dict]:
        """Parse the MPII json list."""
        anno = load_json(self.ann_file)
        if not isinstance(anno, list) or not anno:
            raise ArgumentError(f'annotation file {self.ann_file} holds no '
                                'MPII records')
        num_joints = self.ann_info['num_joints']
        db = []
        for idx, a in enumerate(anno):
            center = np.array(a['center'], dtype=np.float64)
            scale = np.array([a['scale'], a['scale']], dtype=np.float64)
            if center[0] != -1:
                center[1] = center[1] + 15 * scale[1]
                scale = scale * 1.25
            # 1-based MATLAB indexes to 0-based
            center = center - 1
            joints_3d = np.zeros((num_joints, 3), dtype=np.float32)
            joints_3d_visible = np.zeros((num_joints, 3), dtype=np.float32)
            if 'joints' in a:
                joints = np.asarray(a['joints'], dtype=np.float64)
                vis = np.asarray(a.get('joints_vis', np.ones(len(joints))))
                if joints.shape != (num_joints, 2) or vis.shape != (
                        num_joints, ):
                    raise ArgumentError(f'{self.ann_file}: record {idx} '
                                        f'({a.get("image")}) has joints '
                                        f'{joints.shape} / joints_vis '
                                        f'{vis.shape}, expected '
                                        f'({num_joints}, 2)')
                joints_3d[:, :2] = joints - 1
                joints_3d_visible[:, :2] = vis[:, None]
            rec = {
                'image_file': osp.join(self.img_prefix, a['image']),
                'bbox_id': idx,
                'center': center,
                'scale': scale,
                # the box this center/scale describes, for 0.29 pipelines
                'bbox': bbox_cs2xywh(center, scale, padding=1.25,
                                     pixel_std=PIXEL_STD),
                'rotation': 0,
                'joints_3d': joints_3d,
                'joints_3d_visible': joints_3d_visible,
                'dataset': self.dataset_name,
                'bbox_score': 1,
            }
            if 'headbox' in a:
                rec['headbox'] = np.asarray(a['headbox'], dtype=np.float64)
            db.append(rec)
        return db

    def _load_ground_truth(self):
        """GT positions (K, 2, N), visibility (K, N), head sizes (N,) and
        joint name -> index, all 1-based like the MPII evaluation."""
        gt_file = osp.join(osp.dirname(self.ann_file), 'mpii_gt_val.mat')
        if osp.isfile(gt_file):
            from scipy.io import loadmat
            gt = loadmat(gt_file)
            names = [str(np.squeeze(n)) for n in
                     np.squeeze(gt['dataset_joints'])]
            ids = {n: names.index(n) for n in names}
            boxes = gt['headboxes_src']
            head = np.linalg.norm(boxes[1] - boxes[0], axis=0) * SC_BIAS
            return (gt['pos_gt_src'], 1 - gt['jnt_missing'], head, ids)
        pos = np.stack([r['joints_3d'][:, :2] + 1 for r in self.db], axis=-1)
        vis = np.stack([r['joints_3d_visible'][:, 0] for r in self.db],
                       axis=-1)
        if all('headbox' in r for r in self.db):
            boxes = np.stack([r['headbox'] for r in self.db])
        else:
            warnings.warn(f'{self.ann_file} has no head boxes and there is '
                          f'no {gt_file}: PCKh uses square head boxes from '
                          'head top to upper neck (approximate)')
            ids = self.JOINT_IDS
            boxes = approx_headbox(pos[ids['head']].T, pos[ids['neck']].T)
        head = np.linalg.norm(boxes[:, 2:] - boxes[:, :2], axis=1) * SC_BIAS
        return pos, vis, head, self.JOINT_IDS

    def evaluate(self,
                 outputs: Sequence[dict],
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str], None] = 'PCKh',
                 **kwargs) -> 'OrderedDict[str, float]':
        """PCKh of MPII; saves the 1-based predictions to ``pred.mat``.

        Args:
            outputs (list[dict]): Batches with ``preds`` (N, K, 3),
                ``boxes`` (N, 6), ``image_paths`` and ``bbox_ids``.
            res_folder (str | None): Directory for ``pred.mat``.
            metric (str | list[str]): ``'PCKh'``.

        Returns:
            OrderedDict: ``Head``, ``Shoulder``, ``Elbow``, ``Wrist``,
            ``Hip``, ``Knee``, ``Ankle``, ``PCKh``, ``PCKh@0.1`` (percent).
        """
        self._check_metrics(metric)
        kpts = self._collect_results(outputs)
        self._match_records(kpts)
        preds = np.stack([np.asarray(k['keypoints'])[:, :2]
                          for k in kpts]) + 1.0
        if res_folder:
            from scipy.io import savemat
            savemat(osp.join(res_folder, 'pred.mat'), mdict={'preds': preds})
        return OrderedDict(self._pckh(preds))

    def _pckh(self, preds: np.ndarray, threshold: float = 0.5):
        """MPII PCKh table from 1-based predictions (N, K, 2)."""
        pos_gt, visible, head, ids = self._load_ground_truth()
        pos_pred = np.transpose(preds, [1, 2, 0])
        if pos_pred.shape != pos_gt.shape:
            raise ArgumentError(f'predictions {pos_pred.shape} do not match '
                                f'the ground truth {pos_gt.shape} (K, 2, N)')
        uv_err = np.linalg.norm(pos_pred - pos_gt, axis=1)
        scaled = uv_err / head[None, :] * visible
        count = visible.sum(axis=1)
        with np.errstate(invalid='ignore', divide='ignore'):
            pckh = 100. * ((scaled <= threshold) * visible).sum(1) / count
            pckh_01 = 100. * ((scaled <= 0.11) * visible).sum(1) / count
        keep = np.ones(len(count), dtype=bool)
        keep[[ids['pelv'], ids['thor']]] = False
        ratio = count[keep] / count[keep].sum()

        def pair(a, b):
            return float(0.5 * (pckh[ids[a]] + pckh[ids[b]]))

        return [('Head', float(pckh[ids['head']])),
                ('Shoulder', pair('lsho', 'rsho')),
                ('Elbow', pair('lelb', 'relb')),
                ('Wrist', pair('lwri', 'rwri')),
                ('Hip', pair('lhip', 'rhip')),
                ('Knee', pair('lkne', 'rkne')),
                ('Ankle', pair('lank', 'rank')),
                ('PCKh', float(np.sum(pckh[keep] * ratio))),
                ('PCKh@0.1', float(np.sum(pckh_01[keep] * ratio)))]
