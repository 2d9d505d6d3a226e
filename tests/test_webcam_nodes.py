"""MMPose 0.29's webcam API, engineer B's part: the helpers of
``mmpose.apis.webcam.utils`` (misc, body-part keypoint ids), the model
nodes (detection, top-down pose, pose tracking, gestures), the visualizer
nodes and ``demo/webcam_demo.py`` with the configs of ``demo/webcam_cfg``.

Nodes are run by calling ``process`` on hand-made ``FrameMessage``s; the
models have random weights (their outputs are checked for form, not
accuracy). Expected numbers are derived by hand next to each test.
"""
import os.path as osp
import sys

import cv2
import numpy as np
import pytest
import torch
from mmcv import Config

from mmpose.apis.webcam.nodes import NODES
from mmpose.apis.webcam.utils import (FrameMessage, copy_and_paste,
                                      expand_and_clamp, get_cached_file_path,
                                      get_config_path, get_eye_keypoint_ids,
                                      get_face_keypoint_ids,
                                      get_hand_keypoint_ids,
                                      get_mouth_keypoint_ids,
                                      get_wrist_keypoint_ids, is_image_file,
                                      limit_max_fps,
                                      load_image_from_disk_or_url,
                                      screen_matting)
from mmpose.errors import ArgumentError, MissingDependencyError
from .helpers import SMALL_DETECTOR, read_video_frames, save_random_detector
from .reference import REPO_ROOT, packed_api
from .test_demos_tracking import load_demo, save_random_pose_checkpoint
from .test_demos_tracking import TOP_DOWN_CFG as TINY_TOP_DOWN
from .test_demos_tracking import write_video

REPO = str(REPO_ROOT)
FASTER_RCNN = osp.join(REPO, 'demo', 'mmdetection_cfg',
                       'faster_rcnn_r50_fpn_coco.py')
GESTURE_CFG = osp.join(REPO, 'configs', 'hand', 'gesture_sview_rgbd_vid',
                       'mtut', 'nvgesture',
                       'i3d_nvgesture_bbox_112x112_fps15_rgb.py')
WEBCAM_CFG_DIR = osp.join(REPO, 'demo', 'webcam_cfg')

# BGR colour of a COCO nose in the coco dataset_info table
COCO_NOSE_COLOR = (51, 153, 255)


def coco_cfg() -> Config:
    """A 0.14-style pose model config: COCO by its dataset class name."""
    return Config(dict(data=dict(test=dict(type='TopDownCocoDataset'))))


def table_cfg(table: str) -> Config:
    """A 0.29-style pose model config carrying a shipped dataset_info."""
    from mmpose.datasets.metadata import load_dataset_info
    return Config(dict(dataset_info=load_dataset_info(table)))


def person(keypoints=None, bbox=(10, 10, 60, 60, 0.9), **extra) -> dict:
    obj = dict(label='person', class_id=0, bbox=np.array(bbox, np.float32))
    if keypoints is not None:
        obj['keypoints'] = np.asarray(keypoints, np.float32)
    obj.update(extra)
    return obj


def frame_with(img, *objects) -> FrameMessage:
    msg = FrameMessage(img)
    msg.update_objects([dict(obj) for obj in objects])
    return msg


def coco_keypoints(points: dict, score=1.0) -> np.ndarray:
    """[17, 3] COCO keypoints, zero-scored except ``{index: (x, y)}``."""
    kpts = np.zeros((17, 3), np.float32)
    for index, xy in points.items():
        kpts[index] = (*xy, score)
    return kpts


# ----------------------------------------------------------- utils: misc
def test_expand_and_clamp_scales_about_the_centre():
    # 40 x 40 box grows by 40 * 0.25 / 2 = 5 on each side
    assert expand_and_clamp([10, 20, 50, 60], (100, 200, 3)) == [5, 15, 55, 65]


def test_expand_and_clamp_truncates_and_clips_into_the_image():
    # w 40 -> +-5, h 80 -> +-10: [-5, -10, 45, 90]; image 70 high, 100 wide
    assert expand_and_clamp([0, 0, 40, 80, 0.9], (70, 100)) == [0, 0, 45, 69]
    # scale 2 of [10.5, 10.5, 20.5, 20.5]: [5.5, 5.5, 25.5, 25.5] -> ints
    assert expand_and_clamp([10.5, 10.5, 20.5, 20.5], (50, 50),
                            scale=2) == [5, 5, 25, 25]


