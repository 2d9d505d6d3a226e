"""MMPose 0.29's PoseWarper family: the detector, PoseWarperNeck
(deformable convs of mmcv-full, on CPU), HRNet's ``frozen_stages``,
TopDownPoseTrack18VideoDataset with the multi-frame pipeline steps, and
multi-frame top-down inference.

Expected values come from the packed 0.29 reference (state_dict names and
shapes), from the tiny PoseTrack18 sample and from hand derivations noted
next to them (an identity-initialised neck sums the frames' heatmaps with
their weights).
"""
import shutil
import warnings

import numpy as np
import pytest
import torch
from mmcv import Config

from mmpose.apis import inference_top_down_pose_model, init_pose_model
from mmpose.datasets import DATASETS
from mmpose.datasets.metadata import load_dataset_info
from mmpose.models import build_backbone, build_neck, build_posenet
from .reference import (REPO_ROOT, packed_manifests, reference_cfg,
                        state_dict_problems)

POSEWARPER_CONFIGS = sorted(
    path for path in packed_manifests('0.29') if '/posewarper/' in path)
STAGE2 = REPO_ROOT / 'configs' / 'body' / '2d_kpt_sview_rgb_vid' / \
    'posewarper' / 'posetrack18' / \
    'hrnet_w48_posetrack18_384x288_posewarper_stage2.py'
POSETRACK = REPO_ROOT / 'tests' / 'data' / 'posetrack18'
TEST_WEIGHTS = [0.3, 0.1, 0.25, 0.25, 0.1]


def tiny_hrnet(**kwargs):
    def stage(n):
        return dict(num_modules=1, num_branches=n, block='BASIC',
                    num_blocks=(1, ) * n,
                    num_channels=tuple(8 * 2**i for i in range(n)))

    extra = dict(stage1=dict(stage(1), block='BOTTLENECK'),
                 stage2=stage(2), stage3=stage(3), stage4=stage(4))
    return dict(type='HRNet', extra=extra, **kwargs)


def tiny_neck(**kwargs):
    cfg = dict(type='PoseWarperNeck', in_channels=8, out_channels=17,
               inner_channels=16, dilations=(3, 6),
               res_blocks_cfg=dict(block='BASIC', num_blocks=2))
    cfg.update(kwargs)
    return cfg


