"""Detectors end to end on tiny models: training losses and gradients, the
runner's train/val step contract, test-time outputs (TopDown flip test,
BottomUp grouping), and drawing of results."""
import copy
import os.path as osp
import warnings

import cv2
import numpy as np
import pytest
import torch

from mmpose.models import build_posenet
from mmpose.models.detectors import BasePose

from .helpers import (MEAN_PARAMS, NUM_JOINTS, TINY_CHANNELS, TINY_RESNET,
                      tiny_top_down_cfg, write_synthetic_smpl)

FLIP_PAIRS = [[0, 1]]


def _top_down_metas(num):
    return [
        dict(
            image_file=f'img{i}.jpg',
            center=np.array([32., 32.]),
            scale=np.array([0.32, 0.32]),
            rotation=0,
            bbox_score=1.,
            bbox_id=i,
            flip_pairs=FLIP_PAIRS) for i in range(num)
    ]


def _grad_norm(module):
    return sum(
        p.grad.abs().sum().item() for p in module.parameters()
        if p.grad is not None)


# ----------------------------------------------------------------- TopDown
def test_top_down_train_losses_and_gradients():
    torch.manual_seed(0)
    model = build_posenet(tiny_top_down_cfg())
    img = torch.randn(2, 3, 64, 64)
    target = torch.rand(2, NUM_JOINTS, 4, 4)
    target_weight = torch.ones(2, NUM_JOINTS, 1)
    losses = model(img, target, target_weight, _top_down_metas(2))
    assert set(losses) == {'mse_loss', 'acc_pose'}
    assert torch.isfinite(losses['mse_loss']) and losses['mse_loss'] > 0
    losses['mse_loss'].backward()
    assert _grad_norm(model.backbone.conv1) > 0
    assert _grad_norm(model.keypoint_head) > 0


def test_train_step_and_val_step_contract():
    torch.manual_seed(0)
    model = build_posenet(tiny_top_down_cfg())
    batch = dict(
        img=torch.randn(2, 3, 64, 64),
        target=torch.rand(2, NUM_JOINTS, 4, 4),
        target_weight=torch.ones(2, NUM_JOINTS, 1),
        img_metas=_top_down_metas(2))
    out = model.train_step(batch, optimizer=None)
    assert set(out) == {'loss', 'log_vars', 'num_samples'}
    assert out['num_samples'] == 2
    assert out['loss'].requires_grad
    assert set(out['log_vars']) == {'mse_loss', 'acc_pose', 'loss'}
    assert out['log_vars']['loss'] == pytest.approx(
        out['log_vars']['mse_loss'])
    model.eval()
    with torch.no_grad():
        val = model.val_step(
            dict(img=batch['img'], img_metas=batch['img_metas']))
    assert val['results']['preds'].shape == (2, NUM_JOINTS, 3)


def test_parse_losses_sums_only_losses():
    loss, log_vars = BasePose._parse_losses(
        dict(a_loss=torch.tensor([1., 3.]),
             b_loss=[torch.tensor(1.), torch.tensor([2., 4.])],
             acc=torch.tensor(0.5),
             c_loss=0.25))
    assert loss.item() == pytest.approx(2. + 4. + 0.25)
    assert log_vars == dict(a_loss=2., b_loss=4., acc=0.5, c_loss=0.25,
                            loss=6.25)
    with pytest.raises(TypeError, match="'bad_loss'"):
        BasePose._parse_losses(dict(bad_loss='x'))


