"""The 0.14 video demos added here (pose tracking, face video) keep 0.14's
options and run end to end on a short video written by the test, with tiny
pose models (random weights saved as checkpoints).

MMTracking 0.14 cannot be installed beside Python 3.11 / NumPy 2 (it pins
pandas<=1.3.5 and scipy<=1.7.3), so its demo runs against a stand-in
``mmtrack`` package that returns fixed tracks, and must explain the missing
package otherwise."""
import importlib.util
import os.path as osp
import sys

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


STAND_IN_MMTRACK = '''
import numpy as np

CALLS = []


def init_model(config, checkpoint=None, device='cuda:0'):
    CALLS.append(('init_model', config, checkpoint, device))
    return 'tracker'


def inference_mot(model, img, frame_id):
    CALLS.append(('inference_mot', img.shape, frame_id))
    # two people, tracks 7 and 3, the first moving right 1 px a frame
    return dict(track_bboxes=[np.array(
        [[7, 10 + frame_id, 10, 60 + frame_id, 100, 0.9],
         [3, 80, 20, 150, 110, 0.2]], dtype=np.float32)])
'''


@pytest.fixture
def stand_in_mmtrack(tmp_path, monkeypatch):
    package = tmp_path / 'stand_in' / 'mmtrack'
    (package / 'apis').mkdir(parents=True)
    (package / '__init__.py').write_text('')
    (package / 'apis' / '__init__.py').write_text(STAND_IN_MMTRACK)
    monkeypatch.syspath_prepend(str(tmp_path / 'stand_in'))
    for name in ('mmtrack', 'mmtrack.apis'):
        monkeypatch.delitem(sys.modules, name, raising=False)
    yield
    for name in ('mmtrack', 'mmtrack.apis'):
        sys.modules.pop(name, None)


@pytest.mark.slow
def test_mmtracking_demo_uses_the_trackers_ids(stand_in_mmtrack, clip,
                                               pose_checkpoints, tmp_path):
    drawn = []
    run_demo('top_down_pose_tracking_demo_with_mmtracking', 'tracktor.py',
             TOP_DOWN_CFG, pose_checkpoints['top_down'], '--video-path',
             clip, '--out-video-root', tmp_path, '--device', 'cpu',
             draw_log=drawn)
    assert count_frames(tmp_path / 'vis_clip.mp4') == NUM_FRAMES
    from mmtrack.apis import CALLS
    assert CALLS[0] == ('init_model', 'tracktor.py', None, 'cpu')
    assert [call[2] for call in CALLS[1:]] == list(range(NUM_FRAMES))
    # --bbox-thr 0.3 drops track 3 (score 0.2); track 7 keeps its id
    assert [[p['track_id'] for p in frame] for frame in drawn] == \
        [[7]] * NUM_FRAMES
    np.testing.assert_allclose(drawn[2][0]['bbox'], [12, 10, 62, 100, 0.9],
                               rtol=1e-6)


def test_mmtracking_demo_explains_missing_mmtrack(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, 'mmtrack', None)
    monkeypatch.setitem(sys.modules, 'mmtrack.apis', None)
    demo = load_demo('top_down_pose_tracking_demo_with_mmtracking')
    with pytest.raises(SystemExit, match=r'MMTracking.*pandas<=1\.3\.5'):
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
