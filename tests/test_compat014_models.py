"""MMPose 0.14 behaviour at the edges of the models: which exception each
rejected argument raises (the 0.14 class, through :mod:`mmpose.errors`),
the inputs 0.14 accepted, the ``mmpose.models.registry`` module path and
the 0.14 parameter order of every public model name.

The expected exception classes are those MMPose 0.14 raised at each check
(``assert`` -> ``AssertionError``, or an explicit ``TypeError``,
``KeyError``, ``ValueError`` or ``NotImplementedError``).
"""
import inspect
from contextlib import contextmanager

import pytest
import torch
from torch import nn

import mmpose.models.builder as builder
from mmpose.errors import MMPoseError
from mmpose.models import build_backbone, build_loss, build_neck
from mmpose.models import registry as registry014
from mmpose.models.backbones import (CPM, MSPN, RSN, TCN, VGG, HourglassNet,
                                     HRNet, MobileNetV2, MobileNetV3, RegNet,
                                     ResNet, SEResNet, ShuffleNetV1,
                                     ShuffleNetV2)
from mmpose.models.backbones.cpm import CpmBlock
from mmpose.models.backbones.mobilenet_v2 import \
    InvertedResidual as MobileNetV2Block
from mmpose.models.backbones.resnest import Bottleneck as BottleneckS
from mmpose.models.backbones.resnet import (BasicBlock, Bottleneck,
                                            get_expansion)
from mmpose.models.backbones.resnext import Bottleneck as BottleneckX
from mmpose.models.backbones.seresnet import SEBottleneck
from mmpose.models.backbones.shufflenet_v1 import ShuffleUnit
from mmpose.models.backbones.shufflenet_v2 import \
    InvertedResidual as ShuffleNetV2Block
from mmpose.models.backbones.tcn import BasicTemporalBlock
from mmpose.models.backbones.utils import InvertedResidual, channel_shuffle
from mmpose.models.keypoint_heads import (BottomUpHigherResolutionHead,
                                          BottomUpSimpleHead,
                                          TemporalRegressionHead,
                                          TopDownMSMUHead,
                                          TopDownMultiStageHead,
                                          TopDownSimpleHead)
from mmpose.models.losses import GANLoss
from mmpose.models.mesh_heads import SMPLDiscriminator

from .reference import packed_api

MSE = dict(type='JointsMSELoss', use_target_weight=True)
AE = dict(type='MultiLossFactory', num_joints=2, num_stages=1,
          ae_loss_type='exp', with_ae_loss=[True], push_loss_factor=[0.001],
          pull_loss_factor=[0.001], with_heatmaps_loss=[True],
          heatmaps_loss_factor=[1.0])


@contextmanager
def raises014(expected, match):
    """``pytest.raises(expected)`` that also requires one of this package's
    own error classes (so the message is ours, not an accident)."""
    with pytest.raises(expected, match=match) as info:
        yield info
    assert isinstance(info.value, MMPoseError), type(info.value)


# ------------------------------------------------------- residual backbones

def test_resnet_blocks_reject_an_unknown_style_with_assertion_error():
    for block in (Bottleneck, BottleneckX, SEBottleneck):
        with raises014(AssertionError, "style must be one of.*'tensorflow'"):
            block(64, 64, style='tensorflow')
    with raises014(AssertionError, "style must be one of.*'tensorflow'"):
        BottleneckS(64, 64, radix=2, reduction_factor=4, style='tensorflow')


def test_resnet_blocks_reject_a_bad_expansion_with_assertion_error():
    with raises014(AssertionError, 'expansion must be 1, but got 2'):
        BasicBlock(64, 64, expansion=2)
    with raises014(AssertionError, r'out_channels \(64\) must be divisible '
                   r'by expansion \(3\)'):
        Bottleneck(64, 64, expansion=3)


def test_get_expansion_rejects_a_non_int_with_type_error():
    with raises014(TypeError, 'expansion must be an int or None'):
        get_expansion(Bottleneck, '0')
    with raises014(TypeError, 'expansion is not specified for Module'):
        get_expansion(nn.Module)


def test_resnet_arguments_raise_the_0_14_classes():
    with raises014(KeyError, 'invalid depth 20 for ResNet'):
        ResNet(20)
    with raises014(KeyError, 'invalid depth 20 for SEResNet'):
        SEResNet(20)
    for num_stages in (0, 5):
        with raises014(AssertionError, 'num_stages must be in'):
            ResNet(50, num_stages=num_stages)
    with raises014(AssertionError, 'must both have num_stages=3 entries'):
        ResNet(50, strides=(1, ), dilations=(1, 1), num_stages=3)
    with raises014(AssertionError, "style must be one of.*'tensorflow'"):
        ResNet(50, style='tensorflow')
    with raises014(TypeError, 'pretrained must be a str or None'):
        ResNet(18).init_weights(pretrained=0)


