"""ResNet family backbones: ResNet, ResNetV1d, ResNeXt, SEResNet, SEResNeXt,
ResNeSt, RegNet, SCNet, their blocks and the shared BaseBackbone behaviour.

Inputs are tiny (1x3x32x32 or smaller) to keep the suite fast on CPU.
"""
import pytest
import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.models.backbones import (RegNet, ResNeSt, ResNet, ResNetV1d,
                                     ResNeXt, SCNet, SEResNet, SEResNeXt)
from mmpose.models.backbones.base_backbone import BaseBackbone
from mmpose.models.backbones.resnest import RSoftmax, SplitAttentionConv2d
from mmpose.models.backbones.resnet import (BasicBlock, Bottleneck, ResLayer,
                                            get_expansion)
from mmpose.models.backbones.resnext import Bottleneck as BottleneckX
from mmpose.models.backbones.scnet import SCBottleneck, SCConv
from mmpose.models.builder import build_backbone

torch.set_num_threads(1)


def shapes(outs):
    if isinstance(outs, torch.Tensor):
        return [tuple(outs.shape)]
    return [tuple(o.shape) for o in outs]


def bn_modules(module):
    return [m for m in module.modules() if isinstance(m, _BatchNorm)]


# ---------------------------------------------------------------- blocks


def test_get_expansion():
    assert get_expansion(BasicBlock) == 1
    assert get_expansion(Bottleneck) == 4
    assert get_expansion(Bottleneck, 2) == 2
    with pytest.raises(TypeError, match='expansion'):
        get_expansion(Bottleneck, 2.0)
    with pytest.raises(TypeError, match='nn.Conv2d|Conv2d'):
        get_expansion(nn.Conv2d)


def test_basic_block_zero_init_is_identity_plus_relu():
    """With the last norm zeroed the residual branch vanishes."""
    block = BasicBlock(8, 8).eval()
    nn.init.zeros_(block.norm2.weight)
    x = torch.randn(2, 8, 5, 5)
    assert torch.equal(block(x), torch.relu(x))


def test_basic_block_rejects_expansion_and_style():
    with pytest.raises(ValueError, match='expansion must be 1'):
        BasicBlock(8, 8, expansion=2)
    with pytest.raises(ValueError, match="style"):
        BasicBlock(8, 8, style='tf')


def test_bottleneck_stride_position_follows_style():
    pytorch = Bottleneck(16, 16, stride=2, style='pytorch')
    caffe = Bottleneck(16, 16, stride=2, style='caffe')
    assert pytorch.conv1.stride == (1, 1) and pytorch.conv2.stride == (2, 2)
    assert caffe.conv1.stride == (2, 2) and caffe.conv2.stride == (1, 1)
    assert pytorch.mid_channels == 4
    with pytest.raises(ValueError, match='divisible by expansion'):
        Bottleneck(16, 10)


def test_res_layer_downsample_variants():
    layer = ResLayer(Bottleneck, 2, 16, 32, stride=2)
    assert len(layer) == 2
    assert [type(m) for m in layer[0].downsample] == [nn.Conv2d,
                                                      nn.BatchNorm2d]
    assert layer[0].downsample[0].stride == (2, 2)
    assert layer[1].downsample is None

    avg = ResLayer(Bottleneck, 1, 16, 32, stride=2, avg_down=True)
    assert isinstance(avg[0].downsample[0], nn.AvgPool2d)
    assert avg[0].downsample[1].stride == (1, 1)
    assert shapes(avg(torch.rand(1, 16, 7, 7))) == [(1, 32, 4, 4)]

    last = ResLayer(BasicBlock, 3, 8, 16, stride=2, downsample_first=False)
    assert [b.in_channels for b in last] == [8, 8, 8]
    assert last[0].downsample is None and last[2].downsample is not None
    assert shapes(last(torch.rand(1, 8, 8, 8))) == [(1, 16, 4, 4)]


def test_res_layer_rejects_empty():
    with pytest.raises(ValueError, match='at least one block'):
        ResLayer(BasicBlock, 0, 8, 8)


