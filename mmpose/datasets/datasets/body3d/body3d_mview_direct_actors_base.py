"""Shared base of Shelf and Campus for multi-view 3D pose (VoxelPose):
calibrated cameras, ground-truth actors in ``actorsGT.mat``, 2D
predictions per view for testing, and synthetic training scenes made of
motion-capture poses placed at random in the space.
"""
import json
import os.path as osp
import pickle
from collections import OrderedDict
from typing import Callable, Optional, Sequence, Tuple

import numpy as np

from mmpose.core.camera import SimpleCamera
from mmpose.errors import ArgumentError
from ..base import Kpt3dMviewRgbImgDirectDataset
from ..base.topdown_base_dataset import sort_and_unique
from .mview_eval import correct_limbs

__all__ = ['Body3DMviewDirectActorsDataset']

# COCO joints taken, in order, as the first 12 joints of Shelf/Campus.
_COCO_TO_ACTORS = [16, 14, 12, 11, 13, 15, 10, 8, 6, 5, 7, 9]


def load_actors_gt(path: str) -> Tuple[np.ndarray, np.ndarray]:
    """Read ``actorsGT.mat`` (cell ``actor3D``: per actor, per frame a
    14x3 pose in metres or an empty matrix).

    Returns:
        tuple: poses np.ndarray[A, F, 14, 3] in mm (0 where absent) and
        presence np.ndarray[A, F] (bool).
    """
    from scipy.io import loadmat
    cells = loadmat(path)['actor3D'].reshape(-1)
    frames = [np.asarray(c, dtype=object).reshape(-1) for c in cells]
    present = np.array([[np.size(p) > 0 for p in f] for f in frames])
    poses = np.zeros(present.shape + (14, 3))
    for a, f in zip(*np.nonzero(present)):  # sparse cell array entries
        poses[a, f] = np.asarray(frames[a][f], np.float64).reshape(14, 3)
    return poses * 1000.0, present


def _box_iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """IoU of one box [4] (x0, y0, x1, y1) with boxes [M, 4]."""
    lo = np.maximum(box[:2], boxes[:, :2])
    hi = np.minimum(box[2:], boxes[:, 2:])
    inter = np.prod(np.maximum(hi - lo, 0), axis=-1)
    area = np.prod(box[2:] - box[:2])
    areas = np.prod(boxes[:, 2:] - boxes[:, :2], axis=-1)
    return inter / (area + areas - inter)