def test_vgg_arguments_raise_the_0_14_classes():
    with raises014(KeyError, 'invalid depth 18 for VGG'):
        VGG(18)
    for num_stages in (0, 6):
        with raises014(AssertionError, 'num_stages must be in'):
            VGG(11, num_stages=num_stages)
    with raises014(AssertionError, r'dilations \(1, 1\) must have one'):
        VGG(11, dilations=(1, 1), num_stages=3)


def test_regnet_arch_raises_the_0_14_classes():
    with raises014(AssertionError, "'regnetx_400mf233' is not one of"):
        RegNet('regnetx_400mf233')
    with raises014(KeyError, "'regnetx_400mf233' is not one of"):
        RegNet('regnetx_400mf233')
    with raises014(TypeError, 'arch must be a str or a dict'):
        RegNet(50)


def test_hrnet_unknown_block_raises_key_error():
    stage = dict(num_modules=1, num_branches=1, block='BASIC',
                 num_blocks=(1, ), num_channels=(8, ))
    extra = dict(stage1=dict(stage, block='FANCY'), stage2=stage,
                 stage3=stage, stage4=stage)
    with raises014(KeyError, "stage1 block must be one of.*'FANCY'"):
        HRNet(extra)


# ------------------------------------------------------ light backbones

def test_channel_shuffle_needs_divisible_groups():
    with raises014(AssertionError, r'number of channels \(24\)'):
        channel_shuffle(torch.zeros(1, 24, 2, 2), 7)


def test_inverted_residual_arguments_raise_assertion_error():
    with raises014(AssertionError, 'stride must be 1 or 2, but got 3'):
        InvertedResidual(16, 16, 32, stride=3)
    with raises014(AssertionError, 'se_cfg must be a dict or None'):
        InvertedResidual(16, 16, 32, se_cfg=list())
    with raises014(AssertionError, 'mid_channels must equal'):
        InvertedResidual(16, 16, 32, with_expand_conv=False)
    with raises014(AssertionError, 'stride must be 1 or 2, but got 3'):
        MobileNetV2Block(16, 24, stride=3, expand_ratio=6)


def test_mobilenets_raise_the_0_14_classes():
    with raises014(AssertionError, "invalid arch 'others' for MobileNetV3"):
        MobileNetV3(arch='others')
    with raises014(ValueError, 'frozen_stages'):
        MobileNetV3(arch='small', frozen_stages=12)
    with raises014(ValueError, 'out_indices'):
        MobileNetV3(arch='big', out_indices=(15, ))
    with raises014(ValueError, 'frozen_stages'):
        MobileNetV2(frozen_stages=8)
    with raises014(ValueError, 'out_indices'):
        MobileNetV2(out_indices=[8])


def test_shufflenet_v1_raises_the_0_14_classes():
    with raises014(ValueError, "Cannot combine tensors with 'test'"):
        ShuffleUnit(24, 16, groups=3, first_block=True, combine='test')
    with raises014(AssertionError, 'in_channels must equal out_channels'):
        ShuffleUnit(64, 24, groups=4, first_block=True, combine='add')
    with raises014(ValueError, 'frozen_stages'):
        ShuffleNetV1(frozen_stages=10)
    with raises014(ValueError, 'out_indices'):
        ShuffleNetV1(out_indices=[5])
    with raises014(ValueError, 'groups'):
        ShuffleNetV1(groups=10)


def test_shufflenet_v2_raises_the_0_14_classes():
    with raises014(AssertionError, 'in_channels'):
        ShuffleNetV2Block(24, 32, stride=1)
    with raises014(ValueError, 'widen_factor'):
        ShuffleNetV2(widen_factor=3.0)
    with raises014(ValueError, 'frozen_stages'):
        ShuffleNetV2(frozen_stages=4)
    with raises014(ValueError, 'out_indices'):
        ShuffleNetV2(out_indices=(4, ))


# ------------------------------------------------- multi-stage backbones

def test_cpm_arguments_raise_assertion_error():
    with raises014(AssertionError, r'channels \(3, 3, 3\) and'):
        CpmBlock(3, channels=[3, 3, 3], kernels=[1])
    with raises014(AssertionError, 'num_stages must be a positive int'):
        CPM(in_channels=3, out_channels=17, num_stages=-1)
    with raises014(AssertionError, 'in_channels must be 3, got 2'):
        CPM(in_channels=2, out_channels=17)