@pytest.mark.parametrize('block', [
    BasicBlock(8, 8),
    Bottleneck(16, 32, stride=2, downsample=nn.Sequential(
        nn.Conv2d(16, 32, 1, stride=2, bias=False), nn.BatchNorm2d(32))),
    SCBottleneck(16, 16),
])
def test_with_cp_matches_plain_forward(block):
    block.eval()
    x = torch.randn(1, block.in_channels, 8, 8, requires_grad=True)
    block.with_cp = False
    out = block(x)
    (grad, ) = torch.autograd.grad(out.sum(), x)
    block.with_cp = True
    out_cp = block(x)
    (grad_cp, ) = torch.autograd.grad(out_cp.sum(), x)
    torch.testing.assert_close(out_cp, out)
    torch.testing.assert_close(grad_cp, grad)


# ---------------------------------------------------------------- ResNet


def test_resnet18_documented_shapes():
    model = ResNet(18, out_indices=(0, 1, 2, 3)).eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert isinstance(outs, tuple)
    assert shapes(outs) == [(1, 64, 8, 8), (1, 128, 4, 4), (1, 256, 2, 2),
                            (1, 512, 1, 1)]
    assert model.feat_dim == 512


def test_resnet_single_out_index_returns_tensor():
    model = ResNet(18, num_stages=2, strides=(1, 2), dilations=(1, 1),
                   out_indices=(1, )).eval()
    out = model(torch.rand(1, 3, 32, 32))
    assert isinstance(out, torch.Tensor)
    assert tuple(out.shape) == (1, 128, 4, 4)
    # an int and a negative index mean the same stage
    neg = ResNet(18, num_stages=2, strides=(1, 2), dilations=(1, 1),
                 out_indices=-1)
    assert neg.out_indices == (1, )


def test_resnet50_channels_and_base_channels():
    model = ResNet(50, base_channels=16, stem_channels=16,
                   out_indices=(0, 1, 2, 3)).eval()
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [
        (1, 64, 8, 8), (1, 128, 4, 4), (1, 256, 2, 2), (1, 512, 1, 1)]
    assert model.layer1[0].conv2.weight.shape == (16, 16, 3, 3)


def test_resnet_dilation_keeps_resolution():
    model = ResNet(18, strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4),
                   out_indices=(3, )).eval()
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [(1, 512, 4, 4)]
    assert model.layer4[0].conv1.dilation == (4, 4)
    assert model.layer4[0].conv1.padding == (4, 4)


def test_resnet_expansion_argument():
    model = ResNet(50, expansion=2, base_channels=8, stem_channels=8,
                   num_stages=1, strides=(1, ), dilations=(1, ),
                   out_indices=(0, ))
    assert model.layer1[0].out_channels == 16
    assert model.layer1[0].conv2.weight.shape == (8, 8, 3, 3)


def test_resnet_deep_stem_avg_down_and_v1d():
    model = ResNet(18, deep_stem=True, avg_down=True, stem_channels=16,
                   num_stages=2, strides=(1, 2), dilations=(1, 1),
                   out_indices=(0, 1)).eval()
    assert not hasattr(model, 'conv1')
    assert [m.conv.out_channels for m in model.stem] == [8, 8, 16]
    assert isinstance(model.layer2[0].downsample[0], nn.AvgPool2d)
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [(1, 64, 8, 8),
                                                       (1, 128, 4, 4)]
    v1d = ResNetV1d(depth=18, num_stages=1, strides=(1, ), dilations=(1, ),
                    out_indices=(0, ))
    assert v1d.deep_stem and v1d.avg_down and hasattr(v1d, 'stem')
    with pytest.raises(TypeError, match='deep_stem'):
        ResNetV1d(depth=18, deep_stem=False)


@pytest.mark.parametrize('kwargs, error, message', [
    (dict(depth=20), KeyError, r'invalid depth 20.*\[18, 34, 50, 101, 152\]'),
    (dict(depth=18, out_indices=(4, )), ValueError, r'out of range.*4 stages'),
    (dict(depth=18, num_stages=2, strides=(1, 2), dilations=(1, 1),
          out_indices=(2, )), ValueError, 'out of range'),
    (dict(depth=18, num_stages=5), ValueError, r'num_stages must be in'),
    (dict(depth=18, num_stages=2), ValueError, 'num_stages=2 entries'),
    (dict(depth=18, style='tf'), ValueError, 'style must be one of'),
    (dict(depth=18, frozen_stages=5), ValueError, 'frozen_stages'),
    (dict(depth=18, out_indices=()), ValueError, 'at least one stage'),
])
def test_resnet_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        ResNet(**kwargs)


