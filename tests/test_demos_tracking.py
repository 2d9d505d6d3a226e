"""The 0.14 video demos added here (pose tracking, face video) keep 0.14's
options and run end to end on a short video written by the test, with tiny
pose models (random weights saved as checkpoints).

The MMTracking demo runs MMTracking 0.14 itself (installed without its
stale pins: requirements/mmtrack.txt) with the shipped Tracktor and
DeepSORT configs, their detector and re-identification weights random and
saved where the configs' URLs are looked up; without mmtrack the demo says
how to install it."""
import importlib.util
import os.path as osp
import sys
import tempfile

import cv2
import mmcv
import numpy as np
import pytest
import torch
from mmcv.runner import save_checkpoint

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO = osp.join(REPO, 'demo')
DATA = osp.join(REPO, 'tests', 'data')
TOP_DOWN_CFG = osp.join(DATA, 'tiny_configs', 'tiny_topdown_coco.py')
BOTTOM_UP_CFG = osp.join(DATA, 'tiny_configs', 'tiny_bottomup_coco.py')
FACE_CFG = osp.join(DATA, 'demo', 'tiny_top_down_face.py')
PHOTO = osp.join(DATA, 'demo', '000000196141.jpg')
NUM_FRAMES = 4
FRAME_SIZE = (160, 112)  # (w, h)


def load_demo(name: str):
    """The module of ``demo/<name>.py`` (imported afresh)."""
    if DEMO not in sys.path:
        sys.path.insert(0, DEMO)
    spec = importlib.util.spec_from_file_location(
        f'demo_{name}', osp.join(DEMO, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_demo(name: str, *argv, draw_log: list = None):
    """Run a demo's ``main`` on ``argv``; with ``draw_log``, every list of
    pose results it draws with ``vis_pose_tracking_result`` is appended
    there."""
    module = load_demo(name)
    if draw_log is not None:
        draw = module.vis_pose_tracking_result

        def logged(model, img, result, **kwargs):
            draw_log.append([dict(r) for r in result])
            return draw(model, img, result, **kwargs)

        module.vis_pose_tracking_result = logged
    module.main([str(a) for a in argv])


def write_video(path, num_frames: int = NUM_FRAMES) -> str:
    """A clip of ``num_frames`` crops of the sample photo, sliding by 8
    pixels a frame."""
    img = mmcv.imread(PHOTO)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*'mp4v'), 10,
                             FRAME_SIZE)
    for i in range(num_frames):
        writer.write(cv2.resize(img[8 * i:, 8 * i:], FRAME_SIZE))
    writer.release()
    return str(path)


def count_frames(path) -> int:
    cap = cv2.VideoCapture(str(path))
    assert cap.isOpened(), path
    num = 0
    while cap.read()[0]:
        num += 1
    cap.release()
    return num


def save_random_pose_checkpoint(config: str, path) -> str:
    from mmpose.apis import init_pose_model
    torch.manual_seed(0)
    save_checkpoint(init_pose_model(config, device='cpu'), str(path))
    return str(path)


@pytest.fixture(scope='module')
def clip(tmp_path_factory):
    return write_video(tmp_path_factory.mktemp('video') / 'clip.mp4')


@pytest.fixture(scope='module')
def pose_checkpoints(tmp_path_factory):
    root = tmp_path_factory.mktemp('pose_ckpts')
    return {
        name: save_random_pose_checkpoint(cfg, root / f'{name}.pth')
        for name, cfg in (('top_down', TOP_DOWN_CFG),
                          ('bottom_up', BOTTOM_UP_CFG), ('face', FACE_CFG))
    }


