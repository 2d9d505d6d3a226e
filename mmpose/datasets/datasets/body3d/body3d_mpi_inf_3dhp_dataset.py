"""MPI-INF-3DHP for 3D human pose estimation (2D-to-3D lifting, 0.29)."""
import os.path as osp
from collections import OrderedDict, defaultdict
from typing import Any, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.core.evaluation import (keypoint_3d_auc, keypoint_3d_pck,
                                    keypoint_mpjpe)
from mmpose.errors import ArgumentError, UnknownNameError

from ...builder import DATASETS
from .body3d_h36m_dataset import Body3DH36MDataset

__all__ = ['Body3DMpiInf3dhpDataset']

#: metric -> (result name, metric function, alignment)
MPI_INF_3DHP_METRICS = {
    'mpjpe': ('MPJPE', keypoint_mpjpe, 'none'),
    'p-mpjpe': ('P-MPJPE', keypoint_mpjpe, 'procrustes'),
    '3dpck': ('3DPCK', keypoint_3d_pck, 'none'),
    'p-3dpck': ('P-3DPCK', keypoint_3d_pck, 'procrustes'),
    '3dauc': ('3DAUC', keypoint_3d_auc, 'none'),
    'p-3dauc': ('P-3DAUC', keypoint_3d_auc, 'procrustes'),
}


@DATASETS.register_module()
class Body3DMpiInf3dhpDataset(Body3DH36MDataset):
    """MPI-INF-3DHP dataset for 3D human pose estimation.

    `Monocular 3D Human Pose Estimation In The Wild Using Improved CNN
    Supervision', 3DV'2017.

    MPI-INF-3DHP keypoint indexes::

        0: 'head_top', 1: 'neck', 2: 'right_shoulder', 3: 'right_elbow',
        4: 'right_wrist', 5: 'left_shoulder', 6: 'left_elbow',
        7: 'left_wrist', 8: 'right_hip', 9: 'right_knee',
        10: 'right_ankle', 11: 'left_hip', 12: 'left_knee',
        13: 'left_ankle', 14: 'root (pelvis)', 15: 'spine', 16: 'head'

    The annotation file has the npz format of :class:`Body3DBaseDataset`.
    Training frames are named ``S1_Seq1_Cam0_000001.jpg`` and grouped into
    videos by (subject, sequence, camera); test frames ``TS1_000001.jpg``
    by test subject. The 2D joint source and its detection file work as in
    :class:`Body3DH36MDataset` (whose ``actions``/``subjects`` filters do
    not apply here); ``camera_param_file`` holds a dict keyed by the image
    name without its ``_000001.jpg`` frame suffix (``S1_Seq1_Cam0``,
    ``TS1``).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): As :class:`Body3DH36MDataset`.
        pipeline (list[dict | callable]): A sequence of data transforms.
        dataset_info (dict | None): 0.29 ``dataset_info`` table; None reads
            the package's ``mpi_inf_3dhp`` one.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'mpi_inf_3dhp'
    ALLOWED_METRICS = tuple(MPI_INF_3DHP_METRICS)
    #: length of the ``_000001.jpg`` frame suffix of the image names
    FRAME_SUFFIX_LEN = 11

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Any],
                 dataset_info: Optional[dict] = None,
                 test_mode: bool = False):
        # a 0.29-only class: its argument order is 0.29's
        super().__init__(ann_file, img_prefix, data_cfg, pipeline,
                         test_mode=test_mode, dataset_info=dataset_info)

    def load_config(self, data_cfg: dict) -> None:
        """As Human3.6M; joint weights are not used for this dataset."""
        super().load_config(data_cfg)
        self.ann_info['use_different_joint_weights'] = False

    @staticmethod
    def _parse_mpi_inf_3dhp_imgname(
            imgname: str) -> Tuple[str, Optional[str], Optional[str]]:
        """Subject, sequence and camera of ``S1_Seq1_Cam0_000001.jpg``, or
        (subject, None, None) for a test image ``TS1_000001.jpg``."""
        base = osp.basename(str(imgname))
        parts = base.split('_')
        if base.startswith('S') and len(parts) >= 4:
            return parts[0], parts[1], parts[2]
        if len(parts) < 2:
            raise ArgumentError(f'{imgname} is not an MPI-INF-3DHP image '
                                'name (S1_Seq1_Cam0_000001.jpg or '
                                'TS1_000001.jpg)')
        return parts[0], None, None

    def build_sample_indices(self) -> List[tuple]:
        """Frame sequences of every training video or test subject."""
        videos = defaultdict(list)
        for idx, imgname in enumerate(self.data_info['imgnames']):
            subj, seq, camera = self._parse_mpi_inf_3dhp_imgname(imgname)
            videos[(subj, seq or '', camera or '')].append(idx)
        samples = []
        for _, frames in sorted(videos.items()):
            seqs = self._video_sequences(np.asarray(frames))
            samples.extend(tuple(int(i) for i in s) for s in seqs)
        return self._take_subset(samples)

    def get_camera_param(self, imgname: str) -> dict:
        """Camera parameters of a frame, keyed by its video name."""
        key = osp.basename(str(imgname))[:-self.FRAME_SUFFIX_LEN]
        try:
            return self.camera_param[key]
        except KeyError as err:
            raise UnknownNameError(
                f'no camera {key!r} for {imgname} in '
                f"{self.data_cfg['camera_param_file']}") from err

    def evaluate(self,
                 outputs: Sequence[dict],
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str]] = 'mpjpe',
                 **kwargs) -> 'OrderedDict[str, float]':
        """MPJPE, 3DPCK (threshold 0.15) and 3DAUC, each plain or after
        Procrustes alignment (``p-`` prefix), over all joints (visibility
        is not used, as in 0.29); writes
        ``${res_folder}/result_keypoints.json``.

        Args:
            outputs (list[dict]): Batches with ``preds`` (N, K, 3) and
                ``target_image_paths`` (N,).
            res_folder (str | None): Directory of the result file; None
                writes it to a temporary folder (0.29).
            metric (str | list[str]): ``'mpjpe'``, ``'p-mpjpe'``,
                ``'3dpck'``, ``'p-3dpck'``, ``'3dauc'``, ``'p-3dauc'``.

        Returns:
            OrderedDict: ``MPJPE``, ``P-MPJPE``, ``3DPCK``, ``P-3DPCK``,
            ``3DAUC``, ``P-3DAUC`` as asked.
        """
        metrics = self._check_metrics(metric, self.ALLOWED_METRICS)
        kpts = self._gather_predictions(outputs, res_folder)
        preds = np.stack([np.asarray(k['keypoints'])[:, :3] for k in kpts])
        gts = self.data_info['joints_3d'][[k['target_id'] for k in kpts],
                                          :, :3]
        if preds.shape != gts.shape:
            raise ArgumentError(f'predictions have shape {preds.shape}, the '
                                f'targets {gts.shape}')
        masks = np.ones(gts.shape[:2], dtype=bool)
        info = []
        for m in metrics:
            name, func, alignment = MPI_INF_3DHP_METRICS[m]
            info.append((name, float(func(preds, gts, masks, alignment))))
        return OrderedDict(info)
