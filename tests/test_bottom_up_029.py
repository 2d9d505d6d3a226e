"""The model pieces MMPose 0.29 added for bottom-up and 2D work:
``HourglassAENet`` with ``AEMultiStageHead``, the ``FPN`` neck and
``DeconvHead``. Checkpoint names and shapes are the 0.29 configs' (built on
the meta device); forward shapes are derived by hand from the strides."""
import copy

import pytest
import torch

from mmpose.errors import ArgumentError, UnknownNameError
from mmpose.models import (BACKBONES, HEADS, NECKS, build_backbone,
                           build_head, build_loss, build_neck,
                           build_posenet)

from .reference import packed_manifests, state_dict_problems

HOURGLASS_AE = ('body/2d_kpt_sview_rgb_img/associative_embedding/coco/'
                'hourglass_ae_coco_512x512.json')
SWIN_FPN = ('body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/'
            'swin_b_p4_w7_fpn_coco_{}.json')
WHOLEBODY_AE = ('wholebody/2d_kpt_sview_rgb_img/associative_embedding/'
                'coco-wholebody/hrnet_w32_coco_wholebody_512x512.json')
MSE = dict(type='JointsMSELoss', use_target_weight=True)
VOXELPOSE = ('body/3d_kpt_mview_rgb_img/voxelpose/panoptic/'
             'voxelpose_prn64x64x64_cpn80x80x20_panoptic_cam5.json')


def model_cfg(path: str) -> dict:
    cfg = copy.deepcopy(packed_manifests('0.29')[path]['cfg']['model'])
    cfg['pretrained'] = None
    return cfg


def meta_state(cfg: dict, prefix: str = '') -> dict:
    with torch.device('meta'):
        model = build_posenet(cfg)
    return {prefix + name: [list(t.shape), str(t.dtype)]
            for name, t in model.state_dict().items()}


@pytest.mark.parametrize('path', [
    HOURGLASS_AE, SWIN_FPN.format('256x192'), SWIN_FPN.format('384x288'),
    WHOLEBODY_AE
])
def test_029_config_builds_the_reference_state_dict(path):
    expected = packed_manifests('0.29')[path]['state_dict']
    assert state_dict_problems(expected, meta_state(model_cfg(path))) == []


def test_voxelpose_2d_network_with_deconv_head_matches_its_names():
    # VoxelPose's 2D network is an AssociativeEmbedding model on DeconvHead
    expected = {
        name: value for name, value in packed_manifests('0.29')[VOXELPOSE]
        ['state_dict'].items() if name.startswith('backbone.')
    }
    built = meta_state(model_cfg(VOXELPOSE)['backbone'], 'backbone.')
    assert state_dict_problems(expected, built) == []


def test_registered_under_their_029_names():
    assert BACKBONES.get('HourglassAENet') is not None
    assert HEADS.get('AEMultiStageHead') is not None
    assert HEADS.get('DeconvHead') is not None
    assert NECKS.get('FPN') is not None


# ------------------------------------------------------------ HourglassAENet
def small_hourglass(**kwargs):
    cfg = dict(type='HourglassAENet', downsample_times=2, num_stacks=2,
               out_channels=6, stage_channels=(8, 12, 16), feat_channels=8)
    cfg.update(kwargs)
    return build_backbone(cfg)


def test_hourglass_ae_outputs_one_map_per_stack_at_quarter_size():
    model = small_hourglass().eval()
    with torch.no_grad():
        outs = model(torch.rand(2, 3, 32, 48))
    assert [tuple(o.shape) for o in outs] == [(2, 6, 8, 12)] * 2


def test_hourglass_ae_default_is_one_stack_of_34_maps():
    model = build_backbone(dict(type='HourglassAENet')).eval()
    assert len(model.hourglass_modules) == 1
    assert len(model.remap_out_convs) == 0
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(1, 34, 16, 16)]


def test_hourglass_ae_init_weights_from_scratch():
    model = small_hourglass()
    model.init_weights()
    conv = model.out_convs[0].conv
    assert conv.weight.std().item() < 0.01
    assert torch.all(conv.bias == 0)
    assert torch.all(model.stem[0].bn.weight == 1)


