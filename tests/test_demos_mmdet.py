"""The detector configs shipped in demo/mmdetection_cfg build the
MMDetection 2.x models they name, and every ``*_with_mmdet`` demo runs end
to end with mmdet 2.28 and a Faster R-CNN of the shipped config (random
weights); without mmdet they say what is missing."""
import glob
import os.path as osp
import re
import sys

import mmcv
import pytest

from .helpers import SMALL_DETECTOR, save_random_detector
from .helpers import build_detector as build
from .test_demos_tracking import (DATA, NUM_FRAMES, REPO, TOP_DOWN_CFG,
                                  count_frames, load_demo, run_demo,
                                  save_random_pose_checkpoint, write_video)

pytest.importorskip('mmdet', reason='mmdet 2.x is not installed')

DET_CFG_DIR = osp.join(REPO, 'demo', 'mmdetection_cfg')
FASTER_RCNN = osp.join(DET_CFG_DIR, 'faster_rcnn_r50_fpn_coco.py')
MMDET_DEMOS = ('top_down_img_demo_with_mmdet',
               'top_down_video_demo_with_mmdet',
               'top_down_pose_tracking_demo_with_mmdet')


def shapes(model, suffix: str) -> dict:
    return {k: tuple(v.shape) for k, v in model.state_dict().items()
            if k.endswith(suffix)}


# ------------------------------------------------------------- the configs
@pytest.mark.parametrize('config', sorted(
    glob.glob(osp.join(DET_CFG_DIR, '*.py'))), ids=osp.basename)
def test_detector_configs_are_mmdet2_configs(config):
    cfg = mmcv.Config.fromfile(config)
    # two-stage person/hand detectors, 0.29's SSDLite (webcam demos),
    # Mask R-CNN and YOLOv3
    assert cfg.model.type in ('FasterRCNN', 'CascadeRCNN',
                              'SingleStageDetector', 'MaskRCNN', 'YOLOV3')
    assert 'test_cfg' in cfg.model and 'train_cfg' in cfg.model
    assert cfg.data.test.pipeline[0]['type'] == 'LoadImageFromFile'


def test_faster_rcnn_config_is_the_coco_r50_fpn_model():
    model = build(FASTER_RCNN)
    # Parameters, counted by hand from the layer shapes:
    #   ResNet-50 without fc                                   23,508,032
    #   FPN: 1x1 laterals (256+512+1024+2048)*256 + 4*256         984,064
    #        4 x 3x3 convs 4*(256*256*9 + 256)                  2,360,320
    #   RPN: 3x3 conv 590,080 + cls 256*3+3 + reg 256*12+12       593,935
    #   RoI head: fc6 12544*1024+1024, fc7 1024*1024+1024,
    #             cls 1024*81+81, reg 1024*320+320             14,306,705
    assert sum(p.numel() for p in model.parameters()) == 41_753_056
    assert shapes(model, 'fc_cls.weight') == {
        'roi_head.bbox_head.fc_cls.weight': (81, 1024)}  # 80 + background
    assert shapes(model, 'fc_reg.weight') == {
        'roi_head.bbox_head.fc_reg.weight': (320, 1024)}  # 4 per class
    assert shapes(model, 'rpn_cls.weight') == {
        'rpn_head.rpn_cls.weight': (3, 256, 1, 1)}  # 3 anchors, sigmoid


def test_one_class_faster_rcnn_has_one_foreground_class():
    model = build(osp.join(DET_CFG_DIR, 'faster_rcnn_r50_fpn_1class.py'))
    assert shapes(model, 'fc_cls.weight') == {
        'roi_head.bbox_head.fc_cls.weight': (2, 1024)}
    assert shapes(model, 'fc_reg.weight') == {
        'roi_head.bbox_head.fc_reg.weight': (4, 1024)}


@pytest.mark.slow
@pytest.mark.parametrize('name, num_classes', [
    ('cascade_rcnn_x101_64x4d_fpn_coco.py', 80),
    ('cascade_rcnn_x101_64x4d_fpn_1class.py', 1),
])
def test_cascade_rcnn_configs(name, num_classes):
    model = build(osp.join(DET_CFG_DIR, name))
    assert type(model.backbone).__name__ == 'ResNeXt'
    # three stages, class-agnostic box regression
    assert shapes(model, 'fc_cls.weight') == {
        f'roi_head.bbox_head.{i}.fc_cls.weight': (num_classes + 1, 1024)
        for i in range(3)}
    assert shapes(model, 'fc_reg.weight') == {
        f'roi_head.bbox_head.{i}.fc_reg.weight': (4, 1024) for i in range(3)}
    # ResNeXt-101 64x4d: the first block of stage 1 has 64 groups of 4
    assert shapes(model, 'layer1.0.conv2.weight') == {
        'backbone.layer1.0.conv2.weight': (256, 4, 3, 3)}


