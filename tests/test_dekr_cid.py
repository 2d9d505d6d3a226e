"""DEKR and CID (MMPose 0.29's one-stage bottom-up families): parameter
names and shapes against the packed 0.29 reference, decoding of hand-built
maps into known poses, targets, training and inference.

(The golden ``GetKeypointCenterArea`` / ``BottomUpGenerateOffsetTarget``
cases are checked in test_datasets_029.py.)
"""
import copy
import math
import os.path as osp

import mmcv
import numpy as np
import pytest
import torch
from mmcv.parallel import DataContainer, MMDataParallel, collate

from mmpose.apis import (inference_bottom_up_pose_model, init_pose_model,
                         single_gpu_test)
from mmpose.core.evaluation import (aggregate_scale, aggregate_stage_flip,
                                    flip_feature_maps)
from mmpose.core.post_processing import nearby_joints_nms
from mmpose.core.post_processing.dekr_cid_decode import (
    cid_detect_centers, cid_keypoints, dekr_decode, dekr_refine_score,
    flip_dekr_outputs)
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.datasets.pipelines import CIDGenerateTarget
from mmpose.datasets.pipelines.bottom_up_cid_transform import gaussian_radius
from mmpose.errors import ArgumentError, UnknownNameError
from mmpose.models import build_loss, build_posenet
from mmpose.models.utils import DekrRescoreNet
from .helpers import processing_baselines
from .reference import packed_manifests, state_dict_problems

IMG = osp.join(osp.dirname(__file__), 'data', 'demo', '000000196141.jpg')
COCO_DIR = osp.join(osp.dirname(__file__), 'data', 'coco')
K = 17
FAMILY_CONFIGS = sorted(p for p in packed_manifests('0.29')
                        if '/dekr/' in p or '/cid/' in p)


# ------------------------------------------------------------ state dicts
def test_every_dekr_and_cid_config_is_checked():
    assert len(FAMILY_CONFIGS) == 9


@pytest.mark.parametrize('path', FAMILY_CONFIGS)
def test_state_dict_matches_0_29(path):
    manifest = packed_manifests('0.29')[path]
    cfg = copy.deepcopy(manifest['cfg']['model'])
    cfg['pretrained'] = None
    with torch.device('meta'):
        model = build_posenet(cfg)
    built = {n: [list(t.shape), str(t.dtype)]
             for n, t in model.state_dict().items()}
    assert state_dict_problems(manifest['state_dict'], built) == []
    assert sum(p.numel() for p in model.parameters()) == manifest[
        'num_params']


# ---------------------------------------------------------- DEKR decoding
def two_people_dekr_maps():
    """8x8 maps, 2 keypoints: person A centered at (x=2, y=3) with
    keypoints (1, 1) and (3.5, 6); person B at (6, 5) with (7, 2), (5, 7)."""
    heatmaps = torch.zeros(1, 3, 8, 8)
    heatmaps[0, 0, 3, 2] = 0.9
    heatmaps[0, 0, 5, 6] = 0.6
    heatmaps[0, 0, 0, 0] = 0.005  # a peak below the threshold
    offsets = torch.zeros(1, 4, 8, 8)
    # offset = position - keypoint, channels (x0, y0, x1, y1)
    offsets[0, :, 3, 2] = torch.tensor([2 - 1, 3 - 1, 2 - 3.5, 3 - 6])
    offsets[0, :, 5, 6] = torch.tensor([6 - 7, 5 - 2, 6 - 5, 5 - 7])
    return heatmaps, offsets


def test_dekr_decode_reads_poses_at_center_peaks():
    heatmaps, offsets = two_people_dekr_maps()
    poses = dekr_decode(heatmaps, offsets, pool_kernel=5, max_num_people=30,
                        keypoint_threshold=0.01)
    expected = torch.tensor([[[1, 1, .9, .9], [3.5, 6, .9, .9]],
                             [[7, 2, .6, .6], [5, 7, .6, .6]]])
    torch.testing.assert_close(poses, expected)