@pytest.mark.parametrize('shift_heatmap', [False, True])
def test_top_down_flip_test_averages_flipped_back_heatmap(shift_heatmap):
    torch.manual_seed(0)
    model = build_posenet(tiny_top_down_cfg(shift_heatmap=shift_heatmap)).eval()
    img = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        result = model(img, img_metas=_top_down_metas(2), return_loss=False,
                       return_heatmap=True)
        plain = model.keypoint_head(model.backbone(img)).numpy()
        flipped = model.keypoint_head(model.backbone(img.flip(3))).numpy()
    # Flipping back by hand: joints 0 and 1 (the pair) trade channels,
    # joint 2 keeps its own, and every row is read right to left.
    back = flipped[:, [1, 0, 2], :, ::-1].copy()
    if shift_heatmap:  # one pixel right; the first column stays
        back[..., 1:] = back[..., :-1].copy()
    expected = (plain + back) * 0.5
    np.testing.assert_allclose(result['output_heatmap'], expected, atol=1e-6)


def test_top_down_test_outputs():
    torch.manual_seed(0)
    model = build_posenet(tiny_top_down_cfg(flip_test=False)).eval()
    with torch.no_grad():
        result = model(
            torch.randn(2, 3, 64, 64),
            img_metas=_top_down_metas(2),
            return_loss=False)
    assert result['preds'].shape == (2, NUM_JOINTS, 3)
    assert result['boxes'].shape == (2, 6)
    assert result['image_paths'] == ['img0.jpg', 'img1.jpg']
    assert list(result['bbox_ids']) == [0, 1]
    assert result['output_heatmap'] is None
    # Keypoints land inside the box (center 32, size 64).
    assert (result['preds'][..., :2] >= 0).all()
    assert (result['preds'][..., :2] <= 64).all()
    with pytest.raises(KeyError, match='bbox_id'):
        metas = _top_down_metas(2)
        for m in metas:
            del m['bbox_id']
        model(torch.randn(2, 3, 64, 64), img_metas=metas, return_loss=False)


def test_top_down_deprecated_loss_pose():
    cfg = tiny_top_down_cfg()
    loss = cfg['keypoint_head'].pop('loss_keypoint')
    with pytest.warns(DeprecationWarning, match='loss_pose'):
        model = build_posenet(dict(cfg, loss_pose=loss))
    assert type(model.keypoint_head.loss).__name__ == 'JointsMSELoss'
    # An explicit loss_keypoint wins silently.
    cfg = tiny_top_down_cfg()
    with warnings.catch_warnings():
        warnings.simplefilter('error', DeprecationWarning)
        build_posenet(dict(cfg, loss_pose=dict(type='MSELoss')))


def test_top_down_forward_dummy_shape():
    model = build_posenet(tiny_top_down_cfg())
    out = model.forward_dummy(torch.randn(1, 3, 64, 64))
    assert out.shape == (1, NUM_JOINTS, 4, 4)


def test_show_result_draws_skeleton(tmp_path):
    model = build_posenet(tiny_top_down_cfg())
    img = np.zeros((100, 100, 3), np.uint8)
    result = [
        dict(
            bbox=np.array([10., 10., 90., 90., 0.9]),
            keypoints=np.array([[30., 30., 0.9], [70., 70., 0.9],
                                [30., 70., 0.1]]))
    ]
    out_file = str(tmp_path / 'vis.jpg')
    drawn = model.show_result(
        img,
        result,
        skeleton=[[1, 2], [2, 3]],
        pose_kpt_color=np.array([[255, 0, 0]] * 3),
        pose_limb_color=np.array([[0, 0, 255], [0, 0, 255]]),
        radius=3,
        thickness=2,
        out_file=out_file)
    assert img.sum() == 0  # the input is not modified
    # Keypoints (off the limb line drawn over them) and the limb.
    assert drawn[28, 32].tolist() == [255, 0, 0]
    assert drawn[72, 68].tolist() == [255, 0, 0]
    assert drawn[50, 50].tolist() == [0, 0, 255]  # limb 1-2 midpoint
    assert drawn[30, 70].tolist() == [0, 0, 0]  # low score: not drawn
    assert drawn[50, 40].tolist() == [0, 0, 0]  # limb 2-3 not drawn
    assert drawn[10, 50].tolist() == [0, 255, 0]  # bbox edge, green
    assert osp.isfile(out_file)
    assert cv2.imread(out_file).shape == (100, 100, 3)


