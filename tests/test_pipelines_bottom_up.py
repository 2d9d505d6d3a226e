"""Bottom-up transforms and target generators."""
import numpy as np
import pytest
import torch

from mmpose.datasets.pipelines import (BottomUpGenerateHeatmapTarget,
                                       BottomUpGeneratePAFTarget,
                                       BottomUpGenerateTarget,
                                       BottomUpGetImgSize,
                                       BottomUpRandomFlip,
                                       BottomUpResizeAlign, HeatmapGenerator,
                                       JointsEncoder, PAFGenerator)


def _loop_heatmaps(joints, size, num_joints, sigma, use_udp):
    """Per-point reference: a (6 sigma + 3)^2 window, maximum over people."""
    hms = np.zeros((num_joints, size, size), np.float32)
    n = int(np.ceil(6 * sigma + 3))
    grid = np.arange(n, dtype=np.float32)
    for p in joints:
        for k, (x, y, v) in enumerate(p[:, :3]):
            xi, yi = int(x), int(y)
            if v <= 0 or not (0 <= xi < size and 0 <= yi < size):
                continue
            c = 3 * sigma + 1
            cx = c + (x - xi if use_udp else 0)
            cy = c + (y - yi if use_udp else 0)
            g = np.exp(-((grid[None] - cx)**2 + (grid[:, None] - cy)**2) /
                       (2 * sigma**2))
            ul = int(np.round(xi - c)), int(np.round(yi - c))
            for dy in range(n):
                for dx in range(n):
                    X, Y = ul[0] + dx, ul[1] + dy
                    if 0 <= X < size and 0 <= Y < size:
                        hms[k, Y, X] = max(hms[k, Y, X], g[dy, dx])
    return hms


@pytest.mark.parametrize('use_udp', [False, True])
def test_heatmap_generator_matches_per_point_loop(use_udp):
    rng = np.random.RandomState(0)
    joints = np.concatenate([rng.uniform(-3, 35, (4, 5, 2)),
                             rng.randint(0, 3, (4, 5, 1))], axis=-1)
    joints[0, 0, :2] = [10.3, 12.7]
    joints[1, 0, :2] = [11.0, 12.0]  # overlaps person 0: maximum wins
    joints[:2, 0, 2] = 2
    hms = HeatmapGenerator(32, 5, sigma=2, use_udp=use_udp)(joints)
    ref = _loop_heatmaps(joints, 32, 5, 2, use_udp)
    np.testing.assert_allclose(hms, ref, atol=1e-6)
    if not use_udp:
        assert hms[0, 12, 10] == pytest.approx(1.0)


def test_heatmap_generator_bit_exact_float32_gaussian():
    # 0.x draws one float32 exp(-(dx^2 + dy^2) / (2 sigma^2)) patch
    rng = np.random.RandomState(1)
    joints = np.concatenate([rng.uniform(-3, 35, (6, 5, 2)),
                             rng.randint(0, 3, (6, 5, 1))],
                            axis=-1).astype(np.float32)
    hms = HeatmapGenerator(32, 5, sigma=2)(joints)
    np.testing.assert_array_equal(hms, _loop_heatmaps(joints, 32, 5, 2,
                                                      False))


def test_heatmap_generator_default_sigma():
    assert HeatmapGenerator(128, 17).sigma == 2


def test_joints_encoder_packs_visible_joints():
    joints = np.array([[[1, 2, 1], [3, 4, 0], [5, 6, 2]],
                       [[-1, 0, 1], [7, 0.5, 1], [9, 9, 1]]], np.float32)
    enc = JointsEncoder(max_num_people=3, num_joints=3, output_size=8,
                        tag_per_joint=True)(joints)
    assert enc.shape == (3, 3, 2)
    np.testing.assert_array_equal(
        enc[0], [[2 * 8 + 1, 1], [2 * 64 + 6 * 8 + 5, 1], [0, 0]])
    # x = -1 truncates to... -1 (invalid); (7, 0.5) -> y 0; (9, 9) outside
    np.testing.assert_array_equal(enc[1], [[64 + 7, 1], [0, 0], [0, 0]])
    np.testing.assert_array_equal(enc[2], 0)
    enc = JointsEncoder(3, 3, 8, tag_per_joint=False)(joints)
    assert enc[0, 1, 0] == 6 * 8 + 5


