"""Registrations made outside mmpose win over the package's built-in names.

Third-party repositories written for MMPose 0.x register their own classes
under names this package already has (Lite-HRNet's ``LiteHRNet``,
TCFormer's ``MTA``). Plain mmcv answered ``KeyError: 'LiteHRNet is already
registered in models'``; here the user's class takes the name (with a
``UserWarning`` naming both classes), in every registry the package
creates or registers into. Two registrations from outside the package
still raise as in mmcv. The external modules are ``tests/ext_user_*.py``.
"""
import importlib
import sys
import warnings

import pytest
import torch
from mmcv import Config
from mmcv.runner import HOOKS, OPTIMIZER_BUILDERS, RUNNERS, Hook
from torch import nn

from mmpose.apis import init_pose_model
from mmpose.apis.webcam.nodes import NODES
from mmpose.core.camera import CAMERAS
from mmpose.core.optimizer import build_optimizers
from mmpose.core.post_processing.temporal_filters import FILTERS
from mmpose.datasets.builder import DATASETS, PIPELINES
from mmpose.models import build_backbone, build_neck, build_posenet
from mmpose.models.backbones.litehrnet import LiteHRNet as BuiltinLiteHRNet
from mmpose.models.builder import MODELS
from mmpose.models.necks.tcformer_mta_neck import MTA as BuiltinMTA
from mmpose.utils.registry import (UserFirstRegistry, is_builtin,
                                   mmcv_registries)

PACKAGE_REGISTRIES = (MODELS, DATASETS, PIPELINES, FILTERS, NODES, CAMERAS)
EXTERNAL = ('tests.ext_user_litehrnet', 'tests.ext_user_mta')


@pytest.fixture
def registries():
    """Every registry the package owns or registers into, restored (same
    dict objects, same contents) after the test."""
    saved = [(registry, dict(registry.module_dict))
             for registry in PACKAGE_REGISTRIES + tuple(mmcv_registries())]
    yield
    for registry, members in saved:
        registry.module_dict.clear()
        registry.module_dict.update(members)


@pytest.fixture
def import_user_module(registries):
    """Import one of the external modules afresh (its registrations run
    again); forgotten afterwards."""

    def load(name):
        sys.modules.pop(name, None)
        return importlib.import_module(name)

    yield load
    for name in EXTERNAL:
        sys.modules.pop(name, None)