def test_show_result_keypoint_weight_blends():
    model = build_posenet(tiny_top_down_cfg())
    img = np.zeros((40, 40, 3), np.uint8)
    result = [dict(keypoints=np.array([[10., 10., 0.5], [30., 30., 1.0]]))]
    drawn = model.show_result(
        img, result, pose_kpt_color=np.array([[200, 200, 200]] * 2),
        show_keypoint_weight=True, kpt_score_thr=0.3)
    assert drawn[10, 10].tolist() == [100, 100, 100]
    assert drawn[30, 30].tolist() == [200, 200, 200]


# ---------------------------------------------------------------- BottomUp
def _bottom_up_cfg():
    loss = dict(
        type='MultiLossFactory',
        num_joints=NUM_JOINTS,
        num_stages=1,
        ae_loss_type='exp',
        with_ae_loss=[True],
        push_loss_factor=[0.001],
        pull_loss_factor=[0.001],
        with_heatmaps_loss=[True],
        heatmaps_loss_factor=[1.0])
    return dict(
        type='BottomUp',
        backbone=TINY_RESNET,
        keypoint_head=dict(
            type='BottomUpSimpleHead',
            in_channels=TINY_CHANNELS,
            num_joints=NUM_JOINTS,
            num_deconv_layers=1,
            num_deconv_filters=(8, ),
            num_deconv_kernels=(4, ),
            tag_per_joint=True,
            with_ae_loss=[True],
            extra=dict(final_conv_kernel=1),
            loss_keypoint=loss),
        train_cfg=dict(num_joints=NUM_JOINTS, img_size=64),
        test_cfg=dict(
            num_joints=NUM_JOINTS,
            max_num_people=5,
            scale_factor=[1],
            with_heatmaps=[True],
            with_ae=[True],
            project2image=True,
            nms_kernel=5,
            nms_padding=2,
            tag_per_joint=True,
            detection_threshold=0.,
            tag_threshold=1,
            use_detection_val=True,
            ignore_too_much=False,
            adjust=True,
            refine=True,
            flip_test=True))


def test_bottom_up_train_losses_and_gradients():
    torch.manual_seed(0)
    model = build_posenet(_bottom_up_cfg())
    img = torch.randn(2, 3, 64, 64)
    targets = [torch.rand(2, NUM_JOINTS, 4, 4)]
    masks = [torch.ones(2, 4, 4)]
    joints = [torch.zeros(2, 5, NUM_JOINTS, 2, dtype=torch.long)]
    joints[0][:, 0, :, 0] = torch.tensor([1, 5, 9])
    joints[0][:, 0, :, 1] = 1
    losses = model(img, targets, masks, joints, img_metas=None)
    assert {'heatmap_loss', 'push_loss', 'pull_loss'} <= set(losses)
    assert all(torch.isfinite(v).all() for v in losses.values())
    out = model.train_step(
        dict(img=img, targets=targets, masks=masks, joints=joints,
             img_metas=None), None)
    assert np.isfinite(out['log_vars']['loss'])
    out['loss'].backward()
    assert _grad_norm(model.backbone.conv1) > 0


def test_bottom_up_deprecated_loss_pose():
    cfg = _bottom_up_cfg()
    loss = cfg['keypoint_head'].pop('loss_keypoint')
    with pytest.warns(DeprecationWarning, match='loss_pose'):
        model = build_posenet(dict(cfg, loss_pose=loss))
    assert type(model.keypoint_head.loss).__name__ == 'MultiLossFactory'


