"""0.29 losses against the golden cases of the original MMPose 0.29, plus
hand-derived values for the pieces the golden cases do not isolate."""
import ast
import math

import numpy as np
import pytest
import torch

from mmpose.models import build_loss
from mmpose.models.losses import BoneLoss, SemiSupervisionLoss

from .reference import packed_numerics

GOLDEN = {k: v for k, v in packed_numerics('0.29').items()
          if k.startswith('loss_')}
LOSS_CONFIGS = {
    'loss_RLELoss': dict(type='RLELoss', use_target_weight=True,
                         size_average=True, residual=True),
}


def test_every_golden_loss_case_is_checked():
    assert len(GOLDEN) == 9, sorted(GOLDEN)


def _loss_config(name, case):
    if name in LOSS_CONFIGS:
        return dict(LOSS_CONFIGS[name])
    call = case['call']
    start = call.index('(') + 1
    return ast.literal_eval(call[start:call.index(')(', start)])


@pytest.mark.parametrize('name', sorted(GOLDEN))
def test_loss_matches_0_29(name):
    case = GOLDEN[name]
    loss = build_loss(_loss_config(name, case))
    args = dict(case['args'])
    state = args.pop('state_dict', None)
    if state is not None:
        loss.load_state_dict({k: torch.as_tensor(v) for k, v in state.items()},
                             strict=True)
    value = loss(**{k: torch.as_tensor(v) for k, v in args.items()})
    np.testing.assert_allclose(float(value), case['out'], rtol=1e-5,
                               atol=1e-5)


def test_rle_state_dict_names_match_reference_configs():
    state = build_loss(LOSS_CONFIGS['loss_RLELoss']).state_dict()
    expected = GOLDEN['loss_RLELoss']['args']['state_dict']
    assert {k: tuple(v.shape) for k, v in state.items()} == {
        k: tuple(np.shape(v)) for k, v in expected.items()}


def test_rle_with_identity_flow_is_gaussian_plus_laplace_nll():
    # Zero weights make every coupling layer the identity, so the flow is a
    # standard 2-D Gaussian: -log phi(e) = log(2 pi) + |e|^2 / 2 for the
    # keypoint, charged to each of its two coordinates (as 0.29 broadcasts
    # it), plus per coordinate log(sigma) and the Laplace residual
    # log(2 sigma) + |e_i|.
    loss = build_loss(dict(type='RLELoss'))
    for p in loss.flow_model.parameters():
        torch.nn.init.zeros_(p)
    sigma_logit = math.log(0.25 / 0.75)  # sigmoid -> 0.25
    output = torch.tensor([[[1.0, 2.0, sigma_logit, sigma_logit]]])
    target = torch.tensor([[[1.5, 2.0]]])
    errors = [0.5 / 0.25, 0.0]
    flow_nll = math.log(2 * math.pi) + 0.5 * sum(e**2 for e in errors)
    expected = sum(
        math.log(0.25) + flow_nll + math.log(2 * 0.25) + abs(e)
        for e in errors)
    assert float(loss(output, target)) == pytest.approx(expected, rel=1e-5)


def test_soft_wing_loss_pieces():
    loss = build_loss(dict(type='SoftWingLoss'))
    # |d| = 1 < omega1 = 2: linear; |d| = 4: 20 ln(1 + 4 / 0.5) + B
    b = 2 - 20 * math.log(1 + 2 / 0.5)
    out = torch.tensor([[[1.0, 4.0]]])
    expected = 1 + 20 * math.log(1 + 4 / 0.5) + b
    assert float(loss(out, torch.zeros(1, 1, 2))) == pytest.approx(expected)


def test_adaptive_wing_loss_small_error_branch():
    loss = build_loss(dict(type='AdaptiveWingLoss'))
    # target 0, prediction 0.2 (< theta): 14 ln(1 + 0.2 ** 2.1), averaged
    pred = torch.full((1, 1, 2, 2), 0.2)
    expected = 14 * math.log(1 + 0.2**2.1)
    assert float(loss(pred, torch.zeros_like(pred))) == pytest.approx(
        expected, rel=1e-6)


def test_focal_heatmap_loss_by_hand():
    loss = build_loss(dict(type='FocalHeatmapLoss'))
    gt = torch.tensor([[[[1.0, 0.5]]]])
    pred = torch.tensor([[[[0.8, 0.4]]]])
    pos = math.log(0.8) * 0.2**2
    neg = math.log(0.6) * 0.4**2 * 0.5**4
    assert float(loss(pred, gt)) == pytest.approx(-(pos + neg), rel=1e-6)
    # no positives: the negative part alone, not divided
    assert float(loss(pred[..., 1:], gt[..., 1:])) == pytest.approx(
        -neg, rel=1e-6)


def test_soft_weight_smooth_l1_counts_only_weighted_elements():
    loss = build_loss(dict(type='SoftWeightSmoothL1Loss',
                           use_target_weight=True, supervise_empty=False))
    out = torch.tensor([[[0.5, 3.0]]])
    weight = torch.tensor([[[1.0, 0.0]]])
    # 0.5 * 0.5^2 on the one weighted element, divided by 1 element
    assert float(loss(out, torch.zeros_like(out), weight)) == pytest.approx(
        0.125)


def test_bone_loss_by_hand():
    loss = BoneLoss(joint_parents=[0, 0, 1])
    pose = torch.tensor([[[0., 0.], [3., 4.], [3., 5.]]])   # bones 5, 1
    other = torch.tensor([[[0., 0.], [0., 2.], [0., 5.]]])  # bones 2, 3
    assert float(loss(pose, other)) == pytest.approx((3 + 2) / 2)


def test_semi_supervision_loss_projects_and_warms_up():
    loss = SemiSupervisionLoss(joint_parents=[0, 0], warmup_iterations=1)
    pose = torch.tensor([[[0., 0., 0.], [0.5, 0.25, 0.]]])
    traj = torch.tensor([[[0., 0., 2.]]])
    output = dict(labeled_pose=pose, unlabeled_pose=pose, unlabeled_traj=traj)
    # f = (100, 100), c = (10, 20): (x/z, y/z) = (0, 0) and (0.25, 0.125)
    target = dict(intrinsics=torch.tensor([[100., 100., 10., 20.]]),
                  unlabeled_target_2d=torch.tensor([[[10., 20.], [35., 32.5]]]))
    assert loss(output, target) == {}
    losses = loss(output, target)
    assert float(losses['proj_loss']) == pytest.approx(0.0, abs=1e-6)
    assert float(losses['bone_loss']) == pytest.approx(0.0)


def test_rle_rejects_unknown_residual_density():
    with pytest.raises(KeyError, match='q_dis'):
        build_loss(dict(type='RLELoss', q_dis='cauchy'))
