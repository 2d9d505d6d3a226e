"""MMPose 0.14 and 0.29 configs and code side by side in one process:
registration both ways, renamed types, and the behaviour each dialect
expects (see mmpose.dialects)."""
import copy
import warnings

import numpy as np
import pytest
import torch
from torch import nn

import mmpose.dialects as dialects
from mmpose.core.evaluation import EvalHook
from mmpose.models import build_head, build_posenet
from mmpose.models.heads import (DeepposeRegressionHead,
                                 TemporalRegressionHead,
                                 TopdownHeatmapSimpleHead)

from .reference import (packed_manifests, reference_cfg,
                        state_dict_problems)

# --- registration --------------------------------------------------------


@pytest.fixture
def toy_backbone_name():
    """Name of a throw-away backbone class; unregistered afterwards."""
    from mmpose.models.builder import MODELS
    name = 'DialectToyNet'
    yield name
    MODELS.module_dict.pop(name, None)


def toy_backbone_class():

    class DialectToyNet(nn.Module):
        """Stride-4 conv with 8 output channels."""

        def __init__(self, out_channels=8):
            super().__init__()
            self.conv = nn.Conv2d(3, out_channels, 4, stride=4)

        def forward(self, x):
            return self.conv(x)

        def init_weights(self, pretrained=None):
            pass

    return DialectToyNet


