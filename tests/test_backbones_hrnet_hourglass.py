"""HRNet and HourglassNet backbones: shapes, modes, init and 0.14 names."""

import pytest
import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.models import build_backbone
from mmpose.models.backbones import HourglassNet, HRNet
from mmpose.models.backbones.hrnet import HRModule
from mmpose.models.backbones.resnet import BasicBlock, Bottleneck


def tiny_extra(multiscale_output=False, stage1_block='BOTTLENECK',
               upsample=None):
    """A 4-stage HRNet with 1 block per branch and 4/8/16/32 channels."""
    extra = dict(
        stage1=dict(num_modules=1, num_branches=1, block=stage1_block,
                    num_blocks=(1, ), num_channels=(4, )),
        stage2=dict(num_modules=1, num_branches=2, block='BASIC',
                    num_blocks=(1, 1), num_channels=(4, 8)),
        stage3=dict(num_modules=2, num_branches=3, block='BASIC',
                    num_blocks=(1, 1, 1), num_channels=(4, 8, 16)),
        stage4=dict(num_modules=1, num_branches=4, block='BASIC',
                    num_blocks=(1, 1, 1, 1), num_channels=(4, 8, 16, 32),
                    multiscale_output=multiscale_output))
    if upsample is not None:
        extra['upsample'] = upsample
    return extra


def shapes(outs):
    return [tuple(o.shape) for o in outs]


def bn_layers(model):
    return [m for m in model.modules() if isinstance(m, _BatchNorm)]


# ----------------------------------------------------------------- HRNet

def test_hrnet_single_scale_output_is_stride_4_branch():
    model = HRNet(tiny_extra()).eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 64, 64))
    assert shapes(outs) == [(1, 4, 16, 16)]


def test_hrnet_multiscale_output_returns_all_branches():
    model = HRNet(tiny_extra(multiscale_output=True)).eval()
    with torch.no_grad():
        outs = model(torch.rand(2, 3, 64, 64))
    assert shapes(outs) == [(2, 4, 16, 16), (2, 8, 8, 8), (2, 16, 4, 4),
                            (2, 32, 2, 2)]


def test_hrnet_in_channels_and_bottleneck_expansion():
    extra = tiny_extra(multiscale_output=True)
    extra['stage4']['block'] = 'BOTTLENECK'
    model = HRNet(extra, in_channels=1).eval()
    assert model.conv1.weight.shape == (64, 1, 3, 3)
    with torch.no_grad():
        outs = model(torch.rand(1, 1, 32, 32))
    assert shapes(outs) == [(1, 16, 8, 8), (1, 32, 4, 4), (1, 64, 2, 2),
                            (1, 128, 1, 1)]


def test_hrnet_stage1_basic_block():
    model = HRNet(tiny_extra(stage1_block='BASIC')).eval()
    assert model.layer1[0].conv1.weight.shape == (4, 64, 3, 3)
    # stage-1 output (4) already matches branch 0: no transition conv
    assert model.transition1[0] is None
    assert model.transition1[1][0][0].weight.shape == (8, 4, 3, 3)


def test_hrnetv2_upsample_cfg_reaches_fuse_layers():
    up = dict(mode='bilinear', align_corners=False)
    model = HRNet(tiny_extra(multiscale_output=True, upsample=up)).eval()
    upsamples = [m for m in model.modules() if isinstance(m, nn.Upsample)]
    assert upsamples and all(m.mode == 'bilinear' for m in upsamples)
    assert all(m.align_corners is False for m in upsamples)
    default = HRNet(tiny_extra())
    assert all(m.mode == 'nearest' for m in default.modules()
               if isinstance(m, nn.Upsample))
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 64, 64))
    assert shapes(outs)[0] == (1, 4, 16, 16)


def test_hrnet_last_module_fuses_only_needed_branches():
    model = HRNet(tiny_extra())
    assert len(model.stage4[-1].fuse_layers) == 1
    assert len(model.stage3[-1].fuse_layers) == 3
    multi = HRNet(tiny_extra(multiscale_output=True))
    assert len(multi.stage4[-1].fuse_layers) == 4


def test_hrmodule_fusion_numbers():
    """Two branches with zeroed residual blocks: the fused high-resolution
    output is relu(x0 + upsample(bn(conv1x1(x1))))."""
    module = HRModule(2, BasicBlock, (1, 1), [2, 2], (2, 2),
                      multiscale_output=True).eval()
    for branch in module.branches:
        nn.init.zeros_(branch[0].norm2.weight)  # block == relu(identity)
    conv = module.fuse_layers[0][1][0]
    nn.init.constant_(conv.weight, 0.5)
    x0 = torch.zeros(1, 2, 4, 4)
    x1 = torch.ones(1, 2, 2, 2)
    with torch.no_grad():
        out = module([x0, x1])
    # BN in eval with default stats is (x - 0) / sqrt(1 + eps)
    expected = 1.0 / (1 + 1e-5)**0.5
    assert torch.allclose(out[0], torch.full((1, 2, 4, 4), expected))
    assert out[1].shape == (1, 2, 2, 2)


def test_hrnet_norm_eval_keeps_bn_in_eval_mode():
    model = HRNet(tiny_extra(), norm_eval=True)
    model.train()
    assert model.training
    assert all(not bn.training for bn in bn_layers(model))
    model = HRNet(tiny_extra(), norm_eval=False)
    model.train()
    assert all(bn.training for bn in bn_layers(model))


def test_hrnet_norm_eval_freezes_running_stats():
    model = HRNet(tiny_extra(), norm_eval=True).train()
    before = model.norm1.running_mean.clone()
    model(torch.rand(2, 3, 32, 32))
    assert torch.equal(model.norm1.running_mean, before)