# --------------------------------------------------------- options of 0.14
def test_pose_tracking_demo_options_and_defaults_are_014s():
    mmdet_args = load_demo('top_down_pose_tracking_demo_with_mmdet'
                           ).parse_args(['d.py', 'd.pth', 'p.py', 'p.pth'])
    assert (mmdet_args.det_config, mmdet_args.det_checkpoint,
            mmdet_args.pose_config, mmdet_args.pose_checkpoint) == (
                'd.py', 'd.pth', 'p.py', 'p.pth')
    assert (mmdet_args.det_cat_id, mmdet_args.bbox_thr, mmdet_args.kpt_thr,
            mmdet_args.tracking_thr) == (1, 0.3, 0.3, 0.3)
    assert not (mmdet_args.use_oks_tracking or mmdet_args.euro
                or mmdet_args.show)
    assert (mmdet_args.device, mmdet_args.out_video_root) == ('cuda:0', '')

    bottom_up = load_demo('bottom_up_pose_tracking_demo').parse_args(
        ['p.py', 'p.pth', '--use-oks-tracking', '--euro', '--tracking-thr',
         '0.5'])
    assert bottom_up.kpt_thr == 0.5  # this demo's own default in 0.x
    assert bottom_up.pose_nms_thr == 0.9
    assert bottom_up.use_oks_tracking and bottom_up.euro
    assert bottom_up.tracking_thr == 0.5
    # the older spelling of the OKS switch
    assert load_demo('bottom_up_pose_tracking_demo').parse_args(
        ['p.py', 'p.pth', '--oks']).use_oks_tracking

    mmtrack_args = load_demo(
        'top_down_pose_tracking_demo_with_mmtracking').parse_args(
            ['t.py', 'p.py', 'p.pth', '--video-path', 'v.mp4'])
    assert (mmtrack_args.tracking_config, mmtrack_args.pose_config,
            mmtrack_args.pose_checkpoint, mmtrack_args.video_path) == (
                't.py', 'p.py', 'p.pth', 'v.mp4')
    assert (mmtrack_args.bbox_thr, mmtrack_args.kpt_thr) == (0.3, 0.3)

    face = load_demo('face_video_demo').parse_args(['p.py', 'p.pth'])
    assert (face.kpt_thr, face.device, face.bbox) == (0.3, 'cuda:0', None)


def test_demos_take_029_drawing_options():
    utils = load_demo('demo_utils')
    for name in ('top_down_pose_tracking_demo_with_mmdet',
                 'top_down_img_demo', 'bottom_up_video_demo'):
        demo = load_demo(name)
        positional = ['d.py', 'd.pth'] * ('mmdet' in name) + ['p.py', 'p.pth']
        default = demo.parse_args(positional)
        assert utils.drawing_kwargs(default) == {}  # the dataset's style
        given = demo.parse_args(positional + ['--radius', '6',
                                              '--thickness', '2'])
        assert utils.drawing_kwargs(given) == {'radius': 6, 'thickness': 2}


def test_video_demos_refuse_to_do_nothing():
    for name, argv in (('bottom_up_pose_tracking_demo', ['p.py', 'p.pth']),
                       ('face_video_demo', ['p.py', 'p.pth'])):
        with pytest.raises(SystemExit, match='nothing to do'):
            load_demo(name).main(argv)


# ----------------------------------------------------------- the tracker
def test_pose_tracker_carries_ids_across_frames():
    """Frame 1 starts tracks 0 and 1; in frame 2 the same two people come
    in the other order, moved by 2 px (IoU ~0.9 with their own box, 0 with
    the other), and a third, far away, starts track 2."""
    demo = load_demo('top_down_pose_tracking_demo_with_mmdet')
    tracker = demo.PoseTracker(
        demo.parse_args(['d.py', 'd.pth', 'p.py', 'p.pth']), fps=10.0)

    def person(x, y):
        kpts = np.zeros((17, 3), np.float32)
        kpts[:, 0] = x + np.arange(17)
        kpts[:, 1] = y + np.arange(17)
        kpts[:, 2] = 0.9
        return {'bbox': np.array([x, y, x + 40, y + 80, 0.9], np.float32),
                'keypoints': kpts}

    first = tracker([person(0, 0), person(100, 0)])
    assert [r['track_id'] for r in first] == [0, 1]
    second = tracker([person(102, 2), person(2, 2), person(300, 300)])
    assert [r['track_id'] for r in second] == [1, 0, 2]
    assert tracker.next_id == 3


def test_mmtracking_results_both_layouts():
    utils = load_demo('demo_utils')
    rows = np.array([[7, 1, 2, 30, 40, 0.9], [3, 5, 6, 50, 70, 0.4]],
                    np.float32)
    for key in ('track_bboxes', 'track_results'):
        people = utils.process_mmtracking_results({key: [rows]})
        assert [p['track_id'] for p in people] == [7, 3]
        np.testing.assert_array_equal(people[1]['bbox'], rows[1, 1:])
    with pytest.raises(KeyError, match='track_bboxes'):
        utils.process_mmtracking_results({'det_bboxes': [rows]})


