"""build_optimizers: one optimizer for a model, or one per sub-module."""
import pytest
import torch
from mmcv.parallel import MMDataParallel
from torch import nn

from mmpose.core.optimizer import build_optimizers


class GAN(nn.Module):

    def __init__(self):
        super().__init__()
        self.generator = nn.Linear(2, 3)
        self.discriminator = nn.Linear(3, 1)


def param_ids(optimizer):
    return {id(p) for g in optimizer.param_groups for p in g['params']}


def test_single_config_builds_one_optimizer():
    model = GAN()
    optimizer = build_optimizers(
        model, dict(type='SGD', lr=0.02, momentum=0.9))
    assert isinstance(optimizer, torch.optim.SGD)
    assert optimizer.defaults['lr'] == 0.02
    assert optimizer.defaults['momentum'] == 0.9
    assert param_ids(optimizer) == {id(p) for p in model.parameters()}


def test_dict_of_configs_builds_one_optimizer_per_submodule():
    model = GAN()
    optimizers = build_optimizers(
        model,
        dict(
            generator=dict(type='Adam', lr=0.00025),
            discriminator=dict(type='Adam', lr=0.0001)))
    assert set(optimizers) == {'generator', 'discriminator'}
    assert optimizers['generator'].defaults['lr'] == 0.00025
    assert optimizers['discriminator'].defaults['lr'] == 0.0001
    assert param_ids(optimizers['generator']) == {
        id(p) for p in model.generator.parameters()}
    assert param_ids(optimizers['discriminator']) == {
        id(p) for p in model.discriminator.parameters()}


def test_wrapped_model_is_unwrapped():
    model = GAN()
    optimizers = build_optimizers(
        MMDataParallel(model), dict(generator=dict(type='SGD', lr=0.1)))
    assert param_ids(optimizers['generator']) == {
        id(p) for p in model.generator.parameters()}


def test_paramwise_cfg_stays_a_single_optimizer():
    model = GAN()
    optimizer = build_optimizers(
        model,
        dict(type='SGD', lr=0.1, weight_decay=0.1,
             paramwise_cfg=dict(bias_decay_mult=0.)))
    assert isinstance(optimizer, torch.optim.SGD)
    decays = {g['weight_decay'] for g in optimizer.param_groups}
    assert decays == {0.1, 0.}


def test_unknown_submodule_is_named():
    # 0.14 looked the sub-module up with getattr: AttributeError
    with pytest.raises(AttributeError, match=r"'critic'.*generator"):
        build_optimizers(GAN(), dict(critic=dict(type='SGD', lr=0.1)))


def test_bad_configs():
    with pytest.raises(TypeError, match='must be a dict'):
        build_optimizers(GAN(), None)
    with pytest.raises(KeyError, match='type'):
        build_optimizers(GAN(), dict(lr=0.1))