def test_dekr_decode_keeps_max_num_people_best_centers():
    heatmaps, offsets = two_people_dekr_maps()
    poses = dekr_decode(heatmaps, offsets, 5, 1, 0.01)
    torch.testing.assert_close(poses[:, :, :2],
                               torch.tensor([[[1., 1.], [3.5, 6.]]]))


def test_dekr_decode_max_pool_suppresses_a_close_weaker_center():
    heatmaps, offsets = two_people_dekr_maps()
    heatmaps[0, 0, 4, 4] = 0.5  # within 2 cells of (6, 5): not a peak
    assert len(dekr_decode(heatmaps, offsets, 5, 30, 0.01)) == 2
    assert len(dekr_decode(heatmaps, offsets, 3, 30, 0.01)) == 3


def test_dekr_refine_score_multiplies_by_keypoint_heatmaps():
    poses = torch.tensor([[[1., 1., .9, .9], [3.5, 6., .9, .9]]])
    heatmaps = torch.zeros(1, 3, 8, 8)
    heatmaps[0, 1] = 0.5  # constant maps: any sampled position reads them
    heatmaps[0, 2] = 0.25
    out = dekr_refine_score(heatmaps, poses.clone())
    torch.testing.assert_close(
        out, torch.tensor([[[1., 1., .45, .5], [3.5, 6., .225, .25]]]))


def test_flip_dekr_outputs_mirrors_swaps_and_negates_x():
    w = 4
    heatmaps = torch.zeros(1, 3, 1, w)
    heatmaps[0, 0, 0, 0] = 1  # center at x=0 -> x=3
    heatmaps[0, 1, 0, 1] = 2  # keypoint 0 at x=1 -> keypoint 1 at x=2
    offsets = torch.zeros(1, 4, 1, w)
    offsets[0, 0, 0, 1] = 5.  # x offset of keypoint 0 at x=1
    offsets[0, 1, 0, 1] = 7.  # its y offset
    hm, off = flip_dekr_outputs(heatmaps, offsets, [1, 0])
    assert hm[0, 0, 0, 3] == 1 and hm[0, 0].sum() == 1
    assert hm[0, 2, 0, 2] == 2 and hm[0, 1].sum() == 0
    # keypoint 1 (channels 2, 3) at x=2: x offset -5 - 1, y offset 7;
    # elsewhere the zero x offsets become -1
    assert off[0, 2, 0, 2] == -6 and off[0, 3, 0, 2] == 7
    assert torch.all(off[0, 0] == -1) and off[0, 1].abs().sum() == 0


# ---------------------------------------------------- 0.29 aggregation
def test_flip_feature_maps_mirrors_and_swaps_channels():
    maps = torch.arange(12.).reshape(1, 2, 2, 3)
    out, = flip_feature_maps([maps], flip_index=[1, 0])
    assert out[0, 0].tolist() == [[8., 7., 6.], [11., 10., 9.]]
    assert flip_feature_maps([maps])[0][0, 0].tolist() == [[2., 1., 0.],
                                                           [5., 4., 3.]]


def test_aggregate_stage_flip_averages_stages_and_flips():
    a, b = torch.full((1, 1, 2, 2), 1.), torch.full((1, 1, 2, 2), 3.)
    out = aggregate_stage_flip([a, b], [b, b], aggregate_stage='average')
    assert len(out) == 1 and torch.all(out[0] == 2.5)  # ((1+3)/2 + 3) / 2
    out = aggregate_stage_flip([a, b], None, aggregate_stage='concat')
    assert [o[0, 0, 0, 0].item() for o in out] == [1., 3.]
    # projected to the base size [w, h]
    out = aggregate_stage_flip([a], None, size_projected=(4, 3))
    assert out[0].shape == (1, 1, 3, 4) and torch.all(out[0] == 1)
    with pytest.raises(UnknownNameError, match='aggregate_stage'):
        aggregate_stage_flip([a], None, aggregate_stage='max')