@pytest.mark.parametrize('kwargs', [
    dict(num_stacks=0),
    dict(downsample_times=3),  # needs 4 stage channels
    dict(feat_channels=4),  # must equal stage_channels[0]
])
def test_hourglass_ae_rejects_bad_arguments(kwargs):
    with pytest.raises(ArgumentError):
        small_hourglass(**kwargs)


# ---------------------------------------------------------- AEMultiStageHead
def test_ae_multi_stage_head_identity_branches_pass_inputs_through():
    head = build_head(dict(type='AEMultiStageHead', in_channels=6,
                           out_channels=6, num_stages=2,
                           num_deconv_layers=0,
                           extra=dict(final_conv_kernel=0),
                           loss_keypoint=ae_loss_cfg(2)))
    feats = [torch.rand(1, 6, 4, 4), torch.rand(1, 6, 4, 4)]
    outs = head(feats)
    assert all(o is f for o, f in zip(outs, feats))
    assert sum(p.numel() for p in head.parameters()) == 0


def test_ae_multi_stage_head_deconv_branches_double_per_layer():
    head = build_head(dict(type='AEMultiStageHead', in_channels=6,
                           out_channels=4, num_stages=2,
                           num_deconv_layers=2, num_deconv_filters=(8, 8),
                           num_deconv_kernels=(4, 4),
                           loss_keypoint=ae_loss_cfg(2)))
    head.init_weights()
    outs = head([torch.rand(1, 6, 4, 5), torch.rand(1, 6, 4, 5)])
    assert [tuple(o.shape) for o in outs] == [(1, 4, 16, 20)] * 2
    # each stage starts from in_channels
    assert head.multi_deconv_layers[1][0].in_channels == 6


def test_ae_multi_stage_head_needs_one_feature_per_stage():
    head = build_head(dict(type='AEMultiStageHead', in_channels=6,
                           out_channels=6, num_stages=2,
                           num_deconv_layers=0,
                           loss_keypoint=ae_loss_cfg(2)))
    with pytest.raises(TypeError, match='2 features'):
        head(torch.rand(1, 6, 4, 4))


def ae_loss_cfg(num_stages, num_joints=2):
    return dict(type='MultiLossFactory', num_joints=num_joints,
                num_stages=num_stages, ae_loss_type='exp',
                with_ae_loss=[True] * num_stages,
                push_loss_factor=[0.001] * num_stages,
                pull_loss_factor=[0.001] * num_stages,
                with_heatmaps_loss=[True] * num_stages,
                heatmaps_loss_factor=[1.0] * num_stages)


def test_ae_multi_stage_head_loss_sums_the_stages():
    head = build_head(dict(type='AEMultiStageHead', in_channels=4,
                           out_channels=4, num_stages=2, num_deconv_layers=0,
                           extra=dict(final_conv_kernel=0),
                           loss_keypoint=ae_loss_cfg(2)))
    # 2 joints + 2 tag maps; zero output, target 1 at one pixel per joint,
    # mask everywhere: heatmap loss mean((0 - t)^2) = 2 / (2 * 4 * 4)
    output = [torch.zeros(1, 4, 4, 4), torch.zeros(1, 4, 4, 4)]
    target = torch.zeros(1, 2, 4, 4)
    target[0, 0, 1, 1] = target[0, 1, 2, 2] = 1
    mask = torch.ones(1, 4, 4)
    joints = torch.tensor([[[[5, 1], [16 + 10, 1]]]], dtype=torch.float)
    losses = head.get_loss(head(output), [[target], [target]],
                           [[mask], [mask]], [[joints], [joints]])
    assert losses['heatmap_loss'].item() == pytest.approx(2 * 2 / 32)
    # equal (zero) tags: nothing to pull, a single person to push
    assert losses['pull_loss'].item() == pytest.approx(0)
    assert set(losses) == {'heatmap_loss', 'push_loss', 'pull_loss'}


