"""The 2D families MMPose 0.29 added after 0.14: LiteHRNet, ViPNAS_ResNet,
ViPNAS_MobileNetV3 and ViPNASHeatmapSimpleHead.

Parameter names and shapes are compared with the 0.29 reference manifests
(built on the meta device); forward shapes are derived by hand from the
strides and channels; the Lite-HRNet blocks are checked against small
re-implementations of the paper's equations written here.
"""
import copy

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.errors import ArgumentError, UnknownNameError
from mmpose.models import build_posenet
from mmpose.models.backbones import (LiteHRNet, ViPNAS_MobileNetV3,
                                     ViPNAS_ResNet)
from mmpose.models.backbones.litehrnet import (ConditionalChannelWeighting,
                                               CrossResolutionWeighting,
                                               IterativeHead, LiteHRModule,
                                               Stem)
from mmpose.models.backbones.vipnas_resnet import ViPNAS_Bottleneck
from mmpose.models.builder import build_backbone, build_head
from mmpose.models.heads import ViPNASHeatmapSimpleHead
from .reference import packed_manifests, state_dict_problems

FAMILIES = ('LiteHRNet', 'ViPNAS_ResNet', 'ViPNAS_MobileNetV3',
            'ViPNASHeatmapSimpleHead')


def _family_configs():
    paths = []
    for path, manifest in sorted(packed_manifests('0.29').items()):
        model = manifest['cfg'].get('model') or {}
        types = {(model.get('backbone') or {}).get('type'),
                 (model.get('keypoint_head') or {}).get('type')}
        if types & set(FAMILIES):
            paths.append(path)
    return paths


FAMILY_CONFIGS = _family_configs()
MSE = dict(type='JointsMSELoss', use_target_weight=True)