def test_resnet_frozen_stages():
    model = ResNet(18, frozen_stages=1, out_indices=(0, 1, 2, 3))
    model.train()
    frozen = [model.conv1, model.norm1, model.layer1]
    for module in frozen:
        assert all(not p.requires_grad for p in module.parameters())
        assert all(not m.training for m in module.modules())
    for name in ('layer2', 'layer3', 'layer4'):
        layer = getattr(model, name)
        assert all(p.requires_grad for p in layer.parameters())
        assert all(m.training for m in bn_modules(layer))
    # running statistics of frozen BN do not move in a training forward
    before = model.layer1[0].bn1.running_mean.clone()
    model(torch.rand(2, 3, 32, 32))
    assert torch.equal(model.layer1[0].bn1.running_mean, before)
    assert not torch.equal(model.layer2[0].bn1.running_mean,
                           torch.zeros_like(model.layer2[0].bn1.running_mean))


def test_resnet_frozen_deep_stem():
    model = ResNetV1d(depth=18, frozen_stages=0, num_stages=1,
                      strides=(1, ), dilations=(1, ), out_indices=(0, ))
    model.train()
    assert all(not p.requires_grad for p in model.stem.parameters())
    assert not model.stem.training
    assert all(p.requires_grad for p in model.layer1.parameters())


def test_resnet_norm_eval():
    model = ResNet(18, norm_eval=True, num_stages=1, strides=(1, ),
                   dilations=(1, ), out_indices=(0, ))
    model.train()
    assert model.training
    assert all(not m.training for m in bn_modules(model))
    # BN parameters still learn; only the statistics are frozen
    assert all(p.requires_grad for p in model.parameters())
    model.eval()
    model.train()
    assert all(not m.training for m in bn_modules(model))


def test_resnet_with_cp_matches_plain():
    torch.manual_seed(0)
    plain = ResNet(18, num_stages=2, strides=(1, 2), dilations=(1, 1),
                   out_indices=(0, 1))
    plain.init_weights()
    ckpt = ResNet(18, num_stages=2, strides=(1, 2), dilations=(1, 1),
                  out_indices=(0, 1), with_cp=True)
    ckpt.load_state_dict(plain.state_dict())
    plain.eval()
    ckpt.eval()
    x = torch.rand(1, 3, 32, 32, requires_grad=True)
    outs, outs_cp = plain(x), ckpt(x)
    for out, out_cp in zip(outs, outs_cp):
        torch.testing.assert_close(out_cp, out)
    sum(o.sum() for o in outs_cp).backward()
    assert all(p.grad is not None for p in ckpt.layer1.parameters())


def test_resnet_init_weights():
    model = ResNet(50, zero_init_residual=True, base_channels=8,
                   stem_channels=8, num_stages=2, strides=(1, 2),
                   dilations=(1, 1), out_indices=(1, ))
    model.init_weights()
    for block in (*model.layer1, *model.layer2):
        assert torch.count_nonzero(block.norm3.weight) == 0
        assert torch.all(block.norm1.weight == 1)
    assert torch.all(model.norm1.bias == 0)
    # fan_out kaiming normal: std = sqrt(2 / (out * k * k))
    std = model.layer2[0].conv2.weight.std().item()
    assert abs(std - (2 / (16 * 9))**0.5) < 0.03

    keep = ResNet(18, zero_init_residual=False, num_stages=1,
                  strides=(1, ), dilations=(1, ), out_indices=(0, ))
    keep.init_weights()
    assert torch.all(keep.layer1[0].norm2.weight == 1)


def test_init_weights_loads_checkpoint_and_rejects_other_types(tmp_path):
    source = ResNet(18, num_stages=1, strides=(1, ), dilations=(1, ),
                    out_indices=(0, ))
    with torch.no_grad():
        for p in source.parameters():
            p.uniform_()
    path = tmp_path / 'res18.pth'
    torch.save({'state_dict': source.state_dict()}, path)
    target = ResNet(18, num_stages=1, strides=(1, ), dilations=(1, ),
                    out_indices=(0, ))
    target.init_weights(str(path))
    for key, value in source.state_dict().items():
        assert torch.equal(target.state_dict()[key], value), key
    with pytest.raises(TypeError, match='str or None'):
        target.init_weights(pretrained=123)


def test_base_backbone_without_stages_cannot_freeze():

    class Tiny(BaseBackbone):

        def __init__(self):
            super().__init__()
            self.frozen_stages = 0
            self.conv = nn.Conv2d(1, 1, 1)

        def forward(self, x):
            return self.conv(x)

    with pytest.raises(NotImplementedError, match='Tiny.*_stage_modules'):
        Tiny().train()


