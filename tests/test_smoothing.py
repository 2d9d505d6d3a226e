"""Temporal smoothing of MMPose 0.29: the ``FILTERS`` registry, the Gaussian,
Savitzky-Golay, one-euro and SmoothNet filters, and the ``Smoother``."""
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from mmpose.core import Smoother
from mmpose.core.post_processing import OneEuroFilter as OneEuroHelper014
from mmpose.core.post_processing.temporal_filters import (
    FILTERS, GaussianFilter, OneEuroFilter, SavizkyGolayFilter,
    SmoothNetFilter, build_filter)
from .reference import packed_api, packed_numerics

REPO_ROOT = Path(__file__).resolve().parents[1]
FILTER_CONFIGS = REPO_ROOT / 'configs' / '_base_' / 'filters'


def _golden_cfg(call: str) -> dict:
    """The filter config of a golden case's ``build_filter({...})(x)``."""
    return eval(call[len('build_filter('):call.index(')(')])


@pytest.mark.parametrize('name', [
    'filter_GaussianFilter', 'filter_OneEuroFilter',
    'filter_SavizkyGolayFilter'
])
def test_filters_match_golden_cases(name):
    case = packed_numerics('0.29')[name]
    x = case['args']['x'].copy()
    out = build_filter(_golden_cfg(case['call']))(x)
    assert out.shape == case['out'].shape
    np.testing.assert_allclose(out, case['out'], rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(x, case['args']['x'])  # input untouched


def test_registry_members_are_those_of_0_29():
    registries = packed_api('0.29')['registries']
    expected = registries[
        'mmpose.core.post_processing.temporal_filters.builder.FILTERS']
    assert set(FILTERS.module_dict) == set(expected['members'])
    assert isinstance(build_filter(dict(type='gaussian')), GaussianFilter)
    assert isinstance(build_filter(dict(type='savgol')), SavizkyGolayFilter)
    assert isinstance(build_filter(dict(type='oneeuro')), OneEuroFilter)
    assert isinstance(
        build_filter(dict(type='smoothnet', window_size=4, output_size=4)),
        SmoothNetFilter)


def test_0_14_one_euro_helper_is_kept_beside_the_0_29_filter():
    assert OneEuroHelper014 is not OneEuroFilter
    helper = OneEuroHelper014(np.ones((2, 2)), fps=30)
    assert helper(np.ones((2, 2))).shape == (2, 2)
    assert OneEuroFilter().window_size == 1


def test_filters_reject_bad_arguments():
    with pytest.raises(ValueError, match='odd'):
        GaussianFilter(window_size=4)
    with pytest.raises(AssertionError, match='polyorder'):
        SavizkyGolayFilter(window_size=5, polyorder=5)
    with pytest.raises(ValueError, match=r'\[T, K, C\]'):
        GaussianFilter()(np.zeros((5, 2)))
    with pytest.raises(KeyError, match='NoSuchFilter'):
        build_filter(dict(type='NoSuchFilter'))


def test_gaussian_keeps_a_constant_sequence_and_short_lengths():
    x = np.full((4, 3, 2), 7.0)  # shorter than the window: padded in front
    out = GaussianFilter(window_size=5, sigma=1.0)(x)
    assert out.shape == (4, 3, 2)
    # Padded to 5 frames; medfilt's zero padding leaves at least 3 of the
    # 5 values at 7 in every window, so the medians and the (reflecting)
    # Gaussian keep 7 everywhere.
    np.testing.assert_allclose(out, 7.0)


def test_savgol_reproduces_polynomials_up_to_its_order():
    t = np.arange(9, dtype=np.float64)
    x = np.stack([1.0 + 2 * t, 3 * t**2 - t], axis=-1)[:, None]  # [9, 1, 2]
    out = SavizkyGolayFilter(window_size=5, polyorder=2)(x)
    np.testing.assert_allclose(out, x, atol=1e-9)


def test_one_euro_known_answer_and_state():
    # Frame 0 passes through. Frame 1 (x: 0 -> 1, one frame later):
    # a_d = 2pi / (2pi + 1); dx_hat = a_d * 1; cutoff = min_cutoff +
    # beta * dx_hat; a = 2pi cutoff / (2pi cutoff + 1); x_hat = a * 1.
    f = OneEuroFilter(min_cutoff=0.5, beta=1.0)
    out = f(np.array([0.0, 1.0]).reshape(2, 1, 1))
    a_d = 2 * math.pi / (2 * math.pi + 1)
    cutoff = 0.5 + a_d
    a = 2 * math.pi * cutoff / (2 * math.pi * cutoff + 1)
    np.testing.assert_allclose(out[:, 0, 0], [0.0, a])
    # The state continues: a second call filters its first frame too.
    step = f(np.array([a]).reshape(1, 1, 1))
    dx_hat = a_d * (a - a) + (1 - a_d) * a_d
    cut2 = 0.5 + dx_hat
    a2 = 2 * math.pi * cut2 / (2 * math.pi * cut2 + 1)
    np.testing.assert_allclose(step[0, 0, 0], a2 * a + (1 - a2) * a)


def _identity_smoothnet(window: int, output: int, scale: float = 1.0,
                        root_index=None) -> SmoothNetFilter:
    """A SmoothNet whose windows give ``scale`` times their frames:
    encoder [I; -I], zero residual branches, decoder [I, -I] / 1.1 (the
    LeakyReLU(0.1) gives lrelu(v) - lrelu(-v) = 1.1 v)."""
    f = SmoothNetFilter(window, output, hidden_size=2 * window,
                        res_hidden_size=4, num_blocks=1,
                        root_index=root_index)
    eye = torch.eye(window)
    net = f.smoothnet
    with torch.no_grad():
        net.encoder[0].weight.copy_(torch.cat([eye, -eye]))
        net.encoder[0].bias.zero_()
        net.res_blocks[0].linear2.weight.zero_()
        net.res_blocks[0].linear2.bias.zero_()
        net.decoder.weight.copy_(
            scale * torch.cat([eye, -eye], 1)[:output] / 1.1)
        net.decoder.bias.zero_()
    return f


def test_smoothnet_averages_windows_and_keeps_uncovered_frames():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 3, 2)).astype(np.float32)
    np.testing.assert_allclose(_identity_smoothnet(4, 4)(x), x, atol=1e-5)
    # Windows 0..3 output 2 x their first 2 frames: frames 0..4 are
    # covered; frames 5 and 6 (only ever 3rd/4th in a window) keep theirs.
    out = _identity_smoothnet(4, 2, scale=2.0)(x)
    np.testing.assert_allclose(out[:5], 2 * x[:5], atol=1e-5)
    np.testing.assert_array_equal(out[5:], x[5:])
    # Shorter than the window: unchanged.
    np.testing.assert_array_equal(_identity_smoothnet(8, 8)(x), x)


