"""MMPose 0.29's gesture family: the I3D backbone, the MTUT head, the
GestureRecognizer, the video pipelines, NVGestureDataset and
inference_gesture_model.

Expected values are hand-derived from tiny arrays (noted next to each) or
come from the packed 0.29 reference (state_dict names and shapes).
"""
import json
import math
import shutil

import cv2
import numpy as np
import pytest
import torch
from mmcv import Config

from mmpose.apis import inference_gesture_model, init_pose_model
from mmpose.datasets import DATASETS, PIPELINES
from mmpose.errors import UnknownNameError
from mmpose.models import build_backbone, build_head, build_posenet
from .reference import (REPO_ROOT, packed_manifests, reference_cfg,
                        state_dict_problems)

GESTURE_CONFIGS = sorted(
    path for path in packed_manifests('0.29') if '/gesture_' in path)
CONFIG_DIR = REPO_ROOT / 'configs' / 'hand' / 'gesture_sview_rgbd_vid' / \
    'mtut' / 'nvgesture'
DATA_DIR = REPO_ROOT / 'tests' / 'data' / 'nvgesture'
NVGESTURE_FLIP_PAIRS = [(0, 1), (4, 5), (19, 20)]


def build(cfg):
    return PIPELINES.build(cfg)


def write_video(path, frames, fps=30):
    """Write ``frames`` (list of uint8 [H, W, 3] BGR) losslessly (FFV1)."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter_fourcc(*'FFV1'), fps, (width, height))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()


def ramp_frames(num_frames, height, width):
    """Frame t is the flat BGR colour (10 t, 100, 200)."""
    return [
        np.full((height, width, 3), (10 * t, 100, 200), np.uint8)
        for t in range(num_frames)
    ]


def clip(num_frames=1, height=1, width=1, channels=1):
    """A uint8 clip whose values count up in C order."""
    size = num_frames * height * width * channels
    return np.arange(size, dtype=np.uint8).reshape(num_frames, height, width,
                                                   channels)


def sizes(*videos):
    return dict(
        video=list(videos),
        modality=['rgb'] * len(videos),
        num_frames=[v.shape[0] for v in videos],
        height=[v.shape[1] for v in videos],
        width=[v.shape[2] for v in videos])


# ---------------------------------------------------------------- models


@pytest.mark.parametrize('path', GESTURE_CONFIGS)
def test_gesture_configs_build_the_029_state_dict(path):
    manifest = packed_manifests('0.29')[path]
    cfg = reference_cfg(path, '0.29')['model']
    cfg['pretrained'] = None
    with torch.device('meta'):
        model = build_posenet(cfg)
    built = {k: [list(v.shape), str(v.dtype)]
             for k, v in model.state_dict().items()}
    assert state_dict_problems(manifest['state_dict'], built) == []
    assert sum(p.numel() for p in model.parameters()) == \
        manifest['num_params']


def test_four_gesture_configs_are_covered():
    assert len(GESTURE_CONFIGS) == 4


def test_i3d_output_shape():
    # 8 frames of 64x64: time 8 -> 3 (7x7x7 conv, stride 2, pad 2) -> 2
    # (pool 3, stride 2, pad 1) -> 1 (pool 2, stride 2); space 64 -> 32 ->
    # 16 -> 8 -> 4 -> 2.
    backbone = build_backbone(dict(type='I3D', in_channels=1)).eval()
    with torch.no_grad():
        out = backbone(torch.rand(2, 1, 8, 64, 64))
    assert out.shape == (2, 1024, 1, 2, 2)


def test_i3d_rounds_expansion_to_eighths():
    # 0.3 -> round(2.4) / 8 = 0.25: the stem gives 64 * 0.25 channels.
    backbone = build_backbone(dict(type='I3D', expansion=0.3))
    assert backbone.conv3d_1a_7x7.conv3d.weight.shape == (16, 3, 7, 7, 7)
    assert backbone.mixed_5c.branch_0.batch3d.num_features == 96


def identity_head(**kwargs):
    """A 2-class head on 2 channels whose classifiers copy the channels."""
    head = build_head(
        dict(
            type='MultiModalSSAHead',
            num_classes=2,
            modality=kwargs.pop('modality', ['rgb']),
            in_channels=2,
            avg_pool_kernel=(1, 1, 1),
            **kwargs))
    for conv in head.output_conv.children():
        conv.weight.data = torch.eye(2).view(2, 2, 1, 1, 1)
        conv.bias.data.zero_()
    return head


def test_head_logits_are_spatial_means_per_frame():
    head = identity_head()
    # [N=1, C=2, T=2, H=1, W=2]
    fmap = torch.tensor([[[[[1., 3.]], [[5., 7.]]], [[[0., 2.]],
                                                       [[4., 4.]]]]])
    logits = head([fmap], dict(modality=['rgb']))
    assert len(logits) == 1
    expected = torch.tensor([[[2., 6.], [1., 4.]]])  # [N, L, T]
    assert torch.equal(logits[0], expected)


def test_head_cross_entropy_sums_modalities():
    head = identity_head(modality=['rgb', 'depth'])
    # Uniform logits over 2 classes: ln 2 per modality.
    logits = [torch.zeros(3, 2, 4), torch.zeros(3, 2, 4)]
    losses = head.get_loss(logits, torch.tensor([0, 1, 1]))
    assert set(losses) == {'ce_loss'}
    assert losses['ce_loss'].item() == pytest.approx(2 * math.log(2))


def test_head_ssa_loss_hand_computed():
    head = identity_head(
        modality=['rgb', 'depth'],
        train_cfg=dict(beta=2, lambda_=0.1, ssa_start_epoch=5))
    label = torch.tensor([0])
    # ce_rgb = ln 2 (uniform), ce_depth = -ln(3/4) (logits ln 3, 0).
    logits = [torch.zeros(1, 2, 1), torch.tensor([[[math.log(3)], [0.]]])]
    # One channel over 2 positions: correlations [1, 0, 0, 0] vs [0, 0, 0, 1]
    fmaps = [
        torch.tensor([1., 0.]).view(1, 1, 1, 1, 2),
        torch.tensor([0., 2.]).view(1, 1, 1, 1, 2)
    ]
    head.set_train_epoch(4)
    assert 'ssa_loss' not in head.get_loss(logits, label, fmaps)
    head.set_train_epoch(5)
    losses = head.get_loss(logits, label, fmaps)
    # rgb classifies worse: weight exp(2 ln(1.5)) - 1 = 1.25, rms distance
    # sqrt(2 / 4); the depth->rgb term has weight 0.
    assert losses['ssa_loss'].item() == pytest.approx(
        0.1 * 1.25 * math.sqrt(0.5))
    assert losses['ce_loss'].item() == pytest.approx(
        math.log(2) + math.log(4 / 3))


def test_head_accuracy_per_modality():
    head = identity_head(modality=['rgb', 'depth'])
    logits = [
        torch.tensor([[[1.], [0.]], [[1.], [0.]]]),  # predicts 0, 0
        torch.tensor([[[1.], [0.]], [[0.], [1.]]]),  # predicts 0, 1
    ]
    acc = head.get_accuracy(logits, torch.tensor([0, 1]),
                            dict(modality=['rgb', 'depth']))
    assert acc == {'acc_rgb': 0.5, 'acc_depth': 1.0}


@pytest.fixture(scope='module')
def recognizer():
    cfg = Config.fromfile(
        str(CONFIG_DIR / 'i3d_nvgesture_bbox_112x112_fps15.py'))
    cfg.model.pretrained = None
    return build_posenet(cfg.model)


def test_recognizer_train_and_test_outputs(recognizer):
    video = [torch.rand(2, 3, 8, 64, 64), torch.rand(2, 1, 8, 64, 64)]
    metas = [dict(modality=['rgb', 'depth'])] * 2
    label = torch.tensor([3, 24])
    recognizer.train()
    recognizer.set_train_epoch(0)
    losses = recognizer(video, label, img_metas=metas)
    assert set(losses) == {'ce_loss', 'acc_rgb', 'acc_depth'}
    recognizer.set_train_epoch(111)  # the config's ssa_start_epoch
    assert 'ssa_loss' in recognizer(video, label, img_metas=metas)
    recognizer.eval()
    with torch.no_grad():
        result = recognizer(video, label, img_metas=metas, return_loss=False)
    assert {k: tuple(v.shape) for k, v in result['logits'].items()} == {
        'rgb': (2, 25, 1), 'depth': (2, 25, 1)}
    assert result['label'] is label


def test_recognizer_names_a_missing_modality_backbone():
    with pytest.raises(ValueError, match='depth'):
        build_posenet(
            dict(
                type='GestureRecognizer',
                modality=['rgb', 'depth'],
                backbone=dict(rgb=dict(type='I3D'))))


# ---------------------------------------------------------------- pipelines


def test_load_video_from_files(tmp_path):
    write_video(tmp_path / 'a.avi', ramp_frames(5, 6, 8), fps=30)
    write_video(tmp_path / 'b.avi', ramp_frames(3, 4, 2), fps=15)
    results = build(dict(type='LoadVideoFromFile'))(
        dict(video_file=[str(tmp_path / 'a.avi'), str(tmp_path / 'b.avi')]))
    assert results['num_frames'] == [5, 3]
    assert results['height'] == [6, 4] and results['width'] == [8, 2]
    assert results['fps'] == [30, 15]
    assert results['video'][0].shape == (5, 6, 8, 3)
    assert results['video'][0].dtype == np.uint8
    # Lossless video: frame 4 is BGR (40, 100, 200) everywhere.
    assert (results['video'][0][4] == (40, 100, 200)).all()


def test_load_video_given_array_and_missing_file(tmp_path):
    results = build(dict(type='LoadVideoFromFile'))(
        dict(video=np.zeros((7, 5, 3, 3), np.uint8)))
    assert results['num_frames'] == [7]
    assert (results['height'], results['width']) == ([5], [3])
    with pytest.raises(FileNotFoundError, match='missing.avi'):
        build(dict(type='LoadVideoFromFile'))(
            dict(video_file=str(tmp_path / 'missing.avi')))
    with pytest.raises(KeyError, match='video_file'):
        build(dict(type='LoadVideoFromFile'))({})


def test_crop_valid_clip():
    results = sizes(clip(6), clip(8))
    results['valid_frames'] = [[1, 4], [2, 6]]
    results['bbox'] = list(range(8))
    results = build(dict(type='CropValidClip'))(results)
    # common length min(4 - 1, 6 - 2) = 3
    assert results['video'][0].ravel().tolist() == [1, 2, 3]
    assert results['video'][1].ravel().tolist() == [2, 3, 4]
    assert results['num_frames'] == 3
    assert results['bbox'] == [2, 3, 4]  # the last modality's window
    assert 'valid_frames' not in results


def test_crop_valid_clip_default_window_drops_last_frame():
    results = build(dict(type='CropValidClip'))(sizes(clip(4)))
    assert results['video'][0].ravel().tolist() == [0, 1, 2]


def test_temporal_pooling_stride_and_padding():
    results = sizes(clip(5))
    results['num_frames'] = 5
    results = build(dict(type='TemporalPooling', stride=2))(results)
    assert results['video'][0].ravel().tolist() == [0, 2, 4]
    assert results['num_frames'] == 3

    results = sizes(clip(2))
    results['num_frames'] = 2
    results = build(dict(type='TemporalPooling', length=4))(results)
    # 2 frames missing: one edge copy before, one after.
    assert results['video'][0].ravel().tolist() == [0, 0, 1, 1]
    assert results['num_frames'] == 4


def test_temporal_pooling_reference_fps():
    results = sizes(clip(7))
    results.update(num_frames=7, fps=[30])
    # stride 30 // 15 = 2; 3 frames span 5 of the 7: start 0, 1 or 2.
    np.random.seed(0)
    starts = set()
    for _ in range(30):
        out = build(dict(type='TemporalPooling', length=3, ref_fps=15))(
            dict(results, video=[clip(7)]))
        frames = out['video'][0].ravel().tolist()
        assert frames[1] - frames[0] == 2 and frames[2] - frames[1] == 2
        starts.add(frames[0])
    assert starts == {0, 1, 2}


def test_temporal_pooling_errors():
    with pytest.raises(ValueError, match='stride.*ref_fps'):
        build(dict(type='TemporalPooling', stride=2, ref_fps=15))
    results = sizes(clip(4))
    results['num_frames'] = 4
    with pytest.raises(KeyError, match='fps'):
        build(dict(type='TemporalPooling', ref_fps=15))(results)
    with pytest.raises(ValueError, match='ref_fps'):
        build(dict(type='TemporalPooling', ref_fps=60))(
            dict(results, fps=[30]))


def test_resize_given_short_edge():
    frames = np.stack([np.full((4, 8, 1), 10, np.uint8),
                       np.full((4, 8, 1), 200, np.uint8)])
    results = build(dict(type='ResizeGivenShortEdge', length=2))(
        sizes(frames))
    # short edge 4 -> 2, long edge 8 -> int(2 * 8 / 4) = 4
    video = results['video'][0]
    assert video.shape == (2, 2, 4, 1)
    assert (video[0] == 10).all() and (video[1] == 200).all()
    assert (results['height'], results['width']) == ([2], [4])


def test_resize_long_clip_beyond_opencv_channel_limit():
    # 200 RGB frames are 600 channels, more than OpenCV resizes at once;
    # flat frame t (value t) stays flat after resizing.
    values = np.arange(200, dtype=np.uint8)
    video = np.broadcast_to(values[:, None, None, None], (200, 12, 16, 3))
    results = build(dict(type='ResizeGivenShortEdge', length=6))(
        sizes(np.ascontiguousarray(video)))
    resized = results['video'][0]
    assert resized.shape == (200, 6, 8, 3)
    assert (resized == values[:, None, None, None]).all()


def test_center_spatial_crop():
    video = clip(1, 5, 6)
    results = build(dict(type='CenterSpatialCrop', length=2))(sizes(video))
    # top-left at ((6 - 2) // 2, (5 - 2) // 2) = (2, 1): values 6 y + x
    assert results['video'][0][0, :, :, 0].tolist() == [[8, 9], [14, 15]]
    assert (results['height'], results['width']) == ([2], [2])


def test_random_aligned_spatial_crop_is_shared_by_modalities():
    video = clip(2, 5, 6)
    results = build(dict(type='RandomAlignedSpatialCrop', length=3))(
        sizes(video, video.copy()))
    first, second = results['video']
    assert np.array_equal(first, second)
    y, x = divmod(int(first[0, 0, 0, 0]), 6)
    assert np.array_equal(first, video[:, y:y + 3, x:x + 3])
    with pytest.raises(ValueError, match='share one size'):
        build(dict(type='RandomAlignedSpatialCrop', length=2))(
            sizes(clip(1, 4, 4), clip(1, 3, 4)))


def test_gesture_random_flip_swaps_mirrored_labels():
    video = clip(1, 1, 3)
    flip = build(dict(type='GestureRandomFlip', prob=1.0))
    for label, flipped_label in ((4, 5), (20, 19), (3, 3)):
        results = dict(
            video=[video.copy()],
            label=label,
            ann_info=dict(flip_pairs=NVGESTURE_FLIP_PAIRS))
        results = flip(results)
        assert results['label'] == flipped_label
        assert results['flipped']
        assert results['video'][0].ravel().tolist() == [2, 1, 0]
    results = build(dict(type='GestureRandomFlip', prob=0.0))(
        dict(video=[video], label=4, ann_info=dict(flip_pairs=[(4, 5)])))
    assert results['label'] == 4 and not results['flipped']


def upper_bound(low, high):
    return high


def test_video_color_jitter_brightness(monkeypatch):
    monkeypatch.setattr(np.random, 'uniform', upper_bound)
    rgb = np.array([100, 200], np.uint8).repeat(3).reshape(1, 1, 2, 3)
    depth = np.full((1, 1, 2, 1), 100, np.uint8)
    results = build(dict(type='VideoColorJitter', brightness=0.5))(
        dict(video=[rgb, depth], modality=['rgb', 'depth']))
    # factor 1.5: 100 -> 150, 200 -> 300 clipped to 255; depth untouched.
    assert results['video'][0][0, 0, :, 0].tolist() == [150, 255]
    assert results['video'][0].shape == (1, 1, 2, 3)
    assert results['video'][1] is depth


def test_video_color_jitter_contrast(monkeypatch):
    monkeypatch.setattr(np.random, 'uniform', upper_bound)
    # Two grey frames of one pixel: clip mean 150, factor 2 -> 2 v - 150.
    rgb = np.array([100, 200], np.uint8).repeat(3).reshape(2, 1, 1, 3)
    results = build(dict(type='VideoColorJitter', contrast=1.0))(
        dict(video=[rgb], modality=['rgb']))
    assert results['video'][0][:, 0, 0, 0].tolist() == [50, 250]


def test_modal_wise_channel_process():
    bgr = clip(1, 1, 1, 3)  # values 0, 1, 2
    results = build(dict(type='ModalWiseChannelProcess'))(
        dict(
            video=[bgr, bgr, bgr, bgr[..., 0]],
            modality=['rgb', 'depth', 'flow', 'depth']))
    rgb, depth, flow, depth2 = results['video']
    assert rgb.ravel().tolist() == [2, 1, 0]
    assert depth.shape == (1, 1, 1, 1) and depth.ravel().tolist() == [0]
    assert flow.ravel().tolist() == [0, 1]
    assert depth2.shape == (1, 1, 1, 1)
    with pytest.raises(ValueError, match="'ir'.*depth"):
        build(dict(type='ModalWiseChannelProcess'))(
            dict(video=[bgr], modality=['ir']))


def test_video_to_tensor_and_normalize():
    video = np.zeros((2, 1, 1, 3), np.uint8)
    video[..., 0], video[..., 1], video[..., 2] = 255, 51, 0
    results = build(dict(type='MultiModalVideoToTensor'))(
        dict(video=[video, np.full((2, 1, 1, 1), 255, np.uint8)],
             modality=['rgb', 'depth']))
    rgb, depth = results['video']
    assert rgb.shape == (3, 2, 1, 1) and rgb.dtype == torch.float32
    assert rgb[:, 0, 0, 0].tolist() == pytest.approx([1.0, 0.2, 0.0])
    results = build(
        dict(type='VideoNormalizeTensor', mean=[0.5, 0.2, 0.5],
             std=[0.5, 0.1, 0.25]))(results)
    # (1 - 0.5) / 0.5, (0.2 - 0.2) / 0.1, (0 - 0.5) / 0.25
    assert results['video'][0][:, 1, 0, 0].tolist() == pytest.approx(
        [1.0, 0.0, -2.0], abs=1e-6)
    assert torch.equal(results['video'][1], depth)  # only RGB is normalised


def test_multi_frame_bbox_merge():
    merge = build(dict(type='MultiFrameBBoxMerge'))
    results = merge(
        dict(
            bbox=[[{'bbox': [1, 2, 5, 6]}], [], [{'bbox': [0, 3, 4, 9]}]],
            width=[20], height=[10]))
    assert results['bbox'].tolist() == [0, 2, 5, 9]
    results = merge(dict(bbox=[[], []], width=[20], height=[10]))
    assert results['bbox'].tolist() == [0, 0, 19, 9]
    assert merge(dict(width=[1])) == dict(width=[1])


def test_resized_crop_by_bbox_without_jitter():
    video = clip(1, 8, 10)
    results = sizes(video)
    results['bbox'] = np.array([2, 1, 5, 4])
    results = build(dict(type='ResizedCropByBBox', size=4))(results)
    # side max(5 - 2, 4 - 1) = 3; window x 2..5, y 1..4 (inclusive): 4x4,
    # resized to 4x4 unchanged.
    assert np.array_equal(results['video'][0], video[:, 1:5, 2:6])
    assert (results['height'], results['width']) == ([4], [4])


# ---------------------------------------------------------------- dataset

LST_LINES = [
    'path:./Video_data/class_05/subject1_r0 depth:sk_depth:1:9 '
    'color:sk_color:1:9 duo_left:duo_left:3:12 label:5',
    'path:./Video_data/class_06/subject1_r1 depth:sk_depth:0:8 '
    'color:sk_color:0:8 duo_left:duo_left:3:12 label:6',
]


@pytest.fixture
def nvgesture_root(tmp_path):
    """The tiny sample of tests/data/nvgesture with its videos (10 frames
    of 16x12, 30 fps) written next to it."""
    root = tmp_path / 'nvgesture'
    shutil.copytree(DATA_DIR, root)
    for sample in ('class_05/subject1_r0', 'class_06/subject1_r1'):
        folder = root / 'Video_data' / sample
        folder.mkdir(parents=True)
        write_video(folder / 'sk_color.avi', ramp_frames(10, 12, 16))
        write_video(folder / 'sk_depth.avi', ramp_frames(10, 12, 16))
    return root


def nvgesture(root, modality=('rgb', 'depth'), bbox=False, pipeline=()):
    data_cfg = dict(video_size=[16, 12], modality=list(modality))
    if bbox:
        data_cfg['bbox_file'] = str(root / 'annotations' / 'bboxes.json')
    return DATASETS.build(
        dict(
            type='NVGestureDataset',
            ann_file=str(root / 'annotations' / 'nvgesture_test.lst'),
            vid_prefix=str(root) + '/',
            data_cfg=data_cfg,
            pipeline=list(pipeline),
            test_mode=True))


def test_sample_annotation_is_the_nvgesture_format():
    lines = (DATA_DIR / 'annotations' / 'nvgesture_test.lst').read_text()
    assert lines.split('\n')[:2] == LST_LINES


def test_nvgesture_parses_samples(nvgesture_root):
    dataset = nvgesture(nvgesture_root, bbox=True)
    assert len(dataset) == 2
    first = dataset.db[0]
    assert first['label'] == 4  # 1-based in the file
    assert first['rgb'] == dict(
        path='Video_data/class_05/subject1_r0/sk_color.avi',
        valid_frames=(1, 9))
    assert first['depth']['path'].endswith('sk_depth.avi')
    assert first['flow']['path'].endswith('sk_flow.avi')
    assert first['bbox'][0] == [{'bbox': [2, 1, 9, 8]}]
    assert dataset.ann_info['flip_pairs'] == NVGESTURE_FLIP_PAIRS


def test_nvgesture_item_through_the_pipeline(nvgesture_root):
    pipeline = [
        dict(type='LoadVideoFromFile'),
        dict(type='ModalWiseChannelProcess'),
        dict(type='CropValidClip'),
        dict(type='TemporalPooling', length=-1, ref_fps=15),
        dict(type='MultiModalVideoToTensor'),
        dict(type='Collect', keys=['video', 'label'],
             meta_keys=['fps', 'modality']),
    ]
    item = nvgesture(nvgesture_root, pipeline=pipeline)[0]
    rgb, depth = item['video']
    # frames 1..8 (window [1, 9)), every 2nd (30 -> 15 fps): 1, 3, 5, 7
    assert rgb.shape == (3, 4, 12, 16) and depth.shape == (1, 4, 12, 16)
    # RGB order after the channel step: R = 200, B = 10 t.
    assert rgb[0, :, 0, 0].tolist() == pytest.approx([200 / 255] * 4)
    assert (rgb[2, :, 0, 0] * 255).round().tolist() == [10, 30, 50, 70]
    assert item['label'] == 4
    assert item['img_metas'].data == dict(fps=[30, 30],
                                          modality=['rgb', 'depth'])


def test_nvgesture_evaluate_accuracy(nvgesture_root, tmp_path):
    dataset = nvgesture(nvgesture_root)
    # logits [N=2, L=3, T=2]: time means peak at classes 2, 0 (rgb) and
    # 2, 1 (depth).
    rgb = torch.tensor([[[0., 0.], [0., 0.], [1., 3.]],
                        [[5., 5.], [0., 0.], [1., 1.]]])
    depth = torch.tensor([[[0., 0.], [0., 0.], [1., 1.]],
                          [[0., 0.], [4., 4.], [1., 1.]]])
    results = [dict(logits=dict(rgb=rgb, depth=depth),
                    label=torch.tensor([2, 1]))]
    perfect = dataset.evaluate(
        [dict(logits=dict(rgb=depth, depth=depth),
              label=torch.tensor([2, 1]))])
    assert perfect == {'AP_rgb': 1.0, 'AP_depth': 1.0, 'AP_mean': 1.0}
    metrics = dataset.evaluate(results, res_folder=str(tmp_path))
    assert metrics == {'AP_rgb': 0.5, 'AP_depth': 1.0, 'AP_mean': 0.75}
    # 0.29's result file: the predicted class per sample and modality
    assert json.loads((tmp_path / 'result_gesture.json').read_text()) == {
        'rgb': [2, 0], 'depth': [2, 1]}
    with pytest.raises(ValueError, match="'acc'"):
        dataset.evaluate(results, metric='acc')


def test_nvgesture_names_a_sample_without_boxes(nvgesture_root):
    (nvgesture_root / 'annotations' / 'bboxes.json').write_text(
        json.dumps({'Video_data/class_05/subject1_r0': []}))
    with pytest.raises(UnknownNameError, match='class_06/subject1_r1'):
        nvgesture(nvgesture_root, bbox=True)


# ---------------------------------------------------------------- inference


def test_inference_gesture_model_on_a_video(tmp_path):
    cfg = Config.fromfile(
        str(CONFIG_DIR / 'i3d_nvgesture_bbox_112x112_fps15_rgb.py'))
    # 64x64 crops keep the test fast; the steps are the config's.
    cfg.test_pipeline[5].size = 64
    model = init_pose_model(cfg, device='cpu')
    path = tmp_path / 'gesture.avi'
    write_video(path, ramp_frames(16, 48, 64), fps=30)
    bboxes = [[{'bbox': [8, 4, 40, 36]}]] * 16
    label, score = inference_gesture_model(
        model, str(path), bboxes=bboxes, dataset_info=dict(modality=['rgb']))
    assert label.shape == (1, ) and 0 <= int(label) < 25
    assert score.shape == (1, ) and 1 / 25 <= float(score) <= 1
    # The same video as an array gives the same answer.
    frames = np.stack(ramp_frames(16, 48, 64))
    label2, score2 = inference_gesture_model(
        model, frames, bboxes=bboxes, dataset_info=dict(fps=30))
    assert int(label2) == int(label)
    assert float(score2) == pytest.approx(float(score), rel=1e-5)


def test_model_set_epoch_hook_tells_the_unwrapped_model(recognizer):
    from types import SimpleNamespace

    from mmcv.runner import HOOKS
    hook = HOOKS.build(dict(type='ModelSetEpochHook'))
    # mmcv's runner counts epochs from 0; the model hears 1-based epochs.
    hook.before_epoch(
        SimpleNamespace(model=SimpleNamespace(module=recognizer), epoch=110))
    assert recognizer.cls_head._train_epoch == 111
    hook.before_epoch(SimpleNamespace(model=recognizer, epoch=0))
    assert recognizer.cls_head._train_epoch == 1


def test_nvgesture_train_step_and_test_loop(nvgesture_root, recognizer):
    from mmcv.parallel import MMDataParallel

    from mmpose.apis import single_gpu_test
    from mmpose.datasets import build_dataloader
    cfg = Config.fromfile(
        str(CONFIG_DIR / 'i3d_nvgesture_bbox_112x112_fps15.py'))
    pipeline = cfg.val_pipeline
    pipeline[3].ref_fps = 30  # 8 valid frames at 30 fps: keep all 8
    pipeline[5].size = 64
    dataset = nvgesture(nvgesture_root, bbox=True, pipeline=pipeline)
    loader = build_dataloader(
        dataset, samples_per_gpu=2, workers_per_gpu=0, dist=False,
        shuffle=False)
    model = MMDataParallel(recognizer)
    batch = next(iter(loader))
    assert [tuple(v.shape) for v in batch['video']] == [(2, 3, 8, 64, 64),
                                                        (2, 1, 8, 64, 64)]
    assert batch['label'].tolist() == [4, 5]
    model.train()
    recognizer.set_train_epoch(0)
    outputs = model.train_step(batch, None)
    assert outputs['num_samples'] == 2
    assert set(outputs['log_vars']) == {'ce_loss', 'acc_rgb', 'acc_depth',
                                        'loss'}
    results = single_gpu_test(model, loader)
    metrics = dataset.evaluate(results)
    assert set(metrics) == {'AP_rgb', 'AP_depth', 'AP_mean'}
    assert all(v in (0.0, 0.5, 1.0) for v in metrics.values())
