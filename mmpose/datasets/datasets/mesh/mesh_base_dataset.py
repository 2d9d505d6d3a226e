"""Base class of the 3D human mesh (SMPL) datasets."""
import copy
import os.path as osp
from typing import Any, Dict, List, Sequence, Union

import numpy as np
from torch.utils.data import Dataset

from mmpose.errors import ArgumentError, UnknownNameError

__all__ = ['MeshBaseDataset', 'MESH_FLIP_PAIRS', 'MESH_NUM_JOINTS']

#: All mesh datasets use the 24 joints of CMR / SPIN: the 14 LSP joints
#: (0 right ankle ... 13 head top), then pelvis, thorax, spine, jaw, head,
#: nose, left eye, right eye, left ear, right ear.
MESH_NUM_JOINTS = 24
MESH_FLIP_PAIRS = ((0, 5), (1, 4), (2, 3), (6, 11), (7, 10), (8, 9),
                   (20, 21), (22, 23))


class MeshBaseDataset(Dataset):
    """Base dataset for 3D human mesh estimation.

    Reads an ``.npz`` with ``imgname`` (N,), ``center`` (N, 2), ``scale``
    (N,) and optionally ``part`` (N, 24, 3) 2D joints, ``S`` (N, 24, 4) 3D
    joints, ``pose`` (N, 72) and ``shape`` (N, 10) SMPL parameters,
    ``gender`` (N,) and ``iuv_names`` (N,); missing arrays are zeros and
    ``has_smpl`` / ``has_iuv`` say what is real. Subclasses used for testing
    add an ``evaluate``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held; the
            IUV maps are in ``{img_prefix}/{uv_type}_IUV_gt``.
        data_cfg (dict): ``image_size``, ``iuv_size``, ``num_joints`` (24),
            ``use_IUV``, ``uv_type``.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 test_mode: bool = False):
        from mmpose.datasets.pipelines import Compose

        self.ann_file = ann_file
        self.img_prefix = img_prefix if img_prefix is not None else ''
        self.test_mode = test_mode
        missing = [
            k for k in ('image_size', 'iuv_size', 'num_joints', 'uv_type',
                        'use_IUV') if k not in data_cfg
        ]
        if missing:
            raise UnknownNameError(f'{type(self).__name__}: data_cfg lacks '
                                   f'{missing}')
        if data_cfg['num_joints'] != MESH_NUM_JOINTS:
            raise ArgumentError(f'mesh datasets have {MESH_NUM_JOINTS} '
                                "joints, data_cfg['num_joints'] is "
                                f"{data_cfg['num_joints']}")
        self.ann_info: Dict[str, Any] = {
            'image_size': np.array(data_cfg['image_size']),
            'iuv_size': np.array(data_cfg['iuv_size']),
            'num_joints': MESH_NUM_JOINTS,
            'flip_pairs': [list(p) for p in MESH_FLIP_PAIRS],
            'use_different_joint_weights': False,
            'joint_weights': np.ones((MESH_NUM_JOINTS, 1), np.float32),
            'uv_type': data_cfg['uv_type'],
            'use_IUV': data_cfg['use_IUV'],
        }
        self.iuv_prefix = osp.join(self.img_prefix,
                                   f"{data_cfg['uv_type']}_IUV_gt")
        self.db = self._get_db(ann_file)
        self.pipeline = Compose(pipeline)

    def _get_db(self, ann_file: str) -> List[dict]:
        """One record per image: ``image_file``, ``center`` (2,), ``scale``
        (2,), ``rotation``, ``joints_2d`` (24, 2), ``joints_2d_visible``
        (24, 1), ``joints_3d`` (24, 3), ``joints_3d_visible`` (24, 1),
        ``pose`` (72,), ``beta`` (10,), ``has_smpl``, ``gender`` (1 female,
        0 male, -1 unknown), ``iuv_file``, ``has_iuv``.

        Raises:
            FileNotFoundError / ValueError: missing or empty file, or
                arrays of the wrong shape.
        """
        if not osp.isfile(ann_file):
            raise FileNotFoundError(
                f'annotation file {ann_file} does not exist')
        data = np.load(ann_file)
        if 'imgname' not in data or len(data['imgname']) == 0:
            raise ArgumentError(f'annotation file {ann_file} has no records '
                                "('imgname' is missing or empty)")
        imgnames = data['imgname']
        n, k = len(imgnames), MESH_NUM_JOINTS

        def read(key, shape, fill=0.0):
            if key not in data:
                return np.full(shape, fill, np.float32)
            arr = data[key].astype(np.float32)
            if arr.shape != shape:
                raise ArgumentError(f'{ann_file}: {key!r} has shape '
                                    f'{arr.shape}, expected {shape} ({n} '
                                    f'records of {k} joints); first record: '
                                    f'{imgnames[0]}')
            return arr

        centers = read('center', (n, 2))
        scales = read('scale', (n, ))
        keypoints = read('part', (n, k, 3))
        joints_3d = read('S', (n, k, 4))
        has_smpl = int('pose' in data and 'shape' in data)
        poses = read('pose', (n, 72)) if has_smpl else np.zeros((n, 72),
                                                                np.float32)
        betas = read('shape', (n, 10)) if has_smpl else np.zeros((n, 10),
                                                                 np.float32)
        if 'gender' in data:
            genders = (np.char.strip(data['gender'].astype(str)) !=
                       'm').astype(np.int64)
        else:
            genders = np.full(n, -1, dtype=np.int64)
        has_iuv = has_smpl if 'iuv_names' in data else 0
        iuv_names = data['iuv_names'] if 'iuv_names' in data else [''] * n

        # One record per image: the pipeline consumes per-sample dicts.
        return [{
            'image_file': osp.join(self.img_prefix, str(imgnames[i])),
            'center': centers[i],
            'scale': np.array([scales[i], scales[i]], np.float32),
            'rotation': 0,
            'joints_2d': keypoints[i, :, :2],
            'joints_2d_visible': keypoints[i, :, 2:3],
            'joints_3d': joints_3d[i, :, :3],
            'joints_3d_visible': joints_3d[i, :, 3:4],
            'pose': poses[i],
            'beta': betas[i],
            'has_smpl': has_smpl,
            'gender': int(genders[i]),
            'iuv_file': osp.join(self.iuv_prefix, str(iuv_names[i])),
            'has_iuv': has_iuv,
        } for i in range(n)]

    def __len__(self) -> int:
        return len(self.db)

    def __getitem__(self, idx: int) -> dict:
        results = copy.deepcopy(self.db[idx])
        if not osp.isfile(results['image_file']):
            raise FileNotFoundError(
                f"image {results['image_file']} of record {idx} in "
                f'{self.ann_file} does not exist')
        results['ann_info'] = self.ann_info
        return self.pipeline(results)