@pytest.mark.parametrize('scales', [[1], [1, 0.5]])
def test_bottom_up_test_outputs(scales):
    torch.manual_seed(0)
    model = build_posenet(_bottom_up_cfg()).eval()
    img = torch.randn(1, 3, 64, 64)
    aug_data = [
        torch.nn.functional.interpolate(img, scale_factor=s) for s in scales
    ]
    metas = [
        dict(
            image_file='a.jpg',
            aug_data=aug_data,
            test_scale_factor=scales,
            base_size=(64, 64),
            center=np.array([32., 32.]),
            scale=np.array([0.64, 0.64]),
            flip_index=[1, 0, 2])
    ]
    with torch.no_grad():
        result = model(img, img_metas=metas, return_loss=False,
                       return_heatmap=True)
    assert set(result) == {'preds', 'scores', 'image_paths', 'output_heatmap'}
    assert result['image_paths'] == ['a.jpg']
    assert result['output_heatmap'].shape == (1, NUM_JOINTS, 64, 64)
    assert len(result['preds']) == len(result['scores']) >= 1
    assert np.asarray(result['preds'][0]).shape[0] == NUM_JOINTS
    with pytest.raises(ValueError, match='one image per batch'):
        model(torch.randn(2, 3, 64, 64), img_metas=metas * 2,
              return_loss=False)


# -------------------------------------------------------------- PoseLifter
def _pose_lifter_cfg(**extra):
    return dict(
        type='PoseLifter',
        backbone=dict(
            type='TCN',
            in_channels=2 * NUM_JOINTS,
            stem_channels=16,
            num_blocks=1,
            kernel_sizes=(1, 1),
            dropout=0.),
        keypoint_head=dict(
            type='TemporalRegressionHead',
            in_channels=16,
            num_joints=NUM_JOINTS,
            loss_keypoint=dict(type='MSELoss')),
        train_cfg=dict(),
        test_cfg=dict(restore_global_position=False),
        **extra)


def test_pose_lifter_train_and_test():
    torch.manual_seed(0)
    model = build_posenet(_pose_lifter_cfg())
    inputs = torch.randn(2, 2 * NUM_JOINTS, 1)
    target = torch.randn(2, NUM_JOINTS, 3)
    weight = torch.ones(2, NUM_JOINTS, 3)
    metas = [dict(target_image_path=f'{i}.jpg') for i in range(2)]
    losses = model(inputs, target, weight, metas)
    assert 'mpjpe' in losses and any('loss' in k for k in losses)
    loss, _ = model._parse_losses(losses)
    assert torch.isfinite(loss)
    loss.backward()
    assert _grad_norm(model.backbone) > 0
    model.eval()
    with torch.no_grad():
        result = model(inputs, metas=metas, return_loss=False)
        raw = model.keypoint_head(model.backbone(inputs)).numpy()
    np.testing.assert_allclose(result['preds'], raw, atol=1e-6)
    assert model.forward_dummy(inputs).shape == (2, NUM_JOINTS, 3)


def test_pose_lifter_trajectory_model():
    torch.manual_seed(0)
    cfg = _pose_lifter_cfg(
        traj_backbone=dict(
            type='TCN', in_channels=2 * NUM_JOINTS, stem_channels=8,
            num_blocks=1, kernel_sizes=(1, 1), dropout=0.),
        traj_head=dict(
            type='TemporalRegressionHead',
            in_channels=8,
            num_joints=1,
            loss_keypoint=dict(type='MPJPELoss')))
    model = build_posenet(cfg)
    assert model.with_traj and not model.with_traj_neck
    inputs = torch.randn(2, 2 * NUM_JOINTS, 1)
    metas = [dict(target_image_path='x.jpg')] * 2
    losses = model(inputs, torch.randn(2, NUM_JOINTS, 3),
                   torch.ones(2, NUM_JOINTS, 3), metas,
                   traj_target=torch.randn(2, 1, 3))
    loss, log_vars = model._parse_losses(losses)
    loss.backward()
    assert _grad_norm(model.traj_backbone) > 0
    model.eval()
    with torch.no_grad():
        result = model(inputs, metas=metas, return_loss=False)
    assert result['traj_preds'].shape == (2, 1, 3)
    # without a traj_backbone the trajectory head runs on the pose backbone
    shared = build_posenet(dict(cfg, traj_backbone=None))
    assert shared.traj_backbone is shared.backbone