# ------------------------------------------------------------ end to end
@pytest.mark.slow
def test_bottom_up_pose_tracking_demo_writes_every_frame(
        clip, pose_checkpoints, tmp_path):
    drawn = []
    run_demo('bottom_up_pose_tracking_demo', BOTTOM_UP_CFG,
             pose_checkpoints['bottom_up'], '--video-path', clip,
             '--out-video-root', tmp_path, '--device', 'cpu',
             '--use-oks-tracking', '--kpt-thr', 0, draw_log=drawn)
    assert count_frames(tmp_path / 'vis_clip.mp4') == NUM_FRAMES
    assert len(drawn) == NUM_FRAMES
    assert all('track_id' in person for frame in drawn for person in frame)


@pytest.mark.slow
def test_face_video_demo_writes_every_frame(clip, pose_checkpoints,
                                            tmp_path):
    run_demo('face_video_demo', FACE_CFG, pose_checkpoints['face'],
             '--video-path', clip, '--bbox', 40, 20, 60, 70,
             '--out-video-root', tmp_path, '--device', 'cpu', '--radius', 3,
             '--thickness', 2)
    assert count_frames(tmp_path / 'vis_clip.mp4') == NUM_FRAMES


# ------------------------------------------------- MMTracking 0.14 itself
TRACKING_CFGS = {
    'Tracktor': 'tracktor_faster-rcnn_r50_fpn_4e_mot17-private.py',
    'DeepSORT': 'deepsort_faster-rcnn_fpn_4e_mot17-private-half.py',
}


def pretrained_urls(cfg) -> dict:
    """``{'detector': url, 'reid': url}`` of a tracking config: its
    ``pretrains`` (the older spelling, Tracktor) or its parts' ``init_cfg``
    (DeepSORT)."""
    if 'pretrains' in cfg.model:
        return dict(cfg.model.pretrains)
    return {part: cfg.model[part].init_cfg.checkpoint
            for part in ('detector', 'reid')}


def small_tracking_config(name: str, folder) -> str:
    """The shipped config, dumped to ``folder`` with two test-time limits:
    frames stay at the clip's size (not scaled up to 1088 pixels) and the
    detector keeps at most 2 boxes a frame. Everything else, the weights'
    URLs included, is as shipped."""
    cfg = mmcv.Config.fromfile(osp.join(DEMO, 'mmtracking_cfg', name))
    cfg.data.test.pipeline[1].img_scale = FRAME_SIZE
    cfg.model.detector.test_cfg.rcnn.max_per_img = 2
    path = str(folder / name)
    cfg.dump(path)
    return path


def save_random_tracker_weights(cfg, torch_home: str) -> None:
    """Random detector and re-identification weights, saved where mmcv
    looks for the config's URLs: ``$TORCH_HOME/hub/checkpoints/<file>``.
    The detector's classifier calls every box a person (softmax of logits
    (2, 0): 0.881) and its box regression is zero, so its boxes are its
    (random) proposals, confident enough to be tracked."""
    from mmtrack.models import build_model
    torch.manual_seed(0)
    model = build_model(cfg.model)
    head = model.detector.roi_head.bbox_head
    with torch.no_grad():
        for layer in (head.fc_cls, head.fc_reg):
            layer.weight.zero_()
            layer.bias.zero_()
        head.fc_cls.bias[0] = 2.0  # class 0: person; the last: background
    folder = osp.join(torch_home, 'hub', 'checkpoints')
    for part, url in pretrained_urls(cfg).items():
        save_checkpoint(getattr(model, part),
                        osp.join(folder, osp.basename(url)))


@pytest.fixture(scope='module')
def torch_home():
    """A TORCH_HOME for the trackers' weights (hundreds of MB: removed
    afterwards rather than kept with pytest's temporary folders)."""
    with tempfile.TemporaryDirectory(prefix='mmtrack_weights_') as folder:
        yield folder


def test_tracking_configs_name_their_weights():
    assert {name: sorted(pretrained_urls(mmcv.Config.fromfile(
        osp.join(DEMO, 'mmtracking_cfg', cfg))).values())
        for name, cfg in TRACKING_CFGS.items()} == {
            'Tracktor': [
                'https://download.openmmlab.com/mmtracking/mot/faster_rcnn/'
                'faster-rcnn_r50_fpn_4e_mot17-ffa52ae7.pth',
                'https://download.openmmlab.com/mmtracking/mot/reid/'
                'reid_r50_6e_mot17-4bf6b63d.pth'],
            'DeepSORT': [
                'https://download.openmmlab.com/mmtracking/mot/faster_rcnn/'
                'faster-rcnn_r50_fpn_4e_mot17-half-64ee2ed4.pth',
                'https://download.openmmlab.com/mmtracking/mot/reid/'
                'tracktor_reid_r50_iter25245-a452f51f.pth']}