def tiny_extra(module_type='LITE', with_head=True):
    """A two-stage Lite-HRNet small enough for CPU tests."""
    return dict(
        stem=dict(stem_channels=16, out_channels=16, expand_ratio=1),
        num_stages=2,
        stages_spec=dict(
            num_modules=(1, 1),
            num_branches=(2, 3),
            num_blocks=(1, 1),
            module_type=(module_type, module_type),
            with_fuse=(True, True),
            reduce_ratios=(4, 4),
            num_channels=((16, 32), (16, 32, 64))),
        with_head=with_head)


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def _identity_bn(module):
    """Make every BN of ``module`` an exact identity in eval mode."""
    for m in module.modules():
        if isinstance(m, _BatchNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
            m.running_mean.zero_()
            m.running_var.fill_(1 - m.eps)


# --------------------------------------------------------------------------
# state dicts of every 0.29 config of these families


def test_every_family_config_is_checked():
    # LiteHRNet: 4 COCO, 2 MPII, 1 COCO-WholeBody hand; ViPNAS: 2 COCO,
    # 4 COCO-WholeBody
    assert len(FAMILY_CONFIGS) == 13


@pytest.mark.parametrize('path', FAMILY_CONFIGS)
def test_state_dict_matches_029(path):
    manifest = packed_manifests('0.29')[path]
    cfg = copy.deepcopy(manifest['cfg']['model'])
    cfg['pretrained'] = None
    with torch.device('meta'):
        model = build_posenet(cfg)
    built = {name: [list(t.shape), str(t.dtype)]
             for name, t in model.state_dict().items()}
    assert state_dict_problems(manifest['state_dict'], built) == []
    assert sum(p.numel() for p in model.parameters()) == \
        manifest['num_params']


# --------------------------------------------------------------------------
# LiteHRNet


def test_litehrnet_output_is_stride_4_highest_branch():
    model = LiteHRNet(tiny_extra()).eval()
    outs = model(torch.rand(2, 3, 64, 64))
    # one-element list (0.29), branch 0: 16 channels at 64 / 4
    assert [tuple(o.shape) for o in outs] == [(2, 16, 16, 16)]


def test_litehrnet_stage_branches_halve_resolution():
    model = LiteHRNet(tiny_extra(with_head=False)).eval()
    shapes = {}
    for name in ('stem', 'stage0', 'stage1'):
        getattr(model, name).register_forward_hook(
            lambda module, inputs, out, name=name: shapes.update({
                name: [tuple(t.shape) for t in
                       (out if isinstance(out, list) else [out])]}))
    model(torch.rand(1, 3, 64, 64))
    # stride 4 after the stem; each new branch halves the resolution
    assert shapes == {
        'stem': [(1, 16, 16, 16)],
        'stage0': [(1, 16, 16, 16), (1, 32, 8, 8)],
        'stage1': [(1, 16, 16, 16), (1, 32, 8, 8), (1, 64, 4, 4)],
    }


def test_litehrnet_naive_modules_build_and_run():
    model = LiteHRNet(tiny_extra('NAIVE')).eval()
    assert [tuple(o.shape) for o in model(torch.rand(1, 3, 32, 32))] == \
        [(1, 16, 8, 8)]
    # NAIVE modules hold one ShuffleNetV2 unit per block and branch
    assert len(model.stage1[0].layers) == 3


def test_stem_wider_output_splits_channels():
    stem = Stem(3, stem_channels=16, out_channels=24, expand_ratio=2).eval()
    # half of conv1's 16 channels expand to 32, come back to 16; the other
    # half grows to 24 - 16 = 8 in branch1
    assert stem.expand_conv.conv.out_channels == 32
    assert stem.linear_conv.conv.out_channels == 16
    assert stem.branch1[1].conv.out_channels == 8
    assert tuple(stem(torch.rand(1, 3, 32, 32)).shape) == (1, 24, 8, 8)


def test_iterative_head_maps_each_branch_to_the_next_higher_width():
    head = IterativeHead([8, 16, 32]).eval()
    x = [torch.rand(1, 8, 8, 8), torch.rand(1, 16, 4, 4),
         torch.rand(1, 32, 2, 2)]
    assert [tuple(t.shape) for t in head(x)] == [(1, 8, 8, 8),
                                                 (1, 8, 4, 4),
                                                 (1, 16, 2, 2)]


def test_cross_resolution_weighting_follows_the_paper():
    torch.manual_seed(1)
    crw = CrossResolutionWeighting([4, 8], ratio=2).eval()
    x = [torch.randn(2, 4, 8, 8), torch.randn(2, 8, 4, 4)]
    # equations: pool every branch to the smallest size, concatenate,
    # W1 + ReLU, W2 + sigmoid, split, upsample nearest, multiply
    w1, b1 = crw.conv1.conv.weight[:, :, 0, 0], crw.conv1.conv.bias
    w2, b2 = crw.conv2.conv.weight[:, :, 0, 0], crw.conv2.conv.bias
    pooled0 = x[0].reshape(2, 4, 4, 2, 4, 2).mean(dim=(3, 5))
    z = torch.cat([pooled0, x[1]], dim=1)  # [2, 12, 4, 4]
    hidden = torch.relu(torch.einsum('oc,nchw->nohw', w1, z) +
                        b1[None, :, None, None])
    gates = torch.sigmoid(
        torch.einsum('oc,nchw->nohw', w2, hidden) + b2[None, :, None, None])
    expected0 = x[0] * gates[:, :4].repeat_interleave(2, 2).repeat_interleave(
        2, 3)
    expected1 = x[1] * gates[:, 4:]
    out = crw(x)
    torch.testing.assert_close(out[0], expected0)
    torch.testing.assert_close(out[1], expected1)


def test_conditional_channel_weighting_keeps_half_and_shuffles():
    block = ConditionalChannelWeighting([8, 16], stride=1,
                                        reduce_ratio=2).eval()
    x = [torch.randn(1, 8, 8, 8), torch.randn(1, 16, 4, 4)]
    out = block(x)
    for branch, (inp, res) in enumerate(zip(x, out)):
        half = inp.shape[1] // 2
        # shuffle with 2 groups interleaves: even channels are the kept half
        torch.testing.assert_close(res[:, 0::2], inp[:, :half])
        # odd channels: cross-resolution gate, depth-wise conv, SE gate
        gated = block.cross_resolution_weighting([t[:, t.shape[1] // 2:]
                                                  for t in x])[branch]
        conv = block.depthwise_convs[branch]
        se = block.spatial_weighting[branch]
        y = conv(gated)
        squeeze = torch.relu(se.conv1.conv(y.mean(dim=(2, 3), keepdim=True)))
        expected = y * torch.sigmoid(se.conv2.conv(squeeze))
        torch.testing.assert_close(res[:, 1::2], expected)


def test_fusion_reproduces_029_double_count_and_in_place_update():
    module = LiteHRModule(2, 1, [8, 8], 2, 'LITE',
                          multiscale_output=True).eval()
    module.layers = nn.Identity()  # isolate the fusion
    _identity_bn(module)
    eye = torch.eye(8)[:, :, None, None]
    up = module.fuse_layers[0][1]  # 1x1 conv, BN, nearest x2
    up[0].weight.data.copy_(eye)
    down = module.fuse_layers[1][0][0]  # dw 3x3/2, BN, pw 1x1, BN
    down[0].weight.data.zero_()
    down[0].weight.data[:, :, 1, 1] = 1  # picks the even pixels
    down[2].weight.data.copy_(eye)

    x0 = torch.arange(128.).reshape(1, 8, 4, 4) - 60
    x1 = torch.arange(32.).reshape(1, 8, 2, 2) - 10
    with torch.no_grad():
        out0, out1 = module([x0.clone(), x1.clone()])

    a0, a1 = x0.numpy(), x1.numpy()
    s0 = 2 * a0 + a1.repeat(2, axis=2).repeat(2, axis=3)
    expected1 = 2 * s0[:, :, ::2, ::2] + a1
    np.testing.assert_allclose(out0.numpy(), np.maximum(s0, 0))
    np.testing.assert_allclose(out1.numpy(), np.maximum(expected1, 0))


def test_litehrnet_with_cp_gives_same_values_and_gradients():
    plain = LiteHRNet(tiny_extra())
    checkpointed = LiteHRNet(tiny_extra(), with_cp=True)
    checkpointed.load_state_dict(plain.state_dict())
    image = torch.rand(1, 3, 32, 32)
    grads = []
    for model in (plain, checkpointed):
        model.eval()
        img = image.clone().requires_grad_()
        out = model(img)[0]
        out.sum().backward()
        grads.append((out.detach(), img.grad))
    torch.testing.assert_close(grads[0][0], grads[1][0])
    torch.testing.assert_close(grads[0][1], grads[1][1])


def test_litehrnet_norm_eval_keeps_bn_in_eval_mode():
    model = LiteHRNet(tiny_extra(), norm_eval=True).train()
    bns = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    assert bns and not any(m.training for m in bns)
    assert model.stem.conv1.conv.training


def test_litehrnet_init_weights_is_small_normal():
    model = LiteHRNet(tiny_extra())
    model.init_weights()
    weight = model.stem.conv1.conv.weight
    assert 0 < weight.std().item() < 0.01
    assert torch.all(model.stem.conv1.bn.weight == 1)


# --------------------------------------------------------------------------
# ViPNAS backbones and head


def test_vipnas_resnet_stage_shapes():
    model = ViPNAS_ResNet(depth=50, out_indices=(0, 1, 2, 3)).eval()
    outs = model(torch.rand(1, 3, 64, 64))
    # widths 80, 160, 304, 608 at strides 4, 8, 16, 32
    assert [tuple(o.shape) for o in outs] == [(1, 80, 16, 16),
                                              (1, 160, 8, 8), (1, 304, 4, 4),
                                              (1, 608, 2, 2)]
    assert model.feat_dim == 608


def test_vipnas_bottleneck_searched_conv_and_attention():
    block = ViPNAS_Bottleneck(32, 32, expansion=1, kernel_size=5, groups=4,
                              attention=True).eval()
    assert tuple(block.conv2.weight.shape) == (32, 8, 5, 5)
    assert block.attention is not None
    # mmcv zero-inits the context block's last conv: it adds nothing yet,
    # so the block equals relu(residual + x)
    x = torch.randn(1, 32, 6, 6)
    out = block(x)
    residual = block.norm3(block.conv3(block.relu(block.norm2(block.conv2(
        block.relu(block.norm1(block.conv1(x))))))))
    torch.testing.assert_close(out, torch.relu(residual + x))


def test_vipnas_resnet_frozen_stages():
    model = ViPNAS_ResNet(depth=50, frozen_stages=1).train()
    assert not any(p.requires_grad for p in model.conv1.parameters())
    assert not any(p.requires_grad for p in model.layer1.parameters())
    assert not model.layer1.training
    assert all(p.requires_grad for p in model.layer2.parameters())


def test_vipnas_mobilenetv3_output_and_blocks():
    model = ViPNAS_MobileNetV3().eval()
    assert tuple(model(torch.rand(1, 3, 64, 64)).shape) == (1, 160, 2, 2)
    assert len(model.layers) == 21  # 1 + 4 * 5 blocks
    # expansion 1: no expand conv; SE gate HSigmoid((x + 1) / 2)
    assert not hasattr(model.layer1, 'expand_conv')
    gate = model.layer1.se.conv2.activate
    assert (gate.bias, gate.divisor) == (1.0, 2.0)
    # searched groups of the depth-wise convs: 120 channels in 120 groups
    assert tuple(model.layer2.depthwise_conv.conv.weight.shape) == \
        (120, 1, 7, 7)


def test_vipnas_mobilenetv3_frozen_stages_count_blocks():
    model = ViPNAS_MobileNetV3(frozen_stages=2).train()
    for frozen in (model.conv1, model.layer1, model.layer2):
        assert not any(p.requires_grad for p in frozen.parameters())
    assert all(p.requires_grad for p in model.layer3.parameters())


def test_vipnas_head_grouped_deconvs_upsample_8x():
    head = build_head(
        dict(type='ViPNASHeatmapSimpleHead', in_channels=32, out_channels=5,
             num_deconv_filters=(16, 16, 16), num_deconv_groups=(4, 4, 4),
             loss_keypoint=dict(type='JointsMSELoss',
                                use_target_weight=True)))
    assert tuple(head.deconv_layers[0].weight.shape) == (32, 4, 4, 4)
    assert tuple(head.deconv_layers[3].weight.shape) == (16, 4, 4, 4)
    assert tuple(head(torch.rand(2, 32, 3, 2)).shape) == (2, 5, 24, 16)
    # a list of features selects in_index 0 (the 0.29 default)
    assert tuple(head([torch.rand(1, 32, 2, 2)]).shape) == (1, 5, 16, 16)


# --------------------------------------------------------------------------
# bad arguments raise the 0.29 classes


@pytest.mark.parametrize('make, error', [
    (lambda: LiteHRModule(2, 1, [8], 2, 'LITE'), ValueError),
    (lambda: LiteHRModule(1, 1, [8], 2, 'SHUFFLE'), ValueError),
    (lambda: ConditionalChannelWeighting([8], 3, 2), AssertionError),
    (lambda: LiteHRNet({'stem': {}}), KeyError),
    (lambda: ViPNAS_ResNet(depth=18), KeyError),
    (lambda: ViPNAS_ResNet(depth=50, num_stages=5), AssertionError),
    (lambda: ViPNAS_MobileNetV3(wid=[16, 24], expan=[None, 1],
                                dep=[None, 1], ks=[3, 3], group=[None, 8],
                                att=[None, False], stride=[2, 1],
                                act=['ReLU', 'ReLU']), AssertionError),
    (lambda: ViPNASHeatmapSimpleHead(8, 3, num_deconv_groups=(1, 1),
                                     loss_keypoint=MSE), ValueError),
    (lambda: ViPNASHeatmapSimpleHead(8, 3, num_deconv_layers=-1,
                                     loss_keypoint=MSE), ValueError),
])
def test_bad_arguments_raise_029_classes(make, error):
    with pytest.raises(error) as info:
        make()
    assert isinstance(info.value, (ArgumentError, UnknownNameError))


def test_litehrnet_extra_errors_name_the_key():
    extra = tiny_extra()
    del extra['stages_spec']['reduce_ratios']
    with pytest.raises(KeyError, match='reduce_ratios'):
        LiteHRNet(extra)
    extra = tiny_extra()
    extra['stages_spec']['num_channels'] = ((16, 32), (16, 32))
    with pytest.raises(ArgumentError, match='num_branches=3'):
        LiteHRNet(extra)


# --------------------------------------------------------------------------
# training


def test_topdown_litehrnet_loss_drops_on_a_fixed_batch():
    model = build_posenet(
        dict(
            type='TopDown',
            backbone=dict(type='LiteHRNet', extra=tiny_extra()),
            keypoint_head=dict(
                type='TopdownHeatmapSimpleHead',
                in_channels=16,
                out_channels=3,
                num_deconv_layers=0,
                extra=dict(final_conv_kernel=1),
                loss_keypoint=dict(
                    type='JointsMSELoss', use_target_weight=True)),
            train_cfg=dict(),
            test_cfg=dict(flip_test=False)))
    model.init_weights()
    model.train()
    img = torch.rand(4, 3, 64, 64)
    target = torch.zeros(4, 3, 16, 16)
    target[:, :, 6:10, 6:10] = 1
    target_weight = torch.ones(4, 3, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(3):
        loss = model(img, target, target_weight, img_metas=None)
        total = sum(v for k, v in loss.items() if 'loss' in k)
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        losses.append(total.item())
    assert np.isfinite(losses).all()
    assert losses[-1] < losses[0]


def test_backbones_are_registered_for_configs():
    for cfg in (dict(type='LiteHRNet', extra=tiny_extra()),
                dict(type='ViPNAS_MobileNetV3'),
                dict(type='ViPNAS_ResNet', depth=50)):
        assert type(build_backbone(cfg)).__name__ == cfg['type']
