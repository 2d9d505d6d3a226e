"""Geometry, flips, OKS / NMS and the one-euro filter on hand-checkable
numbers."""
import math

import numpy as np
import pytest

from mmpose.core.post_processing import (OneEuroFilter, affine_transform,
                                         flip_back, fliplr_joints,
                                         fliplr_regression,
                                         get_affine_transform,
                                         get_warp_matrix, oks_iou, oks_nms,
                                         rotate_point, soft_oks_nms,
                                         transform_preds, warp_affine_joints)
from mmpose.core.post_processing.nms import COCO_SIGMAS
from .helpers import processing_baselines


baselines = processing_baselines()


def test_rotate_point_quarter_turn():
    np.testing.assert_allclose(rotate_point([1., 0.], math.pi / 2), [0, 1],
                               atol=1e-12)


def test_affine_transform_known_matrix():
    mat = np.array([[2., 0., 1.], [0., 3., -1.]])
    np.testing.assert_allclose(affine_transform([1., 1.], mat), [3., 2.])
    pts = np.array([[[0., 0.], [1., 2.]]])
    np.testing.assert_allclose(warp_affine_joints(pts, mat),
                               [[[1., -1.], [3., 5.]]])


def test_get_affine_transform_maps_box_to_output():
    # A 200x200 px box centred at (150, 120) onto a 100x100 output: half
    # scale, the centre goes to (50, 50), the box corner to (0, 0).
    trans = get_affine_transform(np.array([150., 120.]), np.array([1., 1.]),
                                 0, (100, 100))
    np.testing.assert_allclose(affine_transform([150., 120.], trans),
                               [50, 50], atol=1e-4)
    np.testing.assert_allclose(affine_transform([50., 20.], trans), [0, 0],
                               atol=1e-4)
    inv = get_affine_transform(np.array([150., 120.]), np.array([1., 1.]),
                               0, (100, 100), inv=True)
    np.testing.assert_allclose(affine_transform([0., 0.], inv), [50, 20],
                               atol=1e-4)


def test_get_affine_transform_rotation():
    # 90 degrees: a point above the centre maps to the right of the centre.
    trans = get_affine_transform(np.array([0., 0.]), np.array([1., 1.]), 90,
                                 (200, 200))
    np.testing.assert_allclose(affine_transform([0., -50.], trans),
                               [50, 100], atol=1e-4)


def test_get_warp_matrix_identity_and_scale():
    mat = get_warp_matrix(0, np.array([9., 9.]), np.array([19., 19.]),
                          np.array([9., 9.]))
    np.testing.assert_allclose(mat, [[19 / 9, 0, 0], [0, 19 / 9, 0]],
                               rtol=1e-6)
    assert mat.dtype == np.float32


def test_transform_preds_identity_and_udp():
    coords = np.array([[10., 20.], [0., 99.]])
    center, scale = np.array([50., 50.]), np.array([0.5, 0.5])
    np.testing.assert_allclose(
        transform_preds(coords, center, scale, [100, 100]), coords)
    np.testing.assert_allclose(
        transform_preds(coords, center, scale, [101, 101], use_udp=True),
        coords)


def test_transform_preds_four_columns():
    coords = np.array([[10., 20., 0.7, 3.]])
    out = transform_preds(coords, np.array([50., 50.]), np.array([1., 1.]),
                          [100, 100])
    np.testing.assert_allclose(out, [[-30., -10., 1., 1.]])


def test_transform_preds_bad_shape():
    with pytest.raises(ValueError, match=r'\[K, 2\]'):
        transform_preds(np.zeros((3, 3)), [0, 0], [1, 1], [4, 4])
    with pytest.raises(ValueError, match=r'\[2\]'):
        transform_preds(np.zeros((3, 2)), [0, 0, 0], [1, 1], [4, 4])


def test_fliplr_joints():
    joints = np.array([[1., 2., 0.], [3., 4., 0.], [5., 6., 0.]])
    visible = np.array([[1.], [1.], [0.]])
    flipped, vis = fliplr_joints(joints, visible, 10, [[0, 1]])
    np.testing.assert_allclose(flipped, [[6., 4., 0.], [8., 2., 0.],
                                         [0., 0., 0.]])
    np.testing.assert_allclose(vis, visible)
    with pytest.raises(ValueError, match='same K'):
        fliplr_joints(joints, visible[:2], 10, [[0, 1]])


def test_fliplr_regression_static_and_root():
    reg = np.array([[[0.2, 0.1, 1.], [0.7, 0.3, 2.], [0.4, 0.5, 3.]]])
    static = fliplr_regression(reg, [[1, 2]], center_mode='static')
    np.testing.assert_allclose(static[0, :, 0], [0.8, 0.6, 0.3])
    np.testing.assert_allclose(static[0, :, 1:], reg[0, [0, 2, 1], 1:])
    root = fliplr_regression(reg, [[1, 2]], center_mode='root',
                             center_index=0)
    np.testing.assert_allclose(root[0, :, 0], [0.2, 0.0, -0.3])
    with pytest.raises(ValueError, match='center_mode'):
        fliplr_regression(reg, [[1, 2]], center_mode='middle')


