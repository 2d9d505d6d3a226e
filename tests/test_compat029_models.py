"""MMPose 0.29 behaviours of the models and the evaluation helpers: what
0.29 returns at the edges (one-branch Lite-HRNet modules, empty SMPL
batches, shared trajectory backbones, extra MTA levels, per-joint scores
of the associative-embedding parser, the 31-threshold 3D AUC), its module
paths and names, the errors it raised (heads without a loss, ViPNAS
frozen stages) and the deprecated ``mmpose.models.registry``.

Expected values are derived by hand in the comments or follow 0.29's
documented behaviour.
"""
import ast
import importlib
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import mmpose.models.builder as builder
from mmpose.core.evaluation import keypoint_3d_auc
from mmpose.core.post_processing import HeatmapParser, nearby_joints_nms
from mmpose.models import build_mesh_model, build_posenet
from mmpose.models.backbones import HRFormer, ViPNAS_MobileNetV3
from mmpose.models.backbones.hrformer import (HRFomerModule, HRFormerBlock,
                                              HRFormerModule)
from mmpose.models.backbones.litehrnet import LiteHRModule
from mmpose.models.backbones.pvt import MixFFN
from mmpose.models.backbones.vipnas_resnet import (ViPNAS_Bottleneck,
                                                   ViPNAS_ResLayer,
                                                   ViPNAS_ResNet,
                                                   get_expansion)
from mmpose.models.heads import (AEHigherResolutionHead, AEMultiStageHead,
                                 AESimpleHead, DeconvHead,
                                 DeepposeRegressionHead, Interhand3DHead,
                                 TemporalRegressionHead,
                                 TopdownHeatmapMSMUHead,
                                 TopdownHeatmapMultiStageHead,
                                 TopdownHeatmapSimpleHead,
                                 ViPNASHeatmapSimpleHead)
from mmpose.models.keypoint_heads import (BottomUpHigherResolutionHead,
                                          BottomUpSimpleHead, FcHead,
                                          HeatMap3DHead, TopDownMSMUHead,
                                          TopDownMultiStageHead,
                                          TopDownSimpleHead)
from mmpose.models.keypoint_heads import \
    TemporalRegressionHead as TemporalRegressionHead014
from mmpose.models.losses import SoftWeightSmoothL1Loss
from mmpose.models.mesh_heads import geometric_layers
from mmpose.models.necks import MTA
from .helpers import write_synthetic_smpl

REPO_ROOT = Path(__file__).resolve().parents[1]
MSE = dict(type='JointsMSELoss', use_target_weight=True)

# --------------------------------------------------------------------------
# LiteHRModule with one branch


def test_one_branch_lite_module_runs_only_its_first_block():
    torch.manual_seed(0)
    module = LiteHRModule(1, 2, [8], 2, 'LITE').eval()
    x = torch.rand(1, 8, 4, 4)
    with torch.no_grad():
        first = module.layers[0]([x])
        # 0.29 hands the (list-taking) first block x[0] itself: [[x]]
        out = module([[x]])
        assert len(out) == 1 and len(out[0]) == 1
        torch.testing.assert_close(out[0][0], first[0])
        # a plain [x] gives [first block's output]
        torch.testing.assert_close(module([x])[0], first[0])
        # the second block would change the features: it was skipped
        assert not torch.allclose(module.layers[1](first)[0], first[0])


def test_one_branch_naive_module_runs_its_branch_unfused():
    torch.manual_seed(0)
    module = LiteHRModule(1, 2, [8], 2, 'NAIVE').eval()
    x = torch.rand(1, 8, 4, 4)
    with torch.no_grad():
        # layers[0] is branch 0 with both its blocks
        torch.testing.assert_close(module([x])[0], module.layers[0](x))


# --------------------------------------------------------------------------
# PoseLifter trajectory model without its own backbone


def _tcn(channels=8):
    return dict(type='TCN', in_channels=6, stem_channels=channels,
                num_blocks=1, kernel_sizes=(1, 1), dropout=0.)