def test_hrnet_with_cp_gives_same_outputs_and_grads():
    torch.manual_seed(0)
    ref = HRNet(tiny_extra(multiscale_output=True)).eval()
    cp_model = HRNet(tiny_extra(multiscale_output=True), with_cp=True).eval()
    cp_model.load_state_dict(ref.state_dict())
    assert all(m.with_cp for m in cp_model.modules()
               if isinstance(m, (BasicBlock, Bottleneck)))
    x = torch.rand(1, 3, 32, 32)
    results = []
    for model in (ref, cp_model):
        inp = x.clone().requires_grad_()
        outs = model(inp)
        sum(o.sum() for o in outs).backward()
        results.append(([o.detach() for o in outs], inp.grad))
    for a, b in zip(results[0][0], results[1][0]):
        assert torch.allclose(a, b, atol=1e-6)
    assert torch.allclose(results[0][1], results[1][1], atol=1e-6)


def test_hrnet_init_weights_none_is_normal_and_constant():
    torch.manual_seed(0)
    model = HRNet(tiny_extra())
    model.init_weights()
    std = model.conv2.weight.std().item()
    assert 0.0007 < std < 0.0013
    assert torch.all(model.norm1.weight == 1)
    assert torch.all(model.norm1.bias == 0)


def test_hrnet_zero_init_residual():
    model = HRNet(tiny_extra(), zero_init_residual=True)
    model.init_weights(None)
    assert torch.all(model.layer1[0].norm3.weight == 0)
    assert torch.all(model.stage2[0].branches[0][0].norm2.weight == 0)
    assert torch.all(model.norm1.weight == 1)


def test_hrnet_init_weights_loads_checkpoint(tmp_path):
    src = HRNet(tiny_extra())
    src.init_weights()
    path = tmp_path / 'hrnet.pth'
    torch.save({'state_dict': src.state_dict()}, str(path))
    dst = HRNet(tiny_extra())
    dst.init_weights(str(path))
    for key, value in src.state_dict().items():
        assert torch.equal(dst.state_dict()[key], value), key


def test_hrnet_init_weights_rejects_other_types():
    with pytest.raises(TypeError, match='pretrained must be a str or None'):
        HRNet(tiny_extra()).init_weights(pretrained=1)


def test_hrnet_bad_extra_raises_clear_errors():
    extra = tiny_extra()
    del extra['stage3']
    with pytest.raises(KeyError, match='stage3'):
        HRNet(extra)
    extra = tiny_extra()
    extra['stage2']['block'] = 'UNKNOWN'
    with pytest.raises(ValueError, match="'UNKNOWN'"):
        HRNet(extra)
    extra = tiny_extra()
    extra['stage3']['num_channels'] = (4, 8)
    with pytest.raises(ValueError, match='num_channels'):
        HRNet(extra)
    with pytest.raises(ValueError, match='num_branches'):
        HRModule(2, BasicBlock, (1, ), [4, 8], (4, 8))


def test_hrnet_builds_from_registry():
    model = build_backbone(dict(type='HRNet', extra=tiny_extra()))
    assert isinstance(model, HRNet)


# ---------------------------------------------------------- HourglassNet

def tiny_hourglass(**kwargs):
    cfg = dict(downsample_times=2, num_stacks=2, stage_channels=(8, 8, 16),
               stage_blocks=(1, 1, 1), feat_channel=6)
    cfg.update(kwargs)
    return HourglassNet(**cfg)


def test_hourglass_outputs_one_stride_4_feature_per_stack():
    model = tiny_hourglass().eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 64, 64))
    assert shapes(outs) == [(1, 6, 16, 16), (1, 6, 16, 16)]


def test_hourglass_single_stack_and_deeper_module():
    model = tiny_hourglass(num_stacks=1, downsample_times=3,
                           stage_channels=(8, 8, 8, 16),
                           stage_blocks=(1, 1, 1, 2)).eval()
    with torch.no_grad():
        outs = model(torch.rand(2, 3, 64, 64))
    assert shapes(outs) == [(2, 6, 16, 16)]
    # the original always holds one intermediate block
    assert len(model.inters) == 1 and len(model.conv1x1s) == 0
    assert len(model.hourglass_modules[0].low2.low2.low2) == 2


def test_hourglass_stacks_are_chained():
    """The second stack's output depends on the first stack's output."""
    torch.manual_seed(0)
    model = tiny_hourglass().eval()
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        first, second = model(x)
        nn.init.zeros_(model.remap_convs[0].conv.weight)
        first_b, second_b = model(x)
    assert torch.equal(first, first_b)
    assert not torch.allclose(second, second_b)


def test_hourglass_train_mode():
    model = tiny_hourglass()
    model.train()
    assert all(bn.training for bn in bn_layers(model))
    model.eval()
    assert not any(bn.training for bn in bn_layers(model))


def test_hourglass_init_weights():
    torch.manual_seed(0)
    model = tiny_hourglass()
    model.init_weights()
    conv = model.hourglass_modules[0].up1[0].conv1
    assert 0.0007 < conv.weight.std().item() < 0.0013
    assert torch.all(model.stem[0].bn.weight == 1)
    with pytest.raises(TypeError):
        model.init_weights(pretrained=object())


def test_hourglass_bad_arguments():
    with pytest.raises(ValueError, match='num_stacks'):
        tiny_hourglass(num_stacks=0)
    with pytest.raises(ValueError, match='differ in length'):
        tiny_hourglass(stage_blocks=(1, 1))
    with pytest.raises(ValueError, match='downsample_times'):
        tiny_hourglass(downsample_times=3)
