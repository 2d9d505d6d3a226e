"""Keypoint heads: shapes, losses, gradients, flip test, decoding and the
state_dict names of every MMPose 0.14 config."""

import numpy as np
import pytest
import torch

from mmpose.models import build_head, build_neck

MSE = dict(type='JointsMSELoss', use_target_weight=True)


def _metas(n, **extra):
    return [
        dict(image_file=f'img_{i}.jpg', center=np.array([100., 200.]),
             scale=np.array([1.6, 1.6]), bbox_score=0.5 + 0.1 * i,
             bbox_id=i, **extra) for i in range(n)
    ]


def _check_grads(head, losses):
    total = sum(losses.values())
    assert torch.isfinite(total)
    total.backward()
    grads = [p.grad for p in head.parameters() if p.requires_grad]
    assert grads and all(g is not None for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)


def _identity_head(**test_cfg):
    """A head whose output is its input: heatmaps can be fed directly."""
    return build_head(
        dict(type='TopDownSimpleHead', in_channels=3, out_channels=3,
             num_deconv_layers=0, extra=dict(final_conv_kernel=0),
             loss_keypoint=MSE, test_cfg=test_cfg))


# ----------------------------------------------------------------------
# TopDownSimpleHead
# ----------------------------------------------------------------------
def test_top_down_simple_head_train_and_test():
    head = build_head(
        dict(type='TopDownSimpleHead', in_channels=4, out_channels=3,
             num_deconv_layers=1, num_deconv_filters=(8, ),
             num_deconv_kernels=(4, ), loss_keypoint=MSE))
    head.init_weights()
    x = torch.randn(2, 4, 4, 4)
    out = head(x)
    assert out.shape == (2, 3, 8, 8)
    target = torch.rand(2, 3, 8, 8)
    weight = torch.ones(2, 3, 1)
    losses = head.get_loss(out, target, weight)
    assert set(losses) == {'mse_loss'}
    assert losses['mse_loss'].item() == pytest.approx(
        (out - target).pow(2).mean().item(), rel=1e-5)
    acc = head.get_accuracy(out, target, weight)
    assert set(acc) == {'acc_pose'} and 0. <= acc['acc_pose'] <= 1.
    _check_grads(head, losses)
    head.eval()
    with torch.no_grad():
        heatmap = head.inference_model(x)
    assert isinstance(heatmap, np.ndarray) and heatmap.shape == (2, 3, 8, 8)


def test_top_down_simple_head_resize_concat_and_extra_convs():
    head = build_head(
        dict(type='TopDownSimpleHead', in_channels=[2, 3], in_index=[0, 1],
             input_transform='resize_concat', out_channels=4,
             num_deconv_layers=0,
             extra=dict(final_conv_kernel=1, num_conv_layers=1,
                        num_conv_kernels=[3]), loss_keypoint=MSE))
    out = head([torch.randn(1, 2, 6, 6), torch.randn(1, 3, 3, 3)])
    assert out.shape == (1, 4, 6, 6)
    assert head.final_layer[0].weight.shape == (5, 5, 3, 3)
    assert head.final_layer[3].weight.shape == (4, 5, 1, 1)


def test_top_down_simple_head_bad_arguments():
    with pytest.raises(ValueError, match='num_kernels'):
        build_head(dict(type='TopDownSimpleHead', in_channels=2,
                        out_channels=1, num_deconv_layers=1,
                        num_deconv_filters=(4, ), num_deconv_kernels=(5, ),
                        loss_keypoint=MSE))
    with pytest.raises(ValueError, match='num_deconv_filters'):
        build_head(dict(type='TopDownSimpleHead', in_channels=2,
                        out_channels=1, num_deconv_layers=2,
                        loss_keypoint=MSE))
    with pytest.raises(TypeError, match='extra'):
        build_head(dict(type='TopDownSimpleHead', in_channels=2,
                        out_channels=1, extra=[1], loss_keypoint=MSE))
    with pytest.raises(ValueError, match='final_conv_kernel'):
        build_head(dict(type='TopDownSimpleHead', in_channels=2,
                        out_channels=1, extra=dict(final_conv_kernel=2),
                        loss_keypoint=MSE))