def test_pose_lifter_trajectory_head_reuses_the_pose_backbone():
    torch.manual_seed(0)
    model = build_posenet(
        dict(
            type='PoseLifter',
            backbone=_tcn(),
            keypoint_head=dict(type='TemporalRegressionHead', in_channels=8,
                               num_joints=3, loss_keypoint=dict(
                                   type='MPJPELoss')),
            traj_head=dict(type='TemporalRegressionHead', in_channels=8,
                           num_joints=1, is_trajectory=True,
                           loss_keypoint=dict(type='MPJPELoss',
                                              use_target_weight=True)),
            train_cfg=dict(),
            test_cfg=dict(restore_global_position=False))).eval()
    assert model.traj_backbone is model.backbone
    state = model.state_dict()
    # 0.29 checkpoints hold the shared backbone under both names
    backbone_keys = [k for k in state if k.startswith('backbone.')]
    for key in backbone_keys:
        assert torch.equal(state['traj_' + key], state[key])
    inputs = torch.rand(2, 6, 1)
    metas = [dict(target_image_path=f'{i}.jpg') for i in range(2)]
    with torch.no_grad():
        result = model(inputs, metas=metas, return_loss=False)
        expected = model.traj_head.inference_model(model.backbone(inputs))
    np.testing.assert_allclose(result['traj_preds'], expected)


# --------------------------------------------------------------------------
# SMPL on an empty batch


@pytest.fixture(scope='module')
def smpl(tmp_path_factory):
    folder, regressor = write_synthetic_smpl(tmp_path_factory.mktemp('smpl'))
    for gender in ('MALE', 'FEMALE'):
        shutil.copy(Path(folder) / 'SMPL_NEUTRAL.pkl',
                    Path(folder) / f'SMPL_{gender}.pkl')
    return build_mesh_model(
        dict(type='SMPL', smpl_path=folder, joints_regressor=regressor))


@pytest.mark.parametrize('rotmat', [False, True])
def test_smpl_of_an_empty_batch_is_empty(smpl, rotmat):
    if rotmat:
        pose = dict(body_pose=torch.zeros(0, 23, 3, 3),
                    global_orient=torch.zeros(0, 1, 3, 3))
    else:
        pose = dict(body_pose=torch.zeros(0, 69),
                    global_orient=torch.zeros(0, 3))
    out = smpl(betas=torch.zeros(0, 10), transl=torch.zeros(0, 3), **pose)
    # synthetic SMPL: 6890 vertices, 24 regressed joints
    assert tuple(out['vertices'].shape) == (0, 6890, 3)
    assert tuple(out['joints'].shape) == (0, 24, 3)
    gendered = smpl(betas=torch.zeros(0, 10), gender=torch.zeros(0), **pose)
    assert tuple(gendered['joints'].shape) == (0, 24, 3)
    assert (smpl.num_verts, smpl.num_joints) == (6890, 24)


# --------------------------------------------------------------------------
# MTA: extra levels


def grid_tokens(channels, height, width, grid=(4, 4)):
    """Tokens of a ``height x width`` map, one per pixel, on a finer
    ``grid`` of initial cells (TCFormer's token dict)."""
    gh, gw = grid
    rows = torch.arange(gh) * height // gh
    cols = torch.arange(gw) * width // gw
    idx = rows[:, None] * width + cols[None, :]
    return dict(
        x=torch.rand(1, height * width, channels),
        token_num=height * width,
        map_size=[height, width],
        init_grid_size=[gh, gw],
        idx_token=idx.reshape(1, -1),
        agg_weight=torch.ones(1, gh * gw, 1))


def test_mta_applies_only_the_extra_convs_it_needs():
    torch.manual_seed(0)
    neck = MTA(in_channels=[4, 8], out_channels=4, num_outs=3,
               add_extra_convs='on_output', num_heads=[1, 1],
               sr_ratios=[1, 1]).eval()
    # 0.29 builds num_outs - (end_level + 1 - start_level) = 3 - 0 convs
    assert len(neck.extra_convs) == 3
    with torch.no_grad():
        outs = neck([grid_tokens(4, 4, 4), grid_tokens(8, 2, 2)])
        # two stage maps + one extra level from the last one
        assert [tuple(o.shape) for o in outs] == [(1, 4, 4, 4), (1, 4, 2, 2),
                                                  (1, 4, 1, 1)]
        torch.testing.assert_close(outs[2], neck.extra_convs[0](outs[1]))


