"""Light-weight backbones (AlexNet, VGG, MobileNetV2/V3, ShuffleNetV1/V2,
TCN) and the building blocks in ``mmpose.models.backbones.utils``.

Inputs are tiny (32x32 images, short sequences) so the file runs in seconds.
"""
import pytest
import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.models.backbones import (TCN, VGG, AlexNet, MobileNetV2,
                                     MobileNetV3, ShuffleNetV1, ShuffleNetV2)
from mmpose.models.backbones.utils import (InvertedResidual, SELayer,
                                           channel_shuffle, load_checkpoint,
                                           make_divisible)


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def _shapes(outs):
    if isinstance(outs, torch.Tensor):
        return tuple(outs.shape)
    return [tuple(o.shape) for o in outs]


def _all_frozen(module):
    return all(not p.requires_grad for p in module.parameters()) and all(
        not m.training for m in module.modules())


def _none_frozen(module):
    return all(p.requires_grad for p in module.parameters()) and all(
        m.training for m in module.modules())


def _bn_all_eval(model):
    bns = [m for m in model.modules() if isinstance(m, _BatchNorm)]
    return bool(bns) and all(not m.training for m in bns)


# ---------------------------------------------------------------- utils


@pytest.mark.parametrize('value, divisor, expected', [
    (32 * 0.5, 8, 16),
    (24 * 0.5, 8, 16),  # 12 rounds half up to 16
    (10, 8, 16),  # 8 would lose more than 10%
    (34, 8, 32),
    (3, 8, 8),  # never below the divisor
    (100, 16, 96),
])
def test_make_divisible(value, divisor, expected):
    assert make_divisible(value, divisor) == expected


def test_make_divisible_min_value():
    assert make_divisible(3, 8, min_value=16) == 16


def test_channel_shuffle_interleaves_groups():
    x = torch.arange(6.).view(1, 6, 1, 1)
    out = channel_shuffle(x, 2)
    assert out.flatten().tolist() == [0., 3., 1., 4., 2., 5.]
    out3 = channel_shuffle(x, 3)
    assert out3.flatten().tolist() == [0., 2., 4., 1., 3., 5.]


def test_channel_shuffle_rejects_indivisible_groups():
    with pytest.raises(ValueError, match='divisible by groups'):
        channel_shuffle(torch.zeros(1, 5, 2, 2), 2)


def test_se_layer_names_and_gate():
    se = SELayer(16, ratio=4)
    assert sorted(se.state_dict()) == [
        'conv1.conv.bias', 'conv1.conv.weight', 'conv2.conv.bias',
        'conv2.conv.weight'
    ]
    assert se.conv1.conv.weight.shape == (4, 16, 1, 1)
    for p in se.parameters():
        nn.init.zeros_(p)
    x = torch.rand(2, 16, 3, 3)
    # zero weights: the sigmoid gate is 0.5 everywhere
    torch.testing.assert_close(se(x), x * 0.5)


def test_se_layer_act_cfg():
    se = SELayer(8, ratio=2, act_cfg=dict(type='ReLU'))
    assert isinstance(se.conv2.activate, nn.ReLU)
    with pytest.raises(ValueError, match='act_cfg'):
        SELayer(8, act_cfg=(dict(type='ReLU'), ))
    with pytest.raises(ValueError, match='hidden'):
        SELayer(8, ratio=16)


def test_inverted_residual_shapes_and_shortcut():
    block = InvertedResidual(16, 16, 32).eval()
    assert block.with_res_shortcut
    x = torch.rand(1, 16, 8, 8)
    assert block(x).shape == (1, 16, 8, 8)
    # zeroing the last BN's weight and bias leaves only the shortcut
    nn.init.zeros_(block.linear_conv.bn.weight)
    nn.init.zeros_(block.linear_conv.bn.bias)
    torch.testing.assert_close(block(x), x)

    down = InvertedResidual(16, 24, 48, kernel_size=5, stride=2)
    assert not down.with_res_shortcut
    assert down(x).shape == (1, 24, 4, 4)
    assert down.depthwise_conv.conv.groups == 48


