"""Decoding and metrics on hand-checkable numbers."""
import numpy as np
import pytest
import torch

from mmpose.core.evaluation import (aggregate_results,
                                    compute_similarity_transform,
                                    get_group_preds, get_multi_stage_outputs,
                                    keypoint_auc, keypoint_epe,
                                    keypoint_mpjpe, keypoint_nme,
                                    keypoint_pck_accuracy,
                                    keypoints_from_heatmaps,
                                    keypoints_from_regression,
                                    pose_pck_accuracy, post_dark_udp)
from .helpers import processing_baselines


baselines = processing_baselines()


def gaussian(cx, cy, h=64, w=48, sigma=2.0):
    ys, xs = np.mgrid[:h, :w]
    return np.exp(-((xs - cx)**2 + (ys - cy)**2) /
                  (2 * sigma**2)).astype(np.float32)


def _identity_box(n, w=48, h=64):
    """center/scale so that heatmap coordinates equal image coordinates."""
    center = np.tile([[w / 2, h / 2]], (n, 1)).astype(np.float32)
    scale = np.tile([[w / 200, h / 200]], (n, 1)).astype(np.float32)
    return center, scale


def test_argmax_decode_without_post_process():
    hm = np.zeros((1, 2, 64, 48), np.float32)
    hm[0, 0, 10, 20] = 1.0
    center, scale = _identity_box(1)
    preds, maxvals = keypoints_from_heatmaps(hm, center, scale,
                                             post_process=None)
    np.testing.assert_allclose(preds[0, 0], [20, 10])
    np.testing.assert_allclose(preds[0, 1], [-1, -1])  # max not positive
    np.testing.assert_allclose(maxvals[0, :, 0], [1, 0])


def test_default_decode_shifts_quarter_pixel():
    hm = gaussian(20.3, 29.8)[None, None]
    center, scale = _identity_box(1)
    preds, _ = keypoints_from_heatmaps(hm, center, scale)
    np.testing.assert_allclose(preds[0, 0], [20.25, 29.75])


@pytest.mark.parametrize('cx,cy', [(20.3, 30.6), (11.75, 40.1)])
def test_dark_decodes_gaussian_centre(cx, cy):
    hm = gaussian(cx, cy)[None, None]
    center, scale = _identity_box(1)
    preds, _ = keypoints_from_heatmaps(hm, center, scale,
                                       post_process='unbiased', kernel=11)
    np.testing.assert_allclose(preds[0, 0], [cx, cy], atol=1e-3)
    with pytest.warns(DeprecationWarning):
        old, _ = keypoints_from_heatmaps(hm, center, scale, unbiased=True)
    np.testing.assert_array_equal(old, preds)


def test_udp_decodes_gaussian_centre():
    hm = gaussian(20.4, 30.7)[None, None]
    # UDP maps heatmap pixel i to image pixel i * (size_img - 1) / (W - 1).
    center = np.array([[23.5, 31.5]], np.float32)
    scale = np.array([[47 / 200, 63 / 200]], np.float32)
    preds, _ = keypoints_from_heatmaps(hm, center, scale, use_udp=True,
                                       kernel=3)
    np.testing.assert_allclose(preds[0, 0], [20.4, 30.7], atol=0.05)


def test_megvii_decode_adds_half_pixel_and_rescales_score():
    hm = gaussian(20.0, 30.0)[None, None] * 100
    center, scale = _identity_box(1)
    preds, maxvals = keypoints_from_heatmaps(hm, center, scale,
                                             post_process='megvii',
                                             kernel=11)
    assert abs(preds[0, 0, 0] - 20.5) == 0.25
    assert maxvals[0, 0, 0] == pytest.approx(100 / 255 + 0.5, rel=1e-5)


