"""Random augmentations at fixed seeds against the transform they must
apply. Each test seeds NumPy's global generator, replays the same draws in
the same order (0.x's) from its own ``RandomState``, and checks that a known
point went where those draws send it, computed by hand. Several seeds are
used so that both outcomes of every coin appear."""
import math

import numpy as np
import pytest

from mmpose.datasets.pipelines import (BottomUpRandomAffine,
                                       BottomUpRandomFlip,
                                       MeshGetRandomScaleRotation,
                                       MeshRandomChannelNoise, MeshRandomFlip,
                                       PhotometricDistortion,
                                       RelativeJointRandomFlip,
                                       TopDownAffine,
                                       TopDownGetRandomScaleRotation,
                                       TopDownHalfBodyTransform,
                                       TopDownRandomFlip,
                                       TopDownRandomTranslation)

SEEDS = range(12)


def run_seeded(transform, results, seed):
    np.random.seed(seed)
    return transform(results)


def replay(seed):
    """A generator that draws what ``np.random`` draws after seeding."""
    return np.random.RandomState(seed)


def rotate(v, degrees):
    """(x cos t - y sin t, x sin t + y cos t), t in degrees."""
    t = math.radians(degrees)
    return np.array([v[0] * math.cos(t) - v[1] * math.sin(t),
                     v[0] * math.sin(t) + v[1] * math.cos(t)])


def assert_both_outcomes(outcomes):
    assert len(set(outcomes)) > 1, f'the seeds give only {set(outcomes)}'


# ------------------------------------------------------------- top-down
def top_down_sample():
    """Three joints in a 2 x 5 image; joints 1 and 2 are a pair."""
    return dict(
        img=np.arange(30, dtype=np.uint8).reshape(2, 5, 3),
        joints_3d=np.array([[1, 0, 0], [2, 1, 0], [4, 1, 0]], np.float32),
        joints_3d_visible=np.array([[1, 1, 0], [1, 1, 0], [0, 0, 0]],
                                   np.float32),
        center=np.array([1., 1.]),
        ann_info=dict(flip_pairs=[[1, 2]], num_joints=3))


def test_top_down_random_flip_follows_its_coin():
    outcomes = []
    for seed in SEEDS:
        out = run_seeded(TopDownRandomFlip(flip_prob=0.5), top_down_sample(),
                         seed)
        flipped = replay(seed).rand() <= 0.5
        outcomes.append(flipped)
        assert out['flipped'] == flipped
        if flipped:  # x -> 5 - 1 - x; joints 1 and 2 trade places
            expected, center = [[3, 0], [0, 0], [2, 1]], [3., 1.]
            visible = [1, 0, 1]
        else:
            expected, center = [[1, 0], [2, 1], [4, 1]], [1., 1.]
            visible = [1, 1, 0]
        np.testing.assert_array_equal(out['joints_3d'][:, :2], expected)
        np.testing.assert_array_equal(out['joints_3d_visible'][:, 0],
                                      visible)
        np.testing.assert_array_equal(out['center'], center)
    assert_both_outcomes(outcomes)


# Upper body: joints 0-2 around (20, 20); lower body: joints 3-5 around
# (60, 73.3). Boxes are fitted to the 192:256 input (w = 0.75 h) and
# padded by 1.5: upper 20 x 30 -> 22.5 x 30, lower 20 x 40 -> 30 x 40.
HALF_BODY_JOINTS = np.array([[10, 10, 0], [30, 10, 0], [20, 40, 0],
                             [50, 60, 0], [70, 60, 0], [60, 100, 0]],
                            np.float32)
UPPER = ([20., 20.], [22.5 / 200 * 1.5, 30 / 200 * 1.5])
LOWER = ([60., 220 / 3], [30 / 200 * 1.5, 40 / 200 * 1.5])


def test_half_body_transform_follows_its_draws():
    outcomes = []
    for seed in range(30):  # the lower body needs both coins: ~15%
        results = dict(
            joints_3d=HALF_BODY_JOINTS.copy(),
            joints_3d_visible=np.ones((6, 3), np.float32),
            center=np.array([0., 0.]), scale=np.array([1., 1.]),
            ann_info=dict(num_joints=6, upper_body_ids=(0, 1, 2),
                          image_size=np.array([192, 256])))
        out = run_seeded(
            TopDownHalfBodyTransform(num_joints_half_body=2,
                                     prob_half_body=0.5), results, seed)
        rng = replay(seed)
        if rng.rand() >= 0.5:
            outcome, (center, scale) = 'kept', ([0., 0.], [1., 1.])
        elif rng.randn() < 0.5:
            outcome, (center, scale) = 'upper', UPPER
        else:
            outcome, (center, scale) = 'lower', LOWER
        outcomes.append(outcome)
        np.testing.assert_allclose(out['center'], center, rtol=1e-6)
        np.testing.assert_allclose(out['scale'], scale, rtol=1e-6)
    assert set(outcomes) == {'kept', 'upper', 'lower'}