def test_inverted_residual_se_and_no_expand():
    block = InvertedResidual(
        16, 16, 16, with_expand_conv=False, se_cfg=dict(ratio=4))
    names = block.state_dict()
    assert not hasattr(block, 'expand_conv')
    assert 'se.conv1.conv.weight' in names
    assert block.se.conv1.conv.weight.shape == (4, 16, 1, 1)
    assert block(torch.rand(1, 16, 4, 4)).shape == (1, 16, 4, 4)
    # the 0.x spelling with channels inside se_cfg is accepted too
    InvertedResidual(8, 8, 16, se_cfg=dict(channels=16, ratio=4))


def test_inverted_residual_bad_args():
    with pytest.raises(ValueError, match='stride'):
        InvertedResidual(8, 8, 16, stride=3)
    with pytest.raises(ValueError, match='mid_channels'):
        InvertedResidual(8, 8, 16, with_expand_conv=False)
    with pytest.raises(ValueError, match='channels'):
        InvertedResidual(8, 8, 16, se_cfg=dict(channels=8))


def test_inverted_residual_with_cp_matches():
    block = InvertedResidual(8, 8, 16, se_cfg=dict(ratio=4)).eval()
    block_cp = InvertedResidual(
        8, 8, 16, se_cfg=dict(ratio=4), with_cp=True).eval()
    block_cp.load_state_dict(block.state_dict())
    x = torch.rand(1, 8, 6, 6, requires_grad=True)
    out, out_cp = block(x), block_cp(x)
    torch.testing.assert_close(out, out_cp)
    grad = torch.autograd.grad(out.sum(), x)[0]
    grad_cp = torch.autograd.grad(out_cp.sum(), x)[0]
    torch.testing.assert_close(grad, grad_cp)


def test_utils_exports_load_checkpoint(tmp_path):
    model = SELayer(8, ratio=2)
    path = tmp_path / 'se.pth'
    torch.save({'state_dict': model.state_dict()}, path)
    other = SELayer(8, ratio=2)
    load_checkpoint(other, str(path), strict=True)
    torch.testing.assert_close(other.conv1.conv.weight,
                               model.conv1.conv.weight)


# ---------------------------------------------------------------- shared


def _with_cp_matches(cls, **kwargs):
    """``with_cp=True`` gives the same outputs and input grads."""
    model = cls(**kwargs).eval()
    model_cp = cls(with_cp=True, **kwargs).eval()
    model_cp.load_state_dict(model.state_dict())
    x = torch.rand(1, 3, 32, 32, requires_grad=True)
    out, out_cp = model(x), model_cp(x)
    torch.testing.assert_close(out, out_cp)
    grad = torch.autograd.grad(out.sum(), x)[0]
    grad_cp = torch.autograd.grad(out_cp.sum(), x)[0]
    torch.testing.assert_close(grad, grad_cp)


@pytest.mark.parametrize('cls, kwargs', [
    (MobileNetV2, dict(widen_factor=0.5)),
    (MobileNetV3, dict()),
    (ShuffleNetV1, dict(groups=2, widen_factor=0.25)),
    (ShuffleNetV2, dict(widen_factor=0.5)),
])
def test_with_cp_matches(cls, kwargs):
    _with_cp_matches(cls, **kwargs)


@pytest.mark.parametrize('model', [
    lambda: AlexNet(),
    lambda: VGG(11, num_stages=2, dilations=(1, 1)),
    lambda: MobileNetV2(widen_factor=0.5),
    lambda: ShuffleNetV2(widen_factor=0.5),
    lambda: TCN(4, stem_channels=8),
])
def test_init_weights_rejects_non_str(model):
    model = model()
    model.init_weights()
    with pytest.raises(TypeError, match='pretrained'):
        model.init_weights(pretrained=1)


def test_init_weights_loads_checkpoint_path(tmp_path):
    source = MobileNetV2(widen_factor=0.5)
    path = tmp_path / 'mbv2.pth'
    torch.save({'state_dict': source.state_dict()}, path)
    model = MobileNetV2(widen_factor=0.5)
    model.init_weights(str(path))
    torch.testing.assert_close(model.conv2.conv.weight,
                               source.conv2.conv.weight)


@pytest.mark.parametrize('cls', [MobileNetV2, MobileNetV3])
def test_mobilenet_scratch_init(cls):
    model = cls()
    model.init_weights()
    assert torch.all(model.conv1.bn.weight == 1)
    assert torch.all(model.conv1.bn.bias == 0)


