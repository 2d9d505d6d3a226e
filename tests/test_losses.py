"""Losses checked against values computed by hand."""
import math

import pytest
import torch

from mmpose.models import build_loss


def t(x):
    return torch.tensor(x, dtype=torch.float32)


def test_joints_mse_loss_weights_and_loss_weight():
    output = t([[[[1., 2.]], [[3., 4.]]]])  # [1, 2, 1, 2]
    target = torch.zeros_like(output)
    weight = t([[[1.], [0.]]])
    loss = build_loss(dict(type='JointsMSELoss', use_target_weight=True,
                           loss_weight=2.))
    assert loss(output, target, weight).item() == pytest.approx(2 * 1.25)
    plain = build_loss(dict(type='JointsMSELoss'))
    assert plain(output, target, weight).item() == pytest.approx(7.5)


def test_joints_mse_loss_shape_mismatch_raises():
    loss = build_loss(dict(type='JointsMSELoss'))
    with pytest.raises(ValueError, match='shapes differ'):
        loss(torch.zeros(1, 2, 3, 3), torch.zeros(1, 2, 3, 4), None)


def test_combined_target_mse_loss():
    # one keypoint: heatmap, x offset, y offset over 2 pixels
    output = t([[[[1., 0.]], [[2., 2.]], [[0., 1.]]]])
    target = t([[[[.5, 1.]], [[1., 1.]], [[1., 1.]]]])
    loss = build_loss(dict(type='CombinedTargetMSELoss',
                           use_target_weight=True, loss_weight=1.))
    # 0.5 * (cls 0.625 + x 0.625 + y 0.125)
    assert loss(output, target, t([[[1.]]])).item() == pytest.approx(0.6875)
    assert loss(output, target, t([[[0.]]])).item() == pytest.approx(0.)
    loss2 = build_loss(dict(type='CombinedTargetMSELoss',
                            use_target_weight=False, loss_weight=3.))
    assert loss2(output, target, None).item() == pytest.approx(3 * 0.6875)


def test_joints_ohkm_mse_loss_keeps_topk():
    output = t([[1., 2., 3.], [0., 0., 2.]])[:, :, None, None]
    target = torch.zeros_like(output)
    loss = build_loss(dict(type='JointsOHKMMSELoss', topk=2))
    # sample 0: top2 of [1, 4, 9] -> 6.5; sample 1: top2 of [0, 0, 4] -> 2
    assert loss(output, target, None).item() == pytest.approx(4.25)
    weighted = build_loss(dict(type='JointsOHKMMSELoss', topk=2,
                               use_target_weight=True, loss_weight=2.))
    weight = t([[1., 1., 0.], [1., 1., 1.]])[..., None]
    assert weighted(output, target, weight).item() == pytest.approx(
        2 * (2.5 + 2.) / 2)
    with pytest.raises(ValueError, match='topk'):
        build_loss(dict(type='JointsOHKMMSELoss', topk=4))(output, target,
                                                           None)


@pytest.mark.parametrize('loss_type,expected', [('MSELoss', 1.25),
                                                ('L1Loss', 0.75),
                                                ('SmoothL1Loss', 0.5)])
def test_regression_losses(loss_type, expected):
    output = t([[[1., 2.], [3., 4.]]])
    target = torch.zeros_like(output)
    weight = t([[[1., 1.], [0., 0.]]])
    loss = build_loss(dict(type=loss_type, use_target_weight=True,
                           loss_weight=0.5))
    assert loss(output, target, weight).item() == pytest.approx(
        0.5 * expected)


def test_wing_loss():
    output = t([[[1., 2.]], [[12., 0.]]])  # [N=2, K=1, D=2]
    target = torch.zeros_like(output)
    loss = build_loss(dict(type='WingLoss', omega=10., epsilon=2.))
    c = 10. * (1. - math.log(1. + 10. / 2.))
    sample0 = 10. * math.log(1.5) + 10. * math.log(2.)
    sample1 = 12. - c
    assert loss(output, target, None).item() == pytest.approx(
        (sample0 + sample1) / 2, rel=1e-5)
    weighted = build_loss(dict(type='WingLoss', use_target_weight=True,
                               loss_weight=2.))
    weight = t([[[1., 1.]], [[0., 0.]]])
    assert weighted(output, target, weight).item() == pytest.approx(
        2 * sample0 / 2, rel=1e-5)


def test_mpjpe_loss():
    output = t([[[3., 4., 0.], [0., 0., 0.]]])
    target = torch.zeros_like(output)
    assert build_loss(dict(type='MPJPELoss'))(output, target,
                                              None).item() == 2.5
    weighted = build_loss(dict(type='MPJPELoss', use_target_weight=True,
                               loss_weight=2.))
    weight = t([[[0., 1., 1.], [1., 1., 1.]]])
    assert weighted(output, target, weight).item() == pytest.approx(4.)


