"""The exact fast inference path (BatchNorm folded into convolutions, on a
cached copy) and the opt-in reduced precision of the inference APIs."""
import os.path as osp

import mmcv
import numpy as np
import pytest
import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.apis import (inference_bottom_up_pose_model,
                         inference_top_down_pose_model, init_pose_model)
from mmpose.apis.fast_inference import inference_network
from mmpose.models.utils.fuse_conv_bn import fold_conv_bn, fuse_conv_bn

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DATA = osp.join(ROOT, 'tests', 'data', 'demo')
IMG = osp.join(DATA, '000000196141.jpg')
BOXES = [{'bbox': np.array(b)} for b in ([247.76, 74.23, 169.67, 300.78],
                                         [555.57, 99.84, 48.32, 113.05],
                                         [453.77, 206.81, 177.23, 210.87])]


def tiny_hrnet_extra(width=8):
    """A 4-stage HRNet with one block per branch and ``width`` channels in
    its highest-resolution branch."""
    def stage(branches, block='BASIC'):
        return dict(num_modules=1, num_branches=branches, block=block,
                    num_blocks=[1] * branches,
                    num_channels=[width * 2**i for i in range(branches)])

    return dict(stage1=dict(stage(1, 'BOTTLENECK'), num_channels=[width]),
                stage2=stage(2), stage3=stage(3), stage4=stage(4))


def top_down_resnet_cfg():
    return mmcv.Config.fromfile(osp.join(DATA, 'tiny_top_down_coco.py'))


def top_down_hrnet_cfg():
    cfg = mmcv.Config.fromfile(
        osp.join(ROOT, 'configs/top_down/hrnet/coco/'
                 'hrnet_w32_coco_256x192.py'))
    cfg.model.backbone.extra = tiny_hrnet_extra()
    cfg.model.keypoint_head.in_channels = 8
    cfg.data_cfg.image_size = [64, 96]
    cfg.data_cfg.heatmap_size = [16, 24]
    return cfg


def bottom_up_higher_hrnet_cfg():
    cfg = mmcv.Config.fromfile(
        osp.join(ROOT, 'configs/bottom_up/higherhrnet/coco/'
                 'higher_hrnet32_coco_512x512.py'))
    cfg.model.backbone.extra = tiny_hrnet_extra()
    head = cfg.model.keypoint_head
    head.in_channels = 8
    head.num_deconv_filters = [8]
    head.num_basic_blocks = 1
    cfg.data_cfg.image_size = 128
    cfg.data_cfg.base_size = 64
    cfg.data_cfg.heatmap_size = [32, 64]
    return cfg