@pytest.mark.parametrize('transform, sf, rf', [
    (TopDownGetRandomScaleRotation(rot_factor=30, scale_factor=0.25,
                                   rot_prob=0.6), 0.25, 30),
    (MeshGetRandomScaleRotation(rot_factor=30, scale_factor=0.25,
                                rot_prob=0.6), 0.25, 30),
])
def test_random_scale_rotation_moves_a_joint_as_drawn(transform, sf, rf):
    """The drawn scale and rotation, then the crop: a joint 40 px above
    the box centre lands at the crop centre + k R(-r) (0, -40), with
    k = 192 / (200 x scale width)."""
    outcomes = []
    for seed in SEEDS:
        results = dict(
            img=np.zeros((300, 300, 3), np.uint8),
            joints_3d=np.array([[150., 110., 0.]], np.float32),
            joints_3d_visible=np.ones((1, 3), np.float32),
            center=np.array([150., 150.]), scale=np.array([1.2, 1.6]),
            ann_info=dict(image_size=np.array([192, 256]), num_joints=1))
        np.random.seed(seed)
        out = TopDownAffine()(transform(results))
        rng = replay(seed)
        factor = np.clip(rng.randn() * sf + 1, 1 - sf, 1 + sf)
        angle = np.clip(rng.randn() * rf, -2 * rf, 2 * rf)
        rotation = angle if rng.rand() <= 0.6 else 0
        outcomes.append(rotation == 0)
        assert out['rotation'] == pytest.approx(rotation)
        np.testing.assert_allclose(out['scale'], [1.2 * factor, 1.6 * factor])
        k = 192 / (200 * 1.2 * factor)
        expected = np.array([96., 128.]) + k * rotate([0., -40.], -rotation)
        np.testing.assert_allclose(out['joints_3d'][0, :2], expected,
                                   atol=1e-3)
    assert_both_outcomes(outcomes)


def test_random_translation_shifts_the_centre_as_drawn():
    for seed in SEEDS:
        results = dict(center=np.array([100., 100.]),
                       scale=np.array([1., 2.]))
        out = run_seeded(TopDownRandomTranslation(trans_factor=0.15),
                         results, seed)
        shift = 0.15 * replay(seed).uniform(-1, 1, size=2) * [200., 400.]
        np.testing.assert_allclose(out['center'], [100., 100.] + shift)


# ------------------------------------------------------------ bottom-up
def bottom_up_sample():
    """A 40 x 60 image, one person of three joints (1 and 2 a pair) at
    two output sizes, 16 and 32."""
    joints = np.array([[[10, 10, 1], [20, 10, 1], [30, 20, 0]]], np.float32)
    return dict(
        img=np.zeros((40, 60, 3), np.uint8),
        mask=[np.ones((16, 16), np.float32), np.ones((32, 32), np.float32)],
        joints=[joints.copy(), joints * 2],
        ann_info=dict(image_size=64, heatmap_size=[16, 32], num_joints=3,
                      num_scales=2, flip_index=[0, 2, 1],
                      scale_aware_sigma=False))


def test_bottom_up_random_flip_follows_its_coin():
    outcomes = []
    for seed in SEEDS:
        out = run_seeded(BottomUpRandomFlip(flip_prob=0.5),
                         bottom_up_sample(), seed)
        flipped = replay(seed).random() < 0.5
        outcomes.append(flipped)
        # at size 16: x -> 15 - x, joints 1 and 2 trade places
        expected = ([[5, 10], [-15, 20], [-5, 10]] if flipped else
                    [[10, 10], [20, 10], [30, 20]])
        np.testing.assert_array_equal(out['joints'][0][0, :, :2], expected)
    assert_both_outcomes(outcomes)


