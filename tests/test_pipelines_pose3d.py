"""3D pose and hand transforms."""
import pickle

import numpy as np
import pytest
import torch

from mmpose.datasets.pipelines import (CameraProjection,
                                       Generate3DHeatmapTarget,
                                       GetRootCenteredPose,
                                       HandGenerateRelDepthTarget,
                                       HandRandomFlip,
                                       NormalizeJointCoordinate,
                                       PoseSequenceToTensor,
                                       RelativeJointRandomFlip)

CAM = dict(R=np.eye(3), T=np.array([[0.], [0.], [-10.]]),
           f=[[100.], [100.]], c=[[50.], [50.]])


def test_camera_projection_modes():
    world = np.array([[1., 2., 10.]])
    res = CameraProjection('j', 'world_to_camera', output_name='cam',
                           camera_param=CAM)(dict(j=world))
    np.testing.assert_allclose(res['cam'], [[1., 2., 20.]])
    res = CameraProjection('cam', 'camera_to_pixel')(
        dict(cam=res['cam'], camera_param=CAM))
    np.testing.assert_allclose(res['cam'], [[55., 60.]])
    res = CameraProjection('j', 'world_to_pixel', camera_param=CAM)(
        dict(j=world))
    np.testing.assert_allclose(res['j'], [[55., 60.]])
    with pytest.raises(ValueError, match='mode'):
        CameraProjection('j', 'pixel_to_world')


def test_root_centered_pose_with_removal():
    pose = np.array([[[1., 1., 1.], [2., 3., 4.], [0., 0., 0.]]])  # [1,3,3]
    vis = np.ones((1, 3, 1))
    res = GetRootCenteredPose('p', root_index=0, visible_item='v',
                              remove_root=True, root_name='root')(
                                  dict(p=pose, v=vis))
    np.testing.assert_array_equal(res['p'], [[[1, 2, 3], [-1, -1, -1]]])
    np.testing.assert_array_equal(res['root'], [[[1, 1, 1]]])
    assert res['v'].shape == (1, 2, 1)
    assert res['p_root_removed'] is True and res['root_index'] == 0
    with pytest.raises(ValueError, match='root_index'):
        GetRootCenteredPose('p', root_index=5)(dict(p=pose))


def test_normalize_joint_coordinate(tmp_path):
    path = tmp_path / 'stats.pkl'
    with open(path, 'wb') as f:
        pickle.dump(dict(mean=[[1., 2.]], std=[[2., 4.]]), f)
    res = NormalizeJointCoordinate('x', norm_param_file=str(path))(
        dict(x=np.array([[3., 6.]])))
    np.testing.assert_allclose(res['x'], [[1., 1.]])
    np.testing.assert_allclose(res['x_std'], [[2., 4.]])
    with pytest.raises(FileNotFoundError, match='nothing.pkl'):
        NormalizeJointCoordinate('x', norm_param_file=str(tmp_path /
                                                          'nothing.pkl'))


def test_pose_sequence_to_tensor():
    seq = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2)  # T,K,C
    res = PoseSequenceToTensor('s')(dict(s=seq))
    assert isinstance(res['s'], torch.Tensor) and res['s'].shape == (6, 2)
    np.testing.assert_array_equal(res['s'][:, 1].numpy(), seq[1].ravel())
    assert PoseSequenceToTensor('s')(dict(s=seq[0]))['s'].shape == (6, 1)


def test_relative_joint_random_flip():
    pose = np.array([[1., 0., 0.], [3., 1., 0.], [0., 2., 0.]])
    vis = np.array([[1.], [0.], [1.]])
    res = RelativeJointRandomFlip('p', root_index=0, visible_item='v',
                                  flip_prob=1.0)(
                                      dict(p=pose, v=vis,
                                           ann_info=dict(flip_pairs=[[1,
                                                                      2]])))
    # mirrored around x = 1 and joints 1, 2 swapped
    np.testing.assert_array_equal(res['p'], [[1, 0, 0], [2, 2, 0],
                                             [-1, 1, 0]])
    np.testing.assert_array_equal(res['v'], [[1], [1], [0]])


def test_generate_3d_heatmap_target():
    ann = dict(image_size=np.array([64, 64]), heatmap_size=[16, 16, 8],
               heatmap3d_depth_bound=400.0,
               joint_weights=np.ones((2, 1), np.float32),
               use_different_joint_weights=False)
    joints = np.array([[32., 16., 0.], [0., 0., 1000.]])  # 2nd: z out
    res = Generate3DHeatmapTarget(sigma=1)(dict(
        joints_3d=joints, joints_3d_visible=np.ones((2, 3)), ann_info=ann))
    t = res['target']
    assert t.shape == (2, 8, 16, 16)
    assert t[0, 4, 4, 8] == pytest.approx(10.0)
    assert t[0, 4, 4, 9] == pytest.approx(10 * np.exp(-0.5))
    assert t[0, 4, 4, 12] == 0
    np.testing.assert_array_equal(res['target_weight'][:, 0], [1, 0])


def test_hand_flip_and_rel_depth_target():
    res = dict(img=np.zeros((4, 6, 3), np.uint8),
               joints_3d=np.array([[1., 1., 5.], [2., 2., 6.]]),
               joints_3d_visible=np.ones((2, 3)), center=np.array([2., 2.]),
               hand_type=np.array([1., 0.]), rel_root_depth=3.0,
               ann_info=dict(flip_pairs=[]))
    out = HandRandomFlip(flip_prob=1.0)(res)
    np.testing.assert_array_equal(out['hand_type'], [0., 1.])
    assert out['rel_root_depth'] == -3.0
    np.testing.assert_array_equal(out['joints_3d'][:, 0], [4., 3.])
    res = HandGenerateRelDepthTarget()(dict(
        rel_root_depth=-100., rel_root_valid=1.,
        ann_info=dict(heatmap_size_root=64, root_depth_bound=400.)))
    np.testing.assert_allclose(res['target'], [16.])
    np.testing.assert_allclose(res['target_weight'], [1.])
