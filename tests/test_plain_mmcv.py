"""The package imports with plain mmcv (no compiled ops)."""
import subprocess
import sys
import textwrap

import pytest

from mmpose.utils.mmcv_ops import import_mmcv_ops

# Makes ``import mmcv.ops`` fail as it does with plain ``mmcv``.
BLOCK_OPS = textwrap.dedent('''
    import sys
    sys.modules['mmcv.ops'] = None
''')


def run_without_ops(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, '-c', BLOCK_OPS + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300)


@pytest.mark.slow
def test_package_imports_without_mmcv_ops():
    result = run_without_ops('''
        import mmpose, mmpose.apis, mmpose.core, mmpose.datasets
        import mmpose.models
        from mmpose.models import build_posenet
        model = build_posenet(dict(
            type='TopDown',
            backbone=dict(type='ResNet', depth=18),
            keypoint_head=dict(type='TopDownSimpleHead', in_channels=512,
                               out_channels=17,
                               loss_keypoint=dict(type='JointsMSELoss')),
            test_cfg=dict(flip_test=False)))
        print('built', type(model).__name__)
    ''')
    assert result.returncode == 0, result.stderr
    assert 'built TopDown' in result.stdout


def test_feature_needing_ops_names_mmcv_full(monkeypatch):
    # ``import mmcv.ops`` fails as it does with plain ``mmcv``
    monkeypatch.setitem(sys.modules, 'mmcv.ops', None)
    with pytest.raises(ImportError) as info:
        import_mmcv_ops('detection with mmdet')
    message = str(info.value)
    assert ('detection with mmdet needs the compiled operators of mmcv-full'
            in message)
    assert 'mmcv-full==1.7.2' in message


def test_ops_are_returned_when_installed():
    pytest.importorskip('mmcv.ops')
    assert hasattr(import_mmcv_ops('a test'), 'nms')


@pytest.mark.parametrize('cfg, feature', [
    (dict(type='DEKRHead', in_channels=32, num_joints=17,
          num_heatmap_filters=32, num_offset_filters_per_joint=15,
          heatmap_loss=dict(type='JointsMSELoss', use_target_weight=True),
          offset_loss=dict(type='SoftWeightSmoothL1Loss',
                           use_target_weight=True)), 'DEKRHead'),
    (dict(type='PoseWarperNeck', in_channels=48, out_channels=17,
          inner_channels=128), 'PoseWarperNeck'),
])
def test_deformable_conv_models_name_mmcv_full_without_ops(
        monkeypatch, cfg, feature):
    from mmpose.models import MODELS
    monkeypatch.setitem(sys.modules, 'mmcv.ops', None)
    with pytest.raises(ImportError, match=f'{feature}.*mmcv-full'):
        MODELS.build(cfg)
