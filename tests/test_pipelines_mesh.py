"""Mesh (HMR) transforms."""
import cv2
import numpy as np
import pytest
import torch

from mmpose.datasets.pipelines import (IUVToTensor, LoadIUVFromFile,
                                       MeshAffine, MeshRandomFlip)
from .helpers import DATA, data_file

IUV = DATA / 'h36m' / 'BF_IUV_gt' / (
    'S1_Directions_1.54138969_000001_467_466.png')


def _mesh_results():
    pose = np.arange(72, dtype=np.float32) / 100
    return dict(
        img=np.random.RandomState(0).randint(0, 255, (20, 10, 3), np.uint8),
        joints_2d=np.array([[1., 2.], [3., 4.], [5., 6.]]),
        joints_2d_visible=np.array([[1., 1.], [1., 1.], [0., 0.]]),
        joints_3d=np.array([[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]],
                           np.float32),
        joints_3d_visible=np.ones((3, 3), np.float32),
        pose=pose, center=np.array([5., 10.]), scale=np.array([0.1, 0.1]),
        rotation=0, iuv=None,
        ann_info=dict(image_size=np.array([10, 10]), iuv_size=[4, 4],
                      num_joints=3, flip_pairs=[[1, 2]], uv_type='BF',
                      use_IUV=True))


def test_mesh_flip():
    res = _mesh_results()
    pose = res['pose'].copy()
    res['iuv'] = np.zeros((2, 3, 3), np.uint8)
    res['iuv'][0, 0] = [1, 10, 20]
    out = MeshRandomFlip(flip_prob=1.0)(res)
    np.testing.assert_array_equal(out['joints_2d'],
                                  [[8., 2.], [0., 0.], [6., 4.]])
    np.testing.assert_array_equal(out['joints_3d'],
                                  [[-1, 2, 3], [-7, 8, 9], [-4, 5, 6]])
    np.testing.assert_array_equal(out['center'], [4., 10.])
    # SMPL joint 1 <-> 2: pose[3:6] <- pose[6:9] with y, z negated
    np.testing.assert_allclose(out['pose'][3:6], pose[6:9] * [1, -1, -1])
    np.testing.assert_allclose(out['pose'][:3], pose[:3] * [1, -1, -1])
    np.testing.assert_array_equal(out['iuv'][0, 2], [1, 245, 20])
    assert out['iuv'][0, 0, 1] == 255


def test_mesh_affine_rotates_3d_and_keeps_invisible_2d():
    res = _mesh_results()
    res['rotation'] = 90
    pose = res['pose'].copy()
    out = MeshAffine()(res)
    assert out['img'].shape == (10, 10, 3)
    # crop rotation r turns 3D points by -r about the camera z axis
    np.testing.assert_allclose(out['joints_3d'][0], [2., -1., 3.],
                               atol=1e-5)
    np.testing.assert_array_equal(out['joints_2d'][2], [5., 6.])
    # global orientation composed with the in-plane rotation
    R0, _ = cv2.Rodrigues(pose[:3])
    R1, _ = cv2.Rodrigues(out['pose'][:3].astype(np.float32))
    rot = np.array([[0, 1, 0], [-1, 0, 0], [0, 0, 1]], np.float32)
    np.testing.assert_allclose(R1, rot @ R0, atol=1e-5)
    np.testing.assert_array_equal(out['pose'][3:], pose[3:])


def test_iuv_loading_and_tensor(tmp_path):
    res = dict(has_iuv=1, iuv_file=str(IUV), ann_info=dict(use_IUV=True,
                                                           iuv_size=[4, 4]))
    data_file(str(IUV.relative_to(DATA)))
    out = LoadIUVFromFile()(res)
    assert out['iuv'].ndim == 3 and out['has_iuv'] == 1
    out = IUVToTensor()(out)
    assert out['part_index'].dtype == torch.long
    assert out['part_index'].shape[0] == 1
    assert out['uv_coordinates'].shape[0] == 2
    assert float(out['uv_coordinates'].max()) <= 1.0
    none = IUVToTensor()(dict(iuv=None, ann_info=dict(iuv_size=[4, 5])))
    assert none['part_index'].shape == (1, 4, 5)
    no_iuv = LoadIUVFromFile()(dict(has_iuv=1, iuv_file='x',
                                    ann_info=dict(use_IUV=False)))
    assert no_iuv['iuv'] is None and no_iuv['has_iuv'] == 0
    with pytest.raises(FileNotFoundError, match='missing.png'):
        LoadIUVFromFile()(dict(has_iuv=1, iuv_file=str(tmp_path /
                                                        'missing.png'),
                               ann_info=dict(use_IUV=True)))
