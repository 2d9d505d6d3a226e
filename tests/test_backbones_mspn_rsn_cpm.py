"""MSPN, RSN and CPM backbones: shapes, structure, init and 0.14 names."""
import inspect

import pytest
import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.models import build_backbone
from mmpose.models.backbones import CPM, MSPN, RSN
from mmpose.models.backbones.multi_stage_common import MultiStageUNetBackbone
from mmpose.models.backbones.rsn import RSB


def shapes(outs):
    return [tuple(o.shape) for o in outs]


def tiny_mspn(**kwargs):
    cfg = dict(unit_channels=8, num_stages=2, num_units=2, num_blocks=[1, 1],
               res_top_channels=4)
    cfg.update(kwargs)
    return MSPN(**cfg)


def tiny_rsn(**kwargs):
    cfg = dict(unit_channels=8, num_stages=2, num_units=3,
               num_blocks=[1, 1, 1], num_steps=2, res_top_channels=8,
               expand_times=8)
    cfg.update(kwargs)
    return RSN(**cfg)


# ------------------------------------------------------------------ MSPN

def test_mspn_outputs_per_stage_and_unit_coarsest_first():
    model = tiny_mspn().eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 64, 64))
    assert len(outs) == 2
    for stage in outs:
        assert shapes(stage) == [(1, 8, 8, 8), (1, 8, 16, 16)]


def test_mspn_four_units_strides():
    model = tiny_mspn(num_stages=1, num_units=4, num_blocks=[1, 1, 1, 1])
    with torch.no_grad():
        outs = model.eval()(torch.rand(1, 3, 64, 64))
    assert shapes(outs[0]) == [(1, 8, 2, 2), (1, 8, 4, 4), (1, 8, 8, 8),
                               (1, 8, 16, 16)]


def test_mspn_structure_names_and_channels():
    model = tiny_mspn(num_stages=3)
    assert isinstance(model.multi_stage_mspn, nn.ModuleList)
    assert model.top.top[0].conv.weight.shape == (4, 3, 7, 7)
    down = model.multi_stage_mspn[0].downsample
    # Bottleneck planes 4, 8 -> outputs 16, 32
    assert down.layer1[0].conv3.weight.shape == (16, 4, 1, 1)
    assert down.layer2[0].downsample.conv.weight.shape == (32, 16, 1, 1)
    for i, stage in enumerate(model.multi_stage_mspn):
        last = i == 2
        up = stage.upsample
        assert hasattr(up.up1, 'out_skip1') != last
        assert hasattr(up.up2, 'cross_conv') != last
        assert not hasattr(up.up1, 'cross_conv')
        assert not hasattr(up.up1, 'up_conv') and hasattr(up.up2, 'up_conv')
        assert stage.downsample.has_skip == (i > 0)


def test_mspn_later_stage_uses_cross_stage_features():
    torch.manual_seed(0)
    model = tiny_mspn().eval()
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        first = model(x)
        nn.init.zeros_(model.multi_stage_mspn[0].upsample.up1.out_skip1
                       .conv.weight)
        second = model(x)
    assert all(torch.equal(a, b) for a, b in zip(first[0], second[0]))
    assert not torch.allclose(first[1][0], second[1][0])


def test_mspn_init_weights_none_is_kaiming_and_unit_bn():
    torch.manual_seed(0)
    model = tiny_mspn()
    model.init_weights()
    conv = model.multi_stage_mspn[0].downsample.layer2[0].conv2.weight
    fan_out = conv.shape[0] * conv.shape[2] * conv.shape[3]
    assert abs(conv.std().item() - (2 / fan_out)**0.5) < 0.3 * (2 /
                                                                fan_out)**0.5
    bns = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    assert all(torch.all(bn.weight == 1) for bn in bns)
    with pytest.raises(TypeError, match='pretrained must be a str or None'):
        model.init_weights(pretrained=3)


