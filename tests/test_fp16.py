"""Mixed precision: casting helpers, decorators, model wrapping and the
fp16 optimizer hook with static and dynamic loss scales."""
import logging
from collections import namedtuple
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmcv.runner import LogBuffer
from torch import nn

from mmpose.core.fp16 import (Fp16OptimizerHook, LossScaler, auto_fp16,
                              cast_tensor_type, force_fp32, wrap_fp16_model)


def test_cast_tensor_type_casts_nested_structures():
    Pair = namedtuple('Pair', ['a', 'b'])
    inputs = dict(
        x=torch.ones(2),
        seq=[torch.zeros(1), (torch.ones(3), 'name')],
        pair=Pair(torch.ones(1), 5),
        idx=torch.tensor([1, 2]),
        arr=np.ones(2, dtype=np.float32))
    out = cast_tensor_type(inputs, torch.float, torch.half)
    assert out['x'].dtype == torch.half
    assert out['seq'][0].dtype == torch.half
    assert isinstance(out['seq'][1], tuple)
    assert out['seq'][1][0].dtype == torch.half
    assert out['seq'][1][1] == 'name'
    assert isinstance(out['pair'], Pair) and out['pair'].a.dtype == \
        torch.half and out['pair'].b == 5
    assert out['idx'].dtype == torch.int64
    assert out['arr'].dtype == np.float32
    assert torch.equal(out['x'].float(), torch.ones(2))


def test_cast_tensor_type_only_touches_the_source_type():
    x = torch.ones(2, dtype=torch.float64)
    assert cast_tensor_type(x, torch.float, torch.half) is x
    assert cast_tensor_type(3.5, torch.float, torch.half) == 3.5


class Recorder(nn.Module):

    def __init__(self):
        super().__init__()
        self.fp16_enabled = False

    @auto_fp16(apply_to=('x', ))
    def to_half(self, x, y):
        return x, y

    @auto_fp16(out_fp32=True)
    def to_half_out_float(self, x):
        assert x.dtype == torch.half
        return x * 2

    @force_fp32()
    def to_float(self, x, y=None):
        return x, y

    @force_fp32(apply_to=('y', ), out_fp16=True)
    def to_float_out_half(self, x, y):
        assert y.dtype == torch.float
        return y


def test_decorators_do_nothing_until_fp16_is_enabled():
    m = Recorder()
    x, y = m.to_half(torch.ones(1), torch.ones(1))
    assert x.dtype == torch.float and y.dtype == torch.float
    x, _ = m.to_float(torch.ones(1, dtype=torch.half))
    assert x.dtype == torch.half


def test_auto_fp16_casts_named_arguments():
    m = Recorder()
    m.fp16_enabled = True
    x, y = m.to_half(torch.ones(1), y=torch.ones(1))
    assert x.dtype == torch.half and y.dtype == torch.float
    out = m.to_half_out_float(torch.full((1, ), 1.5))
    assert out.dtype == torch.float and out.item() == 3.0


def test_force_fp32_casts_half_arguments():
    m = Recorder()
    m.fp16_enabled = True
    half = torch.ones(1, dtype=torch.half)
    x, y = m.to_float(half, y=[half])
    assert x.dtype == torch.float and y[0].dtype == torch.float
    out = m.to_float_out_half(half, half)
    assert out.dtype == torch.half


def test_decorator_rejects_unknown_argument_names():
    with pytest.raises(ValueError, match='nope'):

        class Bad(nn.Module):

            @auto_fp16(apply_to=('nope', ))
            def forward(self, x):
                return x


def test_wrap_fp16_model_keeps_norm_layers_in_fp32():
    model = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4))
    model.fp16_enabled = False
    wrap_fp16_model(model)
    assert model[0].weight.dtype == torch.half
    assert model[1].weight.dtype == torch.float
    assert model.fp16_enabled is True
    out = model(torch.rand(1, 3, 2, 2).half())
    assert out.dtype == torch.half


class Dot(nn.Module):
    """loss = w . x, so d loss / d w = x."""

    def __init__(self, w):
        super().__init__()
        self.fp16_enabled = False
        self.linear = nn.Linear(2, 1, bias=False)
        with torch.no_grad():
            self.linear.weight.copy_(torch.tensor([w]))

    @auto_fp16()
    def forward(self, x):
        return self.linear(x).sum()


def make_runner(model, lr=0.1):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    logger = logging.getLogger('test_fp16')
    return SimpleNamespace(
        model=model, optimizer=optimizer, meta={}, logger=logger,
        log_buffer=LogBuffer(), outputs=None)


def run_iter(hook, runner, x):
    runner.outputs = dict(loss=runner.model(x), num_samples=1)
    hook.after_train_iter(runner)