# --------------------------------------------------------------------------
# HeatmapParser: score_per_joint


def _parser_inputs():
    """One person: joint 0 peaks at 0.9 at (x=2, y=2); joint 1 only at
    0.05 (under the detection threshold 0.1) at (5, 5); all tags 0."""
    heatmaps = torch.zeros(1, 2, 8, 8)
    heatmaps[0, 0, 2, 2] = 0.9
    heatmaps[0, 1, 5, 5] = 0.05
    tags = torch.zeros(1, 2, 8, 8, 1)
    return heatmaps, tags


def _parser(**cfg):
    return HeatmapParser(
        dict(num_joints=2, max_num_people=3, detection_threshold=0.1,
             tag_threshold=1., use_detection_val=True, ignore_too_much=False,
             tag_per_joint=True, nms_kernel=3, nms_padding=1, **cfg))


def test_parser_scores_each_joint_with_score_per_joint():
    heatmaps, tags = _parser_inputs()
    # default: the mean joint score before refinement, (0.9 + 0) / 2
    _, scores = _parser().parse(heatmaps, tags, adjust=True, refine=True)
    np.testing.assert_allclose(scores, [0.45], rtol=1e-6)
    # per joint, of the returned (refined) person: joint 1 filled at 0.05
    ans, scores = _parser(score_per_joint=True).parse(
        heatmaps, tags, adjust=True, refine=True)
    assert len(scores) == 1
    np.testing.assert_allclose(scores[0], [0.9, 0.05], rtol=1e-6)
    np.testing.assert_allclose(scores[0], ans[0][0, :, 2])
    _, scores = _parser(score_per_joint=True).parse(
        heatmaps, tags, adjust=False, refine=False)
    np.testing.assert_allclose(scores[0], [0.9, 0.], rtol=1e-6)


# --------------------------------------------------------------------------
# keypoint_3d_auc: 31 thresholds


def test_3d_auc_averages_31_thresholds():
    gt = np.zeros((1, 2, 3))
    mask = np.ones((1, 2), dtype=bool)
    # error 0 passes every threshold 0.005 * i but i = 0: 30 of 31
    assert keypoint_3d_auc(gt, gt, mask) == pytest.approx(30 / 31 * 100)
    # errors 0.051 and 0.2: the first passes i = 11..30 (20 thresholds),
    # the second none
    pred = np.array([[[0.051, 0., 0.], [0., 0.2, 0.]]])
    assert keypoint_3d_auc(pred, gt, mask) == pytest.approx(10 / 31 * 100)


# --------------------------------------------------------------------------
# 0.29 module paths and names


def test_geometry_module_reexports_the_rotation_helpers():
    geometry = importlib.import_module('mmpose.models.utils.geometry')
    for name in ('batch_rodrigues', 'rot6d_to_rotmat', 'quat_to_rotmat'):
        assert getattr(geometry, name) is getattr(geometric_layers, name)
    # a quarter turn about z maps x to y
    rotmat = geometry.batch_rodrigues(torch.tensor([[0., 0., np.pi / 2]]))
    torch.testing.assert_close(rotmat[0] @ torch.tensor([1., 0., 0.]),
                               torch.tensor([0., 1., 0.]))


def test_nearby_joints_nms_from_the_nms_module():
    nms = importlib.import_module('mmpose.core.post_processing.nms')
    assert nms.nearby_joints_nms is nearby_joints_nms