def test_tracktor_config_is_an_mmtrack_config():
    cfg = mmcv.Config.fromfile(
        osp.join(REPO, 'demo', 'mmtracking_cfg',
                 'tracktor_faster-rcnn_r50_fpn_4e_mot17-private.py'))
    assert cfg.model.type == 'Tracktor'
    assert cfg.model.detector.roi_head.bbox_head.num_classes == 1
    assert set(cfg.model.pretrains) == {'detector', 'reid'}


# ------------------------------------------------------ without mmdet
@pytest.mark.parametrize('name', MMDET_DEMOS)
def test_mmdet_demos_explain_missing_mmdet(name, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, 'mmdet', None)
    monkeypatch.setitem(sys.modules, 'mmdet.apis', None)
    demo = load_demo(name)
    out = ('--out-img-root' if 'img' in name else '--out-video-root')
    with pytest.raises(SystemExit, match=r'MMDetection 2\.x.*mmdet==2\.28'):
        demo.main(['det.py', 'det.pth', TOP_DOWN_CFG, 'pose.pth', out,
                   str(tmp_path)])


# ------------------------------------------------------------ end to end
@pytest.fixture(scope='module')
def models(tmp_path_factory):
    """(detector config, detector checkpoint, pose checkpoint, video)."""
    root = tmp_path_factory.mktemp('mmdet_demos')
    det_cfg = root / 'faster_rcnn_small.py'
    det_cfg.write_text(SMALL_DETECTOR.format(base=FASTER_RCNN))
    det_ckpt = save_random_detector(FASTER_RCNN,
                                    root / 'faster_rcnn_random.pth')
    pose_ckpt = save_random_pose_checkpoint(TOP_DOWN_CFG, root / 'pose.pth')
    return str(det_cfg), det_ckpt, pose_ckpt, write_video(root / 'clip.mp4')


@pytest.mark.slow
def test_img_demo_with_mmdet(models, tmp_path, capsys):
    det_cfg, det_ckpt, pose_ckpt, _ = models
    run_demo('top_down_img_demo_with_mmdet', det_cfg, det_ckpt,
             TOP_DOWN_CFG, pose_ckpt, '--img-root', osp.join(DATA, 'demo'),
             '--img', '000000196141.jpg', '--out-img-root', tmp_path,
             '--device', 'cpu', '--bbox-thr', 0)
    out = tmp_path / 'vis_000000196141.jpg'
    assert mmcv.imread(str(out)).shape == mmcv.imread(
        osp.join(DATA, 'demo', '000000196141.jpg')).shape
    # at most max_per_img people (boxes of no area are skipped)
    num_people = re.search(r': (\d+) people ->', capsys.readouterr().out)
    assert 1 <= int(num_people.group(1)) <= 3


@pytest.mark.slow
def test_video_demo_with_mmdet(models, tmp_path):
    det_cfg, det_ckpt, pose_ckpt, video = models
    run_demo('top_down_video_demo_with_mmdet', det_cfg, det_ckpt,
             TOP_DOWN_CFG, pose_ckpt, '--video-path', video,
             '--out-video-root', tmp_path, '--device', 'cpu', '--bbox-thr',
             0)
    assert count_frames(tmp_path / 'vis_clip.mp4') == NUM_FRAMES


@pytest.mark.slow
def test_pose_tracking_demo_with_mmdet(models, tmp_path):
    det_cfg, det_ckpt, pose_ckpt, video = models
    drawn = []
    run_demo('top_down_pose_tracking_demo_with_mmdet', det_cfg, det_ckpt,
             TOP_DOWN_CFG, pose_ckpt, '--video-path', video,
             '--out-video-root', tmp_path, '--device', 'cpu', '--bbox-thr',
             0, '--euro', draw_log=drawn)
    assert count_frames(tmp_path / 'vis_clip.mp4') == NUM_FRAMES
    assert len(drawn) == NUM_FRAMES
    ids = [p['track_id'] for frame in drawn for p in frame]
    assert ids and all(isinstance(i, int) for i in ids)
    # the first frame opens tracks 0, 1, ... (or drops a person: -1)
    assert sorted(i for i in (p['track_id'] for p in drawn[0]) if i >= 0) \
        == list(range(sum(p['track_id'] >= 0 for p in drawn[0])))
