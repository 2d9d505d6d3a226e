"""MMPose 0.29's options of the 2D video demos with mmdet: ``--use-multi-
frames``/``--online`` (the pose model gets the neighbouring frames listed by
its config, e.g. PoseWarper) and ``--smooth``/``--smooth-filter-cfg``, run
end to end on a short clip with a random-weight Faster R-CNN and tiny pose
models."""
import os.path as osp
import types

import numpy as np
import pytest
from mmcv import Config

from mmpose.errors import ArgumentError
from .test_demos_mmdet import models as mmdet_models  # noqa: F401 fixture
from .test_demos_tracking import (NUM_FRAMES, REPO, TOP_DOWN_CFG,
                                  count_frames, load_demo, run_demo,
                                  save_random_pose_checkpoint)
from .test_posewarper import STAGE2, tiny_posewarper

pytest.importorskip('mmdet', reason='mmdet 2.x is not installed')

DEMOS = ('top_down_video_demo_with_mmdet',
         'top_down_pose_tracking_demo_with_mmdet')
ONE_EURO = osp.join(REPO, 'configs', '_base_', 'filters', 'one_euro.py')


@pytest.mark.parametrize('name', DEMOS)
def test_multi_frame_options_and_defaults(name):
    parse = load_demo(name).parse_args
    args = parse(['d.py', 'd.pth', 'p.py', 'p.pth'])
    assert (args.use_multi_frames, args.online, args.smooth) == (
        False, False, False)
    assert args.smooth_filter_cfg == ONE_EURO
    args = parse(['d.py', 'd.pth', 'p.py', 'p.pth', '--use-multi-frames',
                  '--online'])
    assert args.use_multi_frames and args.online


def test_multi_frames_need_frame_indices_in_the_config():
    from demo_utils import pose_input  # on sys.path through load_demo
    args = types.SimpleNamespace(use_multi_frames=True, online=False,
                                 video_path='clip.mp4')
    model = types.SimpleNamespace(
        cfg=Config(dict(data=dict(test=dict(data_cfg=dict(num_joints=17))))))
    with pytest.raises(ArgumentError, match='frame_indices_test'):
        pose_input(args, model)
    args.use_multi_frames = False
    frame = np.zeros((2, 2, 3), np.uint8)
    assert pose_input(args, model)(frame) is frame


# ------------------------------------------------------------ end to end
@pytest.fixture(scope='module')
def posewarper(tmp_path_factory):
    """(config, checkpoint) of a tiny PoseWarper, 5 frames at offsets
    -2..2, random weights."""
    root = tmp_path_factory.mktemp('posewarper')
    cfg = Config.fromfile(str(STAGE2))
    cfg.model = tiny_posewarper()
    cfg.data_cfg.image_size = [96, 128]
    cfg.data_cfg.heatmap_size = [24, 32]
    cfg.data.test.data_cfg = cfg.data_cfg
    config = str(root / 'tiny_posewarper.py')
    cfg.dump(config)
    return config, save_random_pose_checkpoint(config, root / 'pw.pth')


def logged_drawings(monkeypatch, name: str) -> list:
    """Every list of pose results the demos draw, as it is drawn."""
    import mmpose.apis
    draw = getattr(mmpose.apis, name)
    log = []

    def logged(model, img, result, **kwargs):
        log.append([dict(r) for r in result])
        return draw(model, img, result, **kwargs)

    monkeypatch.setattr(mmpose.apis, name, logged)
    return log


@pytest.mark.slow
@pytest.mark.parametrize('name, extra', [
    ('top_down_video_demo_with_mmdet', []),
    ('top_down_pose_tracking_demo_with_mmdet', ['--online']),
])
def test_multi_frame_demo_with_posewarper(name, extra, mmdet_models,
                                          posewarper, tmp_path):
    det_cfg, det_ckpt, _, video = mmdet_models
    run_demo(name, det_cfg, det_ckpt, *posewarper, '--video-path', video,
             '--out-video-root', tmp_path, '--device', 'cpu', '--bbox-thr',
             0, '--use-multi-frames', *extra)
    assert count_frames(tmp_path / 'vis_clip.mp4') == NUM_FRAMES


@pytest.mark.slow
def test_smoothing_changes_the_drawn_poses(mmdet_models, tmp_path,
                                           monkeypatch):
    det_cfg, det_ckpt, pose_ckpt, video = mmdet_models
    drawn = {}
    for smooth in ([], ['--smooth', '--smooth-filter-cfg', ONE_EURO]):
        out = tmp_path / str(bool(smooth))
        log = logged_drawings(monkeypatch, 'vis_pose_result')
        run_demo('top_down_video_demo_with_mmdet', det_cfg, det_ckpt,
                 TOP_DOWN_CFG, pose_ckpt, '--video-path', video,
                 '--out-video-root', out, '--device', 'cpu', '--bbox-thr', 0,
                 *smooth)
        assert count_frames(out / 'vis_clip.mp4') == NUM_FRAMES
        drawn[bool(smooth)] = [
            np.stack([p['keypoints'] for p in frame]) for frame in log]
    raw, smooth = drawn[False], drawn[True]
    assert len(raw) == len(smooth) == NUM_FRAMES
    assert all(len(r) > 0 for r in raw)
    # the one-euro filter passes the first frame through, then lags behind
    np.testing.assert_allclose(smooth[0], raw[0], rtol=1e-5)
    assert any(not np.allclose(s[..., :2], r[..., :2])
               for s, r in zip(smooth[1:], raw[1:]))