def test_resnet_builds_from_config():
    model = build_backbone(dict(type='ResNet', depth=18, out_indices=(3, )))
    assert isinstance(model, ResNet)
    assert shapes(model.eval()(torch.rand(1, 3, 32, 32))) == [(1, 512, 1, 1)]


# ---------------------------------------------------------------- variants


def test_resnext_grouped_width_and_shapes():
    model = ResNeXt(50, groups=32, width_per_group=4,
                    out_indices=(0, 1, 2, 3)).eval()
    assert model.layer1[0].conv2.groups == 32
    assert model.layer1[0].conv2.weight.shape == (128, 4, 3, 3)
    assert model.layer4[0].conv2.weight.shape == (1024, 32, 3, 3)
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [
        (1, 256, 8, 8), (1, 512, 4, 4), (1, 1024, 2, 2), (1, 2048, 1, 1)]
    with pytest.raises(KeyError, match='invalid depth 18'):
        ResNeXt(18)


def test_resnext_bottleneck_groups_one_is_resnet_width():
    block = BottleneckX(64, 256, groups=1, width_per_group=4)
    assert block.conv2.weight.shape == (64, 64, 3, 3)
    with pytest.raises(ValueError, match='multiple of base_channels'):
        BottleneckX(64, 256, base_channels=48, groups=32)


def test_seresnet_se_layer_and_shapes():
    model = SEResNet(50, se_ratio=16, base_channels=16, stem_channels=16,
                     num_stages=2, strides=(1, 2), dilations=(1, 1),
                     out_indices=(0, 1)).eval()
    se = model.layer1[0].se_layer
    assert se.conv1.conv.weight.shape == (4, 64, 1, 1)
    assert se.conv2.conv.weight.shape == (64, 4, 1, 1)
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [(1, 64, 8, 8),
                                                       (1, 128, 4, 4)]
    with pytest.raises(ValueError, match='se_ratio'):
        SEResNet(50, se_ratio=0)
    with pytest.raises(KeyError, match=r'\[50, 101, 152\]'):
        SEResNet(34)


def test_seresnext_shapes():
    model = SEResNeXt(50, groups=4, width_per_group=4, base_channels=16,
                      stem_channels=16, num_stages=2, strides=(1, 2),
                      dilations=(1, 1), out_indices=(0, 1)).eval()
    assert model.layer1[0].conv2.groups == 4
    assert model.layer1[0].conv2.weight.shape == (16, 4, 3, 3)
    assert hasattr(model.layer2[0], 'se_layer')
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [(1, 64, 8, 8),
                                                       (1, 128, 4, 4)]


def test_rsoftmax_normalises_over_radix():
    logits = torch.randn(2, 2 * 3 * 5, 1, 1)  # groups=2, radix=3, 5 each
    weights = RSoftmax(radix=3, groups=2)(logits).view(2, 3, 2, 5)
    torch.testing.assert_close(weights.sum(dim=1), torch.ones(2, 2, 5))
    single = RSoftmax(radix=1, groups=1)(logits)
    torch.testing.assert_close(single, torch.sigmoid(logits))