@pytest.mark.parametrize('cls', [ShuffleNetV1, ShuffleNetV2])
def test_shufflenet_scratch_init(cls):
    model = cls()
    model.init_weights()
    stem = model.conv1.conv.weight
    assert abs(stem.std().item() - 0.01) < 0.003
    conv = model.layers[1][1].branch2[0].conv if cls is ShuffleNetV2 else (
        model.layers[1][1].g_conv_1x1_compress.conv)
    expected_std = 1.0 / conv.weight.shape[1]
    assert abs(conv.weight.std().item() - expected_std) < 0.2 * expected_std
    bn = model.conv1.bn
    assert torch.all(bn.weight == 1)
    torch.testing.assert_close(bn.bias, torch.full_like(bn.bias, 1e-4))


# ---------------------------------------------------------------- AlexNet


def test_alexnet_features():
    model = AlexNet().eval()
    assert not hasattr(model, 'classifier')
    assert model(torch.rand(1, 3, 256, 192)).shape == (1, 256, 7, 5)
    assert model(torch.rand(2, 3, 224, 224)).shape == (2, 256, 6, 6)


def test_alexnet_classifier():
    model = AlexNet(num_classes=3).eval()
    assert model.classifier[-1].out_features == 3
    assert model(torch.rand(1, 3, 224, 224)).shape == (1, 3)
    with pytest.raises(ValueError, match='224x224'):
        model(torch.rand(1, 3, 256, 192))


# ---------------------------------------------------------------- VGG


def test_vgg_default_outputs_last_stage():
    model = VGG(11).eval()
    assert model.out_indices == (4, )
    assert model(torch.rand(1, 3, 32, 32)).shape == (1, 512, 1, 1)
    # plain VGG: no norm layers, conv modules keep their bias
    assert not any(isinstance(m, _BatchNorm) for m in model.modules())
    assert model.features[0].conv.bias is not None


def test_vgg_multi_outputs_and_strides():
    model = VGG(13, out_indices=(0, 1, 2, 3, 4)).eval()
    assert _shapes(model(torch.rand(1, 3, 32, 32))) == [(1, 64, 16, 16),
                                                         (1, 128, 8, 8),
                                                         (1, 256, 4, 4),
                                                         (1, 512, 2, 2),
                                                         (1, 512, 1, 1)]


@pytest.mark.parametrize('depth, num_convs', [(11, 8), (13, 10), (16, 13),
                                              (19, 16)])
def test_vgg_depths(depth, num_convs):
    with torch.device('meta'):
        model = VGG(depth)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == num_convs
    pools = [m for m in model.features if isinstance(m, nn.MaxPool2d)]
    assert len(pools) == 5


def test_vgg_last_pool_ceil_mode_and_dilation():
    model = VGG(11, num_stages=3, dilations=(1, 1, 2),
                with_last_pool=False).eval()
    assert model(torch.rand(1, 3, 32, 32)).shape == (1, 256, 8, 8)
    assert model.features[-1].conv.dilation == (2, 2)
    ceil = VGG(11, num_stages=2, dilations=(1, 1), ceil_mode=True).eval()
    floor = VGG(11, num_stages=2, dilations=(1, 1)).eval()
    x = torch.rand(1, 3, 30, 30)
    assert ceil(x).shape == (1, 128, 8, 8)
    assert floor(x).shape == (1, 128, 7, 7)


def test_vgg_classifier_default_index():
    with torch.device('meta'):
        model = VGG(11, num_classes=5)
    assert model.out_indices == (5, )
    assert model.classifier[-1].out_features == 5


def test_vgg_frozen_stages_and_norm_eval():
    model = VGG(11, num_stages=3, dilations=(1, 1, 1), frozen_stages=2,
                norm_cfg=dict(type='BN'), norm_eval=True)
    model.train()
    start, end = model.range_sub_modules[1]
    assert all(_all_frozen(m) for m in model.features[:end])
    assert all(p.requires_grad for p in model.features[end:].parameters())
    assert _bn_all_eval(model)


def test_vgg_bad_args():
    with pytest.raises(ValueError, match=r'\[11, 13, 16, 19\]'):
        VGG(12)
    with pytest.raises(ValueError, match='num_stages'):
        VGG(11, num_stages=6)
    with pytest.raises(ValueError, match='dilations'):
        VGG(11, num_stages=2)
    with pytest.raises(ValueError, match='out_indices'):
        VGG(11, out_indices=(5, ))
    with pytest.raises(ValueError, match='frozen_stages'):
        VGG(11, frozen_stages=6)