def test_mspn_init_weights_from_resnet_layout(tmp_path):
    """A ResNet-style checkpoint fills ``top`` and every stage's
    downsample path; its fc is ignored."""
    src = tiny_mspn()
    down = src.multi_stage_mspn[0].downsample.state_dict()
    resnet = {}
    for key, value in down.items():
        key = key.replace('downsample.conv.', 'downsample.0.')
        key = key.replace('downsample.bn.', 'downsample.1.')
        resnet[key] = torch.rand_like(value.float()).to(value.dtype)
    for key, value in src.top.top[0].state_dict().items():
        name = key.replace('conv.', 'conv1.').replace('bn.', 'bn1.')
        resnet[name] = torch.rand_like(value.float()).to(value.dtype)
    resnet['fc.weight'] = torch.rand(10, 32)
    path = tmp_path / 'resnet.pth'
    torch.save(resnet, str(path))

    model = tiny_mspn()
    model.init_weights(str(path))
    for stage in model.multi_stage_mspn:
        got = stage.downsample.state_dict()
        assert torch.equal(got['layer1.0.conv1.weight'],
                           resnet['layer1.0.conv1.weight'])
        assert torch.equal(got['layer2.0.downsample.conv.weight'],
                           resnet['layer2.0.downsample.0.weight'])
        assert torch.equal(got['layer2.0.downsample.bn.running_var'],
                           resnet['layer2.0.downsample.1.running_var'])
    assert torch.equal(model.top.top[0].conv.weight, resnet['conv1.weight'])
    assert torch.equal(model.top.top[0].bn.bias, resnet['bn1.bias'])


def test_mspn_init_weights_from_own_checkpoint(tmp_path):
    src = tiny_mspn()
    src.init_weights()
    path = tmp_path / 'mspn.pth'
    state = {f'backbone.{k}': v for k, v in src.state_dict().items()}
    torch.save({'state_dict': state}, str(path))
    dst = tiny_mspn()
    dst.init_weights(str(path))
    for key, value in src.state_dict().items():
        assert torch.equal(dst.state_dict()[key], value), key


def test_mspn_bad_arguments():
    with pytest.raises(ValueError, match='num_blocks'):
        tiny_mspn(num_units=3)
    with pytest.raises(ValueError, match='num_units'):
        tiny_mspn(num_units=1, num_blocks=[1])
    with pytest.raises(ValueError, match='num_stages'):
        tiny_mspn(num_stages=0)


def test_mspn_default_arguments_are_the_014_ones():
    assert issubclass(MSPN, MultiStageUNetBackbone)
    assert issubclass(RSN, MultiStageUNetBackbone)
    params = inspect.signature(MSPN).parameters
    assert params['unit_channels'].default == 256
    assert params['num_stages'].default == 4
    assert params['num_blocks'].default == [2, 2, 2, 2]
    assert params['res_top_channels'].default == 64


# ------------------------------------------------------------------- RSN

def test_rsn_outputs_per_stage_and_unit():
    model = tiny_rsn().eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 64, 64))
    assert len(outs) == 2
    for stage in outs:
        assert shapes(stage) == [(1, 8, 4, 4), (1, 8, 8, 8), (1, 8, 16, 16)]


def test_rsn_uses_rsb_with_expansion_one():
    model = tiny_rsn()
    down = model.multi_stage_rsn[0].downsample
    assert isinstance(down.layer1[0], RSB)
    # branch width in * expand_times // res_top_channels = 8 * 8 // 8
    assert down.layer1[0].conv_bn_relu1.conv.weight.shape == (16, 8, 1, 1)
    assert down.layer3[0].conv_bn3.conv.weight.shape == (32, 32, 1, 1)
    up1 = model.multi_stage_rsn[0].upsample.up1
    assert up1.in_skip.conv.weight.shape == (8, 32, 1, 1)


def test_rsb_step_layout():
    block = RSB(8, 8, num_steps=3, expand_times=26, res_top_channels=64)
    names = sorted(n for n, _ in block.named_children()
                   if n.startswith('conv_bn_relu2'))
    assert names == ['conv_bn_relu2_1_1', 'conv_bn_relu2_2_1',
                     'conv_bn_relu2_2_2', 'conv_bn_relu2_3_1',
                     'conv_bn_relu2_3_2', 'conv_bn_relu2_3_3']
    assert block.branch_channels == 3  # 8 * 26 // 64
    assert block.conv_bn_relu1.conv.weight.shape == (9, 8, 1, 1)


def test_rsb_with_zero_projection_is_relu_identity():
    block = RSB(4, 4, num_steps=2, expand_times=64, res_top_channels=64)
    block.eval()
    nn.init.zeros_(block.conv_bn3.bn.weight)
    x = torch.randn(2, 4, 5, 5)
    with torch.no_grad():
        assert torch.equal(block(x), torch.relu(x))


def test_rsb_stride_and_downsample():
    from mmcv.cnn import ConvModule
    down = ConvModule(4, 8, 1, stride=2, norm_cfg=dict(type='BN'),
                      act_cfg=None)
    block = RSB(4, 8, num_steps=2, stride=2, downsample=down,
                expand_times=64, res_top_channels=64).eval()
    with torch.no_grad():
        assert block(torch.rand(1, 4, 8, 8)).shape == (1, 8, 4, 4)


