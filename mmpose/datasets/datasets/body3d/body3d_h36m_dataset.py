"""Human3.6M for 3D human pose estimation (2D-to-3D lifting)."""
import os.path as osp
from collections import OrderedDict, defaultdict
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import mmcv
import numpy as np

from mmpose.core.evaluation import keypoint_mpjpe
from mmpose.errors import ArgumentError, UnknownNameError

from ...builder import DATASETS
from .body3d_base_dataset import Body3DBaseDataset

#: MPJPE variant -> (result name, alignment of ``keypoint_mpjpe``). Protocol
#: 1 of Human3.6M is ``'mpjpe'``, protocol 2 ``'p-mpjpe'``.
MPJPE_MODES = {
    'mpjpe': ('MPJPE', 'none'),
    'p-mpjpe': ('P-MPJPE', 'procrustes'),
    'n-mpjpe': ('N-MPJPE', 'scale'),
}


@DATASETS.register_module()
class Body3DH36MDataset(Body3DBaseDataset):
    """Human3.6M dataset for 3D human pose estimation.

    `Human3.6M: Large Scale Datasets and Predictive Methods for 3D Human
    Sensing in Natural Environments', TPAMI'2014.

    Human3.6M keypoint indexes::

        0: 'root (pelvis)', 1: 'right_hip', 2: 'right_knee',
        3: 'right_foot', 4: 'left_hip', 5: 'left_knee', 6: 'left_foot',
        7: 'spine', 8: 'thorax', 9: 'neck_base', 10: 'head',
        11: 'left_shoulder', 12: 'left_elbow', 13: 'left_wrist',
        14: 'right_shoulder', 15: 'right_elbow', 16: 'right_wrist'

    Frames are grouped into videos by subject, action and camera, parsed
    from image names like ``S1_Directions_1.54138969_000001.jpg``; the
    annotation file is assumed chronological within a video.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): :class:`Body3DBaseDataset` keys plus
            ``joint_2d_src`` (``'gt'``: the file's ``part``;
            ``'detection'``: ``joint_2d_det_file``, an npy of (N, K, 3);
            ``'pipeline'``: made by the pipeline), ``need_camera_param`` and
            ``camera_param_file`` (pickle keyed by (subject, camera)),
            ``actions`` and ``subjects`` filters (``'_all_'``).
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'h36m'
    SUPPORTED_JOINT_2D_SRC = ('gt', 'detection', 'pipeline')
    ALLOWED_METRICS = ('mpjpe', 'p-mpjpe', 'n-mpjpe')

    def load_config(self, data_cfg: dict) -> None:
        """Base settings plus the 2D source, cameras and filters."""
        super().load_config(data_cfg)
        self.joint_2d_src = data_cfg.get('joint_2d_src', 'gt')
        if self.joint_2d_src not in self.SUPPORTED_JOINT_2D_SRC:
            raise ArgumentError(
                f'Unsupported joint_2d_src {self.joint_2d_src!r}; supported '
                f'options are {list(self.SUPPORTED_JOINT_2D_SRC)}')
        self.joint_2d_det_file = data_cfg.get('joint_2d_det_file', None)
        if self.joint_2d_src == 'detection' and not self.joint_2d_det_file:
            raise UnknownNameError("joint_2d_src='detection' needs "
                                   'data_cfg.joint_2d_det_file')
        self.need_camera_param = bool(
            data_cfg.get('need_camera_param', False))
        if self.need_camera_param:
            if 'camera_param_file' not in data_cfg:
                raise UnknownNameError('need_camera_param=True needs '
                                       'data_cfg.camera_param_file')
            self.camera_param = self._load_camera_param(
                data_cfg['camera_param_file'])

        def _as_set(value) -> set:
            return set(value if isinstance(value, (list, tuple)) else [value])

        self.actions = _as_set(data_cfg.get('actions', '_all_'))
        self.subjects = _as_set(data_cfg.get('subjects', '_all_'))

    def load_annotations(self) -> Dict[str, np.ndarray]:
        """Annotations, with the 2D joints replaced by detections if asked."""
        data_info = super().load_annotations()
        if self.joint_2d_src == 'detection':
            data_info['joints_2d'] = self._load_joint_2d_detection(
                self.joint_2d_det_file, data_info['joints_3d'].shape[0])
        return data_info

    def _load_joint_2d_detection(self, det_file: str,
                                 num_frames: int) -> np.ndarray:
        """2D detections (N, K, 3) of every annotated frame."""
        if not osp.isfile(det_file):
            raise FileNotFoundError(
                f'2D detection file {det_file} does not exist')
        joints_2d = np.load(det_file).astype(np.float32)
        expected = (num_frames, self.num_joints, 3)
        if joints_2d.shape != expected:
            raise ArgumentError(f'2D detection file {det_file} has shape '
                                f'{joints_2d.shape}, expected {expected} '
                                f'(frames of {self.ann_file})')
        return joints_2d

    @staticmethod
    def _parse_h36m_imgname(imgname: str) -> Tuple[str, str, str]:
        """Subject, action and camera of an image name like
        ``S1_Directions_1.54138969_000001.jpg``."""
        base = osp.basename(str(imgname))
        try:
            subj, rest = base.split('_', 1)
            action, rest = rest.split('.', 1)
            camera = rest.split('_', 1)[0]
        except ValueError as err:
            raise ArgumentError(
                f'{imgname} is not a Human3.6M image name '
                '(SUBJECT_ACTION.CAMERA_FRAME.jpg)') from err
        return subj, action, camera

    def build_sample_indices(self) -> List[tuple]:
        """Frame sequences of every (subject, action, camera) video."""
        videos = defaultdict(list)
        for idx, imgname in enumerate(self.data_info['imgnames']):
            subj, action, camera = self._parse_h36m_imgname(imgname)
            if '_all_' not in self.actions and action not in self.actions:
                continue
            if '_all_' not in self.subjects and subj not in self.subjects:
                continue
            videos[(subj, action, camera)].append(idx)
        samples = []
        for _, frames in sorted(videos.items()):
            seqs = self._video_sequences(np.asarray(frames))
            samples.extend(tuple(int(i) for i in s) for s in seqs)
        return self._take_subset(samples)

    def _load_camera_param(self, camera_param_file: str) -> dict:
        """Camera parameters keyed by (subject, camera id)."""
        if not osp.isfile(camera_param_file):
            raise FileNotFoundError(
                f'camera parameter file {camera_param_file} does not exist')
        return mmcv.load(camera_param_file)

    def get_camera_param(self, imgname: str) -> dict:
        """Camera parameters (``R``, ``T``, ``f``, ``c``, ``k``, ``p``...)
        of a frame, from its subject and camera."""
        subj, _, camera = self._parse_h36m_imgname(imgname)
        try:
            return self.camera_param[(subj, camera)]
        except KeyError as err:
            raise UnknownNameError(
                f'no camera ({subj}, {camera}) for {imgname} in '
                f"{self.data_cfg['camera_param_file']}") from err

    # ------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------
    def evaluate(self,
                 outputs: Sequence[dict],
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str]] = 'mpjpe',
                 **kwargs) -> 'OrderedDict[str, float]':
        """MPJPE (protocol 1), P-MPJPE (protocol 2) and N-MPJPE, overall and
        per action category; writes ``${res_folder}/result_keypoints.json``.

        Args:
            outputs (list[dict]): Batches with ``preds`` (N, K, 3) and
                ``target_image_paths`` (N,).
            res_folder (str | None): Directory of the result file; None
                writes it to a temporary folder (0.29).
            metric (str | list[str]): ``'mpjpe'``, ``'p-mpjpe'``,
                ``'n-mpjpe'``.

        Returns:
            OrderedDict: e.g. ``MPJPE``, ``MPJPE_Directions``, ...,
            ``P-MPJPE``, ``P-MPJPE_Directions``, ... in the data's unit.
        """
        metrics = self._check_metrics(metric, self.ALLOWED_METRICS)
        kpts = self._gather_predictions(outputs, res_folder)
        info: List[Tuple[str, Any]] = []
        for m in metrics:
            info += self._report_mpjpe(kpts, m)
        return OrderedDict(info)

    def _report_mpjpe(self, kpts: List[dict],
                      mode: str = 'mpjpe') -> List[Tuple[str, float]]:
        """One MPJPE variant over all predictions and per action category
        (the action name before ``_``, e.g. ``WalkDog``).

        As in MMPose 0.x, only the overall error uses the alignment of
        ``mode``; the per-category errors (``P-MPJPE_WalkDog``, ...) are the
        plain MPJPE of that category's poses, whatever the mode.
        """
        name, alignment = MPJPE_MODES[mode]
        target_ids = np.array([k['target_id'] for k in kpts])
        preds = np.stack([np.asarray(k['keypoints'], np.float64)[:, :3]
                          for k in kpts])
        gts = self.data_info['joints_3d'][target_ids]
        if preds.shape != gts[..., :3].shape:
            raise ArgumentError(f'predictions have shape {preds.shape}, the '
                                f'targets {gts[..., :3].shape}')
        masks = gts[..., 3] > 0
        gts = gts[..., :3]
        categories = np.array([
            self._parse_h36m_imgname(self.data_info['imgnames'][i])[1].split(
                '_')[0] for i in target_ids
        ])
        info = [(name, float(keypoint_mpjpe(preds, gts, masks, alignment)))]
        # categories in order of first appearance, as in 0.x
        _, first = np.unique(categories, return_index=True)
        for cat in categories[np.sort(first)]:
            sel = categories == cat
            info.append((f'{name}_{cat}',
                         float(
                             keypoint_mpjpe(preds[sel], gts[sel],
                                            masks[sel]))))
        return info
