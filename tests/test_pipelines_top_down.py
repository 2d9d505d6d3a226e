"""Top-down transforms on tiny inputs with exact expected values."""
import copy

import numpy as np
import pytest

from mmpose.datasets.pipelines import (TopDownAffine, TopDownGenerateTarget,
                                       TopDownGenerateTargetRegression,
                                       TopDownHalfBodyTransform,
                                       TopDownRandomFlip)


def _ann_info(num_joints=3, image_size=(192, 256), heatmap_size=(48, 64)):
    return dict(
        image_size=np.array(image_size),
        heatmap_size=np.array(heatmap_size),
        num_joints=num_joints,
        flip_pairs=[[1, 2]],
        upper_body_ids=(0, 1),
        joint_weights=np.ones((num_joints, 1), dtype=np.float32),
        use_different_joint_weights=False)


def _results(joints, visible=None, **ann):
    joints = np.asarray(joints, dtype=np.float32)
    if visible is None:
        visible = np.ones_like(joints)
    return dict(joints_3d=joints,
                joints_3d_visible=np.asarray(visible, dtype=np.float32),
                ann_info=_ann_info(num_joints=len(joints), **ann))


# ------------------------------------------------------------------ flip
def test_random_flip_swaps_pairs_and_mirrors():
    img = np.arange(2 * 5 * 3, dtype=np.uint8).reshape(2, 5, 3)
    res = _results([[1, 0, 0], [2, 1, 0], [4, 1, 0]],
                   visible=[[1, 1, 0], [1, 1, 0], [0, 0, 0]])
    res.update(img=img, center=np.array([1., 1.]))
    out = TopDownRandomFlip(flip_prob=1.0)(res)
    assert out['flipped'] is True
    np.testing.assert_array_equal(out['img'], img[:, ::-1])
    # x -> W - 1 - x = 4 - x; joints 1 and 2 swap (and visibility with them)
    np.testing.assert_array_equal(out['joints_3d'][:, :2],
                                  [[3, 0], [0, 0], [2, 1]])
    np.testing.assert_array_equal(out['joints_3d_visible'][:, 0], [1, 0, 1])
    np.testing.assert_array_equal(out['center'], [3., 1.])


# ------------------------------------------------------------- half body
def test_half_body_selects_lower_body_box(monkeypatch):
    # upper ids 0, 1 (only two: too few), lower joints 2..4
    joints = np.array([[0, 0, 0], [10, 0, 0], [10, 20, 0], [30, 40, 0],
                       [50, 60, 0]], np.float32)
    res = _results(joints, image_size=(100, 100))
    res['ann_info']['upper_body_ids'] = (0, 1)
    monkeypatch.setattr(np.random, 'randn', lambda: 0.0)
    center, scale = TopDownHalfBodyTransform.half_body_transform(
        res['ann_info'], joints, res['joints_3d_visible'])
    np.testing.assert_allclose(center, [30., 40.])
    # box 40 x 40 (square, aspect 1) -> scale 40 / 200 * 1.5
    np.testing.assert_allclose(scale, [0.3, 0.3], rtol=1e-6)


def test_half_body_needs_enough_visible_joints():
    joints = np.zeros((5, 3), np.float32)
    res = _results(joints)
    res.update(center=np.array([1., 2.]), scale=np.array([3., 4.]))
    out = TopDownHalfBodyTransform(num_joints_half_body=8,
                                   prob_half_body=1.0)(res)
    np.testing.assert_array_equal(out['center'], [1., 2.])