def toy_topdown_cfg(backbone_type, head_type='TopdownHeatmapSimpleHead',
                    **test_cfg):
    """TopDown on the toy backbone: 8 -> 2 keypoint heatmaps at stride 2."""
    return dict(
        type='TopDown',
        backbone=dict(type=backbone_type),
        keypoint_head=dict(
            type=head_type, in_channels=8, out_channels=2,
            num_deconv_layers=1, num_deconv_filters=(4, ),
            num_deconv_kernels=(4, ),
            loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
        train_cfg=dict(),
        test_cfg=dict(flip_test=False, **test_cfg))


def test_0_29_style_registration_is_built_from_a_config(toy_backbone_name):
    from mmpose.models.builder import BACKBONES
    BACKBONES.register_module()(toy_backbone_class())
    model = build_posenet(toy_topdown_cfg(toy_backbone_name))
    assert type(model.backbone).__name__ == toy_backbone_name


def test_0_14_style_registration_is_built_from_a_config(toy_backbone_name):
    from mmpose.models.registry import BACKBONES
    BACKBONES.register_module()(toy_backbone_class())
    # 0.14 code builds through the posenet builder of mmpose.models
    model = build_posenet(toy_topdown_cfg(toy_backbone_name))
    assert type(model.backbone).__name__ == toy_backbone_name


@pytest.fixture
def third_party_head():
    """A head written for 0.29: subclasses TopdownHeatmapBaseHead, sets
    its own attributes after ``super().__init__()`` and decodes with the
    base class."""
    from mmpose.models.builder import HEADS
    from mmpose.models.heads import TopdownHeatmapBaseHead

    @HEADS.register_module()
    class DialectUpsampleHead(TopdownHeatmapBaseHead):

        def __init__(self, in_channels, out_channels, test_cfg=None):
            super().__init__()
            kernel, padding, output_padding = self._get_deconv_cfg(4)
            self.up = nn.ConvTranspose2d(in_channels, out_channels, kernel,
                                         2, padding, output_padding)
            self.test_cfg = test_cfg or {}

        def forward(self, x):
            return self.up(x)

    yield DialectUpsampleHead
    HEADS.module_dict.pop('DialectUpsampleHead')


def test_0_29_style_head_decodes_with_the_base(third_party_head):
    head = build_head(dict(type='DialectUpsampleHead', in_channels=1,
                           out_channels=1))
    assert head.up(torch.zeros(1, 1, 4, 3)).shape == (1, 1, 8, 6)
    heatmaps = np.zeros((1, 1, 8, 6), np.float32)
    heatmaps[0, 0, 4, 3] = 1.  # the centre of a 6 x 8 heatmap
    meta = dict(center=np.array([30., 20.]), scale=np.array([0.3, 0.4]),
                image_file='x.jpg')
    result = head.decode([meta], heatmaps)
    # heatmap (3, 4) of (6, 8) maps to the box centre: 3 / 6 * 60 - 30 + 30
    np.testing.assert_allclose(result['preds'][0, 0], [30., 20., 1.])


def test_model_registries_are_one_namespace():
    from mmpose.models import BACKBONES, HEADS, LOSSES, POSENETS
    from mmpose.models.builder import MODELS
    assert BACKBONES is HEADS is LOSSES is POSENETS is MODELS
    for name in ('ResNet', 'TopDownSimpleHead', 'TopdownHeatmapSimpleHead',
                 'JointsMSELoss', 'TopDown', 'BottomUp',
                 'AssociativeEmbedding', 'GlobalAveragePooling', 'SMPL'):
        assert name in MODELS


# --- renamed types -------------------------------------------------------

def _ae_loss(num_stages, with_ae_loss):
    return dict(type='MultiLossFactory', num_joints=3, num_stages=num_stages,
                ae_loss_type='exp', with_ae_loss=with_ae_loss,
                push_loss_factor=[0.001] * num_stages,
                pull_loss_factor=[0.001] * num_stages,
                with_heatmaps_loss=[True] * num_stages,
                heatmaps_loss_factor=[1.0] * num_stages)


MSE = dict(type='JointsMSELoss', use_target_weight=True)
OLD_HEADS = {
    'TopDownSimpleHead': dict(in_channels=8, out_channels=3,
                              num_deconv_layers=1,
                              num_deconv_filters=(4, ),
                              num_deconv_kernels=(4, ), loss_keypoint=MSE),
    'TopDownMultiStageHead': dict(in_channels=8, out_channels=3,
                                  num_stages=2, num_deconv_layers=0,
                                  loss_keypoint=MSE),
    'TopDownMSMUHead': dict(out_shape=(8, 6), unit_channels=8,
                            out_channels=3, num_stages=2, num_units=2,
                            loss_keypoint=MSE),
    'BottomUpSimpleHead': dict(in_channels=8, num_joints=3,
                               num_deconv_layers=0,
                               loss_keypoint=_ae_loss(1, [True])),
    'BottomUpHigherResolutionHead': dict(in_channels=8, num_joints=3,
                                         num_deconv_layers=1,
                                         num_deconv_filters=(8, ),
                                         num_deconv_kernels=(4, ),
                                         cat_output=[True],
                                         with_ae_loss=[True, False],
                                         loss_keypoint=_ae_loss(
                                             2, [True, False])),
    'FcHead': dict(in_channels=8, num_joints=3,
                   loss_keypoint=dict(type='L1Loss')),
}


def seeded_state(cfg):
    torch.manual_seed(0)
    return build_head(copy.deepcopy(cfg)).state_dict()


@pytest.fixture
def fresh_warnings(monkeypatch):
    """Forget which old names have warned in this process."""
    monkeypatch.setattr(dialects, '_warned', set())


@pytest.mark.parametrize('old', sorted(OLD_HEADS))
def test_old_and_new_head_names_build_equal_state_dicts(old, fresh_warnings):
    args = OLD_HEADS[old]
    with pytest.warns(DeprecationWarning, match=dialects.RENAMED[old]):
        old_state = seeded_state(dict(type=old, **args))
    new_state = seeded_state(dict(type=dialects.RENAMED[old], **args))
    assert list(old_state) == list(new_state)
    for name, value in old_state.items():
        assert torch.equal(value, new_state[name]), name


def test_old_name_warns_once_per_process(fresh_warnings):
    cfg = dict(type='TopDownSimpleHead', **OLD_HEADS['TopDownSimpleHead'])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        build_head(copy.deepcopy(cfg))
        build_head(copy.deepcopy(cfg))
        build_head(dict(cfg, type='TopdownHeatmapSimpleHead'))
    deprecations = [w for w in caught
                    if issubclass(w.category, DeprecationWarning)
                    and 'TopDownSimpleHead' in str(w.message)]
    assert len(deprecations) == 1
    assert 'TopdownHeatmapSimpleHead' in str(deprecations[0].message)


def built_state(cfg):
    with torch.device('meta'):
        model = build_posenet(cfg)
    return {k: (tuple(v.shape), str(v.dtype))
            for k, v in model.state_dict().items()}


# the smallest 0.29 config of each renamed head type here
V029_CONFIGS = {
    'TopdownHeatmapSimpleHead':
    'body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/alexnet_coco_256x192'
    '.json',
    'TopdownHeatmapMSMUHead':
    'body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/rsn18_coco_256x192.json',
    'TopdownHeatmapMultiStageHead':
    'body/2d_kpt_sview_rgb_img/topdown_heatmap/jhmdb/'
    'cpm_jhmdb_sub1_368x368.json',
    'AESimpleHead':
    'body/2d_kpt_sview_rgb_img/associative_embedding/crowdpose/'
    'mobilenetv2_crowdpose_512x512.json',
    'AEHigherResolutionHead':
    'body/2d_kpt_sview_rgb_img/associative_embedding/aic/'
    'higherhrnet_w32_aic_512x512.json',
    'DeepposeRegressionHead':
    'fashion/2d_kpt_sview_rgb_img/deeppose/deepfashion/'
    'res50_deepfashion_lower_256x192.json',
    'TemporalRegressionHead':
    'body/3d_kpt_sview_rgb_img/pose_lift/h36m/simplebaseline3d_h36m.json',
}
OLD_NAMES = {new: old for old, new in dialects.RENAMED.items()}


@pytest.mark.parametrize('head_type', sorted(V029_CONFIGS))
def test_0_29_config_matches_its_reference_state_dict(head_type,
                                                      fresh_warnings):
    manifest = V029_CONFIGS[head_type]
    cfg = reference_cfg(manifest, '0.29')['model']
    assert cfg['keypoint_head']['type'] == head_type
    cfg['pretrained'] = None
    expected = {k: (tuple(shape), dtype) for k, (shape, dtype) in
                packed_manifests('0.29')[manifest]['state_dict'].items()}
    with warnings.catch_warnings():
        warnings.simplefilter('error', DeprecationWarning)  # new names
        built = built_state(copy.deepcopy(cfg))
    assert not state_dict_problems(expected, built)
    if head_type in OLD_NAMES:  # the 0.14 names give the same parameters
        cfg['keypoint_head']['type'] = OLD_NAMES[head_type]
        cfg['type'] = OLD_NAMES.get(cfg['type'], cfg['type'])
        with pytest.warns(DeprecationWarning):
            assert built_state(cfg) == built


def test_0_14_and_0_29_models_in_one_process(fresh_warnings):
    cfg_014 = reference_cfg('top_down/resnet/coco/res50_coco_256x192.json')
    cfg_029 = reference_cfg(
        'body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/res50_coco_256x192'
        '.json', '0.29')
    models = {}
    for version, cfg in (('0.14', cfg_014), ('0.29', cfg_029)):
        model_cfg = dict(cfg['model'], pretrained=None)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            with torch.device('meta'):
                models[version] = build_posenet(model_cfg)
    assert type(models['0.14'].keypoint_head).__name__ == 'TopDownSimpleHead'
    assert type(models['0.29'].keypoint_head).__name__ == \
        'TopdownHeatmapSimpleHead'
    assert models['0.14'].state_dict().keys() == \
        models['0.29'].state_dict().keys()


# --- behaviour by dialect ------------------------------------------------


@pytest.fixture
def toy_registered(toy_backbone_name):
    from mmpose.models.builder import BACKBONES
    BACKBONES.register_module()(toy_backbone_class())
    return toy_backbone_name


@pytest.mark.parametrize('head_type,loss_key', [
    ('TopDownSimpleHead', 'mse_loss'),
    ('TopdownHeatmapSimpleHead', 'heatmap_loss'),
])
def test_loss_key_follows_the_config_dialect(head_type, loss_key,
                                             toy_registered, fresh_warnings):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        model = build_posenet(toy_topdown_cfg(toy_registered, head_type))
    img = torch.zeros(2, 3, 16, 16)
    # toy backbone: 16 -> 4, one deconv: 4 -> 8
    target = torch.zeros(2, 2, 8, 8)
    target[:, :, 3, 4] = 1.
    losses = model(img, target=target, target_weight=torch.ones(2, 2, 1),
                   img_metas=[{}, {}], return_loss=True)
    assert set(losses) == {loss_key, 'acc_pose'}
    assert losses[loss_key].item() > 0


HEATMAP_OUTPUTS = {  # old head name -> (outputs, target shape)
    'TopDownSimpleHead': (1, (1, 3, 8, 8)),
    'TopDownMultiStageHead': (2, (1, 3, 8, 8)),
    'TopDownMSMUHead': (4, (1, 4, 3, 8, 6)),  # a target per output
}


@pytest.mark.parametrize('old', sorted(HEATMAP_OUTPUTS))
def test_heatmap_head_loss_key_by_dialect(old, fresh_warnings):
    num_outputs, target_shape = HEATMAP_OUTPUTS[old]
    target = torch.zeros(target_shape)
    weight = torch.ones(target_shape[:-2] + (1, ))
    output = [torch.full((1, ) + target_shape[-3:], 0.5)] * num_outputs
    keys = {}
    for name in (old, dialects.RENAMED[old]):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            head = build_head(dict(
                OLD_HEADS[old], type=name,
                loss_keypoint=dict(type='JointsMSELoss')))
        losses = head.get_loss(output if num_outputs > 1 else output[0],
                               target, weight)
        # JointsMSELoss: mean((0.5 - 0)^2) = 0.25 per output, summed
        assert list(losses.values()) == [pytest.approx(0.25 * num_outputs)]
        keys[name] = next(iter(losses))
    assert keys == {old: 'mse_loss', dialects.RENAMED[old]: 'heatmap_loss'}


@pytest.mark.parametrize('head_type,default', [
    ('TopDownSimpleHead', 'GaussianHeatMap'),
    ('TopdownHeatmapSimpleHead', 'GaussianHeatmap'),
])
def test_default_target_type_follows_the_dialect(head_type, default,
                                                 fresh_warnings):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        head = build_head(dict(type=head_type,
                               **OLD_HEADS['TopDownSimpleHead']))
    assert head.target_type == default


@pytest.mark.parametrize('target_type',
                         ['GaussianHeatMap', 'GaussianHeatmap'])
def test_both_target_type_spellings_give_accuracy(target_type):
    head = TopdownHeatmapSimpleHead(
        8, 2, num_deconv_layers=0, loss_keypoint=MSE,
        test_cfg=dict(target_type=target_type))
    heatmaps = torch.zeros(1, 2, 8, 8)
    heatmaps[0, :, 2, 5] = 1.
    accuracy = head.get_accuracy(heatmaps, heatmaps, torch.ones(1, 2, 1))
    assert accuracy == {'acc_pose': 1.0}  # prediction equals target


@pytest.mark.parametrize('save_best,key_indicator,expected', [
    (True, 'AP', (True, 'AP')),       # 0.14
    (False, 'AP', (False, 'AP')),     # 0.14
    ('PCK', 'AP', (True, 'PCK')),     # 0.29: the metric in save_best
    (None, 'AP', (False, 'AP')),      # 0.29: no best checkpoint
])
def test_eval_hook_args(save_best, key_indicator, expected):
    assert dialects.eval_hook_args(save_best, key_indicator) == expected


def test_eval_hook_takes_the_0_29_save_best():
    loader = torch.utils.data.DataLoader([0])
    hook = EvalHook(loader, save_best='NME', metric='NME')
    assert hook.save_best is True and hook.key_indicator == 'NME'
    assert hook.rule == 'less'


# --- 0.29 argument additions ---------------------------------------------


def test_deeppose_sigma_output_scores_keypoints():
    head = DeepposeRegressionHead(
        8, 2, loss_keypoint=dict(type='RLELoss'), out_sigma=True)
    # all outputs from the bias: x = y = 0.5 (the box centre), sigma 0
    nn.init.zeros_(head.fc.weight)
    head.fc.bias.data = torch.tensor([0.5, 0.5, 0., 0.] * 2)
    output = head.inference_model(torch.ones(1, 8))
    np.testing.assert_allclose(output[0, :, 2:], 0.5)  # sigmoid(0)
    meta = dict(center=np.array([50., 40.]), scale=np.array([1., 1.]),
                image_file='a.jpg')
    result = head.decode([meta], output, img_size=(192, 256))
    # the centre of the input is the centre of the box; score 1 - 0.5
    np.testing.assert_allclose(result['preds'][0, :, :2],
                               [[50., 40.], [50., 40.]], atol=1e-4)
    np.testing.assert_allclose(result['preds'][0, :, 2], 0.5)


def test_deeppose_without_sigma_is_the_fc_head():
    head = DeepposeRegressionHead(8, 2, loss_keypoint=dict(type='L1Loss'))
    assert head.fc.out_features == 4
    assert head(torch.ones(3, 8)).shape == (3, 2, 2)
    assert head([torch.ones(3, 8)]).shape == (3, 2, 2)


def test_trajectory_loss_weights_by_inverse_depth():
    head = TemporalRegressionHead(
        4, 1, is_trajectory=True,
        loss_keypoint=dict(type='MPJPELoss', use_target_weight=True))
    output = torch.zeros(1, 1, 3)
    target = torch.tensor([[3., 4., 2.]])  # [N, 3]; depth 2 -> weight 0.5
    losses = head.get_loss(output, target, None)
    # |(1.5, 2, 1)| = sqrt(7.25)
    assert set(losses) == {'traj_loss'}
    assert losses['traj_loss'].item() == pytest.approx(7.25 ** 0.5)


def test_pose_loss_without_weights_uses_ones():
    head = TemporalRegressionHead(
        4, 1, loss_keypoint=dict(type='MPJPELoss', use_target_weight=True))
    losses = head.get_loss(torch.zeros(1, 1, 3),
                           torch.tensor([[[3., 4., 0.]]]), None)
    assert losses == {'reg_loss': pytest.approx(5.)}


def test_trajectory_head_needs_one_joint():
    from mmpose.errors import ArgumentError
    with pytest.raises(ArgumentError, match='num_joints must be 1'):
        TemporalRegressionHead(4, 17, is_trajectory=True)