@pytest.mark.parametrize('use_udp', [False, True])
def test_bottom_up_random_affine_moves_joints_as_drawn(use_udp):
    """The square of side s = 40 x scale around the (shifted) image centre
    c maps onto the output size o, turned by the drawn angle r. Without
    UDP c = (w / 2, h / 2) and q = o / 2 + R(-r) (p - c) o / s; with UDP
    c = ((w - 1) / 2, (h - 1) / 2) and q = (o - 1) / s (R(r) (p - c) +
    s / 2)."""
    for seed in SEEDS:
        out = run_seeded(
            BottomUpRandomAffine(rot_factor=30, scale_factor=[0.75, 1.5],
                                 scale_type='short', trans_factor=40,
                                 use_udp=use_udp),
            bottom_up_sample(), seed)
        rng = replay(seed)
        side = 40 * (rng.random() * 0.75 + 0.75)
        angle = (rng.random() * 2 - 1) * 30
        limit = int(40 * side / 200)
        shift = [rng.randint(-limit, limit), rng.randint(-limit, limit)]
        center = np.array([29.5, 19.5] if use_udp else [30., 20.]) + shift
        for size, joints in zip((16, 32), out['joints']):
            source = bottom_up_sample()['joints'][size // 32][0, :, :2]
            if use_udp:
                expected = [(size - 1) / side *
                            (rotate(p - center, angle) + side / 2)
                            for p in source]
            else:
                expected = [size / 2 +
                            rotate((p - center) * size / side, -angle)
                            for p in source]
            np.testing.assert_allclose(joints[0, :, :2], expected, atol=1e-3)
        assert out['img'].shape == (64, 64, 3)


# --------------------------------------------------- image and 3D / mesh
def test_photometric_distortion_applies_drawn_brightness_and_contrast():
    """Grey pixels stay grey through the HSV steps, so with contrast drawn
    first (mode 1) the result is clip(clip(img + beta) x alpha), each step
    present only if its coin came up."""
    grey = np.repeat(np.arange(0, 256, 5, dtype=np.uint8)[None, :, None],
                     3, axis=2)
    outcomes = []
    for seed in range(40):
        rng = replay(seed)
        beta = rng.uniform(-32, 32) if rng.randint(2) else None
        if rng.randint(2) != 1:
            continue  # contrast after the HSV steps: draws differ
        alpha = rng.uniform(0.5, 1.5) if rng.randint(2) else None
        outcomes.append((beta is None, alpha is None))
        expected = grey.astype(np.float32)
        if beta is not None:
            expected = np.clip(expected + beta, 0, 255).astype(np.uint8)
        if alpha is not None:
            expected = np.clip(expected.astype(np.float32) * alpha, 0, 255)
        out = run_seeded(PhotometricDistortion(), dict(img=grey.copy()),
                         seed)
        np.testing.assert_array_equal(out['img'],
                                      expected.astype(np.uint8))
    assert len(set(outcomes)) == 4, outcomes


def test_mesh_channel_noise_scales_each_channel_as_drawn():
    img = np.full((2, 2, 3), [100, 50, 200], np.uint8)
    for seed in SEEDS:
        out = run_seeded(MeshRandomChannelNoise(noise_factor=0.4),
                         dict(img=img.copy()), seed)
        factors = replay(seed).uniform(0.6, 1.4, (1, 3))
        expected = np.clip(np.rint(img * factors.reshape(1, 1, 3)), 0, 255)
        np.testing.assert_array_equal(out['img'], expected.astype(np.uint8))


def test_mesh_random_flip_follows_its_coin():
    outcomes = []
    for seed in SEEDS:
        results = dict(
            img=np.zeros((20, 10, 3), np.uint8),
            joints_2d=np.array([[1., 2.], [3., 4.], [5., 6.]]),
            joints_2d_visible=np.ones((3, 2)),
            joints_3d=np.array([[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]],
                               np.float32),
            joints_3d_visible=np.ones((3, 3), np.float32),
            pose=np.zeros(72, np.float32), center=np.array([5., 10.]),
            iuv=None, ann_info=dict(flip_pairs=[[1, 2]]))
        out = run_seeded(MeshRandomFlip(flip_prob=0.5), results, seed)
        flipped = not replay(seed).rand() > 0.5
        outcomes.append(flipped)
        # x -> 10 - 1 - x in the image, x -> -x in 3D; joints 1, 2 swap
        expected_2d = ([[8., 2.], [4., 6.], [6., 4.]] if flipped else
                       [[1., 2.], [3., 4.], [5., 6.]])
        expected_3d = ([[-1., 2., 3.], [-7., 8., 9.], [-4., 5., 6.]]
                       if flipped else
                       [[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]])
        np.testing.assert_array_equal(out['joints_2d'], expected_2d)
        np.testing.assert_array_equal(out['joints_3d'], expected_3d)
    assert_both_outcomes(outcomes)


def test_relative_joint_random_flip_mirrors_about_the_root():
    outcomes = []
    for seed in SEEDS:
        results = dict(
            target=np.array([[2., 0., 1.], [5., 1., 1.], [0., 2., 1.]]),
            ann_info=dict(flip_pairs=[[1, 2]]))
        out = run_seeded(
            RelativeJointRandomFlip(item='target', root_index=0,
                                    flip_prob=0.5), results, seed)
        flipped = replay(seed).rand() <= 0.5
        outcomes.append(flipped)
        # x -> 2 x_root - x = 4 - x; joints 1 and 2 swap
        expected = ([[2., 0., 1.], [4., 2., 1.], [-1., 1., 1.]] if flipped
                    else [[2., 0., 1.], [5., 1., 1.], [0., 2., 1.]])
        np.testing.assert_allclose(out['target'], expected)
    assert_both_outcomes(outcomes)