def test_combined_target_any_batch_size():
    """Each sample reads its own offsets (0.x was right only for N=1)."""
    H, W = 64, 48
    batch = np.zeros((3, 3, H, W), np.float32)
    for n, (cx, cy) in enumerate([(10, 12), (30, 40), (20, 50)]):
        batch[n, 0] = gaussian(cx, cy)
        batch[n, 1] = 0.1 * (n + 1)  # x offset in units of valid radius
        batch[n, 2] = -0.05 * (n + 1)
    center, scale = _identity_box(3)
    preds, _ = keypoints_from_heatmaps(batch, center, scale, use_udp=True,
                                       target_type='CombinedTarget')
    for n in range(3):
        single, _ = keypoints_from_heatmaps(batch[n:n + 1], center[n:n + 1],
                                            scale[n:n + 1], use_udp=True,
                                            target_type='CombinedTarget')
        np.testing.assert_allclose(preds[n], single[0], rtol=1e-6)
    radius = 0.0546875 * H
    hm_coords = np.array([[10, 12], [30, 40], [20, 50]], np.float64)
    hm_coords[:, 0] += 0.1 * np.arange(1, 4) * radius
    hm_coords[:, 1] -= 0.05 * np.arange(1, 4) * radius
    expected = hm_coords * [W / (W - 1), H / (H - 1)]
    np.testing.assert_allclose(preds[:, 0], expected, atol=1e-4)


@pytest.mark.parametrize('post_process', ['default', 'unbiased'])
def test_decode_identical_to_loop_baseline(post_process):
    hm, center, scale = baselines.synthetic_heatmaps(n=6, seed=2)
    preds, maxvals = keypoints_from_heatmaps(hm, center, scale,
                                             post_process=post_process)
    base, base_vals = baselines.baseline_decode(hm, center, scale,
                                                post_process)
    np.testing.assert_array_equal(maxvals, base_vals)
    if post_process == 'default':
        np.testing.assert_array_equal(preds, base)
    else:  # windowed modulation: equal up to float32 rounding
        np.testing.assert_allclose(preds, base, atol=1e-3)


def test_decode_bad_input():
    with pytest.raises(ValueError, match=r'\[N, K, H, W\]'):
        keypoints_from_heatmaps(np.zeros((17, 64, 48)), np.zeros((1, 2)),
                                np.ones((1, 2)))
    with pytest.raises(ValueError, match='first 1 dimension'):
        keypoints_from_heatmaps(np.zeros((2, 17, 8, 8)), np.zeros((3, 2)),
                                np.ones((3, 2)))
    with pytest.raises(ValueError, match='post_process'):
        keypoints_from_heatmaps(np.zeros((1, 1, 8, 8)), np.zeros((1, 2)),
                                np.ones((1, 2)), post_process='dark')


def test_post_dark_udp_recovers_centre_and_keeps_input():
    hm = gaussian(20.3, 30.6)[None, None]
    original = hm.copy()
    out = post_dark_udp(np.array([[[20., 31.]]], np.float32), hm, kernel=3)
    np.testing.assert_allclose(out[0, 0], [20.3, 30.6], atol=0.05)
    np.testing.assert_array_equal(hm, original)
    with pytest.raises(ValueError, match='B == 1 or B == N'):
        post_dark_udp(np.zeros((3, 1, 2)), np.zeros((2, 1, 8, 8)))


def test_keypoints_from_regression():
    reg = np.array([[[0.5, 0.25]]], np.float32)
    preds, maxvals = keypoints_from_regression(
        reg, np.array([[96., 128.]]), np.array([[192 / 200, 256 / 200]]),
        [192, 256])
    np.testing.assert_allclose(preds, [[[96., 64.]]])
    np.testing.assert_array_equal(maxvals, np.ones((1, 1, 1)))


def test_pck_epe_auc_by_hand():
    gt = np.zeros((1, 4, 2))
    pred = np.array([[[0., 0.], [3., 4.], [6., 8.], [30., 40.]]])
    mask = np.array([[True, True, True, False]])
    acc, avg, cnt = keypoint_pck_accuracy(pred, gt, mask, 0.6,
                                          np.array([[10., 10.]]))
    np.testing.assert_allclose(acc, [1, 1, 0, -1])
    assert avg == pytest.approx(2 / 3) and cnt == 3
    # distances 0, 5, 10 -> mean 5
    assert keypoint_epe(pred, gt, mask) == pytest.approx(5.0)
    assert keypoint_nme(pred, gt, mask,
                        np.array([[5., 5.]])) == pytest.approx(1.0)
    # normalised distances 0, .5, 1 with thresholds 0, .25, .5, .75:
    # PCK = 0, 1/3, 1/3, 2/3 -> AUC = (0 + 1/3 + 1/3 + 2/3) / 4
    assert keypoint_auc(pred, gt, mask, 10,
                        num_step=4) == pytest.approx(1 / 3)