def tiny_posewarper(**kwargs):
    return dict(
        type='PoseWarper',
        backbone=tiny_hrnet(frozen_stages=4),
        neck=tiny_neck(),
        keypoint_head=dict(
            type='TopdownHeatmapSimpleHead',
            in_channels=17,
            out_channels=17,
            num_deconv_layers=0,
            extra=dict(final_conv_kernel=0),
            loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
        train_cfg=dict(),
        test_cfg=dict(flip_test=True, post_process='default',
                      shift_heatmap=True, modulate_kernel=11),
        **kwargs)


def crop_metas(batch_size, frame_weight):
    return [
        dict(frame_weight=frame_weight, image_file=('a.jpg', 'b.jpg'),
             center=np.array([48., 64.]), scale=np.array([0.48, 0.64]),
             rotation=0, bbox_score=1.0, flip_pairs=[[3, 4]], bbox_id=i)
        for i in range(batch_size)
    ]


# ---------------------------------------------------------------- models


@pytest.mark.parametrize('path', POSEWARPER_CONFIGS)
def test_posewarper_configs_build_the_029_state_dict(path):
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


def test_both_posewarper_stages_are_covered():
    assert [p.rsplit('_', 1)[-1] for p in POSEWARPER_CONFIGS] == [
        'stage1.json', 'stage2.json']


@pytest.mark.parametrize('frozen_stages,frozen,trainable', [
    (-1, [], ['conv1', 'layer1', 'stage4']),
    (0, ['conv1', 'bn1', 'conv2', 'bn2'], ['layer1', 'transition1']),
    (1, ['conv2', 'layer1', 'transition1'], ['stage2', 'transition2']),
    (4, ['layer1', 'transition3', 'stage4'], []),
])
def test_hrnet_frozen_stages(frozen_stages, frozen, trainable):
    backbone = build_backbone(tiny_hrnet(frozen_stages=frozen_stages))
    backbone.train()
    for name in frozen:
        module = getattr(backbone, name)
        assert not module.training, name
        assert not any(p.requires_grad for p in module.parameters()), name
    for name in trainable:
        module = getattr(backbone, name)
        assert module.training, name
        assert all(p.requires_grad for p in module.parameters()), name


def test_hrnet_frozen_stages_out_of_range():
    with pytest.raises(ValueError, match='frozen_stages'):
        build_backbone(tiny_hrnet(frozen_stages=5))


def identity_neck(**kwargs):
    """A neck whose transition conv copies the 17 channels; after
    init_weights its offsets are 0 and its deformable convs copy channel k
    to channel k, so each frame's warp is that frame's heatmaps."""
    neck = build_neck(tiny_neck(in_channels=17, **kwargs))
    neck.init_weights()
    neck.trans_layer.weight.data = torch.eye(17).view(17, 17, 1, 1)
    neck.trans_layer.bias.data.zero_()
    return neck.eval()


def test_neck_with_identity_init_sums_weighted_frames():
    neck = identity_neck()
    frames = [torch.rand(2, 17, 8, 6) for _ in range(3)]
    weights = [0.5, 0.0, 0.25]
    expected = 0.5 * frames[0] + 0.25 * frames[2]
    with torch.no_grad():
        per_frame = neck(frames, frame_weight=weights)
        concatenated = neck([torch.cat(frames)], frame_weight=weights)
    assert per_frame.shape == (2, 17, 8, 6)
    assert torch.allclose(per_frame, expected, atol=1e-6)
    assert torch.allclose(concatenated, expected, atol=1e-6)


def test_neck_init_weights():
    neck = identity_neck()
    for layer in neck.offset_layers:
        assert not layer.weight.any()
    for deform in neck.deform_conv_layers:
        weight = deform.weight
        assert weight.shape == (17, 17, 3, 3)
        # one 1 per output channel, at its own channel's kernel centre
        assert weight.sum() == 17
        assert torch.equal(weight[:, :, 1, 1], torch.eye(17))


def test_neck_freezes_the_transition_layer():
    neck = build_neck(tiny_neck())
    neck.train()
    assert not neck.trans_layer.training
    assert not any(p.requires_grad for p in neck.trans_layer.parameters())
    assert neck.offset_feats.training
    neck = build_neck(tiny_neck(freeze_trans_layer=False, norm_eval=True))
    neck.train()
    assert neck.trans_layer.training
    assert not neck.offset_feats[0].bn1.training


def test_neck_checks_frames_and_weights():
    neck = identity_neck()
    with pytest.raises(ValueError, match='2 frames but 3 frame weights'):
        neck([torch.rand(1, 17, 4, 4)] * 2, frame_weight=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match='5 crops.*2 frames'):
        neck([torch.rand(5, 17, 4, 4)], frame_weight=[0.5, 0.5])
    with pytest.raises(TypeError, match='list or tuple'):
        neck(torch.rand(2, 17, 4, 4), frame_weight=[0.5, 0.5])


@pytest.fixture(scope='module')
def posewarper():
    return build_posenet(tiny_posewarper())


def test_posewarper_train_losses(posewarper):
    posewarper.train()
    frames = [torch.rand(2, 3, 128, 96), torch.rand(2, 3, 128, 96)]
    losses = posewarper(
        frames, torch.rand(2, 17, 32, 24), torch.ones(2, 17, 1),
        img_metas=crop_metas(2, [0.0, 1.0]))
    assert set(losses) == {'heatmap_loss', 'acc_pose'}
    assert losses['heatmap_loss'].requires_grad


@pytest.mark.parametrize('concat_tensors', [True, False])
def test_posewarper_test_outputs(posewarper, concat_tensors):
    posewarper.eval()
    posewarper.concat_tensors = concat_tensors
    frames = [torch.rand(2, 3, 128, 96) for _ in range(5)]
    with torch.no_grad():
        result = posewarper(frames, img_metas=crop_metas(2, TEST_WEIGHTS),
                            return_loss=False, return_heatmap=True)
    assert result['preds'].shape == (2, 17, 3)
    assert result['boxes'].shape == (2, 6)
    assert result['output_heatmap'].shape == (2, 17, 32, 24)
    assert result['bbox_ids'] == [0, 1]


def test_posewarper_needs_frame_weights(posewarper):
    posewarper.eval()
    metas = crop_metas(1, [0.5, 0.5])
    with pytest.raises(ValueError, match=r'frames \(3\).*frame weights'):
        posewarper([torch.rand(1, 3, 128, 96)] * 3, img_metas=metas,
                   return_loss=False)
    del metas[0]['frame_weight']
    with pytest.raises(KeyError, match='frame_weight'):
        posewarper([torch.rand(1, 3, 128, 96)] * 2, img_metas=metas,
                   return_loss=False)


def test_posewarper_forward_dummy(posewarper):
    posewarper.eval()
    with pytest.warns(UserWarning, match='random frame weights'):
        with torch.no_grad():
            out = posewarper.forward_dummy(torch.rand(3, 3, 128, 96))
    # 3 frames of one crop each -> the heatmaps of that crop
    assert out.shape == (1, 17, 32, 24)
    with pytest.raises(ValueError, match='at least 2 frames'):
        posewarper.forward_dummy(torch.rand(1, 3, 128, 96))


# ---------------------------------------------------------------- dataset


@pytest.fixture
def posetrack_root(tmp_path):
    """The PoseTrack18 sample with frame 1 of video 012834 added (a copy
    of frame 0)."""
    root = tmp_path / 'posetrack18'
    shutil.copytree(POSETRACK, root)
    video = root / 'images' / 'val' / '012834_mpii_test'
    shutil.copy(video / '000000.jpg', video / '000001.jpg')
    return root


def video_data_cfg(**kwargs):
    cfg = dict(
        image_size=[96, 128], heatmap_size=[24, 32], num_output_channels=17,
        num_joints=17, dataset_channel=[list(range(17))],
        inference_channel=list(range(17)), use_nms=True, soft_nms=False,
        nms_thr=1.0, oks_thr=0.9, vis_thr=0.2, use_gt_bbox=True,
        det_bbox_thr=0.0, bbox_file='', frame_index_rand=True,
        frame_index_range=[-2, 2], num_adj_frames=1,
        frame_indices_test=[2, -2, 0, 1, -1],
        frame_weight_train=[0.0, 1.0], frame_weight_test=TEST_WEIGHTS)
    cfg.update(kwargs)
    return cfg


def video_dataset(root, test_mode=True, pipeline=(), **kwargs):
    return DATASETS.build(
        dict(
            type='TopDownPoseTrack18VideoDataset',
            ann_file=str(root / 'test_posetrack18.json'),
            img_prefix=str(root) + '/',
            data_cfg=video_data_cfg(**kwargs),
            pipeline=list(pipeline),
            dataset_info=load_dataset_info('posetrack18'),
            test_mode=test_mode))


def test_video_dataset_frames_in_test_mode(posetrack_root):
    with pytest.warns(UserWarning, match='does not exist'):
        dataset = video_dataset(posetrack_root)
    assert len(dataset) == 14  # the sample's annotated people
    video = str(posetrack_root / 'images' / 'val' / '012834_mpii_test')
    record = next(r for r in dataset.db if '012834' in r['image_file'][0])
    # Offsets sorted to -2, -1, 1, 2 after the reference frame 0: -2 and
    # -1 clip to frame 0, frame 1 exists, frame 2 does not (-> frame 0).
    frame = [f'{video}/{i:06d}.jpg' for i in range(2)]
    assert record['image_file'] == (frame[0], frame[0], frame[0], frame[1],
                                    frame[0])
    assert record['frame_weight'] == TEST_WEIGHTS
    assert record['nframes'] == 140
    assert record['frame_id'] == 10128340000


def test_video_dataset_detected_boxes(posetrack_root):
    # 16 of the sample's 100 person detections (all on frame 0 of video
    # 012834) score at least 0.5.
    with pytest.warns(UserWarning, match='does not exist'):
        dataset = video_dataset(
            posetrack_root, use_gt_bbox=False, det_bbox_thr=0.5,
            bbox_file=str(posetrack_root /
                          'test_posetrack18_human_detections.json'))
    assert len(dataset) == 16
    assert all(r['bbox_score'] >= 0.5 for r in dataset.db)
    assert {len(r['image_file']) for r in dataset.db} == {5}
    assert {r['image_file'][3][-10:] for r in dataset.db} == {'000001.jpg'}


def test_video_dataset_training_frames(posetrack_root):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)
        dataset = video_dataset(
            posetrack_root, test_mode=False, frame_indices_train=[1, -1])
        rand = video_dataset(posetrack_root, test_mode=False)
    record = next(r for r in dataset.db if '012834' in r['image_file'][0])
    video = str(posetrack_root / 'images' / 'val' / '012834_mpii_test')
    # offsets -1 (clipped to 0), then 1
    assert record['image_file'] == (f'{video}/000000.jpg',
                                    f'{video}/000000.jpg',
                                    f'{video}/000001.jpg')
    assert record['frame_weight'] == [0.0, 1.0]
    assert {len(r['image_file']) for r in rand.db} == {2}


