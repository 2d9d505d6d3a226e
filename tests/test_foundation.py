"""Package version, registries and the logger."""
import logging

import pytest
from mmcv.utils import logging as mmcv_logging
from torch import nn

import mmpose
from mmpose.datasets import DATASETS, PIPELINES, build_dataset
from mmpose.models import (BACKBONES, HEADS, LOSSES, MESH_MODELS, NECKS,
                           POSENETS, build_backbone, build_loss, build_posenet)
from mmpose.models.builder import build
from mmpose.utils import collect_env, get_root_logger
from mmpose.utils.registry import make_registry


def test_version_is_0x():
    assert mmpose.__version__.startswith('0.')
    assert mmpose.version_info[:2] == (0, 14)


@pytest.mark.parametrize('version', ['1.3.8', '1.7.2', '1.7.99'])
def test_mmcv_version_in_range_is_accepted(version):
    mmpose.check_mmcv_version(version)


@pytest.mark.parametrize('version', ['1.3.7', '1.8.0', '2.0.0rc4'])
def test_mmcv_version_out_of_range_is_refused(version):
    with pytest.raises(ImportError, match=r'1\.3\.8 <= mmcv < 1\.8\.0'):
        mmpose.check_mmcv_version(version)


def test_digit_version():
    assert mmpose.digit_version('1.7.2') == (1, 7, 2)
    assert mmpose.digit_version('2.0.0rc4') == (2, 0, 0)


def test_model_registries_have_their_names():
    # one registry for every model part, named as in 0.29 (mmpose.dialects)
    names = {r.name for r in (BACKBONES, NECKS, HEADS, LOSSES, POSENETS,
                              MESH_MODELS)}
    assert names == {'models'}
    assert DATASETS.name == 'dataset' and PIPELINES.name == 'pipeline'


def test_unknown_type_lists_registered_names():
    registry = make_registry('toy')

    @registry.register_module()
    class Alpha:
        pass

    @registry.register_module()
    class Beta:
        pass

    with pytest.raises(KeyError, match="'Gamma' is not registered in the toy "
                       'registry. Registered types: Alpha, Beta'):
        registry.build(dict(type='Gamma'))
    assert isinstance(registry.build(dict(type='Alpha')), Alpha)


def test_missing_type_key_is_reported():
    with pytest.raises(KeyError, match='no "type" key'):
        build_loss(dict(use_target_weight=True))


def test_non_dict_config_is_reported():
    with pytest.raises(TypeError, match='must be a dict'):
        build_backbone(['ResNet'])


def test_unknown_backbone_names_known_ones():
    with pytest.raises(KeyError, match='Registered types: .*HRNet.*ResNet'):
        build_backbone(dict(type='ResNet5O', depth=50))


def test_build_list_gives_sequential():
    registry = make_registry('layers')

    @registry.register_module()
    class Scale(nn.Module):

        def __init__(self, factor):
            super().__init__()
            self.factor = factor

        def forward(self, x):
            return x * self.factor

    seq = build([dict(type='Scale', factor=2), dict(type='Scale', factor=3)],
                registry)
    assert isinstance(seq, nn.Sequential)
    assert seq(5) == 30


def test_nested_config_builds_inner_modules():
    model = build_posenet(
        dict(
            type='TopDown',
            backbone=dict(type='ResNet', depth=18, out_indices=(3, )),
            keypoint_head=dict(
                type='TopDownSimpleHead',
                in_channels=512,
                out_channels=17,
                num_deconv_layers=1,
                num_deconv_filters=(8, ),
                num_deconv_kernels=(4, ),
                loss_keypoint=dict(type='JointsMSELoss')),
            test_cfg=dict(flip_test=False)))
    assert model.backbone.__class__.__name__ == 'ResNet'
    assert model.keypoint_head.final_layer.out_channels == 17


def test_unknown_dataset_type_is_reported():
    with pytest.raises(KeyError, match='not registered in the dataset'):
        build_dataset(dict(type='NoSuchDataset'))


def test_root_logger_writes_file(tmp_path, monkeypatch):
    # Start from a fresh logger even if another test configured it.
    monkeypatch.setattr(mmcv_logging, 'logger_initialized', {})
    monkeypatch.setattr(logging.getLogger('mmpose'), 'handlers', [])
    log_file = tmp_path / 'run.log'
    logger = get_root_logger(log_file=str(log_file), log_level=logging.INFO)
    assert logger.name == 'mmpose'
    logger.info('hello from the test')
    for handler in logger.handlers:
        handler.flush()
    assert 'hello from the test' in log_file.read_text()
    assert get_root_logger() is logger


def test_collect_env_reports_versions():
    env = collect_env()
    assert env['MMPose'].startswith(mmpose.__version__)
    assert 'PyTorch' in env and 'MMCV' in env