def test_rsb_with_cp_matches():
    torch.manual_seed(0)
    ref = RSB(4, 4, num_steps=3, expand_times=64, res_top_channels=64)
    cp_block = RSB(4, 4, num_steps=3, with_cp=True, expand_times=64,
                   res_top_channels=64)
    cp_block.load_state_dict(ref.state_dict())
    ref.eval()
    cp_block.eval()
    x = torch.rand(1, 4, 6, 6)
    grads = []
    for block in (ref, cp_block):
        inp = x.clone().requires_grad_()
        out = block(inp)
        out.sum().backward()
        grads.append((out.detach(), inp.grad))
    assert torch.allclose(grads[0][0], grads[1][0], atol=1e-6)
    assert torch.allclose(grads[0][1], grads[1][1], atol=1e-6)


def test_rsn_bad_arguments():
    with pytest.raises(ValueError, match='num_steps'):
        tiny_rsn(num_steps=1)
    with pytest.raises(ValueError, match='num_blocks'):
        tiny_rsn(num_blocks=[1, 1])


def test_rsn_init_weights():
    model = tiny_rsn()
    model.init_weights()
    bns = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    assert all(torch.all(bn.weight == 1) for bn in bns)
    with pytest.raises(TypeError):
        model.init_weights(pretrained=[])


def test_rsn_init_weights_loads_whole_model_checkpoint(tmp_path):
    src = tiny_rsn()
    src.init_weights()
    state = {f'backbone.{k}': v for k, v in src.state_dict().items()}
    state['keypoint_head.final.weight'] = torch.rand(2, 2)
    path = tmp_path / 'rsn.pth'
    torch.save({'state_dict': state}, str(path))
    dst = tiny_rsn()
    dst.init_weights(str(path))
    for key, value in src.state_dict().items():
        assert torch.equal(dst.state_dict()[key], value), key


# ------------------------------------------------------------------- CPM

def tiny_cpm(**kwargs):
    cfg = dict(in_channels=3, out_channels=5, feat_channels=8,
               middle_channels=4, num_stages=3)
    cfg.update(kwargs)
    return CPM(**cfg)


def test_cpm_outputs_one_stride_8_heatmap_per_stage():
    model = tiny_cpm().eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 64, 64))
    assert shapes(outs) == [(1, 5, 8, 8)] * 3
    with torch.no_grad():
        outs = model(torch.rand(2, 3, 65, 49))
    assert shapes(outs) == [(2, 5, 9, 7)] * 3


def test_cpm_single_stage():
    model = tiny_cpm(num_stages=1).eval()
    assert len(model.cpm_stages) == 0
    with torch.no_grad():
        assert shapes(model(torch.rand(1, 3, 32, 32))) == [(1, 5, 4, 4)]


def test_cpm_stage_refines_previous_heatmaps():
    torch.manual_seed(0)
    model = tiny_cpm(num_stages=2).eval()
    assert model.cpm_stages[0].model[0].conv.weight.shape == (8, 9, 11, 11)
    assert model.out_convs[0][1].conv.bias is not None
    assert not hasattr(model.out_convs[0][1], 'bn')
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        first = model(x)
        nn.init.zeros_(model.stem[9].conv.weight)
        second = model(x)
    assert not torch.allclose(first[1], second[1])


def test_cpm_init_weights():
    torch.manual_seed(0)
    model = tiny_cpm()
    model.init_weights()
    std = model.stem[0].conv.weight.std().item()
    assert 0.0007 < std < 0.0013
    assert torch.all(model.stem[0].bn.weight == 1)
    with pytest.raises(TypeError):
        model.init_weights(pretrained=1.0)


def test_cpm_bad_arguments():
    with pytest.raises(ValueError, match='num_stages'):
        tiny_cpm(num_stages=0)
    with pytest.raises(ValueError, match='out_channels'):
        tiny_cpm(out_channels=0)


def test_registry_builds_all_three():
    assert isinstance(build_backbone(dict(type='CPM', in_channels=3,
                                          out_channels=2, feat_channels=4,
                                          middle_channels=2, num_stages=1)),
                      CPM)
    assert isinstance(
        build_backbone(dict(type='MSPN', unit_channels=4, num_stages=1,
                            num_units=2, num_blocks=[1, 1],
                            res_top_channels=4)), MSPN)
    assert isinstance(
        build_backbone(dict(type='RSN', unit_channels=4, num_stages=1,
                            num_units=2, num_blocks=[1, 1], num_steps=2,
                            res_top_channels=8, expand_times=8)), RSN)