def test_flip_back_is_an_involution_and_swaps_pairs():
    hm = np.random.default_rng(0).random((2, 3, 4, 5)).astype(np.float32)
    back = flip_back(hm, [[1, 2]])
    np.testing.assert_array_equal(back[:, 0], hm[:, 0, :, ::-1])
    np.testing.assert_array_equal(back[:, 1], hm[:, 2, :, ::-1])
    np.testing.assert_array_equal(flip_back(back, [[1, 2]]), hm)


def test_flip_back_combined_negates_x_offsets_only():
    hm = np.random.default_rng(1).random((1, 6, 3, 4)).astype(np.float32)
    original = hm.copy()
    back = flip_back(hm, [[0, 1]], target_type='CombinedTarget')
    np.testing.assert_array_equal(hm, original)  # input untouched
    np.testing.assert_array_equal(back[:, 0], hm[:, 3, :, ::-1])
    np.testing.assert_array_equal(back[:, 1], -hm[:, 4, :, ::-1])
    np.testing.assert_array_equal(back[:, 2], hm[:, 5, :, ::-1])
    with pytest.raises(ValueError, match=r'\[N, K, H, W\]'):
        flip_back(hm[0], [[0, 1]])


def _pose(offset=0.0, vis=1.0):
    xy = np.stack([np.arange(17) * 3.0 + offset, np.arange(17) * 2.0], 1)
    return np.concatenate([xy, np.full((17, 1), vis)], 1)


def test_oks_of_identical_poses_is_one():
    g = _pose().reshape(-1)
    ious = oks_iou(g, np.stack([g, _pose(5.).reshape(-1)]), 400.,
                   np.array([400., 400.]))
    assert ious.dtype == np.float32
    assert ious[0] == pytest.approx(1.0)
    assert 0 < ious[1] < 1


def test_oks_single_keypoint_by_hand():
    sig = np.array([0.1])
    # e = d^2 / (2 sigma)^2 / area / 2 = 4 / 0.04 / 100 / 2 = 0.5
    iou = oks_iou(np.array([0., 0., 1.]), np.array([[2., 0., 1.]]), 100.,
                  np.array([100.]), sigmas=sig)
    assert iou[0] == pytest.approx(math.exp(-0.5), rel=1e-6)


def test_oks_vis_thr_uses_detection_visibility():
    g = _pose().reshape(-1)
    d = _pose(4.0, vis=0.0)
    d[0, 2] = 1.0
    iou = oks_iou(g, d.reshape(1, -1), 400., np.array([400.]),
                  vis_thr=0.5)
    single = oks_iou(g[:3], d[:1].reshape(1, -1), 400., np.array([400.]),
                     sigmas=COCO_SIGMAS[:1])
    assert iou[0] == pytest.approx(single[0])


def test_oks_iou_bad_shape():
    with pytest.raises(ValueError, match=r'K\*3'):
        oks_iou(np.zeros(51), np.zeros((2, 48)), 1., np.ones(2))


def test_oks_nms_keeps_best_of_duplicates():
    db = [
        {'keypoints': _pose(), 'score': 0.9, 'area': 400.},
        {'keypoints': _pose(0.5), 'score': 0.8, 'area': 400.},
        {'keypoints': _pose(500.), 'score': 0.7, 'area': 400.},
    ]
    np.testing.assert_array_equal(oks_nms(db, 0.9), [0, 2])
    np.testing.assert_array_equal(soft_oks_nms(db, 0.3, max_dets=2), [0, 2])
    assert oks_nms([], 0.9) == []


@pytest.mark.parametrize('thr', [0.3, 0.9])
def test_nms_identical_to_loop_baseline(thr):
    poses = baselines.synthetic_poses(num=120, seed=3)
    np.testing.assert_array_equal(
        oks_nms(poses, thr), baselines.baseline_oks_nms(poses, thr,
                                                        COCO_SIGMAS))
    np.testing.assert_array_equal(
        soft_oks_nms(poses, thr, max_dets=30),
        baselines.baseline_soft_oks_nms(poses, thr, 30, COCO_SIGMAS))


def test_one_euro_filter_video_mode_by_hand():
    x0 = np.array([[10., 10.]])
    filt = OneEuroFilter(x0, min_cutoff=1.0, beta=0.0, d_cutoff=1.0, fps=30)
    out = filt(np.array([[20., 10.]]))
    # t_e = 1, cutoff = 1: a = 2 pi / (2 pi + 1)
    a = 2 * math.pi / (2 * math.pi + 1)
    np.testing.assert_allclose(out, [[a * 20 + (1 - a) * 10, 10.]])


def test_one_euro_filter_constant_signal_and_missing():
    x0 = np.array([[5., 7.], [3., 3.]])
    filt = OneEuroFilter(x0, fps=25)
    np.testing.assert_allclose(filt(x0.copy()), x0)
    out = filt(np.array([[5., 7.], [0., 3.]]))
    assert out[1, 0] == -10
    with pytest.raises(ValueError, match='shape'):
        filt(np.zeros((3, 2)))