class Body3DMviewDirectActorsDataset(Kpt3dMviewRgbImgDirectDataset):
    """Base of :class:`Body3DMviewDirectShelfDataset` and
    :class:`Body3DMviewDirectCampusDataset`.

    Files (``data_cfg`` keys, defaults under ``img_prefix``): ``cam_file``
    (``calibration_<name>.json``: per camera id R, T, k, p, fx, fy, cx,
    cy), ``test_pose_db_file`` (pickle: ``'<cam>_<frame>'`` -> list of
    ``{'pred': [17, 3]}`` COCO 2D poses), ``train_pose_db_file`` (pickle:
    list of ``{'pose': [K, 3], 'vis': [K, 3]}`` 3D poses in mm) and
    ``gt_pose_db_file`` (``actorsGT.mat``).

    Testing, a sample is a frame of ``frame_range`` with the predicted 2D
    poses of each view; training, a scene of ``min_nposes`` to
    ``max_nposes - 1`` random training poses, each turned about z and moved
    to a random place (retried until its ground box hardly overlaps the
    others), projected into every view.

    Subclasses set the class attributes below.
    """
    ALLOWED_METRICS = ('pcp', '3dpcp')
    DEFAULT_METRIC = 'pcp'
    NUM_JOINTS = None  # predictions are in COCO order (17 joints)
    JOINT_WEIGHTS = None  # the table's are for its own joint count
    LIMBS = [[0, 1], [1, 2], [3, 4], [4, 5], [6, 7], [7, 8], [9, 10],
             [10, 11], [12, 13]]
    BONE_GROUP = OrderedDict([('Head', [8]), ('Torso', [9]),
                              ('Upper arms', [5, 6]), ('Lower arms', [4, 7]),
                              ('Upper legs', [1, 2]), ('Lower legs', [0, 3])])
    #: File-name stem (``calibration_<NAME>.json`` ...).
    NAME: str = ''
    #: Default raw image size (w, h) and largest scene size.
    DEFAULT_SIZE: Tuple[int, int] = (0, 0)
    DEFAULT_MAX_NPOSES: int = 6
    #: Range (mm) of random person positions: ((x0, x1), (y0, y1)).
    CENTER_RANGE: Tuple[Tuple[float, float], ...] = ()
    #: Views in which a placed person's center (at 1 m height) must be.
    MIN_VIEWS: int = 0

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
        self.ann_info['use_different_joint_weights'] = data_cfg.get(
            'use_different_joint_weights', False)
        self.db_size = self.num_cameras * len(self)

    def load_config(self, data_cfg: dict) -> None:
        """Read the settings of ``data_cfg`` and load the files."""
        self.num_joints = int(data_cfg['num_joints'])
        self.cam_list = list(data_cfg['cam_list'])
        self.num_cameras = int(data_cfg['num_cameras'])
        if self.num_cameras != len(self.cam_list):
            raise ArgumentError(
                f'num_cameras={self.num_cameras} but cam_list has '
                f'{len(self.cam_list)} cameras: {self.cam_list}')
        self.need_camera_param = True
        self.frame_range = list(data_cfg['frame_range'])
        self.width = data_cfg.get('width', self.DEFAULT_SIZE[0])
        self.height = data_cfg.get('height', self.DEFAULT_SIZE[1])
        self.center = np.array((self.width / 2, self.height / 2), np.float32)
        self.scale = self._get_scale((self.width, self.height))
        root_id = data_cfg.get('root_id', [11, 12])
        self.root_id = [root_id] if isinstance(root_id, int) else root_id
        self.max_nposes = data_cfg.get('max_nposes', self.DEFAULT_MAX_NPOSES)
        self.min_nposes = data_cfg.get('min_nposes', 1)
        self.num_train_samples = data_cfg.get('num_train_samples', 3000)
        self.maximum_person = data_cfg.get('maximum_person', 10)
        prefix = self.img_prefix
        self.cam_file = data_cfg.get(
            'cam_file', osp.join(prefix, f'calibration_{self.NAME}.json'))
        self.test_pose_db_file = data_cfg.get(
            'test_pose_db_file',
            osp.join(prefix, f'pred_{self.NAME}_maskrcnn_hrnet_coco.pkl'))
        self.train_pose_db_file = data_cfg.get(
            'train_pose_db_file',
            osp.join(prefix, 'panoptic_training_pose.pkl'))
        self.gt_pose_db_file = data_cfg.get(
            'gt_pose_db_file', osp.join(prefix, 'actorsGT.mat'))
        self._load_files()

    def _load_files(self) -> None:
        for what in ('cam_file', 'train_pose_db_file', 'test_pose_db_file',
                     'gt_pose_db_file'):
            if not osp.exists(getattr(self, what)):
                raise FileNotFoundError(
                    f'{type(self).__name__}: {what} '
                    f'{getattr(self, what)} does not exist')
        with open(self.cam_file) as f:
            self.cameras = {
                cam_id: dict(
                    R=np.array(cam['R'], np.float32).T,
                    T=np.array(cam['T'], np.float32),
                    k=np.array(cam['k'], np.float32),
                    p=np.array(cam['p'], np.float32),
                    f=[[cam['fx']], [cam['fy']]],
                    c=[[cam['cx']], [cam['cy']]])
                for cam_id, cam in json.load(f).items()
            }
        with open(self.train_pose_db_file, 'rb') as f:
            self.train_pose_db = pickle.load(f)
        with open(self.test_pose_db_file, 'rb') as f:
            self.test_pose_db = pickle.load(f)
        self.gt_poses, self.gt_present = load_actors_gt(self.gt_pose_db_file)
        self.num_persons = len(self.gt_poses)

    def __len__(self) -> int:
        return (len(self.frame_range)
                if self.test_mode else self.num_train_samples)

    def __getitem__(self, idx: int) -> dict:
        views = (self._prepare_test_sample(idx)
                 if self.test_mode else self._prepare_train_sample(idx))
        return self.pipeline(views)

    def image_file(self, cam_id: str, frame: int) -> str:
        """Path of the image of camera ``cam_id`` at ``frame``."""
        raise NotImplementedError

    def _project(self, camera: dict, poses: np.ndarray,
                 visible: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Pixels [P, K, 2] of poses [P, K, 3] in one view and their
        visibility [P, K, 2] (visible and inside the image)."""
        pixels = SimpleCamera(camera).world_to_pixel(poses)
        inside = ((pixels >= 0).all(-1) & (pixels[..., 0] <= self.width - 1)
                  & (pixels[..., 1] <= self.height - 1))
        return pixels, np.repeat((visible & inside)[..., None], 2, -1)

    def _view(self, idx: int, cam_id: str, **fields) -> dict:
        return dict(
            camera=self.cameras[cam_id],
            sample_id=idx * self.num_cameras + int(cam_id),
            center=self.center,
            scale=self.scale,
            rotation=0.0,
            ann_info=self.ann_info,
            **fields)

    def _prepare_test_sample(self, idx: int) -> dict:
        frame = self.frame_range[idx]
        gt = self.gt_poses[self.gt_present[:, frame], frame]
        views = {}
        for cam_id, camera in self.cameras.items():
            pixels, pixels_visible = self._project(
                camera, gt, np.ones(gt.shape[:2], dtype=bool))
            preds = np.array([
                p['pred'] for p in self.test_pose_db[f'{cam_id}_{frame}']
            ])
            views[int(cam_id)] = self._view(
                idx, cam_id,
                image_file=self.image_file(cam_id, frame),
                joints_3d=list(gt),
                joints_3d_visible=[np.ones((len(p), 3)) for p in gt],
                joints_2d=list(pixels),
                joints_2d_visible=list(pixels_visible),
                joints=preds)
        return views

    def _new_center(self, centers: Sequence[np.ndarray]) -> np.ndarray:
        """A random ground position: uniform in ``CENTER_RANGE``, or (30%
        once some exist) about 500 mm from a placed person."""
        if not centers or np.random.rand() < 0.7:
            return np.array(
                [np.random.uniform(lo, hi) for lo, hi in self.CENTER_RANGE])
        base = centers[np.random.randint(len(centers))]
        return base + np.random.normal(500, 50, 2) * np.random.choice(
            [1, -1], 2)

    def _seen_in_views(self, center: np.ndarray) -> int:
        point = np.append(center, 1000.0)[None]
        count = 0
        for camera in self.cameras.values():
            u, v = SimpleCamera(camera).world_to_pixel(point)[0]
            count += (10 < u < self.width - 10) and (10 < v < self.height - 10)
        return count

    def _place(self, pose: np.ndarray, visible: np.ndarray, centers: list,
               boxes: list) -> Optional[np.ndarray]:
        """``pose`` turned by a random angle about its root and moved to a
        free random place (None after 100 failed tries)."""
        xy = pose[:, :2]
        root = xy[self.root_id].mean(0)
        angle = np.deg2rad(np.random.uniform(-180, 180))
        rot = np.array([[np.cos(angle), -np.sin(angle)],
                        [np.sin(angle), np.cos(angle)]])
        turned = (xy - root) @ rot.T
        seen = visible[:, 0] > 0
        for _ in range(100):  # rejection sampling
            center = self._new_center(centers)
            moved = turned + center
            box = np.concatenate([moved[seen].min(0), moved[seen].max(0)])
            if (self._seen_in_views(center) >= self.MIN_VIEWS and
                (not boxes or _box_iou(box, np.array(boxes)).max() < 0.01)):
                centers.append(center)
                boxes.append(box)
                placed = pose.copy()
                placed[:, :2] = moved
                return placed
        return None

    def _prepare_train_sample(self, idx: int) -> dict:
        count = np.random.choice(range(self.min_nposes, self.max_nposes))
        chosen = np.random.choice(self.train_pose_db, count)
        poses, visible, centers, boxes = [], [], [], []
        for item in chosen:
            placed = self._place(
                np.asarray(item['pose'], np.float64)[:, :3],
                np.asarray(item['vis']), centers, boxes)
            if placed is None:
                break
            poses.append(placed)
            visible.append(np.asarray(item['vis'], np.float64)[:, :3])
        num_joints = len(chosen[0]['pose'])
        joints_3d = np.zeros((self.maximum_person, num_joints, 3))
        joints_3d_visible = np.zeros_like(joints_3d)
        joints_3d[:len(poses)] = poses
        joints_3d_visible[:len(poses)] = visible
        roots_3d = joints_3d[:, self.root_id].mean(1)
        views = {}
        for cam_id, camera in self.cameras.items():
            joints = np.zeros((self.maximum_person, num_joints, 2))
            joints_visible = np.zeros_like(joints)
            if poses:
                pixels, seen = self._project(camera, np.array(poses),
                                             np.array(visible)[..., 0] > 0)
                joints[:len(poses)] = pixels
                joints_visible[:len(poses)] = seen
            views[int(cam_id)] = self._view(
                idx, cam_id,
                joints_3d=joints_3d,
                joints_3d_visible=joints_3d_visible,
                roots_3d=roots_3d,
                joints=joints,
                joints_visible=joints_visible,
                num_persons=len(poses))
        return views

    @staticmethod
    def coco_to_dataset(coco_poses: np.ndarray) -> np.ndarray:
        """COCO-order poses [P, 17, 3] -> this dataset's order [P, 14, 3]."""
        raise NotImplementedError

    @staticmethod
    def _head_points(coco_poses: np.ndarray) -> tuple:
        """Head bottom (between the shoulders' and the ears' middles) and
        head top (the ears' middle mirrored about it), each [P, 3]."""
        mid_shoulder = coco_poses[:, [5, 6]].mean(1)
        head_center = coco_poses[:, [3, 4]].mean(1)
        bottom = (mid_shoulder + head_center) / 2
        return bottom, 2 * head_center - bottom

    def evaluate(self,
                 results,
                 res_folder=None,
                 metric='pcp',
                 recall_threshold=500,
                 alpha_error=0.5,
                 **kwargs):
        """Percentage of correct parts per actor.

        Every present actor is compared with the prediction of least MPJPE
        in its frame; frames without any prediction are skipped (as 0.29's
        Campus does).

        Args:
            results (list[dict]): Test outputs with ``pose_3d``
                (np.ndarray[N, P, 17, 5], COCO order) and ``sample_id``.
            res_folder (str | None): Where to write
                ``result_keypoints.json``; None writes nothing.
            metric (str | list[str]): 'pcp' or '3dpcp' (the same).
            recall_threshold (float): Unused (kept from 0.29).
            alpha_error (float): PCP tolerance. Default: 0.5.

        Returns:
            OrderedDict: ``Actor <i> Total PCP``, ``pcp`` (mean of the
            first 3 actors), ``Actor <i> <group> PCP`` and ``Average
            <group> PCP`` per bone group, in percent.
        """
        return self._evaluate_pcp(results, res_folder, metric, alpha_error,
                                  self.coco_to_dataset)

    def _evaluate_pcp(self, results, res_folder, metric, alpha_error: float,
                      convert: Callable) -> OrderedDict:
        """:meth:`evaluate` with ``convert`` turning COCO poses into this
        dataset's joints."""
        self._check_metrics(metric)
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
        # The extra limb joins the hips' middle (appended as joint 14) to the
        # head bottom.
        limbs = self.LIMBS + [[14, 12]]
        correct = np.zeros((self.num_persons, len(limbs)))
        frames = np.zeros(self.num_persons)
        for pred, frame in zip(preds, self.frame_range):
            poses = pred['pose_3d']
            poses = poses[poses[:, 0, 3] >= 0, :, :3]
            if len(poses) == 0:
                continue
            poses = convert(poses)
            for actor in np.flatnonzero(self.gt_present[:, frame]):
                gt = self.gt_poses[actor, frame]
                best = poses[np.linalg.norm(poses - gt, axis=-1).mean(
                    -1).argmin()]
                best, gt = (np.vstack([p, p[[2, 3]].mean(0)])
                            for p in (best, gt))
                correct[actor] += correct_limbs(best, gt, limbs, alpha_error)
                frames[actor] += 1
        actor_pcp = correct.sum(1) / (frames * len(limbs) + 1e-8) * 100.0
        out = OrderedDict((f'Actor {a + 1} Total PCP', actor_pcp[a])
                          for a in range(self.num_persons))
        out['pcp'] = np.mean(actor_pcp[:3])
        for group, members in self.BONE_GROUP.items():
            pcp = correct[:, members].sum(1) / (
                frames * len(members) + 1e-8) * 100
            for a in range(self.num_persons):
                out[f'Actor {a + 1} {group} PCP'] = pcp[a]
            out[f'Average {group} PCP'] = pcp.mean()
        return out
