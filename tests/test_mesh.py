"""Mesh recovery pieces: rotation/camera geometry, the SMPL discriminator,
the HMR head and the SMPL wrapper (on a synthetic SMPL-format model)."""
import math

import numpy as np
import pytest
import torch

from mmpose.models import build_head
from mmpose.models.misc import SMPLBody
from mmpose.models.mesh_heads import (MeshHMRHead, SMPLDiscriminator,
                                      batch_rodrigues, perspective_projection,
                                      quat_to_rotmat, rot6d_to_rotmat)
from .helpers import MEAN_PARAMS, write_synthetic_smpl


@pytest.fixture(scope='module')
def smpl_files(tmp_path_factory):
    return write_synthetic_smpl(tmp_path_factory.mktemp('smpl'))


def test_batch_rodrigues_known_rotations():
    theta = torch.tensor([[0., 0., math.pi / 2], [0., 0., 0.],
                          [math.pi, 0., 0.]])
    rot = batch_rodrigues(theta)
    expected = torch.tensor([[[0., -1., 0.], [1., 0., 0.], [0., 0., 1.]],
                             [[1., 0., 0.], [0., 1., 0.], [0., 0., 1.]],
                             [[1., 0., 0.], [0., -1., 0.], [0., 0., -1.]]])
    assert torch.allclose(rot, expected, atol=1e-6)


def test_quat_to_rotmat_normalises():
    rot = quat_to_rotmat(torch.tensor([[2., 0., 0., 0.]]))
    assert torch.allclose(rot, torch.eye(3)[None])


def test_rot6d_to_rotmat_identity_and_orthonormal():
    ident = rot6d_to_rotmat(torch.tensor([[1., 0., 0., 1., 0., 0.]]))
    assert torch.allclose(ident, torch.eye(3)[None])
    rot = rot6d_to_rotmat(torch.randn(2, 24 * 6))
    assert rot.shape == (48, 3, 3)
    eye = torch.eye(3).expand(48, 3, 3)
    assert torch.allclose(rot.transpose(1, 2) @ rot, eye, atol=1e-5)
    assert torch.allclose(torch.det(rot), torch.ones(48), atol=1e-5)
    with pytest.raises(ValueError, match='multiple of 6'):
        rot6d_to_rotmat(torch.zeros(1, 7))


def test_perspective_projection_pinhole():
    points = torch.tensor([[[1., 2., 10.], [0., 0., 5.]]])
    out = perspective_projection(points, torch.eye(3)[None],
                                 torch.tensor([[0., 0., 0.]]), 100.,
                                 torch.tensor([[50., 50.]]))
    assert torch.allclose(out, torch.tensor([[[60., 70.], [50., 50.]]]))


def test_discriminator_scores_and_pose_formats():
    torch.manual_seed(0)
    disc = SMPLDiscriminator()
    disc.init_weights()
    names = set(disc.state_dict())
    assert 'pose_discriminator.fc_layer.22.weight' in names
    assert disc.full_pose_discriminator.fc_blocks.regressor_fc_0.weight.shape \
        == (1024, 736)
    axis_angle = 0.3 * torch.randn(2, 72)
    shape = torch.randn(2, 10)
    cam = torch.randn(2, 3)
    scores = disc((cam, axis_angle, shape))
    assert scores.shape == (2, 23 + 1 + 1)
    rotmat = batch_rodrigues(axis_angle.view(-1, 3)).view(2, 24, 3, 3)
    assert torch.allclose(disc((cam, rotmat, shape)), scores, atol=1e-6)
    # The vectorised per-joint scores equal each joint's own linear layer.
    feats = disc.pose_discriminator.conv_blocks(
        rotmat.view(2, 24, 9)[:, 1:].transpose(1, 2).unsqueeze(2))
    per_joint = torch.cat([
        fc(feats[:, :, 0, j])
        for j, fc in enumerate(disc.pose_discriminator.fc_layer)
    ], 1)
    assert torch.allclose(scores[:, :23], per_joint, atol=1e-6)
    with pytest.raises(ValueError, match='full_pose_channel'):
        SMPLDiscriminator(full_pose_channel=(100, 1))