def test_video_dataset_multi_frame_pipeline(posetrack_root):
    pipeline = Config.fromfile(str(STAGE2)).val_pipeline
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)
        item = video_dataset(posetrack_root, pipeline=pipeline)[0]
    assert isinstance(item['img'], list) and len(item['img']) == 5
    assert {tuple(t.shape) for t in item['img']} == {(3, 128, 96)}
    meta = item['img_metas'].data
    assert meta['frame_weight'] == TEST_WEIGHTS
    assert len(meta['image_file']) == 5


def test_video_dataset_multi_frame_train_pipeline(posetrack_root):
    pipeline = Config.fromfile(str(STAGE2)).train_pipeline
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)
        dataset = video_dataset(posetrack_root, test_mode=False,
                                pipeline=pipeline)
    np.random.seed(1)
    item = dataset[0]
    # the reference frame and one random neighbour, cropped alike
    assert len(item['img']) == 2
    assert {tuple(t.shape) for t in item['img']} == {(3, 128, 96)}
    assert item['target'].shape == (17, 32, 24)
    assert item['img_metas'].data['frame_weight'] == [0.0, 1.0]


def gt_outputs(dataset):
    """Ground truth fed back as predictions (scores from visibility)."""
    db = dataset.db
    preds = np.stack([r['joints_3d'].astype(np.float64) for r in db])
    preds[..., 2] = np.stack([r['joints_3d_visible'][:, 0] for r in db])
    boxes = np.array([[*r['center'], *r['scale'],
                       np.prod(r['scale']) * 200**2, r['bbox_score']]
                      for r in db])
    return [dict(preds=preds, boxes=boxes,
                 image_paths=[r['image_file'] for r in db],
                 bbox_ids=[r['bbox_id'] for r in db])]