@pytest.mark.parametrize('radix', [1, 2])
def test_split_attention_conv_shapes(radix):
    conv = SplitAttentionConv2d(16, 16, 3, padding=1, radix=radix).eval()
    assert conv.conv.weight.shape == (16 * radix, 16 // radix, 3, 3)
    assert conv.fc1.out_channels == 32
    assert shapes(conv(torch.rand(2, 16, 6, 6))) == [(2, 16, 6, 6)]


def test_resnest_shapes_and_avd_layer():
    model = ResNeSt(50, stem_channels=32, base_channels=16, num_stages=2,
                    strides=(1, 2), dilations=(1, 1),
                    out_indices=(0, 1)).eval()
    assert not hasattr(model.layer1[0], 'avd_layer')
    assert isinstance(model.layer2[0].avd_layer, nn.AvgPool2d)
    assert model.layer2[0].conv2.conv.stride == (1, 1)
    assert not hasattr(model.layer2[0], 'bn2')
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [(1, 64, 8, 8),
                                                       (1, 128, 4, 4)]
    no_avd = ResNeSt(50, avg_down_stride=False, stem_channels=32,
                     base_channels=16, num_stages=2, strides=(1, 2),
                     dilations=(1, 1), out_indices=(1, ))
    assert no_avd.layer2[0].conv2.conv.stride == (2, 2)
    with pytest.raises(KeyError, match='invalid depth 18'):
        ResNeSt(18)


def test_regnet_documented_shapes():
    model = RegNet(
        arch=dict(w0=88, wa=26.31, wm=2.25, group_w=48, depth=25,
                  bot_mul=1.0),
        out_indices=(0, 1, 2, 3)).eval()
    assert model.stage_widths == [96, 192, 432, 1008]
    assert model.stage_blocks == [2, 6, 15, 2]
    assert model.layer1[0].conv2.groups == 2
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [
        (1, 96, 8, 8), (1, 192, 4, 4), (1, 432, 2, 2), (1, 1008, 1, 1)]


def test_regnet_arch_string_and_helpers():
    model = RegNet('regnetx_400mf', frozen_stages=1)
    assert model.stage_widths == [32, 64, 160, 384]
    assert model.stage_blocks == [1, 2, 7, 12]
    assert model.conv1.weight.shape == (32, 3, 3, 3)
    model.train()
    assert all(not p.requires_grad for p in model.layer1.parameters())
    assert all(p.requires_grad for p in model.layer2.parameters())
    widths, num_stages = RegNet.generate_regnet(24, 24.48, 2.54, 4)
    assert widths == [24, 64, 64, 152] and num_stages == 3
    assert RegNet.quantize_float(37, 8) == 40


@pytest.mark.parametrize('arch, error, message', [
    ('regnetx_1gf', KeyError, 'not one of the RegNet arch_settings'),
    (dict(w0=24, wa=24.48), KeyError, 'misses'),
    (3, TypeError, 'str or a dict'),
])
def test_regnet_bad_arch(arch, error, message):
    with pytest.raises(error, match=message):
        RegNet(arch)


def test_regnet_bad_out_indices():
    with pytest.raises(ValueError, match='out of range'):
        RegNet('regnetx_400mf', out_indices=(4, ))


def test_scconv_calibration():
    conv = SCConv(8, 8, stride=2, pooling_r=4).eval()
    assert shapes(conv(torch.rand(1, 8, 8, 8))) == [(1, 8, 4, 4)]
    with pytest.raises(ValueError, match='in_channels == out_channels'):
        SCConv(8, 16, 1, 4)


def test_scnet_shapes_and_branches():
    model = SCNet(50, base_channels=16, stem_channels=16, num_stages=2,
                  strides=(1, 2), dilations=(1, 1),
                  out_indices=(0, 1)).eval()
    block = model.layer2[0]
    assert block.mid_channels == 16
    assert block.k1[0].stride == (2, 2)
    assert block.conv3.weight.shape == (128, 32, 1, 1)
    assert shapes(model(torch.rand(1, 3, 32, 32))) == [(1, 64, 8, 8),
                                                       (1, 128, 4, 4)]
    with pytest.raises(KeyError, match=r'invalid depth 18.*\[50, 101\]'):
        SCNet(18)


# ------------------------------------------------ cross-check with torchvision


@pytest.mark.parametrize('factory, ours', [
    ('resnet18', lambda: ResNet(18, out_indices=(0, 1, 2, 3))),
    ('resnet50', lambda: ResNet(50, out_indices=(0, 1, 2, 3))),
    ('resnext50_32x4d', lambda: ResNeXt(50, out_indices=(0, 1, 2, 3))),
])
def test_matches_torchvision_numerically(factory, ours):
    """torchvision's ResNets share the 0.x parameter names, so their
    weights load strictly and the features must agree."""
    models = pytest.importorskip('torchvision.models')
    torch.manual_seed(0)
    reference = getattr(models, factory)(weights=None).eval()
    with torch.no_grad():  # non-trivial BN statistics
        for m in reference.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
    state = {
        k: v
        for k, v in reference.state_dict().items() if not k.startswith('fc.')
    }
    model = ours().eval()
    model.load_state_dict(state, strict=True)
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        outs = model(x)
        feat = reference.maxpool(
            reference.relu(reference.bn1(reference.conv1(x))))
        for i, out in enumerate(outs):
            feat = getattr(reference, f'layer{i + 1}')(feat)
            torch.testing.assert_close(out, feat, rtol=1e-4, atol=1e-5)