def test_hourglass_arguments_raise_assertion_error():
    with raises014(AssertionError, 'num_stacks must be a positive'):
        HourglassNet(num_stacks=0)
    with raises014(AssertionError, 'differ in length'):
        HourglassNet(stage_channels=[256, 256, 384, 384, 384],
                     stage_blocks=[2, 2, 2, 2, 2, 4])
    with raises014(AssertionError, 'downsample_times'):
        HourglassNet(downsample_times=5,
                     stage_channels=[256, 256, 384, 384, 384],
                     stage_blocks=[2, 2, 2, 2, 2])


@pytest.mark.parametrize('backbone', [MSPN, RSN])
def test_mspn_rsn_arguments_raise_assertion_error(backbone):
    with raises014(AssertionError, 'num_stages must be a positive int'):
        backbone(num_stages=0)
    with raises014(AssertionError, 'num_units must be an int >= 2'):
        backbone(num_units=1)
    with raises014(AssertionError, r'num_blocks \[2, 2, 2\] must have'):
        backbone(num_units=2, num_blocks=[2, 2, 2])


def test_rsn_num_steps_raises_assertion_error():
    with raises014(AssertionError, 'num_steps'):
        RSN(num_steps=1)


# ------------------------------------------------------------------ TCN

def test_tcn_kernel_sizes_raise_assertion_error():
    with raises014(AssertionError, 'kernel_sizes'):
        TCN(in_channels=34, num_blocks=3, kernel_sizes=(3, 3, 3))
    with raises014(AssertionError, 'only odd kernel sizes'):
        TCN(in_channels=34, kernel_sizes=(3, 4, 3))


def test_temporal_block_rejects_too_short_sequences():
    block = BasicTemporalBlock(8, 8, dilation=81)
    with raises014(AssertionError, 'needs more than 162 frames, but got 150'):
        block(torch.rand(1, 8, 150))
    block = BasicTemporalBlock(8, 8, kernel_size=5, causal=True,
                               use_stride_conv=True)
    with raises014(AssertionError, 'frames, but got 3'):
        block(torch.rand(1, 8, 3))


# ---------------------------------------------------------------- heads

def test_simple_head_arguments_raise_the_0_14_classes():
    with raises014(TypeError, 'extra should be dict or None, got list'):
        TopDownSimpleHead(512, 3, extra=[], loss_keypoint=MSE)
    with raises014(AssertionError, r"final_conv_kernel'\] must be one of"):
        TopDownSimpleHead(512, 3, extra=dict(final_conv_kernel=2),
                          loss_keypoint=MSE)
    with raises014(ValueError, r'num_deconv_layers \(-1\) should >= 0'):
        TopDownSimpleHead(512, 3, num_deconv_layers=-1, loss_keypoint=MSE)
    with raises014(ValueError, 'length of num_deconv_filters'):
        TopDownSimpleHead(512, 3, num_deconv_filters=(256, 256),
                          loss_keypoint=MSE)
    with raises014(ValueError, r'Not supported num_kernels \(0\)'):
        TopDownSimpleHead(512, 3, num_deconv_kernels=(3, 2, 0),
                          loss_keypoint=MSE)
    with raises014(AssertionError, "input_transform must be None.*'foo'"):
        TopDownSimpleHead(512, 3, input_transform='foo', loss_keypoint=MSE)


def test_multi_stage_head_accepts_a_list_and_rejects_a_tensor():
    head = TopDownMultiStageHead(8, 3, num_stages=1, num_deconv_layers=0,
                                 loss_keypoint=MSE)
    with raises014(TypeError, 'extra should be dict or None'):
        TopDownMultiStageHead(8, 3, extra=[], loss_keypoint=MSE)
    # 0.14: ``assert isinstance(x, list)``, even for a single stage
    with raises014(AssertionError, 'expects a list of num_stages=1 features'):
        head(torch.rand(1, 8, 4, 4))
    with raises014(AssertionError, 'expects num_stages=1 features, got 0'):
        head([])
    with raises014(AssertionError, r"final_conv_kernel'\] must be one of"):
        TopDownMultiStageHead(8, 3, extra=dict(final_conv_kernel=5),
                              loss_keypoint=MSE)
    outs = head([torch.rand(1, 8, 4, 4)])
    assert isinstance(outs, list) and outs[0].shape == (1, 3, 4, 4)