# ---------------------------------------------------------------- affine
@pytest.mark.parametrize('use_udp', [False, True])
def test_affine_maps_bbox_corners_to_crop_corners(use_udp):
    # box centred at (100, 80), 96 x 128 px -> output 48 x 64 (half size)
    img = np.zeros((200, 200, 3), np.uint8)
    c = np.array([100., 80.])
    s = np.array([96., 128.]) / 200.
    corners = np.array([[52., 16., 0.], [148., 144., 0.], [100., 80., 0.]])
    res = _results(corners, image_size=(48, 64))
    res.update(img=img, center=c, scale=s, rotation=0)
    out = TopDownAffine(use_udp=use_udp)(res)
    assert out['img'].shape == (64, 48, 3)
    if use_udp:
        # UDP maps [c - (s*200 - 1)/2 ...] pixel centres: scale (w-1)/(W-1)
        sx = 47. / 96.
        sy = 63. / 128.
        exp = [[23.5 - 48 * sx, 31.5 - 64 * sy], [23.5 + 48 * sx,
                                                  31.5 + 64 * sy],
               [23.5, 31.5]]
    else:
        exp = [[0., 0.], [48., 64.], [24., 32.]]
    np.testing.assert_allclose(out['joints_3d'][:, :2], exp, atol=1e-4)


def test_affine_keeps_invisible_joints_without_udp():
    img = np.zeros((50, 50, 3), np.uint8)
    res = _results([[10., 10., 0.], [20., 20., 0.]],
                   visible=[[1, 1, 0], [0, 0, 0]], image_size=(48, 64))
    res.update(img=img, center=np.array([25., 25.]),
               scale=np.array([0.5, 0.5]), rotation=10)
    out = TopDownAffine()(res)
    np.testing.assert_array_equal(out['joints_3d'][1], [20., 20., 0.])
    assert not np.allclose(out['joints_3d'][0, :2], [10., 10.])


def test_affine_copies_the_pixels_of_an_identity_crop():
    img = np.random.RandomState(0).randint(0, 255, (64, 48, 3), np.uint8)
    res = _results([[0, 0, 0]], image_size=(48, 64))
    res.update(img=img, center=np.array([24., 32.]),
               scale=np.array([48., 64.]) / 200., rotation=0)
    out = TopDownAffine()(res)
    np.testing.assert_array_equal(out['img'], img)


# --------------------------------------------------------------- targets
def test_msra_target_peaks_at_keypoint_and_zero_for_invisible():
    # input 192x256, heatmap 48x64 -> stride 4
    res = _results([[40., 80., 0.], [100., 100., 0.], [0., 0., 0.]],
                   visible=[[1, 1, 0], [0, 0, 0], [1, 1, 0]])
    out = TopDownGenerateTarget(sigma=2)(res)
    target, weight = out['target'], out['target_weight']
    assert target.shape == (3, 64, 48) and target.dtype == np.float32
    assert target[0, 20, 10] == 1.0
    assert np.unravel_index(target[0].argmax(), (64, 48)) == (20, 10)
    assert target[0, 20, 11] == pytest.approx(np.exp(-1 / 8))
    assert target[0, 20, 17] == 0  # beyond 3 sigma
    np.testing.assert_array_equal(target[1], 0)
    np.testing.assert_array_equal(weight[:, 0], [1, 0, 1])
    assert target[2, 0, 0] == 1.0  # clipped at the border


def test_msra_target_out_of_bounds_joint_gets_zero_weight():
    res = _results([[-100., 10., 0.], [10., 10., 0.], [10., 10., 0.]])
    out = TopDownGenerateTarget(sigma=2)(res)
    assert out['target_weight'][0, 0] == 0
    np.testing.assert_array_equal(out['target'][0], 0)


def test_unbiased_target_subpixel_peak():
    res = _results([[42., 80., 0.], [0, 0, 0], [0, 0, 0]])  # x = 10.5
    out = TopDownGenerateTarget(sigma=2, unbiased_encoding=True)(res)
    row = out['target'][0, 20]
    assert row[10] == pytest.approx(row[11])
    assert row[10] == pytest.approx(np.exp(-0.25 / 8), rel=1e-6)


