"""InterHand2.6M, 3D keypoints of both hands."""
import os.path as osp
from collections import OrderedDict
from typing import Any, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.core.evaluation import keypoint_epe
from mmpose.errors import ArgumentError, UnknownNameError
from ...builder import DATASETS
from ..base import load_json, sort_and_unique, write_json
from .interhand_base import LEFT_ROOT, RIGHT_ROOT, InterHandBaseDataset

#: One-hot (right, left) encoding of the annotated hand types.
HAND_TYPES = {
    'right': (1., 0.),
    'left': (0., 1.),
    'interacting': (1., 1.),
}


@DATASETS.register_module()
class InterHand3DDataset(InterHandBaseDataset):
    """InterHand2.6M 3D dataset for top-down hand pose estimation.

    `InterHand2.6M: A Dataset and Baseline for 3D Interacting Hand Pose
    Estimation from a Single RGB Image', ECCV'2020.

    One instance per view with both hands (42 joints: 0-20 right hand, 20
    its wrist; 21-41 left hand, 41 its wrist, each hand ordered thumb4 ...
    pinky1, wrist). ``joints_3d`` holds pixel x, y and the depth relative
    to the hand's wrist (mm); a hand whose wrist is invalid has no valid
    joint. Records also carry ``hand_type`` (right, left one-hot),
    ``hand_type_valid``, ``rel_root_depth`` (left minus right wrist depth),
    ``rel_root_valid``, ``abs_depth`` (wrist depths (2,)), ``joints_cam``
    (42, 3), ``focal`` and ``princpt``.

    Metrics: ``'MPJPE'`` (``MPJPE_all``, ``MPJPE_single``,
    ``MPJPE_interacting``: mean wrist-relative 3D joint error in mm),
    ``'MRRPE'`` (error of the left-to-right wrist vector on interacting
    views) and ``'Handedness_acc'``.

    Args:
        ann_file (str): Path to the annotation file.
        camera_file (str): Path to the camera file.
        joint_file (str): Path to the joint file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config, with ``heatmap3d_depth_bound``,
            ``heatmap_size_root`` and ``root_depth_bound`` beside the 2D
            keys.
        pipeline (list[dict | callable]): A sequence of data transforms.
        use_gt_root_depth (bool): Use the ground-truth wrist depths and
            boxes (padded by 1.25), or those of ``rootnet_result_file``
            (boxes already padded). Default: True.
        rootnet_result_file (str | None): RootNet results, a list of
            ``{'annot_id', 'bbox', 'abs_depth'}``.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'interhand3d'
    ALLOWED_METRICS = ('MRRPE', 'MPJPE', 'Handedness_acc')
    DEFAULT_METRIC = 'MPJPE'

    def __init__(self,
                 ann_file: str,
                 camera_file: str,
                 joint_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 use_gt_root_depth: bool = True,
                 rootnet_result_file: Optional[str] = None,
                 test_mode: bool = False,
                 dataset_info: Optional[dict] = None):
        if not use_gt_root_depth and rootnet_result_file is None:
            raise ArgumentError('InterHand3DDataset: use_gt_root_depth=False '
                                'needs rootnet_result_file')
        self.use_gt_root_depth = use_gt_root_depth
        self.rootnet_result_file = rootnet_result_file
        super().__init__(ann_file, camera_file, joint_file, img_prefix,
                         data_cfg, pipeline, test_mode, dataset_info)

    def _build_ann_info(self, data_cfg: dict) -> dict:
        """2D ``ann_info`` plus the depth settings of the 3D heatmaps."""
        ann_info = super()._build_ann_info(data_cfg)
        keys = ('heatmap3d_depth_bound', 'heatmap_size_root',
                'root_depth_bound')
        missing = [k for k in keys if k not in data_cfg]
        if missing:
            raise UnknownNameError('InterHand3DDataset: data_cfg lacks '
                                   f'{missing}')
        ann_info.update({k: data_cfg[k] for k in keys})
        return ann_info

    def _hand_type(self, ann: dict) -> np.ndarray:
        """One-hot (right, left) hand type (2,) of an annotation."""
        try:
            return np.array(HAND_TYPES[ann['hand_type']], dtype=np.float32)
        except KeyError as err:
            raise ArgumentError(f'{self.ann_file}: annotation id '
                                f'{ann.get("id")} has hand type '
                                f'{ann.get("hand_type")!r}, expected one of '
                                f'{sorted(HAND_TYPES)}') from err

    def _get_db(self) -> List[dict]:
        """One two-hand instance per view."""
        rootnet = {}
        if not self.use_gt_root_depth:
            rootnet = {
                str(r['annot_id']): r
                for r in load_json(self.rootnet_result_file,
                                   'RootNet result file')
            }
        db = []
        for frame in self._iter_frames():
            cam, valid = frame.joints_cam, frame.joint_valid.copy()
            rel_root_valid = valid[RIGHT_ROOT] * valid[LEFT_ROOT]
            valid[:21] *= valid[RIGHT_ROOT]
            valid[21:] *= valid[LEFT_ROOT]
            if self.use_gt_root_depth:
                bbox = np.asarray(frame.ann['bbox'], np.float32)
                abs_depth = np.array([cam[RIGHT_ROOT, 2], cam[LEFT_ROOT, 2]],
                                     np.float32)
            else:
                key = str(frame.ann['id'])
                if key not in rootnet:
                    raise UnknownNameError(f'{self.rootnet_result_file}: no '
                                           f'result for annotation id {key} '
                                           f'of {self.ann_file}')
                bbox = np.asarray(rootnet[key]['bbox'], np.float32)
                abs_depth = np.asarray(rootnet[key]['abs_depth'], np.float32)
            keypoints = np.concatenate(
                [frame.joints_img, np.minimum(1, valid)[:, None]], axis=1)
            rec = self._make_record(
                frame.image_file,
                bbox.tolist(),
                keypoints,
                bbox_id=len(db),
                image_id=frame.img_id,
                hand_type=self._hand_type(frame.ann),
                hand_type_valid=frame.ann.get('hand_type_valid', 0),
                rel_root_depth=float(cam[LEFT_ROOT, 2] - cam[RIGHT_ROOT, 2]),
                rel_root_valid=float(rel_root_valid),
                abs_depth=abs_depth,
                joints_cam=cam,
                focal=frame.focal,
                princpt=frame.princpt)
            if not self.use_gt_root_depth:
                # RootNet boxes are already padded
                rec['scale'] = rec['scale'] / self.BBOX_PADDING
            rec['joints_3d'][:21, 2] = cam[:21, 2] - cam[RIGHT_ROOT, 2]
            rec['joints_3d'][21:, 2] = cam[21:, 2] - cam[LEFT_ROOT, 2]
            rec['joints_3d_visible'][:, 2] = rec['joints_3d_visible'][:, 0]
            db.append(rec)
        return db

    # ------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------
    def _collect_3d_results(self, outputs: Sequence[dict],
                            metrics: Sequence[str]) -> List[dict]:
        """Per-instance results with ``keypoints`` (K, 3), ``hand_type``,
        ``hand_type_score`` and ``rel_root_depth`` when the model gave them.
        """
        needed = {'MPJPE': 'preds', 'Handedness_acc': 'hand_type',
                  'MRRPE': 'rel_root_depth'}
        kpts = []
        for output in outputs:
            for metric in metrics:
                if output.get(needed[metric]) is None:
                    raise UnknownNameError(f'metric {metric} needs '
                                           f'{needed[metric]!r} in the model '
                                           'outputs')
            boxes = np.asarray(output['boxes'])
            preds, hand_type, rel_root_depth = (output.get('preds'),
                                                output.get('hand_type'),
                                                output.get('rel_root_depth'))
            for i, path in enumerate(output['image_paths']):
                kpt = {
                    'center': boxes[i][0:2],
                    'scale': boxes[i][2:4],
                    'area': float(boxes[i][4]),
                    'score': float(boxes[i][5]),
                    'image_id': self._image_id_from_path(path),
                    'bbox_id': output['bbox_ids'][i],
                }
                if preds is not None:
                    kpt['keypoints'] = np.asarray(preds[i])[:, :3]
                if hand_type is not None:
                    kpt['hand_type'] = np.asarray(hand_type[i])[0:2]
                    kpt['hand_type_score'] = np.asarray(hand_type[i])[2:4]
                if rel_root_depth is not None:
                    kpt['rel_root_depth'] = float(
                        np.asarray(rel_root_depth[i]).reshape(-1)[0])
                kpts.append(kpt)
        return sort_and_unique(kpts)

    def evaluate(self,
                 outputs: Sequence[dict],
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str]] = 'MPJPE',
                 **kwargs) -> 'OrderedDict[str, float]':
        """Evaluate and write ``${res_folder}/result_keypoints.json``.

        Args:
            outputs (list[dict]): Batches with ``preds`` (N, K, 3): pixel x,
                y and wrist-relative depth; ``hand_type`` (N, 4): predicted
                (right, left) labels then their scores; ``rel_root_depth``
                (N,); ``boxes`` (N, 6); ``image_paths``; ``bbox_ids``.
            res_folder (str): Directory of the result file.
            metric (str | list[str]): Among ``'MRRPE'``, ``'MPJPE'``,
                ``'Handedness_acc'``.

        Returns:
            OrderedDict: ``MRRPE``; ``MPJPE_all``, ``MPJPE_single``,
            ``MPJPE_interacting``; ``Handedness_acc``.
        """
        metrics = self._check_metrics(metric)
        kpts = self._collect_3d_results(outputs, metrics)
        if res_folder:
            write_json(kpts, osp.join(res_folder, 'result_keypoints.json'))
        records = self._match_records(kpts)
        info: List[Tuple[str, float]] = []
        for m in ('MRRPE', 'MPJPE', 'Handedness_acc'):
            if m in metrics:
                info += getattr(self, f'_report_{m.lower()}')(kpts, records)
        return OrderedDict(info)

    @staticmethod
    def _stack(records: List[dict], key: str) -> np.ndarray:
        return np.stack([np.asarray(r[key], np.float32) for r in records])

    def _report_mrrpe(self, kpts: List[dict],
                      records: List[dict]) -> List[Tuple[str, float]]:
        """Mean error of the left-minus-right wrist vector (mm) on views
        with both hands and both wrists valid."""
        preds = np.stack([k['keypoints'] for k in kpts]).astype(np.float32)
        vis = self._stack(records, 'joints_3d_visible')[..., 0] > 0
        interacting = self._stack(records, 'hand_type').all(axis=1)
        mask = interacting & vis[:, RIGHT_ROOT] & vis[:, LEFT_ROOT]
        abs_depth = self._stack(records, 'abs_depth')
        focal = self._stack(records, 'focal')
        princpt = self._stack(records, 'princpt')
        rel = np.array([k['rel_root_depth'] for k in kpts], np.float32)
        left = preds[:, LEFT_ROOT].copy()
        right = preds[:, RIGHT_ROOT].copy()
        # both wrists are lifted with the right wrist's absolute depth
        left[:, 2] += abs_depth[:, 0] + rel
        right[:, 2] += abs_depth[:, 0]
        pred_rel = (self._pixel2cam(left, focal, princpt) -
                    self._pixel2cam(right, focal, princpt))
        cam = self._stack(records, 'joints_cam')
        gt_rel = cam[:, LEFT_ROOT] - cam[:, RIGHT_ROOT]
        return [('MRRPE',
                 keypoint_epe(pred_rel[:, None], gt_rel[:, None],
                              mask[:, None]))]

    def _report_mpjpe(self, kpts: List[dict],
                      records: List[dict]) -> List[Tuple[str, float]]:
        """Wrist-relative 3D joint errors (mm): all, single-hand and
        interacting views."""
        preds = np.stack([k['keypoints'] for k in kpts]).astype(np.float32)
        abs_depth = self._stack(records, 'abs_depth')
        preds[:, :21, 2] += abs_depth[:, 0:1]
        preds[:, 21:, 2] += abs_depth[:, 1:2]
        pred_cam = self._pixel2cam(preds,
                                   self._stack(records, 'focal')[:, None],
                                   self._stack(records, 'princpt')[:, None])
        gt_cam = self._stack(records, 'joints_cam').copy()
        for cam in (pred_cam, gt_cam):
            cam[:, :21] -= cam[:, RIGHT_ROOT:RIGHT_ROOT + 1]
            cam[:, 21:] -= cam[:, LEFT_ROOT:LEFT_ROOT + 1]
        mask = self._stack(records, 'joints_3d_visible')[..., 0] > 0
        interacting = self._stack(records, 'hand_type').all(axis=1)[:, None]
        return [
            ('MPJPE_all', keypoint_epe(pred_cam, gt_cam, mask)),
            ('MPJPE_single', keypoint_epe(pred_cam, gt_cam,
                                          mask & ~interacting)),
            ('MPJPE_interacting',
             keypoint_epe(pred_cam, gt_cam, mask & interacting)),
        ]

    def _report_handedness_acc(self, kpts: List[dict], records: List[dict]
                               ) -> List[Tuple[str, float]]:
        """Share of views (with a valid hand type) whose predicted
        (right, left) labels both match."""
        pred = np.stack([np.asarray(k['hand_type']) for k in kpts])
        gt = self._stack(records, 'hand_type')
        valid = np.array([r['hand_type_valid'] for r in records]) > 0
        correct = (pred.astype(int) == gt.astype(int)).all(axis=1)
        acc = float(correct[valid].mean()) if valid.any() else 0.0
        return [('Handedness_acc', acc)]