def test_limit_max_fps_sleeps_the_rest_of_the_period(monkeypatch):
    import mmpose.apis.webcam.utils.misc as misc
    clock = iter([100.0, 100.02])
    slept = []
    monkeypatch.setattr(misc.time, 'time', lambda: next(clock))
    monkeypatch.setattr(misc.time, 'sleep', slept.append)
    with limit_max_fps(10):
        pass
    assert slept == [pytest.approx(0.08)]  # 1/10 s - 0.02 s spent


def test_limit_max_fps_none_never_sleeps(monkeypatch):
    import mmpose.apis.webcam.utils.misc as misc
    monkeypatch.setattr(misc.time, 'sleep', pytest.fail)
    with limit_max_fps(None):
        pass


def test_is_image_file_goes_by_extension():
    assert is_image_file('a/b.JPG') and is_image_file('x.png')
    assert not is_image_file('clip.mp4')
    assert not is_image_file(0)


def test_screen_matting_masks_the_key_colour():
    img = np.zeros((2, 3, 3), np.uint8)
    img[0, 1] = (30, 240, 30)  # green screen
    img[1, 2] = (250, 250, 250)  # white
    mask = screen_matting(img, color='green')
    assert mask.dtype == np.uint8
    assert mask.tolist() == [[1, 0, 1], [1, 1, 1]]
    assert screen_matting(img, color='w').tolist() == [[1, 1, 1], [1, 1, 0]]
    explicit = screen_matting(img, color_low=(0, 0, 0), color_high=(0, 0, 0))
    assert explicit.tolist() == [[0, 1, 0], [0, 0, 1]]


def test_screen_matting_rejects_unknown_or_missing_colours():
    img = np.zeros((2, 2, 3), np.uint8)
    with pytest.raises(NotImplementedError, match="'red'"):
        screen_matting(img, color='red')
    with pytest.raises(ValueError, match='color'):
        screen_matting(img)


def test_copy_and_paste_fills_the_effect_region():
    img = np.zeros((60, 60, 3), np.uint8)
    img[10:40, 10:40] = 200
    mask = np.zeros((60, 60), np.uint8)
    mask[10:40, 10:40] = 1
    background = np.zeros((100, 100, 3), np.uint8)
    out = copy_and_paste(img, background, mask)
    # mask box [10, 10, 39, 39] -> a 29 x 29 instance; region 60 x 60 at
    # (20, 20): factor 60 / 29, pasted size int(60 / 29 * 29) = 60
    expected = np.zeros_like(background)
    expected[20:80, 20:80] = 200
    np.testing.assert_array_equal(out, expected)
    assert not background.any()  # the background itself is untouched


def test_copy_and_paste_skips_small_instances():
    img = np.full((30, 30, 3), 200, np.uint8)
    mask = np.ones((30, 30), np.uint8)
    background = np.zeros((50, 50, 3), np.uint8)
    out = copy_and_paste(img, background, mask, bbox=[0, 0, 20, 20])
    assert not out.any()  # 20 x 20 does not exceed min_size (20, 20)


def test_get_config_path_searches_the_package(tmp_path):
    local = tmp_path / 'a.py'
    local.write_text('x = 1\n')
    assert get_config_path(str(local), 'mmdet') == str(local)
    found = get_config_path(
        'configs/ssd/ssdlite_mobilenetv2_scratch_600e_coco.py', 'mmdet')
    assert found.endswith(osp.join('mmdet', '.mim', 'configs', 'ssd',
                                   'ssdlite_mobilenetv2_scratch_600e_coco.py'))
    with pytest.raises(FileNotFoundError, match='no/such.py'):
        get_config_path('no/such.py', 'mmpose')


def test_get_cached_file_path_reuses_or_downloads(tmp_path, monkeypatch):
    import torch.hub
    cached = tmp_path / 'glasses.jpg'
    cached.write_bytes(b'jpg')
    monkeypatch.setattr(torch.hub, 'download_url_to_file', pytest.fail)
    assert get_cached_file_path('https://x.org/a/glasses.jpg',
                                str(tmp_path)) == str(cached)

    calls = []
    monkeypatch.setattr(torch.hub, 'download_url_to_file',
                        lambda *args, **kwargs: calls.append(args))
    path = get_cached_file_path('https://x.org/a/other.jpg', str(tmp_path),
                                file_name='renamed.jpg')
    assert path == str(tmp_path / 'renamed.jpg')
    assert calls == [('https://x.org/a/other.jpg', path, None)]


