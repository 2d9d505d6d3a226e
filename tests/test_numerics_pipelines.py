"""Golden cases from MMPose 0.14: TopDownAffine and TopDownGenerateTarget
must reproduce the original's numbers."""
import copy

import numpy as np
import pytest

from mmpose.datasets.pipelines import TopDownAffine, TopDownGenerateTarget
from .reference import packed_numerics


def _load(name):
    return packed_numerics('0.14')[name]


TARGET_CASES = {
    'TopDownGenerateTarget_msra_sigma2': dict(sigma=2),
    'TopDownGenerateTarget_msra_multisigma': dict(sigma=[2, 3]),
    'TopDownGenerateTarget_msra_sigma3_unbiased': dict(
        sigma=3, unbiased_encoding=True),
    'TopDownGenerateTarget_megvii_kernel11': dict(
        kernel=(11, 11), encoding='Megvii'),
    'TopDownGenerateTarget_udp_gaussian': dict(
        sigma=2, encoding='UDP', target_type='GaussianHeatMap'),
    'TopDownGenerateTarget_udp_combined': dict(
        encoding='UDP', target_type='CombinedTarget',
        valid_radius_factor=0.0546875),
}


@pytest.mark.parametrize('name', sorted(TARGET_CASES))
def test_generate_target_matches_golden(name):
    case = _load(name)
    results = copy.deepcopy(case['args'])
    out = TopDownGenerateTarget(**TARGET_CASES[name])(results)
    exp = case['out']
    assert out['target'].shape == exp['target'].shape
    assert out['target'].dtype == np.float32
    # Megvii targets peak at 255: compare relative to that range.
    scale = max(1.0, float(np.abs(exp['target']).max()))
    np.testing.assert_allclose(out['target'] / scale, exp['target'] / scale,
                               rtol=0, atol=1e-5)
    np.testing.assert_allclose(out['target_weight'], exp['target_weight'],
                               rtol=0, atol=1e-6)


@pytest.mark.parametrize('use_udp', [False, True])
def test_affine_matches_golden(use_udp):
    case = _load(f'TopDownAffine_udp{int(use_udp)}')
    results = copy.deepcopy(case['args'])
    out = TopDownAffine(use_udp=use_udp)(results)
    exp = case['out']
    assert out['img'].shape == exp['img'].shape
    diff = np.abs(out['img'].astype(int) - exp['img'].astype(int))
    assert diff.max() <= 1
    np.testing.assert_allclose(out['joints_3d'], exp['joints_3d'], rtol=0,
                               atol=1e-5)
