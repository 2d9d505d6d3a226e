"""CMU Panoptic Studio for multi-view 3D pose (VoxelPose).

Joo et al., "Panoptic Studio: A Massively Multiview System for Social
Motion Capture", ICCV 2015.
"""
import copy
import glob
import json
import os.path as osp
import pickle
from collections import OrderedDict
from typing import List, Optional

import numpy as np

from mmpose.core.camera import SimpleCamera
from mmpose.errors import ArgumentError
from ...builder import DATASETS
from ..base import Kpt3dMviewRgbImgDirectDataset
from ..base.topdown_base_dataset import sort_and_unique
from .mview_eval import nearest_gt_matches, panoptic_metrics

__all__ = ['Body3DMviewDirectPanopticDataset', 'panoptic_camera']

# Panoptic's world is y-up in cm; VoxelPose uses z-up in mm.
_Y_UP_TO_Z_UP = np.array([[1., 0., 0.], [0., 0., -1.], [0., 1., 0.]])
_IMAGE_WIDTH, _IMAGE_HEIGHT = 1920, 1080


def panoptic_camera(cam: dict) -> dict:
    """One camera of a Panoptic calibration file (``K``, ``R``, ``t`` in
    cm, ``distCoef``) as :class:`SimpleCamera` parameters in the z-up mm
    world."""
    R_w2c = np.array(cam['R']) @ _Y_UP_TO_Z_UP
    T_w2c = np.array(cam['t']).reshape(3, 1) * 10.0
    dist = cam['distCoef']
    return dict(
        R=R_w2c.T.tolist(), T=(-R_w2c.T @ T_w2c).tolist(),
        K=np.asarray(cam['K'])[:2].tolist(), k=[dist[0], dist[1], dist[4]],
        p=[dist[2], dist[3]])