def user_topdown_cfg() -> dict:
    """A TopDown model on the user's LiteHRNet and MTA: 64x48 crops, 1/4
    resolution features, 3 heatmaps of 16x12."""
    return dict(
        type='TopDown',
        backbone=dict(type='LiteHRNet', width=8),
        neck=dict(type='MTA', in_channels=8, out_channels=16),
        keypoint_head=dict(
            type='TopdownHeatmapSimpleHead',
            in_channels=16,
            out_channels=3,
            num_deconv_layers=0,
            extra=dict(final_conv_kernel=1),
            loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
        train_cfg=dict(),
        test_cfg=dict(flip_test=False))


# ---------------------------------------------------------------- the rule
def test_every_registry_is_user_first():
    for registry in PACKAGE_REGISTRIES + tuple(mmcv_registries()):
        assert isinstance(registry, UserFirstRegistry), registry.name


def test_builtin_means_defined_inside_the_package():
    assert is_builtin(BuiltinLiteHRNet) and is_builtin(BuiltinMTA)
    assert not is_builtin(nn.Conv2d)
    assert not is_builtin(test_builtin_means_defined_inside_the_package)


def test_litehrnet_of_a_user_module_takes_the_name(import_user_module):
    with pytest.warns(UserWarning, match='registry') as record:
        user = import_user_module('tests.ext_user_litehrnet')
    message, = [str(w.message) for w in record
                if 'registry now builds' in str(w.message)]
    assert 'tests.ext_user_litehrnet.LiteHRNet' in message
    assert 'mmpose.models.backbones.litehrnet.LiteHRNet' in message
    assert MODELS.get('LiteHRNet') is user.LiteHRNet
    backbone = build_backbone(dict(type='LiteHRNet', width=4))
    assert type(backbone) is user.LiteHRNet
    assert backbone(torch.zeros(1, 3, 8, 8))[0].shape == (1, 4, 2, 2)


def test_mta_of_a_user_module_takes_the_name(import_user_module):
    with pytest.warns(UserWarning, match='tests.ext_user_mta.MTA.*'
                      'mmpose.models.necks.tcformer_mta_neck.MTA'):
        user = import_user_module('tests.ext_user_mta')
    neck = build_neck(dict(type='MTA', in_channels=2, out_channels=5))
    assert type(neck) is user.MTA


def test_user_model_trains_one_iteration(import_user_module):
    with pytest.warns(UserWarning):
        lite = import_user_module('tests.ext_user_litehrnet')
        mta = import_user_module('tests.ext_user_mta')
    torch.manual_seed(0)
    model = build_posenet(user_topdown_cfg())
    assert type(model.backbone) is lite.LiteHRNet
    assert type(model.neck) is mta.MTA
    optimizer = build_optimizers(model, dict(type='SGD', lr=0.5))
    before = model.backbone.layers[0].weight.detach().clone()
    img = torch.rand(2, 3, 64, 48)
    target = torch.zeros(2, 3, 16, 12)
    target[:, :, 8, 6] = 1.0
    losses = model(img, target, torch.ones(2, 3, 1), return_loss=True)
    loss, _ = model._parse_losses(losses)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    assert torch.isfinite(loss)
    assert not torch.equal(model.backbone.layers[0].weight, before)

    # The package's own later builds (init_pose_model from a config) use
    # the user's classes too.
    cfg = Config(dict(model=user_topdown_cfg(),
                      data_cfg=dict(image_size=[48, 64], num_joints=3)))
    built = init_pose_model(cfg, device='cpu')
    assert type(built.backbone) is lite.LiteHRNet
    assert type(built.neck) is mta.MTA


def test_two_registrations_from_outside_still_raise(import_user_module):
    with pytest.warns(UserWarning):
        import_user_module('tests.ext_user_litehrnet')

    class LiteHRNet(nn.Module):
        pass

    with pytest.raises(KeyError,
                       match='LiteHRNet is already registered in models'):
        MODELS.register_module(module=LiteHRNet)


def test_force_replaces_as_in_mmcv(import_user_module):
    with pytest.warns(UserWarning):
        import_user_module('tests.ext_user_litehrnet')

    class LiteHRNet(nn.Module):
        pass

    with warnings.catch_warnings():
        warnings.simplefilter('error')
        MODELS.register_module(module=LiteHRNet, force=True)
    assert MODELS.get('LiteHRNet') is LiteHRNet


def _builtin_class(name: str):
    """A class that looks defined inside the package (registered after a
    user's, as a package module imported late would be)."""
    return type(name, (), {'__module__': 'mmpose.late_module'})


@pytest.mark.parametrize('force', [False, True])
def test_a_builtin_registered_later_yields_to_the_user(registries, force):

    class UserLateName:
        pass

    FILTERS.register_module(module=UserLateName)
    with pytest.warns(UserWarning, match='UserLateName.*mmpose.late_module'):
        FILTERS.register_module(module=_builtin_class('UserLateName'),
                                force=force)
    assert FILTERS.get('UserLateName') is UserLateName


def test_two_builtins_of_one_name_still_raise(registries):
    DATASETS.register_module(module=_builtin_class('TwiceBuiltIn'))
    with pytest.raises(KeyError, match='TwiceBuiltIn is already registered '
                       'in dataset'):
        DATASETS.register_module(module=_builtin_class('TwiceBuiltIn'))


def test_a_failed_registration_takes_no_name(registries):

    class FreshPipelineName:
        pass

    class UserHeld:
        pass

    PIPELINES.register_module(module=UserHeld, name='UserHeldName')
    with pytest.raises(KeyError):
        PIPELINES.register_module(module=FreshPipelineName,
                                  name=['FreshName', 'UserHeldName'])
    assert PIPELINES.get('FreshName') is None


# ------------------------------------------- mmcv's registries, adopted
def test_user_hook_takes_a_builtin_hook_name(registries):

    class ModelSetEpochHook(Hook):
        pass

    with pytest.warns(UserWarning, match='mmpose.core.utils.model_util_hooks'
                      '.ModelSetEpochHook'):
        HOOKS.register_module(module=ModelSetEpochHook)
    assert HOOKS.get('ModelSetEpochHook') is ModelSetEpochHook


def test_user_optimizer_constructor_and_runner_take_builtin_names(
        registries):
    for registry, name in ((OPTIMIZER_BUILDERS,
                            'LayerDecayOptimizerConstructor'),
                           (RUNNERS, 'AtomicEpochBasedRunner')):
        user = type(name, (), {})
        with pytest.warns(UserWarning, match=name):
            registry.register_module(module=user)
        assert registry.get(name) is user


def test_mmcv_members_keep_mmcv_rules(registries):
    # torch's SGD is not an mmpose class: mmcv's KeyError as before
    from mmcv.runner import OPTIMIZERS

    class SGD(torch.optim.SGD):
        pass

    with pytest.raises(KeyError, match='SGD is already registered'):
        OPTIMIZERS.register_module(module=SGD)


def test_user_node_takes_a_builtin_node_name(registries):
    user = type('RecorderNode', (), {})
    with pytest.warns(UserWarning, match='RecorderNode'):
        NODES.register_module(module=user)
    assert NODES.get('RecorderNode') is user