def test_pose_lifter_semi_supervised_wiring():
    from mmpose.models import LOSSES

    @LOSSES.register_module(name='_ToySemiLoss', force=True)
    class _ToySemiLoss(torch.nn.Module):
        """Mean squared 2D reprojection of the unlabelled poses + root."""

        def forward(self, output, target):
            pose = output['unlabeled_pose'] + output['unlabeled_traj']
            proj = pose[..., :2] / (pose[..., 2:].abs() + 1.)
            diff = proj - target['unlabeled_target_2d']
            return dict(proj_loss=(diff**2).mean())

    torch.manual_seed(0)
    traj = dict(
        traj_backbone=dict(
            type='TCN', in_channels=2 * NUM_JOINTS, stem_channels=8,
            num_blocks=1, kernel_sizes=(1, 1), dropout=0.),
        traj_head=dict(
            type='TemporalRegressionHead', in_channels=8, num_joints=1,
            loss_keypoint=dict(type='MPJPELoss')))
    model = build_posenet(
        _pose_lifter_cfg(loss_semi=dict(type='_ToySemiLoss'), **traj))
    metas = [dict(target_image_path='x.jpg')] * 2
    losses = model(
        torch.randn(2, 2 * NUM_JOINTS, 1), torch.randn(2, NUM_JOINTS, 3),
        torch.ones(2, NUM_JOINTS, 3), metas,
        traj_target=torch.randn(2, 1, 3),
        unlabeled_input=torch.randn(2, 2 * NUM_JOINTS, 1),
        unlabeled_target_2d=torch.randn(2, NUM_JOINTS, 2),
        intrinsics=torch.ones(2, 4))
    assert 'proj_loss' in losses and torch.isfinite(losses['proj_loss'])
    losses['proj_loss'].backward()
    assert _grad_norm(model.traj_backbone) > 0
    with pytest.raises(KeyError, match='intrinsics'):
        model(torch.randn(2, 2 * NUM_JOINTS, 1),
              torch.randn(2, NUM_JOINTS, 3), None, metas,
              traj_target=torch.randn(2, 1, 3),
              unlabeled_input=torch.randn(2, 2 * NUM_JOINTS, 1),
              unlabeled_target_2d=torch.randn(2, NUM_JOINTS, 2))
    with pytest.raises(ValueError, match='loss_semi needs'):
        build_posenet(_pose_lifter_cfg(loss_semi=dict(type='_ToySemiLoss')))


# ----------------------------------------------------------- ParametricMesh
@pytest.fixture(scope='module')
def mesh_cfg(tmp_path_factory):
    smpl_dir, regressor = write_synthetic_smpl(
        tmp_path_factory.mktemp('smpl'), num_faces=4)
    return dict(
        type='ParametricMesh',
        backbone=TINY_RESNET,
        mesh_head=dict(
            type='MeshHMRHead',
            in_channels=TINY_CHANNELS,
            smpl_mean_params=str(MEAN_PARAMS)),
        disc=dict(),
        smpl=dict(smpl_path=smpl_dir, joints_regressor=regressor),
        train_cfg=dict(disc_step=1),
        test_cfg=dict(),
        loss_mesh=dict(
            type='MeshLoss',
            joints_2d_loss_weight=100,
            joints_3d_loss_weight=1000,
            vertex_loss_weight=20,
            smpl_pose_loss_weight=30,
            smpl_beta_loss_weight=0.2,
            focal_length=5000,
            img_res=32),
        loss_gan=dict(
            type='GANLoss',
            gan_type='lsgan',
            real_label_val=1.0,
            fake_label_val=0.0,
            loss_weight=1))