@DATASETS.register_module()
class Body3DMviewDirectPanopticDataset(Kpt3dMviewRgbImgDirectDataset):
    """Panoptic for direct multi-view 3D pose estimation.

    Layout under ``img_prefix``: per sequence ``<seq>/calibration_<seq>.json``
    (cameras with ``panel``, ``node``, ``K``, ``R``, ``t`` (cm),
    ``distCoef``), ``<seq>/hdPose3d_stage1_coco19/body3DScene_<frame>.json``
    (``bodies``: ``id`` and ``joints19``, x/y/z/confidence per joint) and
    images ``<seq>/hdImgs/<panel>_<node>/<panel>_<node>_<frame>.jpg``. The
    parsed records are cached in ``ann_file`` (default
    ``img_prefix/group_<subset>_cam<num_cameras>.pkl``), read back when it
    exists.

    ``data_cfg`` keys besides the base ones: ``seq_list``, ``cam_list``
    ((panel, node) pairs), ``seq_frame_interval`` (1), ``subset``
    ('train'), ``root_id`` (0), ``max_num`` (10 persons).

    Args:
        ann_file (str | None): The record cache.
        img_prefix (str): The data root.
        data_cfg (dict): See above.
        pipeline (list[dict | callable]): Data transforms.
        dataset_info (dict | None): The ``panoptic_pose_3d`` table.
        test_mode (bool): Default: False.
    """
    DATASET_INFO = 'panoptic_body3d'
    NUM_JOINTS = None  # configs keep the first 15 of the 19 joints
    JOINT_WEIGHTS = None  # the table's are for its own joint count
    ALLOWED_METRICS = ('mpjpe', 'mAP')
    DEFAULT_METRIC = 'mpjpe'

    def __init__(self,
                 ann_file: Optional[str],
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline,
                 dataset_info: Optional[dict] = None,
                 test_mode: bool = False):
        super().__init__(ann_file, img_prefix, data_cfg, pipeline,
                         dataset_info, test_mode)
        self.load_config(data_cfg)
        self.ann_info['use_different_joint_weights'] = False
        self.db_file = ann_file if ann_file is not None else osp.join(
            self.img_prefix, f'group_{self.subset}_cam{self.num_cameras}.pkl')
        key = dict(sequence_list=self.seq_list,
                   interval=self.seq_frame_interval, cam_list=self.cam_list)
        if osp.exists(self.db_file):
            with open(self.db_file, 'rb') as f:
                info = pickle.load(f)
            cached = {k: info[k] for k in key}
            cached['cam_list'] = [tuple(c) for c in cached['cam_list']]
            if cached != key:
                raise ArgumentError(
                    f'record cache {self.db_file} was made for {cached}, '
                    f'the config asks for {key}; delete the cache')
            self.db = info['db']
        else:
            self.db = self._get_db()
            with open(self.db_file, 'wb') as f:
                pickle.dump(dict(key, db=self.db), f)
        self.db_size = len(self.db)

    def load_config(self, data_cfg: dict) -> None:
        """Read the Panoptic settings of ``data_cfg``."""
        self.num_joints = int(data_cfg['num_joints'])
        if self.num_joints > 19:
            raise ArgumentError('Panoptic has 19 joints, data_cfg asks for '
                                f'num_joints={self.num_joints}')
        self.seq_list = list(data_cfg['seq_list'])
        self.cam_list = [tuple(c) for c in data_cfg['cam_list']]
        self.num_cameras = int(data_cfg['num_cameras'])
        if self.num_cameras != len(self.cam_list):
            raise ArgumentError(
                f'num_cameras={self.num_cameras} but cam_list has '
                f'{len(self.cam_list)} cameras: {self.cam_list}')
        self.seq_frame_interval = data_cfg.get('seq_frame_interval', 1)
        self.subset = data_cfg.get('subset', 'train')
        self.need_camera_param = True
        self.root_id = data_cfg.get('root_id', 0)
        self.max_persons = data_cfg.get('max_num', 10)

    def _get_cam(self, seq: str) -> dict:
        """Cameras of ``cam_list`` in ``seq``: {(panel, node): parameters of
        :class:`SimpleCamera` in the z-up mm world}."""
        with open(osp.join(self.img_prefix, seq,
                           f'calibration_{seq}.json')) as f:
            calib = json.load(f)
        return {(cam['panel'], cam['node']): panoptic_camera(cam)
                for cam in calib['cameras']
                if (cam['panel'], cam['node']) in self.cam_list}

    def _frame_persons(self, bodies: List[dict]) -> tuple:
        """Poses [M, K, 3] (mm, z-up), joint visibility [M, K] and ids of
        the bodies whose root is seen, at most ``max_num``."""
        poses = np.array([b['joints19'] for b in bodies],
                         dtype=np.float64).reshape(len(bodies), -1, 4)
        poses = poses[:, :self.num_joints]
        visible = poses[..., 3] > 0.1
        keep = np.flatnonzero(visible[:, self.root_id])[:self.max_persons]
        xyz = poses[keep, :, :3] @ _Y_UP_TO_Z_UP * 10.0
        return xyz, visible[keep], [bodies[i]['id'] for i in keep]

    def _get_db(self) -> List[dict]:
        """One record per frame (every ``seq_frame_interval``-th) and view."""
        db = []
        size = (self.max_persons, self.num_joints)
        center = np.array((_IMAGE_WIDTH / 2, _IMAGE_HEIGHT / 2), np.float32)
        scale = self._get_scale((_IMAGE_WIDTH, _IMAGE_HEIGHT))
        for seq in self.seq_list:
            cameras = self._get_cam(seq)
            files = sorted(
                glob.glob(osp.join(self.img_prefix, seq,
                                   'hdPose3d_stage1_coco19', '*.json')))
            for frame_file in files[::self.seq_frame_interval]:
                with open(frame_file) as f:
                    bodies = json.load(f)['bodies']
                if not bodies:
                    continue
                xyz, visible, ids = self._frame_persons(bodies)
                count = len(ids)
                if count == 0:
                    continue
                joints_3d = np.zeros(size + (3, ), np.float32)
                joints_3d[:count] = xyz
                joints_3d_visible = np.zeros(size + (3, ), np.float32)
                joints_3d_visible[:count] = visible[..., None]
                roots_3d = joints_3d[:, self.root_id].copy()
                person_ids = -np.ones(self.max_persons, dtype=int)
                person_ids[:count] = ids
                frame = osp.basename(frame_file).replace(
                    'body3DScene', '').replace('json', 'jpg')
                for (panel, node), cam in cameras.items():
                    prefix = f'{panel:02d}_{node:02d}'
                    joints = np.zeros(size + (3, ), np.float32)
                    pixels = SimpleCamera(cam).world_to_pixel(xyz)
                    inside = ((pixels >= 0).all(-1) &
                              (pixels[..., 0] <= _IMAGE_WIDTH - 1) &
                              (pixels[..., 1] <= _IMAGE_HEIGHT - 1))
                    joints[:count, :, :2] = pixels
                    joints[:count, :, 2] = visible & inside
                    db.append(
                        dict(
                            image_file=osp.join(self.img_prefix, seq,
                                                'hdImgs', prefix,
                                                prefix + frame),
                            joints_3d=joints_3d,
                            person_ids=person_ids,
                            joints_3d_visible=joints_3d_visible,
                            joints=[joints],
                            roots_3d=roots_3d,
                            camera=cam,
                            num_persons=count,
                            sample_id=len(db) // len(cameras),
                            center=center,
                            scale=scale))
        return db

    def __getitem__(self, idx: int) -> dict:
        views = {}
        for view in range(self.num_cameras):
            result = copy.deepcopy(self.db[self.num_cameras * idx + view])
            result['ann_info'] = self.ann_info
            result['mask'] = [
                np.ones((_IMAGE_HEIGHT, _IMAGE_WIDTH), dtype=np.float32)
            ]
            views[view] = result
        return self.pipeline(views)

    def evaluate(self, results, res_folder=None, metric='mpjpe', **kwargs):
        """Evaluate predicted poses.

        Args:
            results (list[dict]): Test outputs, each with ``pose_3d``
                (np.ndarray[N, P, K, 5]) and ``sample_id`` (N ids).
            res_folder (str | None): Where to write
                ``result_keypoints.json``; None writes nothing.
            metric (str | list[str]): 'mpjpe' and/or 'mAP'.

        Returns:
            OrderedDict: 'RECALL 500mm', 'MPJPE 500mm' ('mpjpe'); 'AP 25'
            ... 'AP 150', 'mAP', 'AR 25' ... 'AR 150', 'mAR' ('mAP').
        """
        metrics = self._check_metrics(metric)
        preds = sort_and_unique([
            dict(sample_id=sid, pose_3d=pose) for result in results
            for sid, pose in zip(result['sample_id'], result['pose_3d'])
        ], key='sample_id')
        if len(preds) != len(self):
            raise ArgumentError(f'{len(preds)} predicted samples for '
                                f'{len(self)} samples in the dataset')
        if res_folder is not None:
            import mmcv
            mmcv.dump(preds, osp.join(res_folder, 'result_keypoints.json'))
        matches, total_gt = [], 0
        for i, pred in enumerate(preds):
            record = self.db[self.num_cameras * i]
            visible = record['joints_3d_visible'][..., 0] > 0
            persons = visible.any(-1)
            if not persons.any():
                continue
            pose = pred['pose_3d']
            matches += nearest_gt_matches(pose[pose[:, 0, 3] >= 0],
                                          record['joints_3d'][persons],
                                          visible[persons], total_gt)
            total_gt += int(persons.sum())
        return OrderedDict(panoptic_metrics(matches, total_gt, metrics))
