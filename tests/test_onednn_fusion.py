"""ReLUs and residual additions run inside oneDNN convolutions (the CPU fp32
fast path): each rewrite against the ordinary layers it replaces."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.apis.fast_inference import inference_network
from mmpose.models import build_backbone
from mmpose.models.backbones.resnet import BasicBlock, Bottleneck
from mmpose.models.utils.fuse_conv_bn import fuse_conv_bn
from mmpose.models.utils.onednn_fusion import (ConvReLU2d, FusedResidualBlock,
                                               fuse_onednn_pointwise,
                                               onednn_fusion_available)

from .test_fast_inference import (build, randomise_batchnorms,
                                  top_down_hrnet_cfg, top_down_resnet_cfg)

pytestmark = pytest.mark.skipif(not onednn_fusion_available(),
                                reason='this PyTorch has no oneDNN ops')


def folded(module: nn.Module, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    module.eval()
    randomise_batchnorms(module, seed)
    return fuse_conv_bn(module)


def close(actual, expected):
    torch.testing.assert_close(actual, expected, rtol=1e-5,
                               atol=1e-5 * float(expected.abs().max()))


def test_conv_relu_on_hand_computed_numbers():
    # 1x1 conv with weight [[1, -1]] and bias 0.5 on a 2-channel 1x2 map:
    # pixel 1: 3 - 1 + 0.5 = 2.5; pixel 2: 1 - 4 + 0.5 = -2.5 -> 0.
    conv = nn.Conv2d(2, 1, 1)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([1.0, -1.0]).view(1, 2, 1, 1))
        conv.bias.fill_(0.5)
    x = torch.tensor([[[[3.0, 1.0]], [[1.0, 4.0]]]])
    with torch.no_grad():
        out = ConvReLU2d(conv)(x)
    assert out.tolist() == [[[[2.5, 0.0]]]]


@pytest.mark.parametrize('conv', [
    nn.Conv2d(8, 6, 3, stride=2, padding=1),
    nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=4),
    nn.ConvTranspose2d(8, 6, 4, stride=2, padding=1),
    nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1),
])
@pytest.mark.parametrize('channels_last', [False, True])
def test_conv_relu_equals_conv_then_relu(conv, channels_last):
    x = torch.randn(2, 8, 9, 7)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    with torch.no_grad():
        close(ConvReLU2d(conv)(x), F.relu(conv(x)))


@pytest.mark.parametrize('block', [
    BasicBlock(16, 16),
    BasicBlock(8, 16, stride=2, downsample=nn.Sequential(
        nn.Conv2d(8, 16, 1, stride=2, bias=False), nn.BatchNorm2d(16))),
    Bottleneck(32, 32),
    Bottleneck(16, 32, stride=2, downsample=nn.Sequential(
        nn.Conv2d(16, 32, 1, stride=2, bias=False), nn.BatchNorm2d(32))),
])
def test_residual_block_fuses_exactly(block):
    block = folded(block)
    x = torch.randn(2, block.conv1.in_channels, 12, 10)
    with torch.no_grad():
        expected = block(x.clone())
        fused = FusedResidualBlock.from_block(block)
        assert fused is not None
        close(fused(x), expected)


def test_unfolded_or_subclassed_blocks_are_left_alone():
    assert FusedResidualBlock.from_block(Bottleneck(32, 32).eval()) is None

    class Variant(Bottleneck):
        pass

    assert FusedResidualBlock.from_block(folded(Variant(32, 32))) is None


def test_other_inputs_take_the_ordinary_layers():
    # float64 (no fused kernel) and inputs that need gradients give the
    # same numbers through the ordinary layers
    block = folded(Bottleneck(16, 16))
    fused = FusedResidualBlock.from_block(copy.deepcopy(block))
    x = torch.randn(1, 16, 6, 6)
    with torch.no_grad():
        expected = block(x)
    close(fused.double()(x.double()).float(), expected)
    fused.float()
    out = fused(x.requires_grad_())
    out.sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_resnet_tree_rewritten_and_outputs_kept():
    net = folded(build_backbone(dict(type='ResNet', depth=50)))
    x = torch.randn(1, 3, 64, 48)
    with torch.no_grad():
        expected = net(x)
        fuse_onednn_pointwise(net)
        actual = net(x)
    kinds = [type(m) for m in net.modules()]
    # ResNet-50: 3 + 4 + 6 + 3 bottlenecks, no block left unfused
    assert kinds.count(FusedResidualBlock) == 16
    assert Bottleneck not in kinds
    close(actual, expected)


def test_sequential_and_conv_module_pairs():
    seq = nn.Sequential(nn.ConvTranspose2d(4, 4, 4, stride=2, padding=1),
                        nn.BatchNorm2d(4), nn.ReLU(inplace=True),
                        nn.Conv2d(4, 3, 1), nn.ReLU(), nn.Conv2d(3, 3, 1))
    module = ConvModule(3, 5, 3, padding=1, norm_cfg=dict(type='BN'))
    net = folded(nn.Sequential(seq, module))
    x = torch.randn(2, 4, 5, 6)
    with torch.no_grad():
        expected = net(x)
        fuse_onednn_pointwise(net)
        actual = net(x)
    assert [type(m) for m in seq] == [ConvReLU2d, nn.Identity, nn.Identity,
                                      ConvReLU2d, nn.Identity, nn.Conv2d]
    assert isinstance(module.conv, ConvReLU2d)
    assert isinstance(module.activate, nn.Identity)
    close(actual, expected)


def test_norm_first_conv_module_is_left_alone():
    module = ConvModule(3, 5, 3, padding=1, norm_cfg=dict(type='BN'),
                        order=('norm', 'conv', 'act')).eval()
    fuse_onednn_pointwise(fuse_conv_bn(module))
    assert type(module.conv) is nn.Conv2d


@pytest.mark.parametrize('make_cfg', [top_down_resnet_cfg,
                                      top_down_hrnet_cfg])
def test_inference_copy_is_fused_only_for_cpu_fp32(make_cfg):
    model = build(make_cfg())
    fast = inference_network(model)
    reduced = inference_network(model, precision='bf16')
    assert any(isinstance(m, FusedResidualBlock) for m in fast.modules())
    assert not any(isinstance(m, (FusedResidualBlock, ConvReLU2d))
                   for m in reduced.modules())
    assert not any(isinstance(m, (FusedResidualBlock, ConvReLU2d))
                   for m in model.modules())