@pytest.mark.slow
@pytest.mark.parametrize('tracker', sorted(TRACKING_CFGS))
def test_mmtracking_demo_draws_the_trackers_people(
        tracker, clip, pose_checkpoints, torch_home, tmp_path, monkeypatch):
    """mmtrack 0.14 builds the shipped tracker, loads its weights from the
    configured URLs (found in the TORCH_HOME cache) and tracks the clip; the
    demo draws the tracker's people with their ids."""
    mmtrack_apis = pytest.importorskip('mmtrack.apis')
    monkeypatch.setenv('TORCH_HOME', torch_home)
    config = small_tracking_config(TRACKING_CFGS[tracker], tmp_path)
    save_random_tracker_weights(mmcv.Config.fromfile(config), torch_home)
    tracked = []
    inference_mot = mmtrack_apis.inference_mot

    def recorded(model, img, frame_id):
        result = inference_mot(model, img, frame_id=frame_id)
        tracked.append((frame_id, type(model).__name__,
                        result['track_bboxes'][0].copy()))
        return result

    monkeypatch.setattr(mmtrack_apis, 'inference_mot', recorded)
    drawn = []
    run_demo('top_down_pose_tracking_demo_with_mmtracking', config,
             TOP_DOWN_CFG, pose_checkpoints['top_down'], '--video-path',
             clip, '--out-video-root', tmp_path / 'out', '--device', 'cpu',
             draw_log=drawn)

    assert count_frames(tmp_path / 'out' / 'vis_clip.mp4') == NUM_FRAMES
    assert [(i, name) for i, name, _ in tracked] == [
        (i, tracker) for i in range(NUM_FRAMES)]
    for (_, _, tracks), people in zip(tracked, drawn, strict=True):
        # rows [id, x1, y1, x2, y2, score]; all above --bbox-thr 0.3
        np.testing.assert_allclose(tracks[:, 5], 0.881, atol=1e-3)
        assert [p['track_id'] for p in people] == \
            tracks[:, 0].astype(int).tolist()
        np.testing.assert_allclose([p['bbox'] for p in people],
                                   tracks[:, 1:], rtol=1e-6)
        assert all(p['keypoints'].shape == (17, 3) for p in people)
    ids = [[p['track_id'] for p in frame] for frame in drawn]
    # the first frame's 2 boxes start tracks 0 and 1; new tracks take the
    # next numbers
    assert ids[0] == [0, 1]
    seen = sorted(set(sum(ids, [])))
    assert seen == list(range(len(seen)))
    if tracker == 'Tracktor':
        # its tracks follow the detector's regression of their last box,
        # which keeps the score above obj_score_thr: none is lost
        assert all(set(before) <= set(after)
                   for before, after in zip(ids, ids[1:]))


def test_mmtracking_demo_explains_missing_mmtrack(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, 'mmtrack', None)
    monkeypatch.setitem(sys.modules, 'mmtrack.apis', None)
    demo = load_demo('top_down_pose_tracking_demo_with_mmtracking')
    with pytest.raises(SystemExit,
                       match=r'MMTracking.*--no-deps -r requirements/mmtrack'):
        demo.main(['t.py', TOP_DOWN_CFG, 'p.pth', '--video-path', 'v.mp4',
                   '--out-video-root', str(tmp_path)])


def test_face_detector_fallbacks(monkeypatch, capsys):
    utils = load_demo('demo_utils')
    img = np.zeros((30, 40, 3), np.uint8)
    (given, ) = utils.face_detector([1, 2, 3, 4])(img)
    np.testing.assert_array_equal(given['bbox'], [1, 2, 3, 4])
    monkeypatch.setitem(sys.modules, 'face_recognition', None)
    detect = utils.face_detector()
    for _ in range(2):
        (whole, ) = detect(img)
        np.testing.assert_array_equal(whole['bbox'], [0, 0, 40, 30])
    assert capsys.readouterr().out.count('face_recognition is not') == 1