# ---------------------------------------------------------------- MobileNetV2


def test_mobilenet_v2_all_outputs():
    model = MobileNetV2(widen_factor=0.5, out_indices=range(8)).eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert _shapes(outs) == [(1, 8, 16, 16), (1, 16, 8, 8), (1, 16, 4, 4),
                             (1, 32, 2, 2), (1, 48, 2, 2), (1, 80, 1, 1),
                             (1, 160, 1, 1), (1, 1280, 1, 1)]


def test_mobilenet_v2_default_and_widen():
    x = torch.rand(1, 3, 32, 32)
    assert MobileNetV2().eval()(x).shape == (1, 1280, 1, 1)
    wide = MobileNetV2(widen_factor=1.5, out_indices=(0, 7)).eval()
    assert _shapes(wide(x)) == [(1, 24, 16, 16), (1, 1920, 1, 1)]


def test_mobilenet_v2_block_structure():
    model = MobileNetV2()
    # expand_ratio 1: no expand conv in layer1
    assert len(model.layer1[0].conv) == 2
    assert len(model.layer2[0].conv) == 3
    assert model.layer2[0].conv[0].conv.weight.shape == (96, 16, 1, 1)
    assert [len(getattr(model, f'layer{i}')) for i in range(1, 8)] == [
        1, 2, 3, 4, 3, 3, 1
    ]


def test_mobilenet_v2_frozen_stages_and_norm_eval():
    model = MobileNetV2(widen_factor=0.5, frozen_stages=2, norm_eval=True)
    model.train()
    assert _all_frozen(model.conv1)
    assert _all_frozen(model.layer1) and _all_frozen(model.layer2)
    assert all(p.requires_grad for p in model.layer3.parameters())
    assert _bn_all_eval(model)
    unfrozen = MobileNetV2(widen_factor=0.5).train()
    assert _none_frozen(unfrozen)


def test_mobilenet_v2_bad_args():
    with pytest.raises(ValueError, match='out_indices'):
        MobileNetV2(out_indices=(8, ))
    with pytest.raises(ValueError, match='frozen_stages'):
        MobileNetV2(frozen_stages=8)


# ---------------------------------------------------------------- MobileNetV3


def test_mobilenet_v3_small_shapes():
    model = MobileNetV3(out_indices=range(11)).eval()
    outs = model(torch.rand(1, 3, 64, 64))
    assert _shapes(outs) == [(1, 16, 16, 16), (1, 24, 8, 8), (1, 24, 8, 8),
                             (1, 40, 4, 4), (1, 40, 4, 4), (1, 40, 4, 4),
                             (1, 48, 4, 4), (1, 48, 4, 4), (1, 96, 2, 2),
                             (1, 96, 2, 2), (1, 96, 2, 2)]
    assert MobileNetV3().eval()(torch.rand(1, 3, 64, 64)).shape == (1, 96, 2,
                                                                    2)


def test_mobilenet_v3_big_shapes():
    model = MobileNetV3(arch='big', out_indices=(0, 2, 5, 11, 12, 14)).eval()
    outs = model(torch.rand(1, 3, 64, 64))
    assert _shapes(outs) == [(1, 16, 32, 32), (1, 24, 16, 16), (1, 40, 8, 8),
                             (1, 112, 4, 4), (1, 160, 4, 4), (1, 160, 2, 2)]
    assert model.feat_dim == 160


def test_mobilenet_v3_se_gate_and_layers():
    model = MobileNetV3()
    assert len(model.layers) == 11
    se = model.layer1.se
    assert se.conv1.conv.weight.shape == (4, 16, 1, 1)
    # the 0.x hard sigmoid: clamp((x + 1) / 2, 0, 1)
    gate = se.conv2.activate(torch.tensor([-3., 0., 0.5, 3.]))
    assert gate.tolist() == [0., 0.5, 0.75, 1.]
    assert not hasattr(model.layer2, 'se')