def randomise_batchnorms(model: nn.Module, seed: int = 0) -> None:
    """Non-trivial BatchNorm statistics and affine parameters."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, _BatchNorm):
                c = m.num_features
                m.running_mean.copy_(torch.randn(c, generator=gen) * 0.5)
                m.running_var.copy_(torch.rand(c, generator=gen) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(c, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(c, generator=gen) * 0.2)


def build(cfg, **kwargs):
    torch.manual_seed(0)
    model = init_pose_model(cfg, device='cpu', **kwargs)
    randomise_batchnorms(model)
    return model


def top_down_keypoints(model, **kwargs):
    results, _ = inference_top_down_pose_model(model, IMG, BOXES, **kwargs)
    return np.stack([r['keypoints'] for r in results])


def bottom_up_heatmaps(model):
    _, outputs = inference_bottom_up_pose_model(model, IMG,
                                                return_heatmap=True)
    return outputs[0]['heatmap']


# ------------------------------------------------------------ folding maths
def test_conv_bn_pair_folds_to_hand_computed_weight_and_bias():
    conv = nn.Conv2d(1, 2, 1, bias=True)
    bn = nn.BatchNorm2d(2, eps=0.0).eval()
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([2.0, -1.0]).reshape(2, 1, 1, 1))
        conv.bias.copy_(torch.tensor([1.0, 0.5]))
        bn.running_mean.copy_(torch.tensor([3.0, -0.5]))
        bn.running_var.copy_(torch.tensor([4.0, 0.25]))
        bn.weight.copy_(torch.tensor([1.0, 3.0]))
        bn.bias.copy_(torch.tensor([0.5, -1.0]))
    fold_conv_bn(conv, bn)
    # channel 0: g/std = 1/2 -> w 1, b (1 - 3) / 2 + 0.5 = -0.5
    # channel 1: g/std = 3/0.5 = 6 -> w -6, b (0.5 + 0.5) * 6 - 1 = 5
    assert conv.weight.flatten().tolist() == [1.0, -6.0]
    assert conv.bias.tolist() == [-0.5, 5.0]


def test_conv_without_bias_gets_the_bn_shift():
    conv = nn.Conv2d(1, 1, 1, bias=False)
    bn = nn.BatchNorm2d(1, eps=0.0).eval()
    with torch.no_grad():
        conv.weight.fill_(1.0)
        bn.running_mean.fill_(2.0)
        bn.running_var.fill_(1.0)
        bn.bias.fill_(0.25)
    fold_conv_bn(conv, bn)
    assert conv.bias.tolist() == [-1.75]


def test_fuse_replaces_bn_in_sequential_and_conv_module():
    from mmcv.cnn import ConvModule
    net = nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(),
        ConvModule(4, 4, 1, norm_cfg=dict(type='BN')),
        ConvModule(4, 4, 1, norm_cfg=dict(type='BN'),
                   order=('norm', 'conv', 'act'))).eval()
    randomise_batchnorms(net)
    x = torch.randn(2, 3, 8, 8)
    expected = net(x)
    fuse_conv_bn(net)
    assert isinstance(net[1], nn.Identity)
    assert isinstance(net[3].bn, nn.Identity)
    assert isinstance(net[4].bn, nn.BatchNorm2d)  # norm before conv: kept
    torch.testing.assert_close(net(x), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('groups', [1, 2])
def test_transposed_conv_bn_pair_folds(groups):
    net = nn.Sequential(
        nn.ConvTranspose2d(4, 6, 4, stride=2, padding=1, groups=groups),
        nn.BatchNorm2d(6)).eval()
    randomise_batchnorms(net)
    x = torch.randn(1, 4, 5, 5)
    expected = net(x)
    fuse_conv_bn(net)
    assert isinstance(net[1], nn.Identity)
    torch.testing.assert_close(net(x), expected, rtol=1e-5, atol=1e-5)


def test_training_batchnorm_is_not_folded():
    net = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4)).train()
    fuse_conv_bn(net)
    assert isinstance(net[1], nn.BatchNorm2d)


# ------------------------------------------ fast path equals the plain path
@pytest.mark.parametrize('make_cfg', [top_down_resnet_cfg,
                                      top_down_hrnet_cfg])
def test_top_down_fast_path_matches_plain(make_cfg):
    fast = build(make_cfg())
    plain = build(make_cfg(), fast=False)
    a, b = top_down_keypoints(fast), top_down_keypoints(plain)
    assert a.shape == (3, 17, 3)
    np.testing.assert_allclose(a[..., :2], b[..., :2], atol=1e-3)
    np.testing.assert_allclose(a[..., 2], b[..., 2], rtol=1e-4, atol=1e-5)
    network = inference_network(fast)
    assert network is not fast
    assert not any(isinstance(m, _BatchNorm) for m in network.modules())


def test_bottom_up_higher_hrnet_fast_path_matches_plain():
    # The grouping of random-weight outputs is ill-conditioned (near-equal
    # tags), so the aggregated heatmaps that feed it are compared.
    fast = build(bottom_up_higher_hrnet_cfg())
    plain = build(bottom_up_higher_hrnet_cfg(), fast=False)
    a, b = bottom_up_heatmaps(fast), bottom_up_heatmaps(plain)
    assert a.shape == b.shape and a.shape[1] == 17
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5 * np.abs(b).max())


def test_user_model_and_state_dict_are_untouched():
    model = build(top_down_resnet_cfg())
    before = {k: v.clone() for k, v in model.state_dict().items()}
    top_down_keypoints(model)
    after = model.state_dict()
    assert list(after) == list(before)
    assert any('bn' in k for k in after)
    for key, value in before.items():
        assert torch.equal(after[key], value), key
    assert any(isinstance(m, _BatchNorm) for m in model.modules())


def test_copy_follows_weight_changes():
    model = build(top_down_resnet_cfg())
    first = top_down_keypoints(model)
    randomise_batchnorms(model, seed=1)  # in place, as load_checkpoint does
    plain = build(top_down_resnet_cfg(), fast=False)
    randomise_batchnorms(plain, seed=1)
    second = top_down_keypoints(model)
    np.testing.assert_allclose(second[..., :2],
                               top_down_keypoints(plain)[..., :2], atol=1e-3)
    assert not np.allclose(first, second)


# --------------------------------------------------------- reduced precision
def record_conv_dtypes(model):
    """Dtypes of the first conv's output on every forward (the hook is
    copied along with the model into the inference copy)."""
    dtypes = []
    conv = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
    conv.register_forward_hook(lambda m, i, o: dtypes.append(o.dtype))
    return dtypes


def test_network_runs_in_fp32_by_default():
    model = build(top_down_resnet_cfg())
    dtypes = record_conv_dtypes(model)
    top_down_keypoints(model)
    assert dtypes and set(dtypes) == {torch.float32}


def test_bf16_runs_in_bf16_and_returns_fp32_close_to_fp32():
    model = build(top_down_resnet_cfg(), precision='bf16')
    dtypes = record_conv_dtypes(model)
    results, outputs = inference_top_down_pose_model(
        model, IMG, BOXES, return_heatmap=True)
    assert set(dtypes) == {torch.bfloat16}
    heatmap = outputs[0]['heatmap']
    assert heatmap.dtype == np.float32
    reference = build(top_down_resnet_cfg())
    _, ref_outputs = inference_top_down_pose_model(
        reference, IMG, BOXES, return_heatmap=True)
    scale = np.abs(ref_outputs[0]['heatmap']).max()
    np.testing.assert_allclose(heatmap, ref_outputs[0]['heatmap'],
                               atol=0.1 * scale)
    keypoints = np.stack([r['keypoints'] for r in results])
    assert keypoints.dtype == np.float32


def test_unsupported_precision_is_a_clear_error():
    with pytest.raises(KeyError, match=r"'bf16'.*'fp16'.*'fp32'.*'int8'"):
        init_pose_model(top_down_resnet_cfg(), device='cpu', precision='int8')
    with pytest.raises(ValueError, match='precision'):
        inference_network(nn.Conv2d(1, 1, 1).eval(), precision='half')


def crop_metas(n):
    flip_pairs = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12],
                  [13, 14], [15, 16]]
    return [dict(image_file='', center=np.array([48., 64.]),
                 scale=np.array([0.6, 0.8]), rotation=0, bbox_score=1.0,
                 bbox_id=i, flip_pairs=flip_pairs) for i in range(n)]


def test_predict_through_data_parallel_wrapper_matches_plain():
    from mmcv.parallel import MMDataParallel

    from mmpose.apis.fast_inference import predict
    model = build(top_down_resnet_cfg())
    wrapped = MMDataParallel(model).eval()
    img = torch.randn(2, 3, 128, 96)
    fast = predict(wrapped, True, 'fp32', img=img, img_metas=crop_metas(2))
    plain = predict(wrapped, False, 'fp32', img=img,
                    img_metas=crop_metas(2))
    np.testing.assert_allclose(fast['preds'][..., :2],
                               plain['preds'][..., :2], atol=1e-3)


def test_training_model_runs_as_it_is():
    model = build(top_down_resnet_cfg()).train()
    assert inference_network(model, fast=True, precision='bf16') is model


@pytest.mark.parametrize('backbone', [
    dict(type='MobileNetV2', widen_factor=0.25),
    dict(type='ShuffleNetV2', widen_factor=0.5),
    dict(type='ResNeSt', depth=50, stem_channels=16, base_channels=8),
    dict(type='CPM', in_channels=3, out_channels=4, feat_channels=16,
         num_stages=2),
])
def test_other_backbones_fold_exactly(backbone):
    from mmpose.models import build_backbone
    torch.manual_seed(0)
    net = build_backbone(backbone).eval()
    randomise_batchnorms(net)
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        expected = net(x)
        folded = fuse_conv_bn(net)(x)
    assert not any(isinstance(m, _BatchNorm) for m in net.modules())
    expected = expected if isinstance(expected, (list, tuple)) else [expected]
    folded = folded if isinstance(folded, (list, tuple)) else [folded]
    for a, b in zip(folded, expected):
        torch.testing.assert_close(a, b, rtol=1e-4,
                                   atol=1e-5 * float(b.abs().max()))


@pytest.mark.parametrize('backbone, head', [
    (None, None),
    # multi-stage output (a list per stage of lists per scale)
    (dict(type='MSPN', unit_channels=16, num_stages=2, num_units=2,
          num_blocks=[1, 1], norm_cfg=dict(type='BN')),
     dict(type='TopDownMSMUHead', out_shape=(32, 24), unit_channels=16,
          out_channels=17, num_stages=2, num_units=2,
          loss_keypoint=[dict(type='JointsMSELoss', use_target_weight=True)]
          * 4)),
])
def test_flip_test_in_one_batch_equals_two_passes(backbone, head):
    # The fast copy mirrors the crops inside the same batch; the upright and
    # mirrored halves must come out exactly as two separate passes.
    cfg = top_down_resnet_cfg()
    if backbone is not None:
        cfg.model.backbone, cfg.model.keypoint_head = backbone, head
    model = build(cfg)
    img = torch.randn(3, 3, 128, 96)
    with torch.no_grad():
        model.batch_flip_test = False
        two = model(img=img, img_metas=crop_metas(3), return_loss=False)
        model.batch_flip_test = True
        one = model(img=img, img_metas=crop_metas(3), return_loss=False)
    np.testing.assert_allclose(one['preds'], two['preds'], rtol=1e-5,
                               atol=1e-5)
    assert inference_network(build(cfg)).batch_flip_test
    assert not build(cfg).batch_flip_test
