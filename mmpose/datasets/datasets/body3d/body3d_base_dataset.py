"""Base class of the 3D human pose datasets lifting 2D keypoint sequences."""
import copy
import os.path as osp
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np
from torch.utils.data import Dataset

from mmpose.errors import ArgumentError, UnknownNameError

from ...dataset_info import resolve_dataset_info, warn_missing_dataset_info
from ...dialects import split_test_mode_and_dataset_info

__all__ = ['Body3DBaseDataset']


class Body3DBaseDataset(Dataset, metaclass=ABCMeta):
    """Base class of 3D human pose datasets (2D-to-3D lifting).

    The annotation file is an ``.npz`` with ``imgname`` (N,), optional
    ``center`` (N, 2) and ``scale`` (N,), ``S`` (N, K, 4): 3D joints and
    visibility, ``part`` (N, K, 3): 2D joints and visibility. A sample is a
    sequence of ``seq_len`` frames of one video taken every
    ``seq_frame_interval`` frames; its target is the 3D pose of the last
    frame (``causal``) or of the middle one.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): ``num_joints``; optional ``seq_len`` (1),
            ``seq_frame_interval`` (1), ``causal`` (True; the misspelt key
            ``casual`` of the 0.x configs is read as well),
            ``temporal_padding`` (False: pad the sequences at the video
            borders so that every frame is a target), ``subset`` (1.0: keep
            a random contiguous share of the samples), ``need_2d_label``
            (False: add the target frame's 2D joints as ``target_2d``).
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.

        dataset_info (dict | None): 0.29 ``dataset_info`` table; None reads
            the class's own (``DATASET_INFO``, after a
            ``DeprecationWarning``), which gives ``ann_info`` its flip
            pairs, body halves and joint weights, and ``dataset_name`` its
            value.

    Subclasses implement :meth:`build_sample_indices` (video grouping),
    :meth:`get_camera_param` and :meth:`evaluate`.
    """

    #: Name of the package's ``dataset_info`` table of this dataset.
    DATASET_INFO: Optional[str] = None

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 test_mode: bool = False,
                 dataset_info: Optional[dict] = None):
        from mmpose.datasets.pipelines import Compose

        test_mode, dataset_info = split_test_mode_and_dataset_info(
            test_mode, dataset_info)
        if dataset_info is None and self.DATASET_INFO is not None:
            warn_missing_dataset_info(type(self).__name__, self.DATASET_INFO)
        self.dataset_info = resolve_dataset_info(dataset_info,
                                                 self.DATASET_INFO)
        self.dataset_name = ('' if self.dataset_info is None else
                             self.dataset_info.dataset_name)
        self.ann_file = ann_file
        self.img_prefix = img_prefix if img_prefix is not None else ''
        self.data_cfg = copy.deepcopy(data_cfg)
        self.test_mode = test_mode
        self.ann_info: Dict[str, Any] = {}
        self.load_config(self.data_cfg)
        self.data_info = self.load_annotations()
        self.name2id = {
            str(name): i
            for i, name in enumerate(self.data_info['imgnames'])
        }
        self.sample_indices = self.build_sample_indices()
        if not self.sample_indices:
            raise ArgumentError(f'{type(self).__name__}: no sample of '
                                f'{self.seq_len} frames (interval '
                                f'{self.seq_frame_interval}) in {ann_file}')
        self.pipeline = Compose(pipeline)

    # ------------------------------------------------------------------
    # config and annotations
    # ------------------------------------------------------------------
    def load_config(self, data_cfg: dict) -> None:
        """Set the sequence settings and ``ann_info`` from ``data_cfg``."""
        if 'num_joints' not in data_cfg:
            raise UnknownNameError(f'{type(self).__name__}: data_cfg lacks '
                                   "'num_joints'")
        self.num_joints = int(data_cfg['num_joints'])
        self.seq_len = int(data_cfg.get('seq_len', 1))
        self.seq_frame_interval = int(data_cfg.get('seq_frame_interval', 1))
        if self.seq_len < 1 or self.seq_frame_interval < 1:
            raise ArgumentError('seq_len and seq_frame_interval must be >= 1, '
                                f'got {self.seq_len} and '
                                f'{self.seq_frame_interval}')
        self.causal = bool(
            data_cfg.get('causal', data_cfg.get('casual', True)))
        self.temporal_padding = bool(data_cfg.get('temporal_padding', False))
        self.subset = float(data_cfg.get('subset', 1))
        if not 0 < self.subset <= 1:
            raise ArgumentError(f'subset must be in (0, 1], got {self.subset}')
        self.need_2d_label = bool(data_cfg.get('need_2d_label', False))
        self.need_camera_param = False
        self.ann_info.update({
            'num_joints': self.num_joints,
            'flip_pairs': None,
            'upper_body_ids': None,
            'lower_body_ids': None,
            'joint_weights': np.full(self.num_joints, 1.0, np.float32),
            'use_different_joint_weights': False,
        })
        info = self.dataset_info
        if info is not None:
            if info.keypoint_num != self.num_joints:
                raise ArgumentError(
                    f'{type(self).__name__}: dataset_info '
                    f'{info.dataset_name!r} has {info.keypoint_num} '
                    f"keypoints, data_cfg['num_joints'] is {self.num_joints}")
            self.ann_info.update({
                'flip_pairs': [list(p) for p in info.flip_pairs],
                'upper_body_ids': list(info.upper_body_ids),
                'lower_body_ids': list(info.lower_body_ids),
                'joint_weights': info.joint_weights[:, 0].copy(),
                'skeleton': [list(p) for p in info.skeleton],
            })

    def load_annotations(self) -> Dict[str, np.ndarray]:
        """Read the npz annotation file.

        Returns:
            dict: ``imgnames`` (N,), ``joints_3d`` (N, K, 4), ``joints_2d``
            (N, K, 3), ``scales`` (N,), ``centers`` (N, 2).

        Raises:
            FileNotFoundError / ValueError: missing or empty file, or arrays
                whose length or number of joints is wrong (the first bad
                record is named).
        """
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'annotation file {self.ann_file} does not exist')
        data = np.load(self.ann_file)
        if 'imgname' not in data or len(data['imgname']) == 0:
            raise ArgumentError(f'annotation file {self.ann_file} has no '
                                "records ('imgname' is missing or empty)")
        imgnames = data['imgname']
        n, k = len(imgnames), self.num_joints
        defaults = {
            'S': np.zeros((n, k, 4), np.float32),
            'part': np.zeros((n, k, 3), np.float32),
            'scale': np.zeros(n, np.float32),
            'center': np.zeros((n, 2), np.float32),
        }
        arrays = {}
        for key, default in defaults.items():
            arr = (data[key] if key in data else default).astype(np.float32)
            expected = default.shape
            if arr.shape != expected:
                raise ArgumentError(f'{self.ann_file}: {key!r} has shape '
                                    f'{arr.shape}, expected {expected} for '
                                    f'{n} records ({k} joints); first record: '
                                    f'{imgnames[0]}')
            arrays[key] = arr
        return {
            'imgnames': imgnames,
            'joints_3d': arrays['S'],
            'joints_2d': arrays['part'],
            'scales': arrays['scale'],
            'centers': arrays['center'],
        }

    # ------------------------------------------------------------------
    # samples
    # ------------------------------------------------------------------
    def _video_sequences(self, frames: np.ndarray) -> np.ndarray:
        """Frame-index sequences (S, seq_len) of one video.

        Args:
            frames (np.ndarray[F]): Indexes of the video's frames in
                chronological order.
        """
        n, step = len(frames), self.seq_frame_interval
        if self.temporal_padding:
            # every frame is a target; positions outside the video repeat
            # its first / last frame
            if self.causal:
                left, right = self.seq_len - 1, 0
            else:
                left = right = (self.seq_len - 1) // 2
            offsets = np.arange(-left, right + 1) * step
            pos = np.arange(n)[:, None] + offsets[None]
            return frames[np.clip(pos, 0, n - 1)]
        span = (self.seq_len - 1) * step + 1
        if n < span:
            return np.zeros((0, self.seq_len), dtype=np.int64)
        pos = (np.arange(n - span + 1)[:, None] +
               np.arange(self.seq_len)[None] * step)
        return frames[pos]

    def build_sample_indices(self) -> List[tuple]:
        """One sample per frame (the whole file is one video)."""
        frames = np.arange(len(self.data_info['imgnames']))
        return self._take_subset(
            [tuple(s) for s in self._video_sequences(frames)])

    def _take_subset(self, samples: List[tuple]) -> List[tuple]:
        """A random contiguous ``subset`` share of ``samples``."""
        if self.subset >= 1:
            return samples
        size = int(len(samples) * self.subset)
        start = np.random.randint(0, len(samples) - size + 1)
        return samples[start:start + size]

    def get_camera_param(self, imgname: str) -> dict:
        """Camera parameters of a frame."""
        raise UnknownNameError(f'{type(self).__name__} has no camera '
                               'parameters')

    def prepare_data(self, idx: int) -> dict:
        """Inputs and target of sample ``idx``.

        Returns:
            dict: ``input_2d`` (T, K, 2), ``input_2d_visible`` (T, K, 1),
            ``input_3d`` (T, K, 3), ``input_3d_visible`` (T, K, 1),
            ``target`` (K, 3), ``target_visible`` (K, 1), ``imgnames`` (T,),
            ``target_image_path``, ``scales`` (T, 2), ``centers`` (T, 2),
            ``frame_ids``, ``target_frame_id``, ``target_2d`` (K, 2) and
            ``camera_param`` when
            needed (then ``image_width``/``image_height`` from its
            ``w``/``h``).
        """
        data = self.data_info
        frame_ids = np.asarray(self.sample_indices[idx])
        joints_3d = data['joints_3d'][frame_ids]
        joints_2d = data['joints_2d'][frame_ids]
        imgnames = data['imgnames'][frame_ids]
        scales = data['scales'][frame_ids]
        if scales.ndim == 1:
            scales = np.stack([scales, scales], axis=1)
        target_idx = -1 if self.causal else self.seq_len // 2
        results = {
            'frame_ids': tuple(int(i) for i in frame_ids),
            'target_frame_id': int(frame_ids[target_idx]),
            'input_2d': joints_2d[:, :, :2],
            'input_2d_visible': joints_2d[:, :, -1:],
            'input_3d': joints_3d[:, :, :3],
            'input_3d_visible': joints_3d[:, :, -1:],
            'target': joints_3d[target_idx, :, :3],
            'target_visible': joints_3d[target_idx, :, -1:],
            'imgnames': imgnames,
            'target_image_path': str(imgnames[target_idx]),
            'scales': scales,
            'centers': data['centers'][frame_ids],
        }
        if self.need_2d_label:
            results['target_2d'] = joints_2d[target_idx, :, :2]
        if self.need_camera_param:
            camera = self.get_camera_param(str(imgnames[0]))
            results['camera_param'] = camera
            # image size for ImageCoordinateNormalization (0.29)
            if 'w' in camera and 'h' in camera:
                results['image_width'] = camera['w']
                results['image_height'] = camera['h']
        return results

    def __len__(self) -> int:
        return len(self.sample_indices)

    def __getitem__(self, idx: int) -> dict:
        results = copy.deepcopy(self.prepare_data(idx))
        results['ann_info'] = self.ann_info
        return self.pipeline(results)

    # ------------------------------------------------------------------
    # evaluation helpers
    # ------------------------------------------------------------------
    def _target_id(self, image_path: str) -> int:
        """Frame index of a predicted ``target_image_path``."""
        path = str(image_path)
        candidates = [path]
        if self.img_prefix and path.startswith(self.img_prefix):
            candidates.append(path[len(self.img_prefix):].lstrip('/'))
        for name in candidates:
            if name in self.name2id:
                return self.name2id[name]
        raise UnknownNameError(f'predicted image {path} is not in '
                               f'{self.ann_file}')

    def _gather_predictions(self, outputs: Sequence[dict],
                            res_folder: Optional[str]) -> List[dict]:
        """Per-sample ``keypoints`` and ``target_id`` of the batches of
        ``outputs`` (``preds`` (N, K, C), ``target_image_paths`` (N,)),
        written to ``${res_folder}/result_keypoints.json`` (a temporary
        folder when None, as in 0.29)."""
        from ..base.coco_eval import result_folder, write_json
        kpts = [{
            'keypoints': pred,
            'target_id': self._target_id(path)
        } for output in outputs for pred, path in zip(
            np.asarray(output['preds']), output['target_image_paths'])]
        if not kpts:
            raise ArgumentError('no prediction to evaluate')
        with result_folder(res_folder) as folder:
            write_json(kpts, osp.join(folder, 'result_keypoints.json'))
        return kpts

    def _check_metrics(self, metric: Union[str, Sequence[str]],
                       allowed: Sequence[str]) -> List[str]:
        """``metric`` as a list, each checked against ``allowed``."""
        metrics = list(metric) if isinstance(metric, (list, tuple)) \
            else [metric]
        for m in metrics:
            if m not in allowed:
                raise UnknownNameError(f'metric {m} is not supported by '
                                       f'{type(self).__name__}; allowed: '
                                       f'{list(allowed)}')
        return metrics

    @abstractmethod
    def evaluate(self,
                 outputs: Sequence[dict],
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str], None] = None,
                 **kwargs) -> 'Dict[str, float]':
        """Evaluate the predictions of :meth:`prepare_data` targets."""