def test_aggregate_scale_average_and_stack():
    small, big = torch.full((1, 1, 2, 2), 2.), torch.full((1, 1, 4, 4), 4.)
    out = aggregate_scale([big, small], project2image=False)
    assert out.shape == (1, 1, 4, 4) and torch.all(out == 3)
    out = aggregate_scale([big, small], size_projected=(4, 4),
                          aggregate_scale='unsqueeze_concat')
    assert out.shape == (1, 1, 4, 4, 2)


# ------------------------------------------------------ nearby joints NMS
def nms_db():
    a = np.array([[0., 0.], [10., 0.], [10., 10.]])
    return [
        dict(keypoints=a, score=np.array([.5, .5, .5])),
        # B: two keypoints next to A's, the third 5 px away
        dict(keypoints=a + [[.2], [.2], [5.]], score=np.array([.9, .8, .7])),
        dict(keypoints=a + 50, score=np.array([.6, .6, .6])),
    ]


def test_nearby_joints_nms_keeps_the_best_of_close_poses():
    # A's diagonal sqrt(200) ~ 14.1 (B's ~ 21): close means < 0.71 (1.07);
    # two keypoints 0.28 apart are more than 1
    keep = nearby_joints_nms(nms_db(), 0.05, 1, score_per_joint=True)
    assert keep == [1, 2]


def test_nearby_joints_nms_needs_enough_close_joints():
    # 2 close keypoints are not more than 2: B, C and A all stay
    assert nearby_joints_nms(nms_db(), 0.05, 2, True) == [1, 2, 0]


def test_nearby_joints_nms_max_dets_keeps_the_best():
    assert nearby_joints_nms(nms_db(), 0.05, 1, True, max_dets=1) == [1]


def test_nearby_joints_nms_rejects_bad_thresholds():
    with pytest.raises(ArgumentError, match='dist_thr'):
        nearby_joints_nms(nms_db(), 0, 1, True)
    with pytest.raises(AssertionError, match='num_nearby_joints_thr'):
        nearby_joints_nms(nms_db(), 0.05, 3, True)
    assert nearby_joints_nms([], 0.05) == []


# ----------------------------------------------------------- CID decoding
def test_cid_detect_centers_returns_peaks_as_y_x():
    center = torch.zeros(16, 16)
    center[4, 10] = 0.8
    center[12, 3] = 0.4
    coords, scores = cid_detect_centers(center, 3, 30, 0.01)
    assert coords.tolist() == [[4, 10], [12, 3]]
    # smoothed: (v + v / 9) / 2
    torch.testing.assert_close(scores, torch.tensor([.8, .4]) * 5 / 9)


def test_cid_keypoints_quarter_shift_and_stride():
    maps = torch.zeros(1, 2, 8, 8)
    maps[0, 0, 3, 4], maps[0, 0, 3, 5] = 1.0, 0.5  # higher right neighbour
    maps[0, 1, 0, 6] = 1.0  # on the top border: y is not shifted
    maps[0, 1, 1, 6] = 0.5
    poses = cid_keypoints(maps, torch.tensor([0.5]), pool_kernel=3)
    # peak value after smoothing: (1 + 1.5 / 9) / 2 = 7 / 12
    expected = torch.tensor([[[4.25 * 4 + 2, 3 * 4 + 2, 7 / 24],
                              [6 * 4 + 2, 0 * 4 + 2, 7 / 24]]])
    torch.testing.assert_close(poses, expected)


def test_dekr_decoding_matches_the_loop_baseline():
    """30 synthetic people; the baseline of tools/benchmark_processing.py
    works pixel by pixel and pose by pose."""
    baselines = processing_baselines()
    heatmaps, offsets, _, _ = baselines.synthetic_dekr_cid()
    h, o = torch.from_numpy(heatmaps), torch.from_numpy(offsets)
    poses = dekr_refine_score(h, dekr_decode(h, o, 5, 30, 0.01)).numpy()
    keep = nearby_joints_nms(
        [dict(keypoints=p[:, :2], score=p[:, 3]) for p in poses], 0.05, 8,
        score_per_joint=True, max_dets=30)
    expected = baselines.baseline_dekr(heatmaps, offsets, baselines.DEKR_CFG)
    assert len(expected) == 30
    np.testing.assert_allclose(poses[keep], expected, atol=1e-5)