def test_vipnas_res_layer_passes_the_searched_settings_to_its_blocks():
    assert get_expansion(ViPNAS_Bottleneck) == 1
    layer = ViPNAS_ResLayer(ViPNAS_Bottleneck, 2, 8, 16, None, 2,
                            kernel_size=5, groups=4, attention=True)
    assert len(layer) == 2
    for block in layer:
        assert block.conv2.kernel_size == (5, 5)
        assert block.conv2.groups == 4
        assert block.attention is not None
    assert layer[0].conv2.stride == (2, 2)
    assert tuple(layer(torch.rand(1, 8, 8, 8)).shape) == (1, 16, 4, 4)
    model = ViPNAS_ResNet(depth=50, num_stages=1, strides=(1, ),
                          dilations=(1, ), out_indices=(0, ),
                          wid=[8, 8], expan=[None, 1], dep=[None, 1],
                          ks=[3, 3], group=[None, 2], att=[None, False])
    assert isinstance(model.layer1, ViPNAS_ResLayer)


def _hrformer_extra():
    return dict(
        drop_path_rate=0.,
        stage1=dict(num_modules=1, num_branches=1, block='BOTTLENECK',
                    num_blocks=(1, ), num_channels=(8, )),
        stage2=dict(num_modules=1, num_branches=2, block='HRFORMERBLOCK',
                    num_blocks=(1, 1), num_channels=(8, 16),
                    num_heads=(1, 1), mlp_ratios=(1, 1),
                    window_sizes=(2, 2)),
        stage3=dict(num_modules=1, num_branches=3, block='HRFORMERBLOCK',
                    num_blocks=(1, 1, 1), num_channels=(8, 16, 16),
                    num_heads=(1, 1, 1), mlp_ratios=(1, 1, 1),
                    window_sizes=(2, 2, 2)),
        stage4=dict(num_modules=1, num_branches=4, block='HRFORMERBLOCK',
                    num_blocks=(1, 1, 1, 1), num_channels=(8, 16, 16, 16),
                    num_heads=(1, 1, 1, 1), mlp_ratios=(1, 1, 1, 1),
                    window_sizes=(2, 2, 2, 2)))


def test_hrfomer_module_is_029s_name_of_the_hrformer_module():
    module = HRFomerModule(
        2, HRFormerBlock, (1, 1), num_inchannels=[8, 16],
        num_channels=(8, 16), num_heads=(1, 1), num_window_sizes=(2, 2),
        num_mlp_ratios=(1, 1), norm_cfg=dict(type='BN'))
    assert isinstance(module, HRFormerModule)
    assert module.get_num_inchannels() == [8, 16]
    outs = module([torch.rand(1, 8, 4, 4), torch.rand(1, 16, 2, 2)])
    assert [tuple(o.shape) for o in outs] == [(1, 8, 4, 4), (1, 16, 2, 2)]
    model = HRFormer(_hrformer_extra(), norm_cfg=dict(type='BN'))
    assert all(isinstance(m, HRFomerModule) for m in model.stage2)


def test_soft_weight_smooth_l1_loss_static_method():
    error = torch.tensor([0.5, 2.0])
    target = torch.zeros(2)
    smooth = SoftWeightSmoothL1Loss.smooth_l1_loss
    # beta 1: 0.5 * 0.5**2 = 0.125 below it, 2 - 0.5 = 1.5 above
    torch.testing.assert_close(smooth(error, target),
                               torch.tensor([0.125, 1.5]))
    assert smooth(error, target, 'sum').item() == pytest.approx(1.625)
    assert smooth(error, target, 'mean').item() == pytest.approx(0.8125)
    # beta 4: both below, d**2 / 8
    assert smooth(error, target, 'sum', beta=4.).item() == \
        pytest.approx(0.03125 + 0.5)
    with pytest.raises(ValueError, match='reduction'):
        smooth(error, target, 'max')


def test_mix_ffn_keeps_its_arguments():
    ffn = MixFFN(embed_dims=4, feedforward_channels=16)
    assert (ffn.embed_dims, ffn.feedforward_channels) == (4, 16)


# --------------------------------------------------------------------------
# errors: heads need their loss; ViPNAS_MobileNetV3 frozen stages