def test_smoothnet_root_index_smooths_relative_coordinates():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 3, 2)).astype(np.float32)
    out = _identity_smoothnet(5, 5, scale=2.0, root_index=1)(x)
    root = x[:, 1:2]
    np.testing.assert_allclose(out, root + 2 * (x - root), atol=1e-5)
    np.testing.assert_array_equal(out[:, 1], x[:, 1])


def test_smoothnet_checkpoint_round_trip_and_missing_file(tmp_path):
    f = SmoothNetFilter(4, 4, hidden_size=8, res_hidden_size=4,
                        num_blocks=2)
    names = set(f.smoothnet.state_dict())
    assert {'encoder.0.weight', 'res_blocks.1.linear2.bias',
            'decoder.weight'} <= names
    path = tmp_path / 'smoothnet.pth'
    torch.save({'state_dict': f.smoothnet.state_dict()}, path)
    g = SmoothNetFilter(4, 4, checkpoint=str(path), hidden_size=8,
                        res_hidden_size=4, num_blocks=2)
    x = np.random.default_rng(2).normal(size=(6, 2, 2)).astype(np.float32)
    np.testing.assert_allclose(g(x), f(x), atol=1e-6)
    missing = tmp_path / 'nowhere' / 'smoothnet_ws4.pth'
    with pytest.raises(FileNotFoundError, match='smoothnet_ws4.pth'):
        SmoothNetFilter(4, 4, checkpoint=str(missing))


def _frames(poses: np.ndarray, track_ids=None):
    """Pose results [T][N] of keypoints ``poses`` [T, N, K, 3]."""
    return [[
        dict(keypoints=poses[t, n].copy(),
             **({} if track_ids is None else {'track_id': track_ids[n]}))
        for n in range(poses.shape[1])
    ] for t in range(poses.shape[0])]


def test_smoother_offline_filters_each_track_and_keeps_scores():
    rng = np.random.default_rng(3)
    poses = rng.normal(size=(12, 2, 4, 3))
    results = _frames(poses, track_ids=[7, 3])
    # Frame order of the targets changes; track ids still match them.
    results[5] = results[5][::-1]
    smoother = Smoother(dict(type='GaussianFilter', window_size=5))
    out = smoother.smooth(results)
    gaussian = GaussianFilter(window_size=5)
    for n, track in enumerate([7, 3]):
        expected = gaussian(poses[:, n, :, :2])
        got = np.stack([
            next(r for r in frame if r['track_id'] == track)['keypoints']
            for frame in out
        ])
        np.testing.assert_allclose(got[..., :2], expected)
        np.testing.assert_array_equal(got[..., 2], poses[:, n, :, 2])
    # The input results are not modified.
    np.testing.assert_array_equal(results[0][0]['keypoints'], poses[0, 0])