def test_flip_back_mirrors_heatmap():
    head = _identity_head()
    rng = np.random.RandomState(0)
    heatmap = rng.rand(1, 3, 4, 5).astype(np.float32)
    # what a mirror-equivariant network predicts on the flipped image:
    # left/right keypoints (0, 1) swapped and the width reversed
    flipped = heatmap[:, [1, 0, 2], :, ::-1].copy()
    out = head.inference_model(torch.from_numpy(flipped),
                               flip_pairs=[(0, 1)])
    np.testing.assert_allclose(out, heatmap)


def test_flip_back_shift_heatmap_moves_one_pixel():
    heatmap = np.random.RandomState(1).rand(1, 3, 4, 5).astype(np.float32)
    flipped = torch.from_numpy(heatmap[:, [1, 0, 2], :, ::-1].copy())
    out = _identity_head(shift_heatmap=True).inference_model(
        flipped, flip_pairs=[(0, 1)])
    np.testing.assert_allclose(out[..., 1:], heatmap[..., :-1])
    np.testing.assert_allclose(out[..., 0], heatmap[..., 0])


def test_decode_maps_peak_to_image():
    head = _identity_head(post_process='default', modulate_kernel=11)
    heatmap = np.zeros((2, 3, 8, 8), dtype=np.float32)
    heatmap[:, :, 2, 3] = 0.9  # peak at x=3, y=2
    result = head.decode(_metas(2), heatmap)
    # scale 1.6 -> 320 px box over 8 bins: x = 3 * 40 + 100 - 160
    np.testing.assert_allclose(result['preds'][..., :2],
                               np.tile([60., 120.], (2, 3, 1)))
    np.testing.assert_allclose(result['preds'][..., 2], 0.9)
    assert result['preds'].shape == (2, 3, 3)
    np.testing.assert_allclose(
        result['boxes'],
        [[100., 200., 1.6, 1.6, 320. * 320., 0.5],
         [100., 200., 1.6, 1.6, 320. * 320., 0.6]], rtol=1e-6)
    assert result['image_paths'] == ['img_0.jpg', 'img_1.jpg']
    assert result['bbox_ids'] == [0, 1]


def test_decode_without_bbox_id_and_score():
    metas = [dict(image_file='a.jpg', center=[50., 50.], scale=[1., 1.])]
    heatmap = np.zeros((1, 3, 4, 4), dtype=np.float32)
    heatmap[0, :, 1, 1] = 1.
    result = _identity_head().decode(metas, heatmap)
    assert result['bbox_ids'] is None
    assert result['boxes'][0, 5] == 1.
    with pytest.raises(KeyError, match='center'):
        _identity_head().decode([dict(image_file='a.jpg')], heatmap)


# ----------------------------------------------------------------------
# Multi-stage heads
# ----------------------------------------------------------------------
def test_top_down_multi_stage_head():
    head = build_head(
        dict(type='TopDownMultiStageHead', in_channels=4, out_channels=2,
             num_stages=2, num_deconv_layers=0,
             extra=dict(final_conv_kernel=1),
             loss_keypoint=[MSE, dict(MSE, loss_weight=2.)]))
    head.init_weights()
    x = [torch.randn(2, 4, 5, 5), torch.randn(2, 4, 5, 5)]
    out = head(x)
    assert isinstance(out, list) and [o.shape for o in out] == [
        (2, 2, 5, 5)
    ] * 2
    target = torch.rand(2, 2, 5, 5)
    weight = torch.ones(2, 2, 1)
    losses = head.get_loss(out, target, weight)
    expected = ((out[0] - target).pow(2).mean() +
                2 * (out[1] - target).pow(2).mean())
    assert losses['mse_loss'].item() == pytest.approx(expected.item(),
                                                      rel=1e-5)
    assert 'acc_pose' in head.get_accuracy(out, target, weight)
    _check_grads(head, losses)
    with torch.no_grad():
        np.testing.assert_allclose(head.inference_model(x),
                                   head(x)[-1].numpy(), rtol=1e-6)