HEADS_WITHOUT_LOSS = {
    'TopDownSimpleHead': lambda: TopDownSimpleHead(8, 3),
    'TopdownHeatmapSimpleHead': lambda: TopdownHeatmapSimpleHead(8, 3),
    'ViPNASHeatmapSimpleHead': lambda: ViPNASHeatmapSimpleHead(8, 3),
    'TopDownMultiStageHead': lambda: TopDownMultiStageHead(8, 3),
    'TopdownHeatmapMultiStageHead':
    lambda: TopdownHeatmapMultiStageHead(8, 3),
    'TopDownMSMUHead': lambda: TopDownMSMUHead((8, 6), unit_channels=8),
    'TopdownHeatmapMSMUHead':
    lambda: TopdownHeatmapMSMUHead((8, 6), unit_channels=8),
    'FcHead': lambda: FcHead(8, 3),
    'DeepposeRegressionHead': lambda: DeepposeRegressionHead(8, 3),
    'HeatMap3DHead': lambda: HeatMap3DHead(8, 3 * 4, depth_size=4),
    'TemporalRegressionHead': lambda: TemporalRegressionHead(8, 3),
    'TemporalRegressionHead (0.14)': lambda: TemporalRegressionHead014(8, 3),
    'BottomUpSimpleHead': lambda: BottomUpSimpleHead(8, 3),
    'AESimpleHead': lambda: AESimpleHead(8, 3),
    'BottomUpHigherResolutionHead':
    lambda: BottomUpHigherResolutionHead(8, 3),
    'AEHigherResolutionHead': lambda: AEHigherResolutionHead(8, 3),
    'AEMultiStageHead': lambda: AEMultiStageHead(8, 3),
    'DeconvHead': lambda: DeconvHead(8, 3),
}


@pytest.mark.parametrize('make', HEADS_WITHOUT_LOSS.values(),
                         ids=HEADS_WITHOUT_LOSS.keys())
def test_a_head_without_its_loss_raises_type_error(make):
    with pytest.raises(TypeError, match='loss_keypoint'):
        make()


def test_interhand_head_needs_its_three_losses():
    cfg = dict(
        keypoint_head_cfg=dict(in_channels=8, out_channels=2 * 4,
                               depth_size=4, num_deconv_layers=0),
        root_head_cfg=dict(in_channels=8, hidden_dims=(4, )),
        hand_type_head_cfg=dict(in_channels=8, hidden_dims=(4, )),
        loss_keypoint=MSE,
        loss_root_depth=dict(type='L1Loss'),
        loss_hand_type=dict(type='BCELoss'))
    # its 3D heatmap sub-heads hold no loss of their own
    head = Interhand3DHead(**cfg)
    assert head.right_hand_head.loss is None
    for loss in ('loss_keypoint', 'loss_root_depth', 'loss_hand_type'):
        with pytest.raises(TypeError, match=loss):
            Interhand3DHead(**dict(cfg, **{loss: None}))


def test_vipnas_mobilenetv3_frozen_stages_out_of_range():
    # 21 blocks by default: 0.29 failed looking up layer22 in train()
    with pytest.raises(AttributeError, match='frozen_stages'):
        ViPNAS_MobileNetV3(frozen_stages=22).train()
    with pytest.raises(ValueError):
        ViPNAS_MobileNetV3(frozen_stages=-2)


# --------------------------------------------------------------------------
# Swin: shifted windows on maps of any size