def test_smoother_online_uses_the_last_window_of_each_target():
    rng = np.random.default_rng(4)
    poses = rng.normal(size=(8, 1, 3, 3))
    smoother = Smoother(dict(type='SavizkyGolayFilter', window_size=5))
    savgol = SavizkyGolayFilter(window_size=5)
    for t, frame in enumerate(_frames(poses)):
        out = smoother.smooth(frame)
        assert isinstance(out, list) and isinstance(out[0], dict)
        window = poses[max(0, t - 4):t + 1, 0, :, :2]
        np.testing.assert_allclose(out[0]['keypoints'][:, :2],
                                   savgol(window)[-1])


def test_smoother_one_euro_online_equals_offline_and_keypoint_key():
    rng = np.random.default_rng(5)
    poses = rng.normal(size=(6, 2, 5, 4))
    cfg = dict(type='OneEuroFilter', min_cutoff=0.1, beta=0.5)
    frames = [[dict(track_id=n, keypoints_3d=poses[t, n].copy())
               for n in range(2)] for t in range(6)]
    offline = Smoother(cfg, keypoint_dim=3,
                       keypoint_key='keypoints_3d').smooth(frames)
    online_smoother = Smoother(cfg, 3, 'keypoints_3d')
    online = [online_smoother.smooth(frame) for frame in frames]
    for t in range(6):
        for n in range(2):
            np.testing.assert_allclose(online[t][n]['keypoints_3d'],
                                       offline[t][n]['keypoints_3d'])
            np.testing.assert_array_equal(offline[t][n]['keypoints_3d'][:, 3],
                                          poses[t, n, :, 3])
    assert not np.allclose(offline[3][0]['keypoints_3d'], poses[3, 0])


def test_smoother_rejects_inconsistent_targets_and_warns_when_empty():
    results = _frames(np.zeros((3, 2, 2, 3)), track_ids=[0, 1])
    results[2] = results[2][:1]
    smoother = Smoother(dict(type='GaussianFilter', window_size=3))
    with pytest.raises(ValueError, match='frame 2'):
        smoother.smooth(results)
    with pytest.warns(UserWarning, match='empty'):
        assert smoother.smooth([]) == []


@pytest.mark.parametrize('name', ['gaussian', 'one_euro', 'savizky_golay'])
def test_smoother_reads_the_filter_config_files(name):
    smoother = Smoother(str(FILTER_CONFIGS / f'{name}.py'))
    assert smoother.padding_size == build_filter(
        smoother.filter_cfg).window_size - 1
    frames = _frames(np.random.default_rng(6).normal(size=(12, 1, 3, 3)))
    assert len(smoother.smooth(frames)) == 12


def test_smoothnet_config_files_name_matching_windows():
    from mmcv import Config
    for path in sorted(FILTER_CONFIGS.glob('smoothnet_t*_h36m.py')):
        cfg = dict(Config.fromfile(str(path)).filter_cfg)
        assert cfg['checkpoint'].endswith(f'ws{cfg["window_size"]}_h36m.pth')
        cfg['checkpoint'] = None  # the weights cannot be downloaded here
        assert build_filter(cfg).window_size == cfg['window_size']


def _demo_utils():
    import importlib.util
    path = REPO_ROOT / 'demo' / 'demo_utils.py'
    spec = importlib.util.spec_from_file_location('smoothing_demo_utils',
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_video_demos_smooth_online_with_the_given_filter():
    utils = _demo_utils()
    parser = utils.video_arg_parser('demo')
    args = parser.parse_args(['cfg.py', 'ckpt.pth', '--video-path', 'v.mp4'])
    assert not args.smooth
    assert Path(args.smooth_filter_cfg) == FILTER_CONFIGS / 'one_euro.py'

    def estimate(frame):
        return [dict(keypoints=np.full((2, 3), frame, dtype=float))]

    assert utils.smoothed(estimate, args) is estimate
    args = parser.parse_args([
        'cfg.py', 'ckpt.pth', '--video-path', 'v.mp4', '--smooth',
        '--smooth-filter-cfg', str(FILTER_CONFIGS / 'savizky_golay.py')
    ])
    smooth_estimate = utils.smoothed(estimate, args)
    reference = Smoother(str(FILTER_CONFIGS / 'savizky_golay.py'))
    for frame in [0., 4., 1., 5.]:
        got = smooth_estimate(frame)[0]['keypoints']
        np.testing.assert_allclose(
            got, reference.smooth(estimate(frame))[0]['keypoints'])
        assert (got[:, 2] == frame).all()  # scores untouched