def test_load_image_names_a_missing_file(tmp_path):
    path = tmp_path / 'img.png'
    cv2.imwrite(str(path), np.full((4, 5, 3), 7, np.uint8))
    assert load_image_from_disk_or_url(str(path)).shape == (4, 5, 3)
    with pytest.raises(FileNotFoundError, match='missing.png'):
        load_image_from_disk_or_url(str(tmp_path / 'missing.png'))


# --------------------------------------------------- utils: keypoint ids
def test_coco_eyes_and_wrists():
    # COCO: nose, left_eye, right_eye, ... left_wrist (9), right_wrist (10)
    assert get_eye_keypoint_ids(coco_cfg()) == (1, 2)
    assert get_wrist_keypoint_ids(coco_cfg()) == (9, 10)
    assert get_eye_keypoint_ids(table_cfg('coco')) == (1, 2)


def test_coco_wholebody_parts():
    # 17 body + 6 feet keypoints, then 68 face landmarks (23..90), then
    # 21 left-hand and 21 right-hand keypoints (91..132)
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'wholebody', '2d_kpt_sview_rgb_img',
                 'topdown_heatmap', 'coco-wholebody',
                 'vipnas_mbv3_coco_wholebody_256x192_dark.py'))
    assert get_eye_keypoint_ids(cfg) == (1, 2)
    assert get_face_keypoint_ids(cfg) == list(range(23, 91))
    assert get_mouth_keypoint_ids(cfg) == 23 + 62
    assert get_hand_keypoint_ids(cfg) == list(range(91, 133))


def test_animal_eyes_and_front_paws():
    # AnimalPose: L_Eye 0, R_Eye 1, ... L_F_Paw 16, R_F_Paw 17;
    # AP-10K: L_F_Paw 7, R_F_Paw 10
    assert get_eye_keypoint_ids(table_cfg('animalpose')) == (0, 1)
    assert get_wrist_keypoint_ids(table_cfg('animalpose')) == (16, 17)
    assert get_wrist_keypoint_ids(table_cfg('ap10k')) == (7, 10)


def test_parts_missing_from_the_dataset_are_named():
    with pytest.raises(ValueError, match="'mpii'.*'left_eye'"):
        get_eye_keypoint_ids(table_cfg('mpii'))
    with pytest.raises(ArgumentError, match="'face-0'"):
        get_face_keypoint_ids(coco_cfg())
    unknown = Config(dict(data=dict(test=dict(type='NoSuchDataset'))))
    with pytest.raises(ArgumentError, match='NoSuchDataset'):
        get_hand_keypoint_ids(unknown)


# ------------------------------------------------------------- the nodes
def test_node_signatures_are_029s():
    api = packed_api('0.29')['api']
    import importlib
    import inspect
    for path, spec in api.items():
        if not path.startswith('mmpose.apis.webcam.nodes.') or \
                spec['kind'] != 'class':
            continue
        module, name = path.rsplit('.', 1)
        cls = getattr(importlib.import_module(module), name)
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        got = [[p.name, None if p.default is p.empty else repr(p.default)]
               for p in params[:len(spec['signature'])]]
        assert got == [[n, d] for n, _, d in spec['signature']], path


def test_every_029_node_type_is_registered():
    assert sorted(NODES.module_dict) == [
        'BigeyeEffectNode', 'DetectorNode', 'HandGestureRecognizerNode',
        'MonitorNode', 'NoticeBoardNode', 'ObjectAssignerNode',
        'ObjectVisualizerNode', 'PoseTrackerNode', 'RecorderNode',
        'SunglassesEffectNode', 'TopDownPoseEstimatorNode'
    ]