def test_cid_keypoints_match_the_loop_baseline():
    baselines = processing_baselines()
    _, _, heatmaps, scores = baselines.synthetic_dekr_cid()
    poses = cid_keypoints(torch.from_numpy(heatmaps),
                          torch.from_numpy(scores), 3).numpy()
    np.testing.assert_allclose(
        poses, baselines.baseline_cid_keypoints(heatmaps, scores, 3),
        atol=1e-5)


# ------------------------------------------------------------- CID target
def test_gaussian_radius_by_hand():
    # third case for a 10 x 10 box: (-28 + sqrt(28^2 + 4 * 2.8 * 30)) / 2
    assert gaussian_radius(10, 10) == pytest.approx(2.733201, abs=1e-6)


def test_cid_generate_target_one_person():
    np.random.seed(0)
    joints = np.zeros((1, 3, 3))
    joints[0] = [[4, 4, 2], [8, 6, 2], [0, 0, 0]]  # third not labelled
    box = np.array([[[0, 0], [10, 0], [0, 10], [10, 10]]], dtype=float)
    results = dict(
        joints=[joints], bboxes=box, areas=np.array([100.]),
        mask=[np.ones((16, 16), dtype=np.float32)],
        ann_info=dict(num_joints=3, heatmap_size=[16]))
    out = CIDGenerateTarget(max_num_people=4)(results)
    hm = out['multi_heatmap']
    assert hm.shape == (4, 16, 16)
    # radius 2, sigma 5 / 6: one cell away exp(-1 / (2 * 25 / 36))
    assert hm[0, 4, 4] == 1 and hm[0, 4, 5] == pytest.approx(math.exp(-.72))
    assert hm[0, 4, 7] == 0 and hm[2].sum() == 0
    assert hm[3, 5, 6] == 1  # center: mean of (4, 4) and (8, 6)
    assert out['multi_mask'].shape == (1, 16, 16)
    assert out['instance_valid'].tolist() == [1, 0, 0, 0]
    y, x = out['instance_coord'][0]
    assert abs(y - 5) <= 1 and abs(x - 6) <= 1
    np.testing.assert_array_equal(out['instance_heatmap'][0], hm[:3])
    assert out['instance_mask'][0].ravel().tolist() == [1, 1, 0]