@pytest.mark.parametrize('use_prm', [False, True])
def test_top_down_msmu_head(use_prm):
    loss = [MSE, MSE, MSE,
            dict(type='JointsOHKMMSELoss', use_target_weight=True, topk=1)]
    head = build_head(
        dict(type='TopDownMSMUHead', out_shape=(4, 4), unit_channels=4,
             out_channels=2, num_stages=2, num_units=2, use_prm=use_prm,
             loss_keypoint=loss))
    head.init_weights()
    x = [[torch.randn(2, 4, 2, 2), torch.randn(2, 4, 4, 4)]
         for _ in range(2)]
    out = head(x)
    assert len(out) == 4 and all(o.shape == (2, 2, 4, 4) for o in out)
    target = torch.rand(2, 4, 2, 4, 4)
    weight = torch.ones(2, 4, 2, 1)
    losses = head.get_loss(out, target, weight)
    assert set(losses) == {'mse_loss'}
    assert 'acc_pose' in head.get_accuracy(out, target, weight)
    _check_grads(head, losses)
    head.eval()
    with torch.no_grad():
        assert head.inference_model(x, flip_pairs=[(0, 1)]).shape == (2, 2,
                                                                       4, 4)
    with pytest.raises(TypeError, match='num_stages'):
        head([torch.randn(2, 4, 4, 4)])


# ----------------------------------------------------------------------
# Bottom-up heads
# ----------------------------------------------------------------------
def _ae_loss_cfg(num_joints, num_stages, with_ae_loss):
    return dict(type='MultiLossFactory', num_joints=num_joints,
                num_stages=num_stages, ae_loss_type='exp',
                with_ae_loss=with_ae_loss,
                push_loss_factor=[0.001] * num_stages,
                pull_loss_factor=[0.001] * num_stages,
                with_heatmaps_loss=[True] * num_stages,
                heatmaps_loss_factor=[1.0] * num_stages)


def _bottom_up_targets(sizes, num_joints=2):
    targets = [torch.rand(2, num_joints, s, s) for s in sizes]
    masks = [torch.ones(2, s, s) for s in sizes]
    # two people, keypoints at flat indices of the tag maps
    joints = [
        torch.tensor([[[[0, 1], [s * s + 1, 1]], [[5, 1], [s * s + 6, 1]]]
                      ] * 2) for s in sizes
    ]
    return targets, masks, joints


def test_bottom_up_simple_head():
    head = build_head(
        dict(type='BottomUpSimpleHead', in_channels=4, num_joints=2,
             num_deconv_layers=1, num_deconv_filters=(4, ),
             num_deconv_kernels=(4, ), with_ae_loss=[True],
             loss_keypoint=_ae_loss_cfg(2, 1, [True])))
    head.init_weights()
    out = head([torch.randn(2, 4, 4, 4)])
    assert len(out) == 1 and out[0].shape == (2, 4, 8, 8)
    targets, masks, joints = _bottom_up_targets([8])
    losses = head.get_loss(out, targets, masks, joints)
    assert set(losses) == {'heatmap_loss', 'push_loss', 'pull_loss'}
    assert losses['heatmap_loss'].item() == pytest.approx(
        (out[0][:, :2] - targets[0]).pow(2).mean().item(), rel=1e-5)
    _check_grads(head, losses)


def test_bottom_up_simple_head_without_tags():
    head = build_head(
        dict(type='BottomUpSimpleHead', in_channels=4, num_joints=3,
             num_deconv_layers=0, with_ae_loss=[False],
             extra=dict(final_conv_kernel=3),
             loss_keypoint=_ae_loss_cfg(3, 1, [False])))
    assert head(torch.randn(1, 4, 5, 5))[0].shape == (1, 3, 5, 5)
    shared = build_head(
        dict(type='BottomUpSimpleHead', in_channels=4, num_joints=3,
             num_deconv_layers=0, tag_per_joint=False, with_ae_loss=[True],
             loss_keypoint=_ae_loss_cfg(3, 1, [True])))
    assert shared(torch.randn(1, 4, 5, 5))[0].shape == (1, 4, 5, 5)


def test_bottom_up_higher_resolution_head():
    head = build_head(
        dict(type='BottomUpHigherResolutionHead', in_channels=4,
             num_joints=2, extra=dict(final_conv_kernel=1),
             num_deconv_layers=1, num_deconv_filters=(4, ),
             num_deconv_kernels=(4, ), num_basic_blocks=1,
             cat_output=[True], with_ae_loss=[True, False],
             loss_keypoint=_ae_loss_cfg(2, 2, [True, False])))
    head.init_weights()
    out = head(torch.randn(2, 4, 4, 4))
    assert [o.shape for o in out] == [(2, 4, 4, 4), (2, 2, 8, 8)]
    # the deconv sees the feature concatenated with the first prediction
    assert head.deconv_layers[0][0][0].weight.shape == (8, 4, 4, 4)
    targets, masks, joints = _bottom_up_targets([4, 8])
    losses = head.get_loss(out, targets, masks, joints)
    assert set(losses) == {'heatmap_loss', 'push_loss', 'pull_loss'}
    expected = sum((o[:, :2] - t).pow(2).mean() for o, t in zip(out, targets))
    assert losses['heatmap_loss'].item() == pytest.approx(expected.item(),
                                                          rel=1e-5)
    _check_grads(head, losses)