@pytest.mark.parametrize('supervise_empty,expected', [(True, 5 / 8),
                                                       (False, 1 / 8)])
def test_heatmap_loss_can_skip_empty_keypoint_channels(supervise_empty,
                                                       expected):
    # COCO-WholeBody bottom-up configs train with supervise_empty=False
    loss = build_loss(dict(ae_loss_cfg(1), with_ae_loss=[False],
                           supervise_empty=supervise_empty))
    pred = torch.zeros(1, 2, 2, 2)
    pred[0, 1] = 1  # channel 1: target all zero, error 1 on 4 pixels
    gt = torch.zeros(1, 2, 2, 2)
    gt[0, 0, 0, 0] = 1  # channel 0: error 1 on 1 pixel
    heatmap_losses, _, _ = loss([pred], [gt], [torch.ones(1, 2, 2)],
                                [torch.zeros(1, 1, 2, 2)])
    assert heatmap_losses[0].item() == pytest.approx(expected)


@pytest.mark.slow  # the full 0.29 config model (139 M parameters) on CPU
def test_two_training_iterations_of_hourglass_ae_config_lower_the_loss():
    torch.manual_seed(0)
    model = build_posenet(model_cfg(HOURGLASS_AE))
    model.init_weights()
    model.train()
    # 64x64 images -> 16x16 maps of 17 joints; one person per image
    num_joints, size = 17, 16
    img = torch.rand(2, 3, 64, 64)
    target = torch.zeros(2, num_joints, size, size)
    joints = torch.zeros(2, 1, num_joints, 2)
    ys, xs = torch.arange(num_joints) % 12 + 2, torch.arange(num_joints) // 2
    target[:, torch.arange(num_joints), ys, xs] = 1
    joints[..., 0] = torch.arange(num_joints) * size * size + ys * size + xs
    joints[..., 1] = 1
    mask = torch.ones(2, size, size)
    batch = dict(img=img, targets=[[target]] * 4, masks=[[mask]] * 4,
                 joints=[[joints]] * 4, img_metas=[{}, {}])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    losses = []
    for _ in range(2):
        outputs = model.train_step(batch, optimizer)
        optimizer.zero_grad()
        outputs['loss'].backward()
        optimizer.step()
        losses.append(outputs['loss'].item())
    assert set(outputs['log_vars']) >= {'heatmap_loss', 'push_loss',
                                        'pull_loss'}
    assert losses[1] < losses[0], losses


# ---------------------------------------------------------------------- FPN
def test_fpn_keeps_each_level_size():
    neck = build_neck(dict(type='FPN', in_channels=[2, 3, 5], out_channels=4,
                           num_outs=3))
    neck.init_weights()
    outs = neck([torch.rand(1, 2, 16, 12), torch.rand(1, 3, 8, 6),
                 torch.rand(1, 5, 4, 3)])
    assert [tuple(o.shape) for o in outs] == [(1, 4, 16, 12), (1, 4, 8, 6),
                                              (1, 4, 4, 3)]


def identity_fpn(**kwargs):
    """One-channel FPN whose lateral and output convs are identities."""
    neck = build_neck(dict(type='FPN', in_channels=[1, 1], out_channels=1,
                           **kwargs))
    with torch.no_grad():
        for m in neck.modules():
            if isinstance(m, torch.nn.Conv2d):
                m.weight.zero_()
                m.bias.zero_()
                centre = m.kernel_size[0] // 2
                m.weight[0, 0, centre, centre] = 1
    return neck


def test_fpn_adds_the_upsampled_coarser_level():
    neck = identity_fpn(num_outs=2)
    fine = torch.arange(16.).reshape(1, 1, 4, 4)
    coarse = torch.tensor([[[[100., 200.], [300., 400.]]]])
    outs = neck([fine, coarse])
    # nearest x2 upsampling of the coarse level added to the fine one
    up = coarse.repeat_interleave(2, 2).repeat_interleave(2, 3)
    torch.testing.assert_close(outs[0], fine + up)
    torch.testing.assert_close(outs[1], coarse)