def test_bce_loss():
    output = t([[0.5, 0.8]])
    target = t([[1., 0.]])
    ln2, ln5 = math.log(2.), math.log(5.)
    assert build_loss(dict(type='BCELoss'))(output, target).item() == \
        pytest.approx((ln2 + ln5) / 2, rel=1e-5)
    weighted = build_loss(dict(type='BCELoss', use_target_weight=True,
                               loss_weight=2.))
    assert weighted(output, target, t([[1., 0.]])).item() == pytest.approx(
        2 * ln2 / 2, rel=1e-5)
    # a per-sample weight [N] broadcasts over the labels
    assert weighted(output, target, t([0.])).item() == 0.


def test_heatmap_loss_is_masked_and_per_image():
    pred = t([[[[1., 2.]]], [[[2., 0.]]]])  # [2, 1, 1, 2]
    gt = torch.zeros_like(pred)
    mask = t([[[1., 0.]], [[1., 1.]]])
    loss = build_loss(dict(type='HeatmapLoss'))(pred, gt, mask)
    assert loss.tolist() == pytest.approx([0.5, 2.])


def _ae_inputs(tag_values):
    tags = t(tag_values).reshape(1, -1, 1)
    # person 0: flat indices 0 and 1; person 1: index 2 (index 3 invisible);
    # person 2: nobody visible
    joints = torch.tensor([[[[0, 1], [1, 1]], [[2, 1], [3, 0]],
                            [[0, 0], [0, 0]]]])
    return tags, joints


def test_ae_loss_exp():
    tags, joints = _ae_inputs([0., 1., 2., 4.])
    push, pull = build_loss(dict(type='AELoss', loss_type='exp'))(tags,
                                                                 joints)
    # means 0.5 and 2: pull (0.25 + 0) / 2; push 2 exp(-1.5^2) / 2 * 0.5
    assert pull.tolist() == pytest.approx([0.125])
    assert push.tolist() == pytest.approx([0.5 * math.exp(-2.25)])


def test_ae_loss_max_and_degenerate_images():
    loss = build_loss(dict(type='AELoss', loss_type='max'))
    tags, joints = _ae_inputs([0., 1., 0.9, 4.])
    push, pull = loss(tags, joints)
    # diff of means 0.4 -> 2 * (1 - 0.4) / 2 * 0.5
    assert push.tolist() == pytest.approx([0.3])
    # one visible person: no push; nobody: zeros
    joints_one = torch.tensor([[[[0, 1], [1, 1]], [[0, 0], [0, 0]]],
                               [[[0, 0], [0, 0]], [[0, 0], [0, 0]]]])
    tags2 = t([[0., 1., 5., 5.], [1., 1., 1., 1.]])[..., None]
    push, pull = loss(tags2, joints_one)
    assert push.tolist() == [0., 0.]
    assert pull.tolist() == pytest.approx([0.25, 0.])
    with pytest.raises(ValueError, match='loss_type'):
        build_loss(dict(type='AELoss', loss_type='min'))


def test_ae_loss_gradient_flows_to_tags():
    tags, joints = _ae_inputs([0., 1., 2., 4.])
    tags.requires_grad_(True)
    push, pull = build_loss(dict(type='AELoss', loss_type='exp'))(tags,
                                                                 joints)
    (push + pull).sum().backward()
    # the invisible joint (index 3) gets no gradient
    assert tags.grad[0, 3, 0] == 0 and tags.grad[0, 0, 0] != 0


def test_multi_loss_factory():
    loss = build_loss(
        dict(type='MultiLossFactory', num_joints=1, num_stages=2,
             ae_loss_type='exp', with_ae_loss=[True, False],
             push_loss_factor=[0.1, 0.1], pull_loss_factor=[0.01, 0.01],
             with_heatmaps_loss=[True, True],
             heatmaps_loss_factor=[1., 2.]))
    # stage 0: heatmap channel + tag channel on a 1x2 map
    out0 = t([[[[1., 0.]], [[0., 1.]]]])
    out1 = t([[[[0., 3.]]]])
    heatmaps = [torch.zeros(1, 1, 1, 2), torch.zeros(1, 1, 1, 2)]
    masks = [torch.ones(1, 1, 2), torch.ones(1, 1, 2)]
    joints = [torch.tensor([[[[0, 1]], [[1, 1]]]]), None]
    hm, push, pull = loss([out0, out1], heatmaps, masks, joints)
    assert hm[0].tolist() == pytest.approx([0.5])
    assert hm[1].tolist() == pytest.approx([2 * 4.5])
    assert push[0].tolist() == pytest.approx([0.1 * 0.5 * math.exp(-1.)])
    assert pull[0].tolist() == pytest.approx([0.])
    assert push[1] is None and pull[1] is None
    with pytest.raises(ValueError, match='with_ae_loss'):
        build_loss(
            dict(type='MultiLossFactory', num_joints=1, num_stages=2,
                 ae_loss_type='exp', with_ae_loss=[True],
                 push_loss_factor=[0.1, 0.1], pull_loss_factor=[0.1, 0.1],
                 with_heatmaps_loss=[True, True],
                 heatmaps_loss_factor=[1., 1.]))