def _windows(x, w):
    """[N, H, W, C] -> [N * H/w * W/w, w, w, C], row-major windows."""
    n, h, width, c = x.shape
    x = x.reshape(n, h // w, w, width // w, w, c).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, w, w, c)


def _unwindows(windows, h, width):
    w, c = windows.shape[1], windows.shape[3]
    x = windows.reshape(-1, h // w, width // w, w, w, c)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, h, width, c)


def shift_window_msa_029(msa, query, hw_shape):
    """MMPose 0.29's shifted-window attention, step by step: pad the map
    to window multiples, roll it by -shift, label the 3 x 3 regions of the
    rolled map (slices ``[0, -w)``, ``[-w, -s)``, ``[-s, end)`` of rows and
    columns), mask pairs of different regions with -100, attend in each
    window, undo the roll and crop."""
    n, _, c = query.shape
    h, width = hw_shape
    w, s = msa.window_size, msa.shift_size
    x = torch.nn.functional.pad(query.reshape(n, h, width, c),
                                (0, 0, 0, -width % w, 0, -h % w))
    ph, pw = x.shape[1:3]
    mask = None
    if s:
        x = torch.roll(x, (-s, -s), (1, 2))
        labels = torch.zeros(1, ph, pw, 1)
        cuts = (slice(0, -w), slice(-w, -s), slice(-s, None))
        for i, rows in enumerate(cuts):
            for j, cols in enumerate(cuts):
                labels[:, rows, cols] = 3 * i + j
        label_windows = _windows(labels, w).reshape(-1, w * w)
        differs = label_windows[:, None, :] != label_windows[:, :, None]
        mask = differs.float() * -100.
    out = msa.w_msa(_windows(x, w).reshape(-1, w * w, c), mask=mask)
    x = _unwindows(out.reshape(-1, w, w, c), ph, pw)
    if s:
        x = torch.roll(x, (s, s), (1, 2))
    return x[:, :h, :width].reshape(n, h * width, c)


@pytest.mark.parametrize('hw_shape', [(14, 14), (8, 6), (7, 9), (9, 7)])
@pytest.mark.parametrize('shift', [0, 3])
def test_shift_window_msa_follows_029_on_any_map(hw_shape, shift):
    from mmpose.models.backbones.swin import ShiftWindowMSA
    torch.manual_seed(0)
    msa = ShiftWindowMSA(8, 2, window_size=7, shift_size=shift).eval()
    query = torch.rand(2, hw_shape[0] * hw_shape[1], 8)
    with torch.no_grad():
        torch.testing.assert_close(
            msa(query, hw_shape), shift_window_msa_029(msa, query, hw_shape))


def test_swin_runs_on_a_112x137_image():
    from mmpose.models.backbones import SwinTransformer
    model = SwinTransformer(embed_dims=8, depths=(2, 2, 2, 2),
                            num_heads=(1, 1, 1, 1)).eval()
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 112, 137))
    # stride 4 (padded up): 28 x 35, then halved with padding each stage
    assert [tuple(o.shape) for o in outs] == [(1, 8, 28, 35), (1, 16, 14, 18),
                                              (1, 32, 7, 9), (1, 64, 4, 5)]


# --------------------------------------------------------------------------
# the deprecated mmpose.models.registry


def test_models_registry_module_warns_and_holds_the_same_registries():
    sys.modules.pop('mmpose.models.registry', None)
    with pytest.deprecated_call(match='mmpose.models.builder'):
        registry = importlib.import_module('mmpose.models.registry')
    for name in ('BACKBONES', 'NECKS', 'HEADS', 'LOSSES', 'POSENETS'):
        assert getattr(registry, name) is getattr(builder, name)


def _imported_modules(path: Path):
    """Absolute names of the modules (and module attributes) that the
    file at ``path`` (inside the repository) imports."""
    package = list(path.relative_to(REPO_ROOT).with_suffix('').parts[:-1])
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level \
                else []
            module = '.'.join(base + ([node.module] if node.module else []))
            yield module
            yield from (f'{module}.{alias.name}' for alias in node.names)


def test_nothing_in_the_package_imports_the_deprecated_registry():
    importers = [
        str(path.relative_to(REPO_ROOT))
        for path in sorted((REPO_ROOT / 'mmpose').rglob('*.py'))
        if path.name != 'registry.py' or path.parent.name != 'models'
        if 'mmpose.models.registry' in set(_imported_modules(path))
    ]
    assert importers == []
    # the scan resolves relative imports
    this = set(_imported_modules(REPO_ROOT / 'mmpose' / 'models' /
                                 'registry.py'))
    assert 'mmpose.models.builder.BACKBONES' in this