def test_fpn_extra_levels_by_max_pooling_and_by_convs():
    fine = torch.arange(16.).reshape(1, 1, 4, 4)
    coarse = torch.arange(4.).reshape(1, 1, 2, 2)
    pooled = identity_fpn(num_outs=4)([fine, coarse])
    # kernel-1 stride-2 pooling keeps every other pixel of the top level
    assert [tuple(o.shape[2:]) for o in pooled] == [(4, 4), (2, 2), (1, 1),
                                                    (1, 1)]
    assert pooled[2].item() == 0.
    convs = identity_fpn(num_outs=3, add_extra_convs='on_input')
    outs = convs([fine, coarse])
    # the stride-2 3x3 identity conv samples pixel (0, 0) of the input
    assert tuple(outs[2].shape) == (1, 1, 1, 1) and outs[2].item() == 0.
    assert convs.add_extra_convs == 'on_input'
    assert identity_fpn(num_outs=3, add_extra_convs=True
                        ).add_extra_convs == 'on_input'


def test_fpn_start_and_end_level_select_inputs():
    neck = build_neck(dict(type='FPN', in_channels=[2, 3, 5],
                           out_channels=4, num_outs=2, start_level=1,
                           end_level=2))
    assert [c.conv.in_channels for c in neck.lateral_convs] == [3, 5]
    outs = neck([torch.rand(1, 2, 8, 8), torch.rand(1, 3, 4, 4),
                 torch.rand(1, 5, 2, 2)])
    assert [tuple(o.shape) for o in outs] == [(1, 4, 4, 4), (1, 4, 2, 2)]


@pytest.mark.parametrize('kwargs,error', [
    (dict(num_outs=1), ArgumentError),
    (dict(num_outs=2, end_level=0), ArgumentError),
    (dict(num_outs=3, add_extra_convs='on_top'), UnknownNameError),
])
def test_fpn_rejects_inconsistent_levels(kwargs, error):
    with pytest.raises(error):
        build_neck(dict(type='FPN', in_channels=[2, 3], out_channels=4,
                        **kwargs))


# --------------------------------------------------------------- DeconvHead
def test_deconv_head_upsamples_and_predicts_in_a_list():
    head = build_head(dict(type='DeconvHead', in_channels=8, out_channels=5,
                           num_deconv_layers=2, num_deconv_filters=(6, 6),
                           num_deconv_kernels=(4, 3), loss_keypoint=MSE))
    head.init_weights()
    outs = head(torch.rand(2, 8, 3, 4))
    assert isinstance(outs, list) and len(outs) == 1
    assert tuple(outs[0].shape) == (2, 5, 12, 16)


def test_deconv_head_selects_and_concatenates_inputs():
    head = build_head(dict(type='DeconvHead', in_channels=[2, 3],
                           in_index=[0, 1], input_transform='resize_concat',
                           out_channels=4, num_deconv_layers=0,
                           loss_keypoint=MSE))
    assert head.final_layer.in_channels == 5
    outs = head([torch.rand(1, 2, 8, 8), torch.rand(1, 3, 4, 4)])
    assert tuple(outs[0].shape) == (1, 4, 8, 8)


def test_deconv_head_loss_sums_scales_of_the_masked_loss():
    class AbsDiff(torch.nn.Module):

        def forward(self, output, target, mask):
            return ((output - target).abs() * mask[:, None]).sum()

    head = build_head(dict(type='DeconvHead', in_channels=2, out_channels=2,
                           num_deconv_layers=0, loss_keypoint=MSE))
    head.loss = AbsDiff()
    outputs = [torch.ones(1, 2, 2, 2), torch.ones(1, 2, 4, 4)]
    targets = [torch.zeros(1, 2, 2, 2), torch.zeros(1, 2, 4, 4)]
    masks = [torch.ones(1, 2, 2), torch.zeros(1, 4, 4)]
    masks[1][0, 0, 0] = 1
    # 8 unmasked ones at scale 1, 2 (one pixel, two channels) at scale 2
    assert head.get_loss(outputs, targets, masks)['loss'].item() == 10