# ------------------------------------------------------------ rescore net
def test_rescore_features_by_hand():
    net = DekrRescoreNet(in_channels=9, norm_indexes=[0, 1])
    poses = np.array([[[0, 0, .5], [3, 4, .6], [3, 8, .7]]])
    feature = net.make_feature(poses, [[0, 1], [1, 2]])
    # limbs (-3, -4) and (0, -4), lengths 5 and 4, torso (5 + 4) / 2
    expected = np.array([-3, -4, 0, -4, 5, 4]) / 4.5
    np.testing.assert_allclose(feature[0, :6].numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(feature[0, 6:].numpy(), [.5, .6, .7])


def test_rescore_net_names_a_missing_weights_file(tmp_path):
    missing = str(tmp_path / 'kpt_rescore_coco.pth')
    net = DekrRescoreNet(9, [0, 1], pretrained=missing)
    net.init_weight()
    with pytest.raises(FileNotFoundError, match='kpt_rescore_coco.pth'):
        net(np.zeros((1, 3, 3)), [[0, 1], [1, 2]])
    # a checkpoint holding its weights makes it usable
    net.load_state_dict(DekrRescoreNet(9, [0, 1]).state_dict())
    assert net(np.zeros((2, 3, 3)), [[0, 1], [1, 2]]).shape == (2, )


def test_rescore_net_loads_a_local_weights_file(tmp_path):
    source = DekrRescoreNet(9, [0, 1])
    path = str(tmp_path / 'rescore.pth')
    torch.save({'state_dict': source.state_dict()}, path)
    net = DekrRescoreNet(9, [0, 1], pretrained=path)
    net.init_weight()
    torch.testing.assert_close(net.l3.bias, source.l3.bias)


def test_joints_mse_loss_takes_per_pixel_weights():
    loss = build_loss(dict(type='JointsMSELoss', use_target_weight=True))
    weight = torch.zeros(1, 2, 16)
    weight[..., :4] = 1  # a quarter of the pixels count
    value = loss(torch.ones(1, 2, 4, 4), torch.zeros(1, 2, 4, 4), weight)
    assert value.item() == pytest.approx(0.25)


# ------------------------------------------------------- models, training
def tiny_hrnet():
    def stage(n):
        return dict(
            num_modules=1, num_branches=n, block='BASIC',
            num_blocks=[1] * n, num_channels=[8, 16, 32, 64][:n])
    stage1 = dict(num_modules=1, num_branches=1, block='BOTTLENECK',
                  num_blocks=[1], num_channels=[8])
    return dict(type='HRNet', in_channels=3, extra=dict(
        stage1=stage1, stage2=stage(2), stage3=stage(3),
        stage4=dict(stage(4), multiscale_output=True)))


def dekr_model_cfg():
    return dict(
        type='DisentangledKeypointRegressor',
        pretrained=None,
        backbone=tiny_hrnet(),
        keypoint_head=dict(
            type='DEKRHead', in_channels=[8, 16, 32, 64],
            in_index=[0, 1, 2, 3], num_heatmap_filters=8,
            num_offset_filters_per_joint=2, num_joints=K,
            input_transform='resize_concat',
            heatmap_loss=dict(type='JointsMSELoss', use_target_weight=True),
            offset_loss=dict(type='SoftWeightSmoothL1Loss',
                             use_target_weight=True, supervise_empty=False,
                             loss_weight=0.002, beta=1 / 9)),
        train_cfg=dict(),
        test_cfg=dict(
            num_joints=K, max_num_people=30, project2image=False,
            align_corners=False, max_pool_kernel=5, use_nms=True,
            nms_dist_thr=0.05, nms_joints_thr=8, keypoint_threshold=0.0,
            rescore_cfg=dict(in_channels=74, norm_indexes=[5, 6],
                             pretrained=None),
            flip_test=True))


def cid_model_cfg():
    return dict(
        type='CID',
        pretrained=None,
        backbone=tiny_hrnet(),
        keypoint_head=dict(type='CIDHead', in_channels=120, gfd_channels=8,
                           num_joints=K),
        train_cfg=dict(),
        test_cfg=dict(num_joints=K, flip_test=True, max_num_people=30,
                      detection_threshold=0.0, center_pool_kernel=3))


def test_dekr_head_output_shapes():
    torch.manual_seed(0)
    model = build_posenet(dekr_model_cfg())
    (heatmaps, offsets), = model.forward_dummy(torch.randn(2, 3, 64, 96))
    assert heatmaps.shape == (2, K + 1, 16, 24)
    assert offsets.shape == (2, 2 * K, 16, 24)


def test_cid_head_test_output_shapes():
    torch.manual_seed(0)
    model = build_posenet(cid_model_cfg()).eval()
    heatmaps, scores = model.keypoint_head(
        model.backbone(torch.randn(1, 3, 64, 64)),
        dict(max_num_people=5, detection_threshold=0.0))
    assert heatmaps.shape == (5, K, 16, 16) and scores.shape == (5, )


def dekr_batch():
    gen = torch.Generator().manual_seed(1)
    return dict(
        img=torch.randn(2, 3, 64, 64, generator=gen),
        heatmaps=[torch.rand(2, K + 1, 16, 16, generator=gen)],
        masks=[torch.ones(2, K + 1, 16, 16)],
        offsets=[torch.randn(2, 2 * K, 16, 16, generator=gen)],
        offset_weights=[torch.rand(2, 2 * K, 16, 16, generator=gen)])


def cid_batch():
    gen = torch.Generator().manual_seed(1)
    heatmap = torch.zeros(2, 3, K, 16, 16)
    heatmap[..., 8, 8] = 1
    multi = torch.zeros(2, K + 1, 16, 16)
    multi[..., 8, 8] = 1
    return dict(
        img=torch.randn(2, 3, 64, 64, generator=gen),
        multi_heatmap=multi,
        multi_mask=torch.ones(2, 1, 16, 16),
        instance_coord=torch.tensor([[[8, 8], [3, 3], [0, 0]],
                                     [[5, 9], [0, 0], [0, 0]]]),
        instance_heatmap=heatmap,
        instance_mask=torch.ones(2, 3, K, 1, 1),
        instance_valid=torch.tensor([[1, 1, 0], [1, 0, 0]]))


@pytest.mark.parametrize('make_cfg,make_batch,names', [
    (dekr_model_cfg, dekr_batch, {'loss_hms', 'loss_ofs'}),
    (cid_model_cfg, cid_batch,
     {'multi_heatmap_loss', 'single_heatmap_loss', 'contrastive_loss'}),
])
def test_two_training_iterations_lower_the_loss(make_cfg, make_batch, names):
    torch.manual_seed(0)
    model = build_posenet(make_cfg()).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = make_batch()
    totals = []
    for _ in range(3):
        out = model.train_step(batch, optimizer)
        assert set(out['log_vars']) == names | {'loss'}
        totals.append(out['loss'].item())
        optimizer.zero_grad()
        out['loss'].backward()
        optimizer.step()
    assert totals[2] < totals[1] < totals[0]


def test_dekr_forward_test_maps_decoded_poses_to_the_image():
    """Hand-built outputs for a 32x32 input (8x8 maps, stride 4) whose box
    is the image itself: poses come out at 4x their map coordinates."""
    cfg = dekr_model_cfg()
    cfg['keypoint_head']['num_joints'] = 2
    cfg['test_cfg'].update(num_joints=2, flip_test=False, use_nms=False,
                           keypoint_threshold=0.01, rescore_cfg=None)
    model = build_posenet(cfg).eval()
    heatmaps, offsets = two_people_dekr_maps()
    heatmaps[0, 1:] = torch.tensor([0.5, 0.25])[:, None, None]
    model.forward_dummy = lambda img: [[heatmaps, offsets]]
    meta = dict(
        image_file='x.jpg', aug_data=[torch.zeros(1, 3, 32, 32)],
        test_scale_factor=[1], base_size=(32, 32), image_size=32,
        heatmap_size=[8], center=np.array([16., 16.]),
        scale=np.array([32 / 200, 32 / 200]), flip_index=[1, 0],
        num_joints=2, skeleton=[[0, 1]])
    result = model(img=torch.zeros(1, 3, 32, 32), img_metas=[meta],
                   return_loss=False)
    np.testing.assert_allclose(
        np.stack(result['preds'])[..., :2],
        [[[4, 4], [14, 24]], [[28, 8], [20, 28]]], atol=1e-5)
    # center score times the keypoint heatmap value, averaged over keypoints
    np.testing.assert_allclose(result['scores'],
                               [.9 * .375, .6 * .375], rtol=1e-6)


def test_dekr_train_pipeline_of_0_29_feeds_the_detector():
    """The 0.29 COCO config's training set (at 128x128) on the sample
    annotations: targets of the right shapes and finite losses."""
    path = 'body/2d_kpt_sview_rgb_img/dekr/coco/hrnet_w32_coco_512x512.json'
    train = copy.deepcopy(packed_manifests('0.29')[path]['cfg']['data'][
        'train'])
    train.update(ann_file=osp.join(COCO_DIR, 'test_coco.json'),
                 img_prefix=COCO_DIR + '/')
    train['data_cfg'].update(image_size=128, heatmap_size=[32], base_size=64)
    dataset = build_dataset(train)
    batch = collate([dataset[0], dataset[1]], samples_per_gpu=2)
    batch = {k: v.data[0] if isinstance(v, DataContainer) else v
             for k, v in batch.items()}
    assert batch['heatmaps'][0].shape == (2, K + 1, 32, 32)
    assert batch['offsets'][0].shape == (2, 2 * K, 32, 32)
    torch.manual_seed(0)
    losses = build_posenet(dekr_model_cfg())(**batch)
    assert set(losses) == {'loss_hms', 'loss_ofs'}
    assert all(torch.isfinite(v) for v in losses.values())


# -------------------------------------------------------------- inference
def inference_cfg(model):
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='BottomUpGetImgSize', test_scale_factor=[1]),
        dict(type='BottomUpResizeAlign', transforms=[
            dict(type='ToTensor'),
            dict(type='NormalizeTensor', mean=[0.485, 0.456, 0.406],
                 std=[0.229, 0.224, 0.225])]),
        dict(type='Collect', keys=['img'], meta_keys=[
            'image_file', 'aug_data', 'test_scale_factor', 'base_size',
            'center', 'scale', 'flip_index', 'num_joints', 'skeleton',
            'image_size', 'heatmap_size'])
    ]
    data_cfg = dict(image_size=128, base_size=64, base_sigma=2,
                    heatmap_size=[32], num_joints=K, num_scales=1)
    return mmcv.Config(dict(
        model=model, data_cfg=data_cfg, test_pipeline=pipeline,
        data=dict(test=dict(type='BottomUpCocoDataset', data_cfg=data_cfg,
                            pipeline=pipeline))))