# ----------------------------------------------------------------------
# Regression heads
# ----------------------------------------------------------------------
def test_fc_head_train_flip_and_decode():
    head = build_head(
        dict(type='FcHead', in_channels=8, num_joints=3,
             loss_keypoint=dict(type='SmoothL1Loss', use_target_weight=True)))
    head.init_weights()
    neck = build_neck(dict(type='GlobalAveragePooling'))
    x = neck(torch.randn(2, 8, 3, 3))
    out = head(x)
    assert out.shape == (2, 3, 2)
    target = torch.rand(2, 3, 2)
    weight = torch.ones(2, 3, 2)
    losses = head.get_loss(out, target, weight)
    assert set(losses) == {'reg_loss'}
    acc = head.get_accuracy(out, target, weight)
    assert 0. <= acc['acc_pose'] <= 1.
    _check_grads(head, losses)

    with torch.no_grad():
        plain = head.inference_model(x)
        flipped = head.inference_model(x, flip_pairs=[(0, 1)])
    np.testing.assert_allclose(flipped[:, [1, 0, 2], 0], 1 - plain[..., 0],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(flipped[:, [1, 0, 2], 1], plain[..., 1])

    coords = np.tile(np.array([0.5, 0.25], dtype=np.float32), (2, 3, 1))
    metas = _metas(2)
    for m in metas:
        m['scale'] = np.array([1., 1.])
    result = head.decode(metas, coords, img_size=(192, 256))
    # 0.5 * 192 px -> 100 in a 200 px box at x=100; 0.25 * 256 -> 150
    np.testing.assert_allclose(result['preds'][..., :2],
                               np.tile([100., 150.], (2, 3, 1)), rtol=1e-5)
    np.testing.assert_allclose(result['preds'][..., 2], 1.)
    with pytest.raises(KeyError, match='img_size'):
        head.decode(metas, coords)


def test_temporal_regression_head():
    head = build_head(
        dict(type='TemporalRegressionHead', in_channels=8, num_joints=2,
             loss_keypoint=dict(type='MSELoss'),
             test_cfg=dict(restore_global_position=True)))
    head.init_weights()
    x = torch.randn(2, 8, 1)
    out = head([x])
    assert out.shape == (2, 2, 3)
    target = torch.rand(2, 2, 3)
    losses = head.get_loss(out, target, None)
    assert losses['reg_loss'].item() == pytest.approx(
        (out - target).pow(2).mean().item(), rel=1e-5)
    metas = [dict(root_position=np.array([[1., 2., 3.]]),
                  root_position_index=0, target_image_path=f'{i}.jpg')
             for i in range(2)]
    acc = head.get_accuracy(out, target, torch.ones(2, 2, 3), metas)
    assert set(acc) == {'mpjpe', 'p_mpjpe'}
    assert acc['p_mpjpe'] <= acc['mpjpe'] + 1e-6
    _check_grads(head, losses)

    preds = np.zeros((2, 2, 3), dtype=np.float32)
    preds[:, 1] = [1., 0., 0.]
    result = head.decode(metas, preds)
    # the root joint comes back at index 0, the others are offset by it
    np.testing.assert_allclose(result['preds'][0],
                               [[1., 2., 3.], [1., 2., 3.], [2., 2., 3.]])
    assert result['target_image_paths'] == ['0.jpg', '1.jpg']
    with torch.no_grad():
        flipped = head.inference_model(x, flip_pairs=[(0, 1)])
        plain = head.inference_model(x)
    np.testing.assert_allclose(flipped[:, [1, 0], 0], -plain[..., 0],
                               rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=r'\[N, C, 1\]'):
        head(torch.randn(2, 8, 3))


# ----------------------------------------------------------------------
# InterHand heads
# ----------------------------------------------------------------------
def test_heatmap_3d_head():
    head = build_head(
        dict(type='HeatMap3DHead', in_channels=4, out_channels=6,
             depth_size=3, num_deconv_layers=1, num_deconv_filters=(4, ),
             num_deconv_kernels=(4, ), loss_keypoint=MSE))
    head.init_weights()
    out = head(torch.randn(2, 4, 3, 3))
    assert out.shape == (2, 2, 3, 6, 6)
    target = torch.rand(2, 2, 3, 6, 6)
    weight = torch.ones(2, 2, 1)
    losses = head.get_loss(out, target, weight)
    assert set(losses) == {'heatmap_loss'}
    assert 'acc_pose' in head.get_accuracy(out, target, weight)
    _check_grads(head, losses)

    heatmap = np.zeros((1, 2, 3, 8, 8), dtype=np.float32)
    heatmap[0, :, 1, 2, 3] = 0.7  # z=1, y=2, x=3
    result = head.decode(_metas(1), heatmap)
    assert result['preds'].shape == (1, 2, 4)
    np.testing.assert_allclose(result['preds'][0, :, :3],
                               [[60., 120., 1.]] * 2)
    np.testing.assert_allclose(result['preds'][0, :, 3], 0.7)


def test_heatmap_3d_head_flip():
    head = build_head(
        dict(type='HeatMap3DHead', in_channels=6, out_channels=6,
             depth_size=3, num_deconv_layers=0,
             extra=dict(final_conv_kernel=0), loss_keypoint=MSE))
    volume = np.random.RandomState(2).rand(1, 2, 3, 4, 5).astype(np.float32)
    flipped = volume[:, [1, 0], :, :, ::-1].reshape(1, 6, 4, 5).copy()
    out = head.inference_model(torch.from_numpy(flipped),
                               flip_pairs=[(0, 1)])
    np.testing.assert_allclose(out, volume)
    with pytest.raises(ValueError, match='multiple of depth_size'):
        build_head(dict(type='HeatMap3DHead', in_channels=6, out_channels=7,
                        depth_size=3, loss_keypoint=MSE))


def test_heatmap_1d_head():
    head = build_head(
        dict(type='Heatmap1DHead', in_channels=8, heatmap_size=4,
             hidden_dims=(6, ),
             loss_value=dict(type='L1Loss', use_target_weight=True)))
    head.init_weights()
    x = torch.randn(3, 8)
    out = head(x)
    assert out.shape == (3, 1) and ((out >= 0) & (out <= 3)).all()
    # soft-argmax of a sharp peak is its bin
    peak = torch.tensor([[0., 0., 50., 0.]])
    assert head.soft_argmax_1d(peak).item() == pytest.approx(2.)
    losses = head.get_loss(out, torch.ones(3, 1), torch.ones(3, 1))
    assert set(losses) == {'value_loss'}
    _check_grads(head, losses)
    with torch.no_grad():
        np.testing.assert_allclose(head.inference_model(x, [(0, 1)]),
                                   -head.inference_model(x))
    result = head.decode([dict(image_file='a.jpg')] * 3, out.detach().numpy())
    assert result['image_paths'] == ['a.jpg'] * 3


def test_multilabel_classification_head():
    head = build_head(
        dict(type='MultilabelClassificationHead', in_channels=8,
             num_labels=2, hidden_dims=(6, ),
             loss_classification=dict(type='BCELoss',
                                      use_target_weight=True)))
    head.init_weights()
    x = torch.randn(4, 8)
    out = head(x)
    assert out.shape == (4, 2) and ((out > 0) & (out < 1)).all()
    target = torch.tensor([[1., 0.], [0., 1.], [1., 1.], [0., 0.]])
    losses = head.get_loss(out, target, torch.ones(4, 2))
    assert set(losses) == {'classification_loss'}
    _check_grads(head, losses)

    probs = torch.tensor([[0.9, 0.2], [0.9, 0.9], [0.1, 0.1]])
    labels = torch.tensor([[1., 0.], [1., 0.], [0., 0.]])
    weight = torch.tensor([[1., 1.], [1., 1.], [0., 1.]])
    # sample 0 right, sample 1 wrong, sample 2 ignored (zero weight)
    acc = head.get_accuracy(probs, labels, weight)['acc_classification']
    assert acc.item() == pytest.approx(0.5)
    with torch.no_grad():
        plain = head.inference_model(x)
        flipped = head.inference_model(x, flip_pairs=[(0, 1)])
    np.testing.assert_allclose(flipped, plain[:, ::-1])
    result = head.decode([dict(image_file='a.jpg')] * 4, plain)
    assert result['labels'] is plain