def _mesh_batch(num=2):
    gen = torch.Generator().manual_seed(0)
    return dict(
        img=torch.randn(num, 3, 32, 32, generator=gen),
        pose=0.2 * torch.randn(num, 72, generator=gen),
        beta=torch.randn(num, 10, generator=gen),
        has_smpl=torch.ones(num),
        joints_3d=torch.randn(num, 24, 3, generator=gen),
        joints_3d_visible=torch.ones(num, 24, 1),
        joints_2d=torch.rand(num, 24, 2, generator=gen) * 32,
        joints_2d_visible=torch.ones(num, 24, 1),
        mosh_theta=torch.cat([
            torch.tensor([[1., 0., 0.]]).repeat(num, 1),
            0.2 * torch.randn(num, 72, generator=gen),
            torch.randn(num, 10, generator=gen)
        ], 1))


def _optimizers(model):
    return dict(
        generator=torch.optim.SGD(model.generator.parameters(), lr=1e-3),
        discriminator=torch.optim.SGD(
            model.discriminator.parameters(), lr=1e-3))


def test_mesh_train_step_updates_both_networks(mesh_cfg):
    torch.manual_seed(0)
    model = build_posenet(copy.deepcopy(mesh_cfg))
    assert model.joints_regressor.shape == (1, 24, 6890)
    gen_before = model.mesh_head.fc1.weight.detach().clone()
    disc_before = model.discriminator.shape_discriminator.fc_blocks[
        0].weight.detach().clone()
    out = model.train_step(_mesh_batch(), _optimizers(model))
    assert set(out) == {'loss', 'log_vars', 'num_samples'}
    assert out['num_samples'] == 2
    assert 'adv_loss' in out['log_vars']
    assert all(np.isfinite(v) for v in out['log_vars'].values())
    assert not torch.equal(model.mesh_head.fc1.weight, gen_before)
    assert not torch.equal(
        model.discriminator.shape_discriminator.fc_blocks[0].weight,
        disc_before)


def test_mesh_disc_step_skips_generator(mesh_cfg):
    torch.manual_seed(0)
    model = build_posenet(
        dict(copy.deepcopy(mesh_cfg), train_cfg=dict(disc_step=2)))
    optim = _optimizers(model)
    gen_before = model.mesh_head.fc1.weight.detach().clone()
    first = model.train_step(_mesh_batch(), optim)
    assert set(first['log_vars']) == {'real_loss', 'fake_loss', 'loss'}
    assert torch.equal(model.mesh_head.fc1.weight, gen_before)
    second = model.train_step(_mesh_batch(), optim)
    assert 'adv_loss' in second['log_vars']
    assert not torch.equal(model.mesh_head.fc1.weight, gen_before)


def test_mesh_forward_test_outputs(mesh_cfg):
    torch.manual_seed(0)
    model = build_posenet(copy.deepcopy(mesh_cfg)).eval()
    metas = [
        dict(image_file=f'{i}.jpg', center=np.array([16., 16.]),
             scale=np.array([0.16, 0.16]), rotation=0, bbox_score=1.)
        for i in range(2)
    ]
    img = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        result = model(img, img_metas=metas, return_loss=False,
                       return_vertices=True, return_faces=True)
        rotmat, beta, _ = model.generator(img)
        verts = model.smpl(betas=beta, body_pose=rotmat[:, 1:],
                           global_orient=rotmat[:, :1],
                           pose2rot=False).vertices
    preds, boxes, image_paths = result
    joints_3d, (pose, beta), camera, vertices, faces = preds
    assert joints_3d.shape == (2, 24, 3)
    assert pose.shape == (2, 24, 3, 3)
    assert beta.shape == (2, 10)
    assert camera.shape == (2, 3)
    assert vertices.shape == (2, 6890, 3)
    assert faces.shape == (4, 3)
    np.testing.assert_allclose(
        joints_3d, (model.joints_regressor[0] @ verts).numpy(), atol=1e-5)
    np.testing.assert_allclose(boxes[0], [16, 16, 0.16, 0.16, 32 * 32, 1.],
                               rtol=1e-5)
    assert image_paths == ['0.jpg', '1.jpg']
    # Without the options the 0.x triple (joints, (pose, beta), camera).
    with torch.no_grad():
        assert len(model(img, img_metas=metas, return_loss=False)[0]) == 3
    drawn = model.show_result(np.zeros((32, 32, 3), np.uint8), result)
    assert drawn.shape == (32, 32, 3)
    with pytest.raises(RuntimeError, match='train_step'):
        model(img, img_metas=metas, return_loss=True)