@pytest.fixture(scope='module')
def models(tmp_path_factory):
    """Paths: small Faster R-CNN config and random checkpoint (favouring
    'person'), tiny pose checkpoint."""
    pytest.importorskip('mmdet')
    root = tmp_path_factory.mktemp('webcam_models')
    det_cfg = root / 'faster_rcnn_small.py'
    det_cfg.write_text(SMALL_DETECTOR.format(base=FASTER_RCNN))
    return dict(
        det_cfg=str(det_cfg),
        det_ckpt=save_random_detector(FASTER_RCNN, root / 'det.pth'),
        pose_ckpt=save_random_pose_checkpoint(TINY_TOP_DOWN,
                                              root / 'pose.pth'))


def photo(height=120, width=160) -> np.ndarray:
    """A deterministic textured BGR image."""
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (height // 8, width // 8, 3), dtype=np.uint8)
    return cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR)


@pytest.fixture(scope='module')
def detector(models):
    return NODES.build(
        dict(type='DetectorNode', name='detector',
             model_config=models['det_cfg'],
             model_checkpoint=models['det_ckpt'], input_buffer='_input_',
             output_buffer='det_result', device='cpu', bbox_thr=0.0))


def test_detector_node_adds_labelled_boxes(detector):
    msg = detector.process({'input': FrameMessage(photo())})
    objects = msg.get_objects()
    assert 1 <= len(objects) <= 3  # max_per_img
    for obj in objects:
        assert obj['label'] == 'person' and obj['class_id'] == 0
        assert obj['bbox'].shape == (5, ) and obj['mask'] is None
        assert obj['det_model_cfg'] is detector.model.cfg