def test_pose_pck_accuracy_from_heatmaps():
    target = np.zeros((1, 2, 8, 8), np.float32)
    target[0, 0, 2, 2] = target[0, 1, 4, 4] = 1
    output = np.zeros_like(target)
    output[0, 0, 2, 2] = output[0, 1, 7, 7] = 1
    acc, avg, cnt = pose_pck_accuracy(output, target, np.ones((1, 2), bool),
                                      thr=0.1)
    np.testing.assert_allclose(acc, [1, 0])
    assert avg == 0.5 and cnt == 2


def test_metric_shape_mismatch_message():
    with pytest.raises(ValueError, match=r'mask \[N, K\]'):
        keypoint_epe(np.zeros((2, 3, 2)), np.zeros((2, 3, 2)),
                     np.ones((2, 4), bool))


def test_mpjpe_alignments_by_hand():
    gt = np.array([[[0., 0., 0.], [1., 0., 0.], [0., 2., 0.], [0., 0., 3.]]])
    mask = np.ones((1, 4), bool)
    assert keypoint_mpjpe(gt + [1., 0., 0.], gt, mask) == pytest.approx(1.)
    assert keypoint_mpjpe(gt * 2, gt, mask, 'scale') == pytest.approx(0.)
    assert keypoint_mpjpe(gt * 2 + 5, gt, mask,
                          'procrustes') == pytest.approx(0., abs=1e-9)
    with pytest.raises(ValueError, match='alignment'):
        keypoint_mpjpe(gt, gt, mask, 'affine')


def test_procrustes_recovers_similarity_transform():
    rng = np.random.default_rng(0)
    src = rng.normal(size=(10, 3))
    angle = 0.7
    rot = np.array([[np.cos(angle), -np.sin(angle), 0],
                    [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
    target = 1.5 * src @ rot.T + [1., -2., 3.]
    np.testing.assert_allclose(compute_similarity_transform(src, target),
                               target, atol=1e-10)


def test_multi_stage_outputs_average_and_flip():
    K = 2
    stage0 = torch.arange(2 * K * 4 * 4, dtype=torch.float32).view(
        1, 2 * K, 4, 4)
    stage1 = torch.ones(1, K, 4, 4)
    outs, heatmaps, tags = get_multi_stage_outputs(
        [stage0, stage1], [stage0.flip(3), stage1.flip(3)], K,
        [True, True], [True, False], flip_index=[1, 0],
        size_projected=(8, 8))
    assert len(outs) == 4 and len(heatmaps) == 2 and len(tags) == 2
    assert heatmaps[0].shape == (1, K, 8, 8)
    base = (stage0[:, :K] + stage1) / 2
    np.testing.assert_allclose(
        heatmaps[1][:, [1, 0]], heatmaps[0], rtol=1e-6)
    small = get_multi_stage_outputs([stage0, stage1], None, K, [True, True],
                                    [True, False], project2image=False)[1]
    torch.testing.assert_close(small[0], base)


def test_aggregate_results_flip_average():
    h = torch.ones(1, 2, 4, 4)
    agg, tags = aggregate_results(1, None, [], [h, 3 * h], [h], [1], True,
                                  True)
    torch.testing.assert_close(agg, 2 * h)
    assert tags[0].shape == (1, 2, 4, 4, 1)


def test_get_group_preds_plain_and_udp():
    people = [np.array([[[2., 3., 0.9, 0.1]]])]
    plain = get_group_preds(people, np.array([8., 8.]),
                            np.array([16 / 200, 16 / 200]), [8, 8])
    np.testing.assert_allclose(plain[0], [[4., 6., 1., 1.]])
    udp = get_group_preds(people, np.array([8., 8.]), np.array([14., 14.]),
                          [8, 8], use_udp=True)
    np.testing.assert_allclose(udp[0], [[4., 6., 0.9, 0.1]], rtol=1e-6)