def test_megvii_target_peaks_at_255():
    res = _results([[40., 80., 0.], [0, 0, 0], [0, 0, 0]])
    out = TopDownGenerateTarget(kernel=(11, 11), encoding='Megvii')(res)
    t = out['target'][0]
    assert t[20, 10] == pytest.approx(255.)
    assert t.argmax() == 20 * 48 + 10


def test_udp_gaussian_and_combined_targets():
    # UDP stride (192-1)/(48-1): joint at 10 heatmap cells
    stride_x, stride_y = 191 / 47, 255 / 63
    res = _results([[10 * stride_x, 20 * stride_y, 0], [0, 0, 0],
                    [0, 0, 0]])
    out = TopDownGenerateTarget(sigma=2, encoding='UDP')(copy.deepcopy(res))
    assert out['target'][0, 20, 10] == pytest.approx(1.0, abs=1e-6)
    comb = TopDownGenerateTarget(encoding='UDP',
                                 target_type='CombinedTarget')(res)['target']
    assert comb.shape == (9, 64, 48)
    radius = 0.0546875 * 64
    assert comb[0, 20, 10] == 1
    assert comb[1, 20, 10] == pytest.approx(0, abs=1e-6)
    assert comb[1, 20, 9] == pytest.approx(1 / radius, abs=1e-5)
    assert comb[2, 19, 10] == pytest.approx(1 / radius, abs=1e-5)
    assert comb[0, 20, 14] == 0  # 4 > radius 3.5


def test_multi_sigma_stacks_targets():
    res = _results([[40., 80., 0.], [0, 0, 0], [0, 0, 0]])
    out = TopDownGenerateTarget(sigma=[2, 3])(res)
    assert out['target'].shape == (2, 3, 64, 48)
    assert out['target_weight'].shape == (2, 3, 1)
    assert out['target'][1, 0, 20, 13] == pytest.approx(np.exp(-9 / 18))


def test_joint_weights_applied():
    res = _results([[40., 80., 0.], [40, 80, 0], [40, 80, 0]])
    res['ann_info']['use_different_joint_weights'] = True
    res['ann_info']['joint_weights'] = np.array([[1.], [2.], [0.5]])
    out = TopDownGenerateTarget(sigma=2)(res)
    np.testing.assert_allclose(out['target_weight'][:, 0], [1, 2, 0.5])


def _loop_gaussian_target(joints, visible, sigma, udp=False,
                          image_size=(192, 256), heatmap_size=(48, 64)):
    """Per-joint statement of the 0.x MSRA / UDP Gaussian encoding, with
    its float32 arithmetic: the vectorised encoder must match it bit for
    bit."""
    W, H = heatmap_size
    size_in, size_hm = np.array(image_size), np.array(heatmap_size)
    stride = (size_in - 1.0) / (size_hm - 1.0) if udp else size_in / size_hm
    target = np.zeros((len(joints), H, W), np.float32)
    weight = visible[:, :1].astype(np.float32)
    tmp = sigma * 3
    size = 2 * tmp + 1
    x = np.arange(0, size, 1, np.float32)
    for k, (jx, jy) in enumerate(joints[:, :2]):
        mu_x, mu_y = int(jx / stride[0] + 0.5), int(jy / stride[1] + 0.5)
        ul = int(mu_x - tmp), int(mu_y - tmp)
        br = int(mu_x + tmp + 1), int(mu_y + tmp + 1)
        if ul[0] >= W or ul[1] >= H or br[0] < 0 or br[1] < 0:
            weight[k] = 0
        if weight[k] <= 0.5:
            continue
        x0 = y0 = size // 2
        if udp:
            x0 = x0 + (jx / stride[0] - mu_x)
            y0 = y0 + (jy / stride[1] - mu_y)
        g = np.exp(-((x - np.float32(x0))**2 +
                     (x[:, None] - np.float32(y0))**2) /
                   np.float32(2 * sigma**2))
        y_lo, y_hi = max(0, ul[1]), min(br[1], H)
        x_lo, x_hi = max(0, ul[0]), min(br[0], W)
        target[k, y_lo:y_hi, x_lo:x_hi] = g[y_lo - ul[1]:y_hi - ul[1],
                                            x_lo - ul[0]:x_hi - ul[0]]
    return target, weight