def test_mobilenet_v3_frozen_stages_and_norm_eval():
    model = MobileNetV3(frozen_stages=3, norm_eval=True).train()
    assert _all_frozen(model.conv1)
    assert all(_all_frozen(getattr(model, f'layer{i}')) for i in (1, 2, 3))
    assert all(p.requires_grad for p in model.layer4.parameters())
    assert _bn_all_eval(model)


def test_mobilenet_v3_bad_args():
    with pytest.raises(ValueError, match=r"\['big', 'small'\]"):
        MobileNetV3(arch='large')
    with pytest.raises(ValueError, match='out_indices'):
        MobileNetV3(out_indices=(11, ))
    with pytest.raises(ValueError, match='frozen_stages'):
        MobileNetV3(frozen_stages=12)


# ---------------------------------------------------------------- ShuffleNetV1


@pytest.mark.parametrize('groups, channels', [(1, (144, 288, 576)),
                                              (2, (200, 400, 800)),
                                              (3, (240, 480, 960)),
                                              (4, (272, 544, 1088)),
                                              (8, (384, 768, 1536))])
def test_shufflenet_v1_groups(groups, channels):
    model = ShuffleNetV1(groups=groups, out_indices=(0, 1, 2)).eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert _shapes(outs) == [(1, channels[0], 4, 4), (1, channels[1], 2, 2),
                             (1, channels[2], 1, 1)]


def test_shufflenet_v1_first_unit_and_widen():
    model = ShuffleNetV1(groups=3)
    first, second = model.layers[0][0], model.layers[0][1]
    assert first.g_conv_1x1_compress.conv.groups == 1
    assert second.g_conv_1x1_compress.conv.groups == 3
    # the concat unit adds in_channels through the pooled shortcut
    assert first.g_conv_1x1_expand.conv.out_channels == 240 - 24
    half = ShuffleNetV1(groups=2, widen_factor=0.5).eval()
    assert half.conv1.conv.out_channels == 12
    assert half(torch.rand(1, 3, 32, 32)).shape == (1, 400, 1, 1)


def test_shufflenet_v1_frozen_stages_and_norm_eval():
    model = ShuffleNetV1(frozen_stages=1, norm_eval=True).train()
    assert _all_frozen(model.conv1) and _all_frozen(model.layers[0])
    assert all(p.requires_grad for p in model.layers[1].parameters())
    assert _bn_all_eval(model)


def test_shufflenet_v1_bad_args():
    with pytest.raises(ValueError, match='5 groups'):
        ShuffleNetV1(groups=5)
    with pytest.raises(ValueError, match='out_indices'):
        ShuffleNetV1(out_indices=(3, ))
    with pytest.raises(ValueError, match='frozen_stages'):
        ShuffleNetV1(frozen_stages=4)


# ---------------------------------------------------------------- ShuffleNetV2


@pytest.mark.parametrize('widen_factor, channels', [
    (0.5, (48, 96, 192, 1024)),
    (1.0, (116, 232, 464, 1024)),
    (1.5, (176, 352, 704, 1024)),
    (2.0, (244, 488, 976, 2048)),
])
def test_shufflenet_v2_widths(widen_factor, channels):
    model = ShuffleNetV2(
        widen_factor=widen_factor, out_indices=(0, 1, 2, 3)).eval()
    outs = model(torch.rand(1, 3, 32, 32))
    assert _shapes(outs) == [(1, channels[0], 4, 4), (1, channels[1], 2, 2),
                             (1, channels[2], 1, 1), (1, channels[3], 1, 1)]


def test_shufflenet_v2_default_output():
    model = ShuffleNetV2().eval()
    assert model(torch.rand(1, 3, 64, 64)).shape == (1, 1024, 2, 2)
    assert hasattr(model.layers[0][0], 'branch1')
    assert not hasattr(model.layers[0][1], 'branch1')


def test_shufflenet_v2_frozen_stages_and_norm_eval():
    model = ShuffleNetV2(
        widen_factor=0.5, frozen_stages=2, norm_eval=True).train()
    assert _all_frozen(model.conv1)
    assert _all_frozen(model.layers[0]) and _all_frozen(model.layers[1])
    assert all(p.requires_grad for p in model.layers[2].parameters())
    assert _bn_all_eval(model)