def test_msmu_head_input_checks_raise_assertion_error():
    head = TopDownMSMUHead((8, 6), unit_channels=4, out_channels=3,
                           num_stages=2, num_units=2, loss_keypoint=MSE)
    feat = torch.rand(1, 4, 2, 2)
    with raises014(AssertionError, 'lists of features, got Tensor'):
        head(feat)
    with raises014(AssertionError, r"got \['Tensor', 'Tensor'\]"):
        head([feat] * 2)
    with raises014(AssertionError, r'lengths \[2, 2, 2\]'):
        head([[feat] * 2] * 3)
    with raises014(AssertionError, r'lengths \[3, 3\]'):
        head([[feat] * 3] * 2)
    with raises014(AssertionError, 'unit_channels=4 channels, got 2'):
        head([[torch.rand(1, 2, 2, 2)] * 2] * 2)


def test_bottom_up_head_arguments_raise_the_0_14_classes():
    with raises014(TypeError, 'extra should be dict or None, got list'):
        BottomUpSimpleHead(8, 2, extra=[], loss_keypoint=AE)
    with raises014(AssertionError, r"final_conv_kernel'\] must be one of"):
        BottomUpSimpleHead(8, 2, extra=dict(final_conv_kernel=-1),
                           loss_keypoint=AE)
    two_stages = dict(AE, num_stages=2, with_ae_loss=[True, False],
                      push_loss_factor=[0.001] * 2,
                      pull_loss_factor=[0.001] * 2,
                      with_heatmaps_loss=[True] * 2,
                      heatmaps_loss_factor=[1.0] * 2)
    with raises014(AssertionError, r"final_conv_kernel'\] must be one of"):
        BottomUpHigherResolutionHead(8, 2, extra=dict(final_conv_kernel=0),
                                     with_ae_loss=[True, False],
                                     loss_keypoint=two_stages)
    with raises014(ValueError, r'Not supported num_kernels \(1\)'):
        BottomUpHigherResolutionHead(8, 2, num_deconv_kernels=[1],
                                     with_ae_loss=[True, False],
                                     loss_keypoint=two_stages)


def test_temporal_regression_head_needs_one_output_frame():
    head = TemporalRegressionHead(in_channels=4, num_joints=2,
                                  loss_keypoint=dict(type='MPJPELoss'))
    with raises014(AssertionError, r'expects features \[N, C, 1\], got '
                   r'\(1, 4, 2\)'):
        head(torch.rand(1, 4, 2))


def test_smpl_discriminator_takes_tuples_only():
    channels = dict(beta_channel=(10, 10, 5, 1),
                    per_joint_channel=(9, 32, 32, 16, 1),
                    full_pose_channel=(23 * 16, 256, 1))
    with raises014(TypeError, 'fc_layers must be a tuple, got list'):
        SMPLDiscriminator(**dict(channels, beta_channel=[10, 10, 5, 1]))
    with raises014(TypeError, 'fc_layers must be a tuple, got list'):
        SMPLDiscriminator(**dict(channels, full_pose_channel=[368, 256, 1]))
    with raises014(ValueError, 'must have 1 unit, got 10'):
        SMPLDiscriminator(**dict(channels, beta_channel=(10, )))


def test_temporal_regression_loss_weighs_all_joints_without_weights():
    head = TemporalRegressionHead(
        in_channels=4, num_joints=2,
        loss_keypoint=dict(type='MPJPELoss', use_target_weight=True))
    output = torch.zeros(1, 2, 3)
    # every joint is off by (3, 4, 0): an error of 5
    target = output + torch.tensor([3., 4., 0.])
    loss = head.get_loss(output, target, None)['reg_loss']
    assert loss.item() == pytest.approx(5.)


# --------------------------------------------------------------- losses

def test_ohkm_loss_topk_raises_the_0_14_classes():
    with raises014(AssertionError, 'topk must be > 0'):
        build_loss(dict(type='JointsOHKMMSELoss', topk=-1))
    loss = build_loss(dict(type='JointsOHKMMSELoss'))
    with raises014(ValueError, r'topk \(8\) must not'):
        loss(torch.zeros(1, 3, 4, 4), torch.zeros(1, 3, 4, 4), None)


def test_heatmap_loss_shape_mismatch_raises_assertion_error():
    loss = build_loss(dict(type='HeatmapLoss'))
    with raises014(AssertionError, 'shapes differ'):
        loss(torch.zeros(2, 3, 4, 4), torch.zeros(1, 3, 4, 4),
             torch.zeros(1, 4, 4))