def _random_joints(seed, num_joints=17):
    """Joints over and around a 192x256 input (some off the heatmap, some
    on its border cells), about a fifth invisible."""
    rng = np.random.RandomState(seed)
    joints = np.zeros((num_joints, 3), np.float32)
    joints[:, :2] = rng.uniform(-40, [232, 296], (num_joints, 2))
    joints[:2, :2] = [[0., 0.], [191., 255.]]
    visible = np.ones((num_joints, 3), np.float32)
    visible[rng.rand(num_joints) < 0.2] = 0
    return joints, visible


@pytest.mark.parametrize('sigma', [2, 3, 1.5])
@pytest.mark.parametrize('encoding', ['MSRA', 'UDP'])
def test_gaussian_target_bit_exact_against_per_joint_loop(sigma, encoding):
    for seed in range(20):
        joints, visible = _random_joints(seed)
        res = _results(joints, visible)
        out = TopDownGenerateTarget(sigma=sigma, encoding=encoding)(res)
        target, weight = _loop_gaussian_target(joints, visible, sigma,
                                               udp=encoding == 'UDP')
        np.testing.assert_array_equal(out['target'], target)
        np.testing.assert_array_equal(out['target_weight'], weight)


def test_unbiased_target_bit_exact_float32_gaussian():
    joints, visible = _random_joints(0)
    out = TopDownGenerateTarget(sigma=2, unbiased_encoding=True)(
        _results(joints, visible))
    mu = joints[:, :2] / 4.0
    ul, br = mu - 6, mu + 7
    draw = ((visible[:, 0] > 0.5) & (ul < (48, 64)).all(1) &
            (br >= 0).all(1))
    x = np.arange(48, dtype=np.float32)
    y = np.arange(64, dtype=np.float32)[:, None]
    for k in range(len(joints)):
        if not draw[k]:
            np.testing.assert_array_equal(out['target'][k], 0)
            continue
        g = np.exp(-((x - np.float32(mu[k, 0]))**2 +
                     (y - np.float32(mu[k, 1]))**2) / np.float32(8))
        np.testing.assert_array_equal(out['target'][k], g)
    np.testing.assert_array_equal(out['target_weight'][:, 0], draw)


def test_gaussian_target_does_not_touch_cached_patch():
    res = _results([[40., 80., 0.], [0, 0, 0], [0, 0, 0]])
    first = TopDownGenerateTarget(sigma=2)(copy.deepcopy(res))['target']
    first[:] = -1  # the caller owns its target
    again = TopDownGenerateTarget(sigma=2)(res)['target']
    assert again[0, 20, 10] == 1.0 and again.min() == 0


def test_generate_target_rejects_bad_shapes_and_encodings():
    res = _results([[40., 80., 0.]])
    res['joints_3d'] = np.zeros((3, ))
    with pytest.raises(ValueError, match='joints_3d'):
        TopDownGenerateTarget()(res)
    with pytest.raises(ValueError, match='Encoding'):
        TopDownGenerateTarget(encoding='Foo')


def test_regression_target():
    res = _results([[96., 128., 0.], [-1., 5., 0.], [191., 255., 0.]],
                   visible=[[1, 1, 0], [1, 1, 0], [0, 0, 0]])
    out = TopDownGenerateTargetRegression()(res)
    np.testing.assert_allclose(out['target'],
                               [[0.5, 0.5], [-1 / 192, 5 / 256],
                                [191 / 192, 255 / 256]])
    np.testing.assert_array_equal(out['target_weight'],
                                  [[1, 1], [0, 0], [0, 0]])