def test_video_dataset_evaluates_by_reference_frame(posetrack_root,
                                                    tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)
        dataset = video_dataset(posetrack_root)
    results = dataset.evaluate(gt_outputs(dataset), str(tmp_path), 'mAP')
    assert results['Total AP'] == pytest.approx(100.0)


# ---------------------------------------------------------------- inference


def test_inference_with_a_list_of_frames(posetrack_root):
    cfg = Config.fromfile(str(STAGE2))
    cfg.model = tiny_posewarper()
    cfg.data_cfg.image_size = [96, 128]
    cfg.data_cfg.heatmap_size = [24, 32]
    model = init_pose_model(cfg, device='cpu')
    video = posetrack_root / 'images' / 'val' / '012834_mpii_test'
    frames = [str(video / '000000.jpg')] * 4 + [str(video / '000001.jpg')]
    people = [dict(bbox=[270, 190, 230, 300, 0.9], track_id=7),
              dict(bbox=[1470, 0, 110, 260, 0.8], track_id=8)]
    results, _ = inference_top_down_pose_model(
        model, frames, people, format='xywh', dataset_info=None)
    assert [r['track_id'] for r in results] == [7, 8]
    assert {r['keypoints'].shape for r in results} == {(17, 3)}
    with pytest.raises(ValueError, match='takes 5 frames'):
        inference_top_down_pose_model(model, frames[:2], people)