# --------------------------------------------------------------- MultiTask
def _multi_task_cfg():
    return dict(
        type='MultiTask',
        backbone=TINY_RESNET,
        heads=[
            tiny_top_down_cfg()['keypoint_head'],
            dict(
                type='MultilabelClassificationHead',
                in_channels=TINY_CHANNELS,
                num_labels=2,
                hidden_dims=(8, ),
                loss_classification=dict(
                    type='BCELoss', use_target_weight=True))
        ],
        necks=[dict(type='GlobalAveragePooling')],
        head2neck={1: 0})


def test_multi_task_train_and_test():
    torch.manual_seed(0)
    model = build_posenet(_multi_task_cfg())
    assert model.head2neck == {0: -1, 1: 0}
    img = torch.randn(2, 3, 64, 64)
    target = [torch.rand(2, NUM_JOINTS, 4, 4), torch.tensor([[1., 0.]] * 2)]
    weight = [torch.ones(2, NUM_JOINTS, 1), torch.ones(2, 2)]
    losses = model(img, target, weight, _top_down_metas(2))
    assert {'mse_loss', 'classification_loss'} <= set(losses)
    loss, _ = model._parse_losses(losses)
    loss.backward()
    assert _grad_norm(model.heads[1]) > 0 and _grad_norm(model.heads[0]) > 0
    model.eval()
    with torch.no_grad():
        result = model(img, img_metas=_top_down_metas(2), return_loss=False)
    assert result['preds'].shape == (2, NUM_JOINTS, 3)
    assert len(model.forward_dummy(img)) == 2
    with pytest.raises(ValueError, match='one target'):
        model(img, target[:1], weight[:1], _top_down_metas(2))


def test_multi_task_rejects_bad_head2neck():
    cfg = _multi_task_cfg()
    with pytest.raises(ValueError, match='head2neck maps head 1 to neck 3'):
        build_posenet(dict(cfg, head2neck={1: 3}))
    # JSON-style string keys are accepted.
    model = build_posenet(dict(cfg, head2neck={'1': 0}))
    assert model.head2neck == {0: -1, 1: 0} and model.with_necks


# ------------------------------------------------------------ visualization
def test_imshow_bboxes_colours_and_labels():
    from mmpose.core.visualization import imshow_bboxes
    img = np.zeros((50, 50, 3), np.uint8)
    bboxes = np.array([[5., 5., 20., 20.], [25., 25., 45., 45.],
                       [2., 30., 10., 40.]])
    out = imshow_bboxes(img, bboxes, colors=['red', 'blue', (1, 2, 3)],
                        show=False)
    assert out[5, 10].tolist() == [0, 0, 255]  # red in BGR
    assert out[25, 30].tolist() == [255, 0, 0]  # blue in BGR
    assert out[30, 5].tolist() == [1, 2, 3]
    with pytest.raises(ValueError, match='2 labels for 3 bboxes'):
        imshow_bboxes(img, bboxes, labels=['a', 'b'], show=False)


def test_imshow_keypoints_checks_skeleton_range():
    from mmpose.core.visualization import imshow_keypoints
    img = np.zeros((20, 20, 3), np.uint8)
    kpts = np.array([[5., 5., 1.], [15., 15., 1.]])
    # 0-based links, as 0.29's imshow_keypoints
    with pytest.raises(ValueError, match='outside 0..1'):
        imshow_keypoints(img, [kpts], skeleton=[[0, 2]],
                         pose_link_color=np.array([[0, 255, 0]]))
