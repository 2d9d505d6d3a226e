"""The helpers that several backbones, heads and detectors share:
``conv_norm_act``, ``CheckpointedBlock``, ``named_norm``,
``arch_settings_of``, ``deconv_bn_relu`` and the meta checks of
``BasePose``."""
import pytest
import torch
from torch import nn

from mmpose.errors import UnsupportedError
from mmpose.models.backbones import (HourglassAENet, MobileNetV2, ResNeSt,
                                     ResNet, ResNeXt, SCNet, SEResNet,
                                     SEResNeXt, ShuffleNetV2)
from mmpose.models.backbones.resnet import BasicBlock, Bottleneck
from mmpose.models.backbones.utils import (CheckpointedBlock, conv_norm_act,
                                           named_norm)
from mmpose.models.detectors import TopDown
from mmpose.models.keypoint_heads.utils import deconv_bn_relu


def test_conv_norm_act_pads_by_half_the_kernel():
    conv = conv_norm_act(3, 8, 5, stride=2, norm_cfg=dict(type='BN'),
                         act_cfg=dict(type='ReLU'))
    assert conv.conv.padding == (2, 2)
    assert conv.conv.bias is None  # the norm layer carries the bias
    # ceil(9 / 2) = 5
    assert conv(torch.rand(1, 3, 9, 9)).shape == (1, 8, 5, 5)


def test_conv_norm_act_without_norm_or_activation():
    conv = conv_norm_act(4, 4, 3, groups=4)
    assert conv.conv.groups == 4
    assert conv.conv.bias is not None
    assert not conv.with_norm and not conv.with_activation


class _Double(CheckpointedBlock):

    def __init__(self, with_cp):
        super().__init__()
        self.with_cp = with_cp
        self.scale = nn.Parameter(torch.tensor(2.))

    def _inner_forward(self, x):
        return x * self.scale


def test_checkpointed_block_same_outputs_and_grads():
    x = torch.tensor([1., -3.], requires_grad=True)
    grads = []
    for with_cp in (False, True):
        block = _Double(with_cp)
        out = block(x)
        assert out.tolist() == [2., -6.]
        out.sum().backward()
        grads.append((block.scale.grad.item(), x.grad.tolist()))
        x.grad = None
    # d(sum(2x))/dscale = sum(x) = -2; d/dx = scale = 2
    assert grads == [(-2., [2., 2.]), (-2., [2., 2.])]


def test_checkpointed_block_needs_inner_forward():
    with pytest.raises(UnsupportedError, match='_inner_forward'):
        CheckpointedBlock()(torch.zeros(1))


def test_named_norm_reads_the_registered_layer():

    class Block(nn.Module):
        norm1 = named_norm(1)

        def __init__(self):
            super().__init__()
            self.norm1_name = 'gn1'
            self.gn1 = nn.GroupNorm(2, 4)

    block = Block()
    assert block.norm1 is block.gn1
    assert 'norm1' in Block.norm1.__doc__
    gn_block = BasicBlock(4, 4, norm_cfg=dict(type='GN', num_groups=2))
    assert gn_block.norm2_name == 'gn2' and gn_block.norm2 is gn_block.gn2


