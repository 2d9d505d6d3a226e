"""Human3.6M for 3D human mesh estimation (evaluation on joints)."""
import os.path as osp
from collections import OrderedDict
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.core.evaluation import (compute_similarity_transform,
                                    keypoint_mpjpe)
from mmpose.errors import ArgumentError, UnknownNameError
from ...builder import DATASETS
from ..base import write_json
from .mesh_base_dataset import MeshBaseDataset

#: The 14 LSP joints (of the 24) used for evaluation, H36M head instead of
#: the LSP head top; their pelvis is the mean of the hips (2 and 3).
EVAL_JOINTS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 18)


@DATASETS.register_module()
class MeshH36MDataset(MeshBaseDataset):
    """Human3.6M Dataset for 3D human mesh estimation. It inherits all
    functions from :class:`MeshBaseDataset` and has its own evaluate
    function.

    ``'joint_error'`` reports ``MPJPE`` and ``MPJPE-PA`` (after Procrustes
    alignment) in millimetres over the 14 evaluation joints, both centred
    on their pelvis.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    ALLOWED_METRICS = ('joint_error', )

    @staticmethod
    def _centre(joints: np.ndarray) -> np.ndarray:
        """Evaluation joints [..., 14, 3] minus their pelvis."""
        joints = np.asarray(joints, np.float64)[..., EVAL_JOINTS, :]
        pelvis = (joints[..., 2:3, :] + joints[..., 3:4, :]) / 2
        return joints - pelvis

    @staticmethod
    def evaluate_kernel(pred_joints_3d: np.ndarray, joints_3d: np.ndarray,
                        joints_3d_visible: np.ndarray) -> Tuple[float, float]:
        """Errors of one example (in the unit of the joints).

        Args:
            pred_joints_3d (np.ndarray[24, 3]): Predicted joints.
            joints_3d (np.ndarray[24, 3]): Ground-truth joints.
            joints_3d_visible (np.ndarray[24, 1]): Visibility; the 14
                evaluation joints must be visible.

        Returns:
            tuple[float, float]: MPJPE and MPJPE after Procrustes alignment.
        """
        vis = np.asarray(joints_3d_visible).reshape(-1)[list(EVAL_JOINTS)]
        if vis.min() <= 0:
            raise ArgumentError('an evaluation joint of this example is not '
                                'visible')
        pred = MeshH36MDataset._centre(pred_joints_3d)
        gt = MeshH36MDataset._centre(joints_3d)
        error = np.linalg.norm(pred - gt, axis=-1).mean()
        aligned = compute_similarity_transform(pred, gt)
        error_pa = np.linalg.norm(aligned - gt, axis=-1).mean()
        return float(error), float(error_pa)

    def _collect(self, outputs: Sequence) -> List[dict]:
        """Per-image results from ``(preds, boxes, image_paths)`` tuples
        (``preds[0]``: joints (N, 24, 3)) or dicts with ``keypoints_3d``
        and ``image_path``; the paths of a batch are a list, or one plain
        string for a batch of one."""
        kpts = []
        for out in outputs:
            if isinstance(out, dict):
                joints, paths = out['keypoints_3d'], out['image_path']
                boxes = out.get('bboxes', out.get('boxes'))  # 0.29: bboxes
            else:
                preds, boxes, paths = out[:3]
                joints = preds[0]
            if isinstance(paths, str):
                paths = [paths]
            joints = np.asarray(joints).reshape(len(paths), -1, 3)
            if boxes is not None:
                boxes = np.asarray(boxes).reshape(len(paths), -1)
            for i, path in enumerate(paths):
                kpt = {'keypoints': joints[i], 'image': path}
                if boxes is not None:
                    box = boxes[i]
                    kpt.update(center=box[0:2], scale=box[2:4],
                               area=float(box[4]), score=float(box[5]))
                kpts.append(kpt)
        return kpts

    def evaluate(self,
                 outputs: Sequence,
                 res_folder: Optional[str] = None,
                 metric: Union[str, Sequence[str]] = 'joint_error',
                 logger=None) -> 'OrderedDict[str, float]':
        """Evaluate 3D keypoint results; writes
        ``${res_folder}/result_keypoints.json``.

        Args:
            outputs (list): Model outputs, one per batch, in dataset order:
                ``(preds, boxes, image_paths)`` with ``preds[0]`` the joints
                (N, 24, 3) in metres (0.14), or dicts with ``keypoints_3d``
                (N, 24, 3) and ``image_path`` (0.29); the paths may be one
                plain string for a batch of one.
            res_folder (str): Directory of the result file.
            metric (str | list[str]): ``'joint_error'``.

        Returns:
            OrderedDict: ``MPJPE`` and ``MPJPE-PA`` in millimetres.
        """
        metrics = list(metric) if isinstance(metric, (list, tuple)) \
            else [metric]
        for m in metrics:
            if m not in self.ALLOWED_METRICS:
                raise UnknownNameError(f'metric {m} is not supported by '
                                       f'{type(self).__name__}; allowed: '
                                       f'{list(self.ALLOWED_METRICS)}')
        kpts = self._collect(outputs)
        if len(kpts) != len(self.db):
            raise ArgumentError(f'{len(kpts)} predictions for {len(self.db)} '
                                f'records of {self.ann_file}')
        if res_folder:
            write_json(kpts, osp.join(res_folder, 'result_keypoints.json'))
        preds = self._centre(np.stack([k['keypoints'] for k in kpts]))
        gts = self._centre(np.stack([r['joints_3d'] for r in self.db]))
        masks = np.stack([r['joints_3d_visible'][:, 0]
                          for r in self.db])[:, list(EVAL_JOINTS)] > 0
        mpjpe = keypoint_mpjpe(preds, gts, masks)
        mpjpe_pa = keypoint_mpjpe(preds, gts, masks, alignment='procrustes')
        return OrderedDict([('MPJPE', float(mpjpe) * 1000),
                            ('MPJPE-PA', float(mpjpe_pa) * 1000)])