def test_paf_generator_unit_vectors_on_limb():
    joints = np.array([[[2, 5, 1], [12, 5, 1]]], np.float32)
    paf = PAFGenerator(16, limb_width=1, skeleton=[[0, 1]])(joints)
    assert paf.shape == (2, 16, 16)
    np.testing.assert_allclose(paf[0, 5, 2:13], 1.0)
    np.testing.assert_allclose(paf[1], 0.0)
    assert paf[0, 7, 5] == 0 and paf[0, 5, 14] == 0
    # two people on the same limb average, not add
    two = np.concatenate([joints, joints])
    np.testing.assert_allclose(
        PAFGenerator(16, 1, [[0, 1]])(two), paf)


def _bottom_up_results(h=40, w=60):
    joints = np.zeros((2, 3, 3), np.float32)
    joints[0] = [[10, 10, 1], [20, 10, 1], [30, 20, 0]]
    joints[1] = [[50, 30, 1], [40, 30, 1], [5, 5, 1]]
    return dict(
        img=np.random.RandomState(0).randint(0, 255, (h, w, 3), np.uint8),
        mask=[np.ones((h, w), np.float32), np.ones((h, w), np.float32)],
        joints=[joints.copy(), joints.copy()],
        ann_info=dict(image_size=64, heatmap_size=[16, 32], num_joints=3,
                      num_scales=2, flip_index=[0, 2, 1],
                      scale_aware_sigma=False, skeleton=[[0, 1]]))


def test_bottom_up_flip():
    res = _bottom_up_results()
    img = res['img'].copy()
    joints = res['joints'][0].copy()
    out = BottomUpRandomFlip(flip_prob=1.0)(res)
    np.testing.assert_array_equal(out['img'], img[:, ::-1])
    np.testing.assert_array_equal(out['joints'][0][0, :, 0],
                                  [16 - 1 - 10, 16 - 1 - 30, 16 - 1 - 20])
    np.testing.assert_array_equal(out['joints'][0][0, 1], [-15, 20, 0])
    np.testing.assert_array_equal(out['joints'][1][0, 0, 0], 32 - 1 - 10)
    np.testing.assert_array_equal(out['joints'][1][:, :, 1],
                                  joints[:, [0, 2, 1], 1])


def test_bottom_up_generate_target():
    res = _bottom_up_results()
    res['joints'] = [j / 4 for j in res['joints']]
    out = BottomUpGenerateTarget(sigma=2, max_num_people=5)(res)
    assert [t.shape for t in out['targets']] == [(3, 16, 16), (3, 32, 32)]
    assert out['joints'][0].shape == (5, 3, 2)
    assert out['joints'][0].dtype == np.int32
    assert out['targets'][0][0, 2, 2] == pytest.approx(1.0)
    assert out['masks'][1].dtype == np.float32
    hm = BottomUpGenerateHeatmapTarget(sigma=2)(_bottom_up_results())
    assert len(hm['target']) == 2
    paf = BottomUpGeneratePAFTarget(limb_width=1)(_bottom_up_results())
    assert paf['target'][0].shape == (2, 16, 16)


@pytest.mark.parametrize('use_udp', [False, True])
def test_get_img_size_and_resize_align(use_udp):
    res = _bottom_up_results(h=40, w=60)
    res['ann_info']['image_size'] = 64
    res = BottomUpGetImgSize([1, 2], use_udp=use_udp)(res)
    info = res['ann_info']
    # short side 40 -> 64; long side 60 * 64 / 40 = 96 (multiple of 64: 128)
    assert info['base_size'] == (128, 64)
    if use_udp:
        np.testing.assert_allclose(info['scale'], [127 / 63 * 39, 39])
    else:
        np.testing.assert_allclose(info['scale'], [128 / 64 * 40 / 200,
                                                   0.2])
        np.testing.assert_array_equal(info['center'], [30, 20])
    res = BottomUpResizeAlign(
        transforms=[dict(type='ToTensor'),
                    dict(type='NormalizeTensor', mean=[0, 0, 0],
                         std=[1, 1, 1])],
        use_udp=use_udp)(res)
    aug = res['ann_info']['aug_data']
    assert [tuple(a.shape) for a in aug] == [(1, 3, 128, 256),
                                             (1, 3, 64, 128)]
    assert isinstance(aug[0], torch.Tensor)


def test_bottom_up_checks_scale_lists():
    res = _bottom_up_results()
    res['mask'] = res['mask'][:1]
    with pytest.raises(ValueError, match='heatmap sizes'):
        BottomUpRandomFlip(1.0)(res)