def test_resnet_variants_share_the_stage_depths():
    # blocks per stage of ResNet-50/101/152 (He et al.) and ResNeSt-200/269
    assert ResNet.arch_settings == {
        18: (BasicBlock, (2, 2, 2, 2)),
        34: (BasicBlock, (3, 4, 6, 3)),
        50: (Bottleneck, (3, 4, 6, 3)),
        101: (Bottleneck, (3, 4, 23, 3)),
        152: (Bottleneck, (3, 8, 36, 3)),
    }
    for cls in (ResNeXt, SEResNet, SEResNeXt):
        assert {d: s[1] for d, s in cls.arch_settings.items()} == {
            50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
    assert sorted(SCNet.arch_settings) == [50, 101]
    assert ResNeSt.arch_settings[200][1] == (3, 24, 36, 3)
    assert ResNeSt.arch_settings[269][1] == (3, 30, 48, 8)


def test_variant_blocks_get_the_backbone_options():
    model = SEResNeXt(
        50, groups=4, width_per_group=8, se_ratio=8, stem_channels=16,
        base_channels=16, num_stages=1, strides=(1, ), dilations=(1, ),
        out_indices=(0, ))
    block = model.layer1[0]
    # grouped width: groups * width_per_group = 32; SE squeezes 64 by 8
    assert block.conv2.groups == 4 and block.conv2.in_channels == 32
    assert block.se_layer.conv1.conv.out_channels == 64 // 8
    assert (model.groups, model.width_per_group, model.se_ratio) == (4, 8, 8)


@pytest.mark.parametrize('kernel', [2, 3, 4])
def test_deconv_bn_relu_doubles_the_resolution(kernel):
    deconv, norm, relu = deconv_bn_relu(4, 6, kernel)
    assert isinstance(norm, nn.BatchNorm2d) and isinstance(relu, nn.ReLU)
    assert deconv.bias is None
    out = nn.Sequential(deconv, norm, relu)(torch.rand(1, 4, 5, 7))
    assert out.shape == (1, 6, 10, 14)


def test_deconv_bn_relu_rejects_other_kernels():
    with pytest.raises(ValueError, match='supported deconv kernels'):
        deconv_bn_relu(4, 6, 5)


def test_light_backbones_stem_and_stages():
    mobilenet = MobileNetV2(widen_factor=0.25, out_indices=(0, ))
    assert mobilenet.maxpool is None
    assert mobilenet._stages()[0] is mobilenet.layer1
    shufflenet = ShuffleNetV2(widen_factor=0.5, frozen_stages=1)
    assert isinstance(shufflenet.maxpool, nn.MaxPool2d)
    shufflenet.train()
    frozen = [shufflenet.conv1, shufflenet.layers[0]]
    assert all(not p.requires_grad for m in frozen for p in m.parameters())
    assert all(p.requires_grad for p in shufflenet.layers[1].parameters())


def test_hourglass_ae_checks_num_stacks():
    with pytest.raises(ValueError,
                       match='HourglassAENet: num_stacks must be a positive'):
        HourglassAENet(num_stacks=0)


@pytest.fixture(scope='module')
def detector():
    return TopDown(
        backbone=dict(type='ResNet', depth=18, num_stages=1, strides=(1, ),
                      dilations=(1, ), out_indices=(0, )),
        keypoint_head=dict(
            type='TopDownSimpleHead', in_channels=64, out_channels=2,
            num_deconv_layers=0,
            loss_keypoint=dict(type='JointsMSELoss')))


def test_check_metas_names_the_detector_and_counts(detector):
    detector._check_metas(2, [{}, {}])
    with pytest.raises(ValueError,
                       match='TopDown needs one img_meta per crop: got 2 '
                       'crops and 1 metas'):
        detector._check_metas(2, [{}], sample='crop')
    with pytest.raises(ValueError, match='got 1 images and None metas'):
        detector._check_metas(1, None)


def test_check_single_image(detector):
    detector._check_single_image(torch.zeros(1, 3, 4, 4), [{}])
    with pytest.raises(ValueError,
                       match='one image per batch, got 2 images and 2 metas'):
        detector._check_single_image(torch.zeros(2, 3, 4, 4), [{}, {}])


def test_keypoint_losses_of_the_head(detector):
    features = detector._features(torch.rand(2, 3, 16, 16))
    target = torch.zeros(2, 2, 4, 4)
    losses = detector._keypoint_losses(features, target,
                                       torch.ones(2, 2, 1))
    assert set(losses) == {'mse_loss', 'acc_pose'}
    headless = TopDown(backbone=dict(type='ResNet', depth=18, num_stages=1,
                                     strides=(1, ), dilations=(1, ),
                                     out_indices=(0, )))
    assert headless._keypoint_losses(features, target, None) == {}