def test_hmr_head_starts_from_mean_params():
    head = build_head(
        dict(type='MeshHMRHead', in_channels=8,
             smpl_mean_params=str(MEAN_PARAMS)))
    head.init_weights()
    assert [tuple(head.state_dict()[k].shape)
            for k in ('init_pose', 'init_shape', 'init_cam', 'fc1.weight')
            ] == [(1, 144), (1, 10), (1, 3), (1024, 8 + 157)]
    for layer in (head.decpose, head.decshape, head.deccam):
        torch.nn.init.zeros_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    head.eval()
    rotmat, beta, cam = head([torch.randn(2, 8, 4, 4)])
    mean = np.load(MEAN_PARAMS)
    assert rotmat.shape == (2, 24, 3, 3)
    expected_rot = rot6d_to_rotmat(torch.from_numpy(mean['pose'])[None])
    assert torch.allclose(rotmat[1], expected_rot, atol=1e-6)
    assert torch.allclose(beta[0], torch.from_numpy(mean['shape']))
    assert torch.allclose(cam[0], torch.from_numpy(mean['cam']))


def test_hmr_head_gradients_and_errors():
    head = MeshHMRHead(in_channels=4, n_iter=2)
    assert torch.equal(head.init_cam, torch.tensor([[1., 0., 0.]]))
    rotmat, beta, cam = head(torch.randn(3, 4, 2, 2))
    (rotmat.sum() + beta.sum() + cam.sum()).backward()
    assert head.fc1.weight.grad.abs().sum() > 0
    with pytest.raises(ValueError, match='MeshHMRHead expects'):
        head(torch.randn(3, 5, 2, 2))
    with pytest.raises(FileNotFoundError, match='no_such.npz'):
        MeshHMRHead(in_channels=4, smpl_mean_params='no_such.npz')


def test_smpl_rest_pose_shape_and_rotation(smpl_files):
    smpl_dir, regressor = smpl_files
    smpl = SMPLBody(smpl_path=smpl_dir, joints_regressor=regressor)
    state = smpl.state_dict()
    assert set(state) == {
        'shapedirs', 'faces_tensor', 'v_template', 'J_regressor', 'posedirs',
        'parents', 'lbs_weights', 'vertex_joint_selector.extra_joints_idxs'
    }
    assert state['posedirs'].shape == (207, 6890 * 3)
    eye = torch.eye(3).expand(2, 24, 3, 3)
    betas = torch.zeros(2, 10)
    betas[1, 0] = 1.
    verts = smpl(betas=betas, body_pose=eye[:, 1:], global_orient=eye[:, :1],
                 pose2rot=False).vertices
    assert torch.allclose(verts[0], smpl.v_template, atol=1e-5)
    assert torch.allclose(verts[1], smpl.v_template + smpl.shapedirs[..., 0],
                          atol=1e-5)
    # A global rotation turns the mesh about the root joint.
    rot = batch_rodrigues(torch.tensor([[0., 0., 0.5]]))
    pose = torch.zeros(1, 72)
    pose[0, 2] = 0.5
    turned = smpl(betas=torch.zeros(1, 10), body_pose=pose[:, 3:],
                  global_orient=pose[:, :3]).vertices[0]
    root = smpl.J_regressor[0] @ smpl.v_template
    expected = (smpl.v_template - root) @ rot[0].T + root
    assert torch.allclose(turned, expected, atol=1e-4)
    joints = smpl.get_joints(verts)
    assert joints.shape == (2, 24, 3)
    assert torch.allclose(joints[0], smpl.joints_regressor @ verts[0])


def test_smpl_missing_files_name_the_path(tmp_path, smpl_files):
    with pytest.raises(FileNotFoundError, match='SMPL_NEUTRAL.pkl'):
        SMPLBody(smpl_path=str(tmp_path))
    with pytest.raises(FileNotFoundError, match='nope.npy'):
        SMPLBody(smpl_path=smpl_files[0],
                 joints_regressor=str(tmp_path / 'nope.npy'))