def test_static_loss_scale_scales_grads_and_updates_fp32_copy():
    runner = make_runner(Dot([1., 2.]))
    hook = Fp16OptimizerHook(loss_scale=512., distributed=False)
    hook.before_run(runner)
    assert runner.model.linear.weight.dtype == torch.half
    master = runner.optimizer.param_groups[0]['params'][0]
    assert master.dtype == torch.float
    run_iter(hook, runner, torch.tensor([[1., 3.]]))
    # the fp16 model saw the scaled gradient, the master copy the true one
    assert runner.model.linear.weight.grad.tolist() == [[512., 1536.]]
    assert torch.allclose(master.grad, torch.tensor([[1., 3.]]))
    # SGD on the fp32 copy: w - 0.1 * x
    assert torch.allclose(master, torch.tensor([[0.9, 1.7]]))
    assert torch.allclose(runner.model.linear.weight.float(),
                          torch.tensor([[0.9, 1.7]]), atol=1e-3)
    assert hook.loss_scaler.loss_scale == 512.


def test_dynamic_loss_scale_halves_on_overflow_and_skips_the_step():
    runner = make_runner(Dot([1., 2.]))
    hook = Fp16OptimizerHook(
        loss_scale=dict(init_scale=2.**16, mode='dynamic'),
        distributed=False)
    hook.before_run(runner)
    master = runner.optimizer.param_groups[0]['params'][0]
    # 65536 * 1000 overflows fp16 (max 65504)
    run_iter(hook, runner, torch.tensor([[1000., 1000.]]))
    assert hook.loss_scaler.loss_scale == 2.**15
    assert master.tolist() == [[1., 2.]]
    assert runner.meta['fp16']['loss_scaler']['cur_scale'] == 2.**15
    # a small input goes through at the new scale
    run_iter(hook, runner, torch.tensor([[1., 1.]]))
    assert torch.allclose(master, torch.tensor([[0.9, 1.9]]))


def test_dynamic_string_starts_at_2_to_the_32():
    hook = Fp16OptimizerHook(loss_scale='dynamic')
    assert hook.loss_scaler.mode == 'dynamic'
    assert hook.loss_scaler.loss_scale == 2.**32
    with pytest.raises(ValueError, match='loss_scale'):
        Fp16OptimizerHook(loss_scale='big')


def test_loss_scaler_grows_after_a_clean_window():
    scaler = LossScaler(init_scale=4., mode='dynamic', scale_window=2)
    scaler.update_scale(False)
    assert scaler.loss_scale == 4.
    scaler.update_scale(False)
    assert scaler.loss_scale == 8.
    scaler.update_scale(True)
    assert scaler.loss_scale == 4.
    scaler.update_scale(False)
    assert scaler.loss_scale == 4.
    scaler.update_scale(False)
    assert scaler.loss_scale == 8.
    restored = LossScaler()
    restored.load_state_dict(scaler.state_dict())
    assert restored.loss_scale == 8. and restored.cur_iter == 5


def test_loss_scaler_never_goes_below_one():
    scaler = LossScaler(init_scale=1., mode='dynamic')
    scaler.update_scale(True)
    assert scaler.loss_scale == 1.


def test_grad_clip_applies_to_unscaled_grads():
    runner = make_runner(Dot([0., 0.]), lr=1.)
    hook = Fp16OptimizerHook(
        grad_clip=dict(max_norm=1.), loss_scale=64., distributed=False)
    hook.before_run(runner)
    run_iter(hook, runner, torch.tensor([[3., 4.]]))
    master = runner.optimizer.param_groups[0]['params'][0]
    # gradient (3, 4) has norm 5, clipped to norm 1
    assert torch.allclose(master, torch.tensor([[-0.6, -0.8]]), atol=1e-4)
    assert runner.log_buffer.val_history['grad_norm'][-1] == \
        pytest.approx(5.)


def test_optimizer_state_moves_to_the_fp32_copy():
    model = Dot([1., 2.])
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    model(torch.ones(1, 2)).backward()
    optimizer.step()
    runner = make_runner(model)
    runner.optimizer = optimizer
    Fp16OptimizerHook(loss_scale=8., distributed=False).before_run(runner)
    master = optimizer.param_groups[0]['params'][0]
    assert master in optimizer.state
    assert optimizer.state[master]['step'] == 1


def test_dict_of_optimizers_is_refused():
    runner = make_runner(Dot([1., 2.]))
    runner.optimizer = dict(a=runner.optimizer)
    with pytest.raises(TypeError, match='single optimizer'):
        Fp16OptimizerHook().before_run(runner)