def test_shufflenet_v2_bad_args():
    with pytest.raises(ValueError, match='widen_factor'):
        ShuffleNetV2(widen_factor=0.75)
    with pytest.raises(ValueError, match='out_indices'):
        ShuffleNetV2(out_indices=(4, ))
    with pytest.raises(ValueError, match='frozen_stages'):
        ShuffleNetV2(frozen_stages=4)


# ---------------------------------------------------------------- TCN


def test_tcn_shapes():
    model = TCN(in_channels=6, stem_channels=8).eval()
    outs = model(torch.rand(2, 6, 30))
    # dilations 3 and 9 after a kernel-3 expand conv: 30 -> 28 -> 22 -> 4
    assert _shapes(outs) == [(2, 8, 22), (2, 8, 4)]
    assert isinstance(outs, tuple)
    single = TCN(6, stem_channels=8, num_blocks=1, kernel_sizes=(3, 5))
    assert _shapes(single.eval()(torch.rand(1, 6, 20))) == [(1, 8, 6)]


def test_tcn_stride_conv_matches_dilated():
    """The strided TCN reads the same weights and, on a receptive-field
    long input, gives the same single output frame."""
    kwargs = dict(in_channels=4, stem_channels=8, kernel_sizes=(3, 3, 3))
    dilated = TCN(**kwargs).eval()
    strided = TCN(use_stride_conv=True, **kwargs).eval()
    strided.load_state_dict(dilated.state_dict())
    x = torch.rand(2, 4, 27)
    outs_d, outs_s = dilated(x), strided(x)
    assert _shapes(outs_s) == [(2, 8, 3), (2, 8, 1)]
    torch.testing.assert_close(outs_s[-1], outs_d[-1])


def test_tcn_causal_shifts_shortcut():
    model = TCN(4, stem_channels=8, num_blocks=1, kernel_sizes=(1, 3),
                causal=True).eval()
    block = model.tcn_blocks[0]
    assert block.causal_shift == 1 and block.pad == 1
    # zero the residual branch: the output is the input frames 2..T-1
    nn.init.zeros_(block.conv2[0].bn.weight)
    nn.init.zeros_(block.conv2[0].bn.bias)
    x = torch.rand(1, 4, 7)
    stem = model.expand_conv(x)
    torch.testing.assert_close(model(x)[0], stem[:, :, 2:])


def test_tcn_without_residual_and_dropout():
    model = TCN(4, stem_channels=8, residual=False, dropout=0.)
    assert model.dropout is None
    assert model.tcn_blocks[0].short_cut is None
    assert _shapes(model.eval()(torch.rand(1, 4, 27))) == [(1, 8, 19),
                                                          (1, 8, 1)]


def test_tcn_max_norm_clips_conv_weights():
    model = TCN(4, stem_channels=8, max_norm=0.5).eval()
    with torch.no_grad():
        model.expand_conv.conv.weight.mul_(100)
    model(torch.rand(1, 4, 27))
    for m in model.modules():
        if isinstance(m, nn.Conv1d):
            assert m.weight.norm() <= 0.5 + 1e-4


def test_tcn_max_norm_hooks_every_conv(monkeypatch):
    """``max_norm`` runs a WeightNormClipHook before every conv layer."""
    from mmpose.core import utils as core_utils
    seen = []

    class RecordingHook:

        def __init__(self, max_norm):
            assert max_norm == 2.0

        def hook(self, module, _input):
            seen.append(module)

    monkeypatch.setattr(
        core_utils, 'WeightNormClipHook', RecordingHook, raising=False)
    model = TCN(4, stem_channels=8, max_norm=2.0).eval()
    model(torch.rand(1, 4, 27))
    convs = [m for m in model.modules() if isinstance(m, nn.Conv1d)]
    assert len(convs) == 5
    assert len(seen) == 5 and {id(m) for m in seen} == {id(m) for m in convs}


def test_tcn_bad_args():
    with pytest.raises(ValueError, match='num_blocks'):
        TCN(4, num_blocks=3)
    with pytest.raises(ValueError, match='odd'):
        TCN(4, kernel_sizes=(3, 2, 3))
    model = TCN(4, stem_channels=8).eval()
    with pytest.raises(ValueError, match='frames'):
        model(torch.rand(1, 4, 10))


def test_tcn_scratch_init():
    model = TCN(4, stem_channels=8)
    model.init_weights()
    assert torch.all(model.expand_conv.bn.weight == 1)