def test_ae_loss_type_and_multi_loss_factors_raise_the_0_14_classes():
    with raises014(ValueError, "loss_type must be 'exp' or 'max'"):
        build_loss(dict(type='AELoss', loss_type='min'))
    cfg = dict(type='MultiLossFactory', num_joints=2, num_stages=1,
               ae_loss_type='exp', with_ae_loss=[True],
               push_loss_factor=[0.001], pull_loss_factor=[0.001],
               with_heatmaps_loss=[True], heatmaps_loss_factor=[1.0])
    for key in ('with_ae_loss', 'push_loss_factor', 'with_heatmaps_loss'):
        with raises014(AssertionError, key):
            build_loss(dict(cfg, **{key: cfg[key][0]}))


def test_gan_loss_unknown_type_raises_not_implemented_error():
    with raises014(NotImplementedError, "gan_type must be one of.*'wrong'"):
        GANLoss('wrong')


# ---------------------------------------------------------------- necks

def test_gap_neck_keeps_the_container_kind_of_its_input():
    neck = build_neck(dict(type='GlobalAveragePooling'))
    x = torch.arange(8, dtype=torch.float32).reshape(1, 2, 2, 2)
    y = torch.full((1, 3, 1, 1), 2.)
    # means of [0, 1, 2, 3] and [4, 5, 6, 7]
    expected_x, expected_y = [[1.5, 5.5]], [[2., 2., 2.]]
    outs = neck([x, y])
    assert isinstance(outs, list)
    assert [o.tolist() for o in outs] == [expected_x, expected_y]
    outs = neck((x, y))
    assert isinstance(outs, tuple)
    assert [o.tolist() for o in outs] == [expected_x, expected_y]
    assert neck(x).tolist() == expected_x
    with raises014(TypeError, 'got int'):
        neck(1)


# ------------------------------------------------------------- registry

def test_registry_module_holds_the_package_registries():
    for name in ('BACKBONES', 'NECKS', 'HEADS', 'LOSSES', 'POSENETS'):
        assert getattr(registry014, name) is getattr(builder, name), name


def test_backbone_registered_through_the_0_14_path_is_buildable():

    @registry014.BACKBONES.register_module()
    class Compat014ToyBackbone(nn.Module):

        def __init__(self, width=1):
            super().__init__()
            self.width = width

    try:
        model = build_backbone(dict(type='Compat014ToyBackbone', width=3))
        assert isinstance(model, Compat014ToyBackbone) and model.width == 3
    finally:
        registry014.BACKBONES.module_dict.pop('Compat014ToyBackbone')


# ----------------------------------------------------------- signatures

def _resolve(dotted: str):
    module_name, _, attr = dotted.rpartition('.')
    module = __import__(module_name, fromlist=[attr])
    return getattr(module, attr)


def test_inverted_residual_takes_the_0_14_parameters_first():
    params = list(inspect.signature(InvertedResidual).parameters)
    assert params == [
        'in_channels', 'out_channels', 'mid_channels', 'kernel_size',
        'stride', 'se_cfg', 'with_expand_conv', 'conv_cfg', 'norm_cfg',
        'act_cfg', 'with_cp', 'groups'
    ]


def _signature_problems(name: str, signature: list) -> list:
    """How ``name``'s parameters break 0.14 call compatibility: 0.14's
    parameters must come first, in order and of the same kind, and have a
    default exactly where 0.14 had one; additions need a default."""
    if [kind for _, kind, _ in signature] == ['VAR_POSITIONAL',
                                              'VAR_KEYWORD']:
        return []  # 0.14 defined no __init__ (nn.Module's): any call form
    obj = _resolve(name)
    target = obj.__init__ if inspect.isclass(obj) else obj
    ours = [p for p in inspect.signature(target).parameters.values()
            if p.name != 'self']
    variadic = (inspect.Parameter.VAR_POSITIONAL,
                inspect.Parameter.VAR_KEYWORD)
    expected = [(n, kind, default is None and not kind.startswith('VAR_'))
                for n, kind, default in signature]
    got = [(p.name, p.kind.name,
            p.default is p.empty and p.kind not in variadic)
           for p in ours[:len(signature)]]
    problems = [f'{name}: {got} != {expected}'] if got != expected else []
    problems += [
        f'{name}: added parameter {p.name!r} has no default'
        for p in ours[len(signature):]
        if p.default is p.empty and p.kind not in variadic
    ]
    return problems


def test_model_names_take_the_0_14_parameters_in_order():
    api = packed_api('0.14')['api']
    entries = {name: entry['signature'] for name, entry in api.items()
               if name.startswith('mmpose.models.')
               and entry['kind'] in ('class', 'function')}
    assert len(entries) > 50
    problems = [problem for name, signature in sorted(entries.items())
                for problem in _signature_problems(name, signature)]
    assert not problems, '\n'.join(problems)
