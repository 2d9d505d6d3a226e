"""MoSh SMPL parameters, the real poses of adversarial mesh training."""
import copy
import os.path as osp
from typing import Any, Sequence, Union

import numpy as np
from torch.utils.data import Dataset

from mmpose.errors import ArgumentError, UnknownNameError

from ...builder import DATASETS


@DATASETS.register_module()
class MoshDataset(Dataset):
    """Mosh Dataset for the adversarial training in 3D human mesh
    estimation.

    Each item is ``{'mosh_theta': (85,)}``: 3 zeros (no camera), the 72
    SMPL pose and the 10 shape parameters of one MoSh fit, read from the
    ``pose`` (N, 72) and ``shape`` (N, 10) arrays of an ``.npz``.

    Args:
        ann_file (str): Path to the annotation file.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: Sequence[Union[dict, Any]],
                 test_mode: bool = False):
        from mmpose.datasets.pipelines import Compose

        self.ann_file = ann_file
        self.test_mode = test_mode
        self.db = self._get_db(ann_file)
        self.pipeline = Compose(pipeline)

    @staticmethod
    def _get_db(ann_file: str) -> np.ndarray:
        """``mosh_theta`` of every fit, (N, 85) float32."""
        if not osp.isfile(ann_file):
            raise FileNotFoundError(
                f'annotation file {ann_file} does not exist')
        data = np.load(ann_file)
        for key, size in (('pose', 72), ('shape', 10)):
            if key not in data:
                raise UnknownNameError(f'{ann_file} has no {key!r} array')
            if data[key].ndim != 2 or data[key].shape[1] != size:
                raise ArgumentError(f'{ann_file}: {key!r} has shape '
                                    f'{data[key].shape}, expected (N, {size})')
        poses, betas = data['pose'], data['shape']
        if len(poses) != len(betas) or len(poses) == 0:
            raise ArgumentError(f'{ann_file}: {len(poses)} poses and '
                                f'{len(betas)} shapes, expected as many and '
                                'at least one')
        cam = np.zeros((len(poses), 3))
        return np.concatenate([cam, poses, betas], axis=1).astype(np.float32)

    def __len__(self) -> int:
        return len(self.db)

    def __getitem__(self, idx: int) -> dict:
        results = {'mosh_theta': copy.deepcopy(self.db[idx])}
        return self.pipeline(results)