@pytest.mark.parametrize('make_cfg', [dekr_model_cfg, cid_model_cfg])
def test_inference_bottom_up_pose_model_runs(make_cfg):
    torch.manual_seed(0)
    model = init_pose_model(inference_cfg(make_cfg()), device='cpu')
    results, _ = inference_bottom_up_pose_model(model, IMG)
    assert len(results) > 0
    image = mmcv.imread(IMG)
    for res in results:
        assert res['keypoints'].shape == (K, 3)
        assert np.isfinite(res['keypoints']).all()
        # the poses are mapped back near the image
        assert res['keypoints'][:, 0].max() < image.shape[1] * 1.5
        assert res['keypoints'][:, 1].max() < image.shape[0] * 1.5


@pytest.mark.slow  # two models over the 4 sample images, then COCO eval
@pytest.mark.parametrize('algorithm,make_cfg', [('dekr', dekr_model_cfg),
                                                ('cid', cid_model_cfg)])
def test_test_split_of_0_29_config_evaluates(algorithm, make_cfg, tmp_path):
    """The 0.29 COCO config's test set (at 128x128) on the sample images:
    results in the format ``evaluate`` reads."""
    path = (f'body/2d_kpt_sview_rgb_img/{algorithm}/coco/'
            'hrnet_w32_coco_512x512.json')
    test = copy.deepcopy(packed_manifests('0.29')[path]['cfg']['data'][
        'test'])
    test.update(ann_file=osp.join(COCO_DIR, 'test_coco.json'),
                img_prefix=COCO_DIR + '/')
    test['data_cfg'].update(image_size=128, heatmap_size=[32], base_size=64)
    dataset = build_dataset(test, dict(test_mode=True))
    loader = build_dataloader(dataset, samples_per_gpu=1, workers_per_gpu=0,
                              dist=False, shuffle=False)
    torch.manual_seed(0)
    model = MMDataParallel(build_posenet(make_cfg()).eval(), device_ids=None)
    outputs = single_gpu_test(model, loader)
    assert len(outputs) == len(dataset) == 4
    metrics = dataset.evaluate(outputs, str(tmp_path), metric='mAP')
    assert 0 <= metrics['AP'] <= 1