def test_detector_node_multi_input_stacks_the_clip(models):
    node = NODES.build(
        dict(type='DetectorNode', name='detector',
             model_config=models['det_cfg'],
             model_checkpoint=models['det_ckpt'], input_buffer='_input_',
             output_buffer='det_result', device='cpu', bbox_thr=0.0,
             multi_input=True))
    frames = [FrameMessage(photo() // (i + 1)) for i in range(3)]
    msg = node.process({'input': frames})
    assert msg is frames[-1]
    assert msg.get_image().shape == (3, 120, 160, 3)
    np.testing.assert_array_equal(msg.get_image()[1], photo() // 2)
    assert msg.get_objects()  # detected in the newest frame


def test_model_nodes_explain_missing_mmdet(monkeypatch):
    monkeypatch.setitem(sys.modules, 'mmdet.apis', None)
    for cfg in (dict(type='DetectorNode', model_config='d.py',
                     model_checkpoint='d.pth'),
                dict(type='PoseTrackerNode', det_model_config='d.py',
                     det_model_checkpoint='d.pth', pose_model_config='p.py',
                     pose_model_checkpoint='p.pth')):
        with pytest.raises(MissingDependencyError,
                           match=rf"{cfg['type']}.*mmdet==2\.28"):
            NODES.build(dict(cfg, name='n', input_buffer='_input_',
                             output_buffer='out'))
        # 0.29 asserted that mmdet is there
        with pytest.raises(AssertionError):
            NODES.build(dict(cfg, name='n', input_buffer='_input_',
                             output_buffer='out'))


def test_model_nodes_name_a_missing_checkpoint(models):
    for cfg in (dict(type='DetectorNode', model_config=models['det_cfg'],
                     model_checkpoint='/nowhere/det.pth'),
                dict(type='TopDownPoseEstimatorNode',
                     model_config=TINY_TOP_DOWN,
                     model_checkpoint='/nowhere/pose.pth')):
        with pytest.raises(FileNotFoundError, match='/nowhere/'):
            NODES.build(dict(cfg, name='n', input_buffer='_input_',
                             output_buffer='out', device='cpu'))


@pytest.fixture(scope='module')
def pose_node(models):
    return NODES.build(
        dict(type='TopDownPoseEstimatorNode', name='pose',
             model_config=TINY_TOP_DOWN, model_checkpoint=models['pose_ckpt'],
             input_buffer='det_result', output_buffer='pose', device='cpu',
             labels=['person']))


def test_pose_estimator_node_adds_keypoints_and_track_ids(pose_node):
    cat = dict(label='cat', class_id=15,
               bbox=np.array([100, 60, 150, 110, 0.9], np.float32))
    weak = person(bbox=(5, 5, 40, 40, 0.2))  # below bbox_thr 0.5
    frames = []
    for _ in range(2):
        msg = frame_with(photo(), person(), cat, weak)
        frames.append(pose_node.process({'input': msg}))
    for msg in frames:
        posed = msg.get_objects(lambda obj: 'keypoints' in obj)
        assert len(posed) == 1 and len(msg.get_objects()) == 3
        assert posed[0]['keypoints'].shape == (17, 3)
        assert posed[0]['pose_model_cfg'] is pose_node.model.cfg
        assert posed[0]['label'] == 'person'
    # same box in both frames: the same track
    assert [f.get_objects(lambda o: 'keypoints' in o)[0]['track_id']
            for f in frames] == [0, 0]


def test_pose_estimator_node_smooths_with_a_filter_config(models):
    node = NODES.build(
        dict(type='TopDownPoseEstimatorNode', name='pose',
             model_config=TINY_TOP_DOWN, model_checkpoint=models['pose_ckpt'],
             input_buffer='det_result', output_buffer='pose', device='cpu',
             smooth=True,
             smooth_filter_cfg=osp.join(REPO, 'configs', '_base_', 'filters',
                                        'one_euro.py')))
    assert node.tracking.smoother is not None
    msg = node.process({'input': frame_with(photo(), person())})
    assert msg.get_objects()[0]['keypoints'].shape == (17, 3)


def test_keypoints_to_bbox_boxes_the_confident_keypoints():
    from mmpose.apis.webcam.nodes.model_nodes.pose_tracker_node import \
        keypoints_to_bbox
    kpts = np.array([[10, 20, 0.9], [30, 60, 0.8], [500, 500, 0.1]])
    # box [10, 20, 30, 60], centre (20, 40), size 20 x 40 -> 30 x 60
    np.testing.assert_allclose(
        keypoints_to_bbox(kpts, (100, 100, 3)), [5, 10, 35, 70])
    # clipped into a 50 x 25 (h x w) image
    np.testing.assert_allclose(
        keypoints_to_bbox(kpts, (50, 25)), [5, 10, 25, 50])
    assert keypoints_to_bbox(kpts, (100, 100), kpt_thr=0.95) is None


@pytest.fixture(scope='module')
def tracker(models):
    return NODES.build(
        dict(type='PoseTrackerNode', name='tracker',
             det_model_config=models['det_cfg'],
             det_model_checkpoint=models['det_ckpt'],
             pose_model_config=TINY_TOP_DOWN,
             pose_model_checkpoint=models['pose_ckpt'],
             input_buffer='_input_', output_buffer='pose', device='cpu',
             bbox_thr=0.0, labels=['person']))


def test_pose_tracker_keeps_track_ids_of_the_same_people(tracker):
    first = tracker.process({'input': FrameMessage(photo())})
    second = tracker.process({'input': FrameMessage(photo())})
    ids = [sorted(o['track_id'] for o in msg.get_objects())
           for msg in (first, second)]
    assert ids[0] == list(range(len(ids[0]))) and ids[0]
    assert ids[1] == ids[0]
    for obj in second.get_objects():
        assert obj['keypoints'].shape == (17, 3)
        assert obj['det_model_cfg'] is tracker.det_model.cfg
        assert obj['pose_model_cfg'] is tracker.pose_model.cfg


def test_pose_tracker_detects_every_det_interval_frames(tracker, monkeypatch):
    calls = []
    detect = tracker._detect

    def counted(model, img):
        calls.append(1)
        return detect(model, img)

    monkeypatch.setattr(tracker, '_detect', counted)
    monkeypatch.setattr(tracker, 'det_interval', 2)
    monkeypatch.setattr(tracker, 'det_countdown', 0)
    for _ in range(4):
        msg = tracker.process({'input': FrameMessage(photo())})
        assert all('keypoints' in o for o in msg.get_objects())
    assert len(calls) == 2  # frames 1 and 3


def test_merge_hand_boxes():
    from mmpose.apis.webcam.nodes.model_nodes.hand_gesture_node import \
        merge_hand_boxes
    boxes = [dict(bbox=[5, 5, 12, 12]), dict(bbox=[0, 0, 10, 10]),
             dict(bbox=[50, 50, 52, 52])]
    # [5, 5, 12, 12] (area 49) overlaps the largest by 5 x 5 = 25 > 24.5:
    # merged into [0, 0, 12, 12]; the far box is dropped
    merged = merge_hand_boxes(boxes)
    assert len(merged) == 1
    np.testing.assert_array_equal(merged[0]['bbox'], [0, 0, 12, 12])
    assert boxes[1]['bbox'] == [0, 0, 10, 10]  # inputs left as they were
    assert merge_hand_boxes([]) == []


@pytest.fixture(scope='module')
def gesture_node(tmp_path_factory):
    cfg_path = tmp_path_factory.mktemp('gesture') / 'gesture.py'
    # the shipped config, on 64 x 64 crops to keep the test fast
    cfg = Config.fromfile(GESTURE_CFG)
    cfg.test_pipeline[5].size = 64
    cfg.dump(str(cfg_path))
    torch.manual_seed(0)
    return NODES.build(
        dict(type='HandGestureRecognizerNode', name='gesture',
             model_config=str(cfg_path), model_checkpoint=None,
             input_buffer='det_result', output_buffer='gesture',
             device='cpu', score_thr=0.0))


def hand_clip(num_frames=8) -> FrameMessage:
    msg = FrameMessage(np.stack([photo(48, 64)] * num_frames))
    msg.update_objects([dict(label='hand', class_id=0,
                             bbox=np.array([8, 4, 40, 36, 0.9]))])
    return msg


def test_gesture_node_waits_for_min_frame_frames(gesture_node):
    categories = gesture_node.model.cfg.dataset_info.category_info
    first = gesture_node.process({'input': [hand_clip()]})
    # 8 frames < min_frame 16: nothing recognised yet
    assert [o.get('gesture') for o in first.get_objects()] == [None]
    second = gesture_node.process({'input': [hand_clip()]})
    gestures = [o['gesture'] for o in second.get_objects()]
    assert len(gestures) == 1 and gestures[0] in categories.values()
    assert gesture_node.total_clip_length == 16


def test_object_visualizer_draws_boxes_in_the_label_colour():
    node = NODES.build(dict(type='ObjectVisualizerNode', name='vis',
                            input_buffer='frame', output_buffer='vis'))
    msg = node.process({'input': frame_with(
        np.zeros((100, 100, 3), np.uint8), person(),
        dict(label='zebra', bbox=np.array([70, 70, 90, 90, 1.0])))})
    img = msg.get_image()
    assert tuple(img[35, 10]) == (148, 139, 255)  # left edge: 'person'
    assert tuple(img[80, 90]) == (0, 255, 0)  # other labels: green
    assert tuple(img[35, 35]) == (0, 0, 0)  # inside: untouched


def test_object_visualizer_single_colour_and_must_have_keypoint():
    node = NODES.build(dict(type='ObjectVisualizerNode', name='vis',
                            input_buffer='frame', output_buffer='vis',
                            bbox_color='blue', must_have_keypoint=True))
    kpts = coco_keypoints({0: (80, 80)})
    msg = node.process({'input': frame_with(
        np.zeros((100, 100, 3), np.uint8), person(),
        person(kpts, bbox=(70, 5, 95, 30, 0.9),
               pose_model_cfg=table_cfg('coco')))})
    img = msg.get_image()
    assert tuple(img[35, 10]) == (0, 0, 0)  # no keypoints: no box
    assert tuple(img[20, 70]) == (255, 0, 0)  # blue (BGR)
    assert tuple(img[80, 80]) == COCO_NOSE_COLOR


def test_object_visualizer_draws_014_configs_in_014_colours():
    node = NODES.build(dict(type='ObjectVisualizerNode', name='vis',
                            input_buffer='frame', output_buffer='vis'))
    kpts = coco_keypoints({0: (80, 80)})
    msg = node.process({'input': frame_with(
        np.zeros((100, 100, 3), np.uint8),
        person(kpts, pose_model_cfg=coco_cfg()))})
    # a config naming TopDownCocoDataset draws as 0.14's vis_pose_result:
    # the nose in the palette's green
    assert tuple(msg.get_image()[80, 80]) == (0, 255, 0)


def test_object_visualizer_skips_keypoints_below_kpt_thr():
    node = NODES.build(dict(type='ObjectVisualizerNode', name='vis',
                            input_buffer='frame', output_buffer='vis',
                            show_bbox=False, kpt_thr=0.5))
    kpts = coco_keypoints({0: (80, 80)}, score=0.4)
    msg = node.process({'input': frame_with(
        np.zeros((100, 100, 3), np.uint8),
        person(kpts, pose_model_cfg=coco_cfg()))})
    assert not msg.get_image().any()


def test_notice_board_blends_the_board_into_the_corner():
    node = NODES.build(dict(type='NoticeBoardNode', name='notice',
                            input_buffer='vis', output_buffer='notice',
                            content_lines=['hello', 'world']))
    msg = node.process({'input': FrameMessage(
        np.zeros((100, 200, 3), np.uint8))})
    img = msg.get_image()
    # board: x 20 .. 20 + 5 * 0.4 * 20 = 60, y 20 - 15 = 5 .. 20 + 2 * 15;
    # half of (255, 183, 0) over black, rounded
    assert tuple(img[5, 20]) == (128, 92, 0)
    assert not img[:5].any() and not img[:, 60:].any() and \
        not img[50:].any()
    assert (img[5:50, 20:60] == 0).all(axis=2).any()  # the text itself


def sunglasses_node(**kwargs):
    return NODES.build(dict(type='SunglassesEffectNode', name='sunglasses',
                            input_buffer='vis', output_buffer='out',
                            **kwargs))


def test_sunglasses_go_over_the_eyes():
    canvas = np.zeros((100, 100, 3), np.uint8)
    canvas[:] = (0, 255, 0)
    # left eye (index 1) at x 60, right eye (2) at x 40
    kpts = coco_keypoints({1: (60, 50), 2: (40, 50)})
    msg = sunglasses_node().process({'input': frame_with(
        canvas.copy(), person(kpts, pose_model_cfg=coco_cfg()))})
    img = msg.get_image().astype(int)
    # the lenses (BGR (40, 30, 25)) are centred on the eyes ...
    for x in (40, 60):
        assert np.abs(img[50, x] - (40, 30, 25)).max() <= 3
    # ... the bridge, at 42% of the picture's height, joins them: 20 px of
    # eye distance span 40% of the height, so y = 40 + 0.12 / 0.4 * 20 = 46
    assert img[46, 50].sum() < 100
    # far from the face the frame is untouched
    assert tuple(img[5, 5]) == (0, 255, 0)
    assert tuple(img[90, 50]) == (0, 255, 0)


def test_sunglasses_need_both_eyes_confident():
    canvas = np.full((100, 100, 3), 128, np.uint8)
    kpts = coco_keypoints({1: (60, 50), 2: (40, 50)})
    kpts[2, 2] = 0.3  # below kpt_thr 0.5
    msg = sunglasses_node().process({'input': frame_with(
        canvas.copy(), person(kpts, pose_model_cfg=coco_cfg()))})
    np.testing.assert_array_equal(msg.get_image(), canvas)


def test_sunglasses_picture_ships_with_the_package_or_is_named():
    from mmpose.apis.webcam.nodes.visualizer_nodes.sunglasses_effect_node \
        import DEFAULT_SUNGLASSES
    assert osp.isfile(DEFAULT_SUNGLASSES)
    assert sunglasses_node().resource_img.shape[2] == 3
    with pytest.raises(FileNotFoundError, match='nowhere.png'):
        sunglasses_node(resource_img_path='nowhere.png')


def test_sunglasses_on_a_model_without_eyes_say_so():
    msg = frame_with(np.zeros((10, 10, 3), np.uint8),
                     person(np.zeros((16, 3)),
                            pose_model_cfg=table_cfg('mpii')))
    with pytest.raises(ValueError, match='eye'):
        sunglasses_node().process({'input': msg})


def test_bigeye_magnifies_around_the_eyes():
    # intensity = x: a sample position reads back as a pixel value
    img = np.tile(np.arange(200, dtype=np.uint8), (100, 1))
    img = np.repeat(img[:, :, None], 3, axis=2)
    kpts = coco_keypoints({1: (150, 50), 2: (50, 50)})
    node = NODES.build(dict(type='BigeyeEffectNode', name='bigeye',
                            input_buffer='vis', output_buffer='out'))
    msg = node.process({'input': frame_with(
        img.copy(), person(kpts, bbox=(0, 0, 100, 100, 0.9),
                           pose_model_cfg=coco_cfg()))})
    out = msg.get_image()
    # box diagonal^2 = 20000; 5 px right of the right eye r^2 = 25 / 20000,
    # so it samples 5 / (1 + 0.001 * 20000 / 25) = 2.78 px from the eye
    # (the left eye, 95 px away, moves it by about 0.2 px more)
    assert 52.5 <= out[50, 55, 0] <= 53.5
    assert out[50, 50, 0] == 50  # the eye itself stays
    assert abs(int(out[5, 100, 0]) - 100) <= 1  # far away: about the same


# ---------------------------------------------------------- demo configs
@pytest.mark.parametrize('name', ['pose_estimation', 'pose_tracking',
                                  'gesture_recognition', 'test_camera'])
def test_demo_configs_name_registered_nodes_and_existing_files(name):
    cfg = Config.fromfile(osp.join(WEBCAM_CFG_DIR, f'{name}.py'))
    nodes = cfg.executor_cfg.nodes
    assert nodes[-1].type == 'RecorderNode'
    assert nodes[-1].output_buffer == '_display_'
    for node in nodes:
        assert node.type in NODES.module_dict
        for key, value in node.items():
            if key.endswith('config'):
                assert osp.isfile(osp.join(REPO, value)), value


def test_webcam_demo_options():
    demo = load_demo('webcam_demo')
    args = demo.parse_args([])
    assert args.config == 'demo/webcam_cfg/pose_estimation.py'
    assert not (args.cpu or args.cuda or args.debug or args.no_display)
    assert demo.camera_source('1') == 1
    assert demo.camera_source('clip.mp4') == 'clip.mp4'
    cfg = demo.set_device(
        Config.fromfile(osp.join(WEBCAM_CFG_DIR, 'pose_estimation.py')),
        'cpu')
    devices = {n.type: n.get('device') for n in cfg.executor_cfg.nodes}
    assert devices['DetectorNode'] == 'cpu'
    assert devices['TopDownPoseEstimatorNode'] == 'cpu'
    assert devices['ObjectVisualizerNode'] is None


DEMO_CONFIG = '''
executor_cfg = dict(
    name='test', camera_id=0, synchronous=True,
    nodes=[
        dict(type='DetectorNode', name='detector', model_config={det_cfg!r},
             model_checkpoint={det_ckpt!r}, bbox_thr=0.0,
             input_buffer='_input_', output_buffer='det_result'),
        dict(type='TopDownPoseEstimatorNode', name='pose',
             model_config={pose_cfg!r}, model_checkpoint={pose_ckpt!r},
             labels=['person'], bbox_thr=0.0, input_buffer='det_result',
             output_buffer='human_pose'),
        dict(type='ObjectAssignerNode', name='assigner',
             frame_buffer='_frame_', object_buffer='human_pose',
             output_buffer='frame'),
        dict(type='ObjectVisualizerNode', name='vis', enable_key='v',
             input_buffer='frame', output_buffer='vis'),
        dict(type='SunglassesEffectNode', name='sunglasses', enable_key='s',
             input_buffer='vis', output_buffer='vis_sunglasses'),
        dict(type='BigeyeEffectNode', name='big-eye', enable_key='b',
             input_buffer='vis_sunglasses', output_buffer='vis_bigeye'),
        dict(type='NoticeBoardNode', name='notice', enable_key='h',
             input_buffer='vis_bigeye', output_buffer='vis_notice'),
        dict(type='MonitorNode', name='monitor', enable_key='m',
             input_buffer='vis_notice', output_buffer='display'),
        dict(type='RecorderNode', name='recorder',
             out_video_file={out!r}, input_buffer='display',
             output_buffer='_display_'),
    ])
'''


@pytest.mark.slow
def test_webcam_demo_end_to_end_on_a_video(models, tmp_path):
    video = write_video(tmp_path / 'clip.mp4', num_frames=5)  # 160x112
    out = tmp_path / 'out.mp4'
    config = tmp_path / 'webcam.py'
    config.write_text(DEMO_CONFIG.format(
        det_cfg=models['det_cfg'], det_ckpt=models['det_ckpt'],
        pose_cfg=TINY_TOP_DOWN, pose_ckpt=models['pose_ckpt'], out=str(out)))
    load_demo('webcam_demo').main(['--config', str(config), '--camera-id',
                                   video, '--cpu', '--no-display'])
    frames = read_video_frames(out)
    assert len(frames) == 5
    assert frames[0].shape == (112, 160, 3)