def _mesh_inputs():
    pred_joints = torch.zeros(1, 4, 3)
    pred_joints[0, 0, 0] = 0.5
    output = dict(
        vertices=torch.ones(1, 2, 3),
        joints_3d=pred_joints,
        camera=t([[1., 0., 0.]]),
        pose=torch.eye(3).expand(1, 24, 3, 3).clone(),
        beta=torch.ones(1, 10))
    target = dict(
        vertices=torch.zeros(1, 2, 3),
        joints_3d=torch.zeros(1, 4, 3),
        joints_3d_visible=torch.ones(1, 4, 1),
        joints_2d=torch.full((1, 4, 2), 4.5),
        joints_2d_visible=torch.ones(1, 4, 1),
        pose=torch.zeros(1, 72),
        beta=torch.zeros(1, 10),
        has_smpl=t([1.]))
    return output, target


def test_mesh_loss_terms():
    loss = build_loss(
        dict(type='MeshLoss', joints_2d_loss_weight=2.,
             joints_3d_loss_weight=3., vertex_loss_weight=4.,
             smpl_pose_loss_weight=5., smpl_beta_loss_weight=6.,
             img_res=10, focal_length=5000))
    output, target = _mesh_inputs()
    losses = loss(output, target)
    assert set(losses) == {'vertex_loss', 'smpl_pose_loss', 'smpl_beta_loss',
                           'joints_3d_loss', 'joints_2d_loss'}
    assert losses['vertex_loss'].item() == pytest.approx(4. * 1.)
    assert losses['smpl_beta_loss'].item() == pytest.approx(6. * 1.)
    assert losses['smpl_pose_loss'].item() == pytest.approx(0., abs=1e-6)
    # one coordinate off by 0.5: smooth L1 0.125 over 12 values
    assert losses['joints_3d_loss'].item() == pytest.approx(
        3. * 0.125 / 12)
    # x of joint 0 projects to 5000 * 0.5 / 1000 = 2.5 px -> 5/9 normalised
    x = 2 * 2.5 / 9
    assert losses['joints_2d_loss'].item() == pytest.approx(
        2. * 0.5 * x * x / 8, rel=1e-5)


def test_mesh_loss_without_smpl_annotation():
    loss = build_loss(
        dict(type='MeshLoss', joints_2d_loss_weight=1.,
             joints_3d_loss_weight=1., vertex_loss_weight=1.,
             smpl_pose_loss_weight=1., smpl_beta_loss_weight=1.,
             img_res=10))
    output, target = _mesh_inputs()
    target['has_smpl'] = t([0.])
    del output['pose']
    losses = loss(output, target)
    assert 'smpl_pose_loss' not in losses
    assert losses['vertex_loss'].item() == 0.


@pytest.mark.parametrize('gan_type,real,fake', [
    ('vanilla', math.log(2.), math.log(2.)),
    ('lsgan', 1., 0.),
    ('wgan', 0., 0.),
])
def test_gan_loss_on_zero_logits(gan_type, real, fake):
    loss = build_loss(dict(type='GANLoss', gan_type=gan_type,
                           loss_weight=2.))
    x = torch.zeros(2, 1)
    assert loss(x, True, is_disc=True).item() == pytest.approx(real)
    assert loss(x, False, is_disc=True).item() == pytest.approx(fake)
    # loss_weight only applies to the generator
    assert loss(x, True).item() == pytest.approx(2 * real)


def test_gan_loss_label_values_and_wgan_hinge():
    lsgan = build_loss(dict(type='GANLoss', gan_type='lsgan',
                            real_label_val=0.9, fake_label_val=0.1))
    assert lsgan(t([0.5]), True).item() == pytest.approx(0.16)
    wgan = build_loss(dict(type='GANLoss', gan_type='wgan'))
    assert wgan(t([1., 3.]), True).item() == -2.
    assert wgan(t([1., 3.]), False).item() == 2.
    hinge = build_loss(dict(type='GANLoss', gan_type='hinge',
                            loss_weight=3.))
    x = t([0.5, 2.])
    assert hinge(x, True, is_disc=True).item() == pytest.approx(0.25)
    assert hinge(x, False, is_disc=True).item() == pytest.approx(2.25)
    assert hinge(x, True).item() == pytest.approx(-3 * 1.25)
    with pytest.raises(NotImplementedError, match='gan_type'):
        build_loss(dict(type='GANLoss', gan_type='wasserstein'))
