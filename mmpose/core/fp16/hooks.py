"""Mixed precision training with fp32 master weights (Micikevicius et al.,
"Mixed Precision Training", ICLR 2018, arXiv:1710.03740)."""
import copy
from collections import defaultdict
from itertools import chain
from typing import Callable, Iterable, List, Optional, Union

import torch
from mmcv.runner import OptimizerHook
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.core.utils.dist_utils import allreduce_grads
from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError
from .utils import cast_tensor_type


class LossScaler:
    """Loss scale for fp16 training, fixed or adapted to gradient overflow.

    In ``'dynamic'`` mode the scale is divided by ``scale_factor`` (never
    below 1) whenever a gradient overflows and multiplied by it after
    ``scale_window`` iterations without overflow. In ``'static'`` mode it
    never changes and overflow is not checked.

    Args:
        init_scale (float): Initial loss scale.
        mode (str): ``'static'`` or ``'dynamic'``.
        scale_factor (float): Factor applied on overflow / after a window.
        scale_window (int): Overflow-free iterations before growing.
    """

    def __init__(self,
                 init_scale: float = 2**32,
                 mode: str = 'dynamic',
                 scale_factor: float = 2.,
                 scale_window: int = 1000):
        if mode not in ('static', 'dynamic'):
            raise UnknownNameError(f"loss scaler mode must be 'static' or "
                                   f"'dynamic', got {mode!r}")
        self.cur_scale = float(init_scale)
        self.mode = mode
        self.scale_factor = float(scale_factor)
        self.scale_window = int(scale_window)
        self.cur_iter = 0
        self.last_overflow_iter = -1

    @property
    def loss_scale(self) -> float:
        """The current loss scale."""
        return self.cur_scale

    def has_overflow(self, params: Iterable[torch.Tensor]) -> bool:
        """Whether any gradient holds inf or NaN (dynamic mode only)."""
        if self.mode != 'dynamic':
            return False
        grads = [p.grad for p in params if p.grad is not None]
        if not grads:
            return False
        return not bool(
            torch.stack([torch.isfinite(g).all() for g in grads]).all())

    def update_scale(self, overflow: bool) -> None:
        """Adapt the scale after an iteration (dynamic mode only)."""
        if self.mode != 'dynamic':
            return
        if overflow:
            self.cur_scale = max(self.cur_scale / self.scale_factor, 1.)
            self.last_overflow_iter = self.cur_iter
        elif (self.cur_iter - self.last_overflow_iter) % \
                self.scale_window == 0:
            self.cur_scale *= self.scale_factor
        self.cur_iter += 1

    def state_dict(self) -> dict:
        """Everything needed to continue scaling after a resume."""
        return dict(
            cur_scale=self.cur_scale,
            cur_iter=self.cur_iter,
            mode=self.mode,
            last_overflow_iter=self.last_overflow_iter,
            scale_factor=self.scale_factor,
            scale_window=self.scale_window)

    def load_state_dict(self, state: dict) -> None:
        """Restore a :meth:`state_dict`."""
        for key, value in state.items():
            setattr(self, key, value)


def patch_forward_method(func: Callable,
                         src_type: torch.dtype,
                         dst_type: torch.dtype,
                         convert_output: bool = True) -> Callable:
    """Wrap a forward method to run on ``dst_type`` tensors (0.x helper).

    Args:
        func (callable): The original forward method.
        src_type (torch.dtype): Dtype of the tensors to convert in the
            arguments.
        dst_type (torch.dtype): Dtype they are converted to.
        convert_output (bool): Convert the output's ``dst_type`` tensors
            back to ``src_type``. Default: True.

    Returns:
        callable: The patched forward method.
    """

    def new_forward(*args, **kwargs):
        output = func(*cast_tensor_type(args, src_type, dst_type),
                      **cast_tensor_type(kwargs, src_type, dst_type))
        if convert_output:
            output = cast_tensor_type(output, dst_type, src_type)
        return output

    return new_forward


def patch_norm_fp32(module: nn.Module) -> nn.Module:
    """Keep BatchNorm/GroupNorm layers in fp32 (with fp16 in and out)."""
    if isinstance(module, (_BatchNorm, nn.GroupNorm)):
        module.float()
        if not getattr(module, '_fp32_patched', False):
            module.forward = patch_forward_method(module.forward,
                                                  torch.half, torch.float)
            module._fp32_patched = True
    for child in module.children():
        patch_norm_fp32(child)
    return module


def wrap_fp16_model(model: nn.Module) -> nn.Module:
    """Wrap the FP32 model to FP16.

    1. Convert FP32 model to FP16.
    2. Keep the layers that need full precision (normalization layers, for
       instance) in FP32.
    3. Set ``fp16_enabled = True`` on every submodule that declares the
       attribute, which turns on its :func:`auto_fp16` / :func:`force_fp32`
       methods.

    Args:
        model (nn.Module): Model in FP32.

    Returns:
        nn.Module: The same model, converted in place.
    """
    model.half()
    patch_norm_fp32(model)
    for module in model.modules():
        if hasattr(module, 'fp16_enabled'):
            module.fp16_enabled = True
    return model


def _parameters(net: Union[nn.Module, Iterable[torch.Tensor]]):
    return net.parameters() if isinstance(net, nn.Module) else net


class Fp16OptimizerHook(OptimizerHook):
    """FP16 optimizer hook.

    The steps of fp16 optimizer is as follows. 1. Scale the loss value.
    2. BP in the fp16 model. 3. Copy gradients from fp16 model to fp32
    weights. 4. Update fp32 weights. 5. Copy updated parameters from fp32
    weights to fp16 model.

    Args:
        grad_clip (dict | None): ``clip_grad_norm_`` arguments, applied to
            the unscaled fp32 gradients.
        coalesce (bool): All-reduce gradients in flat buffers.
        bucket_size_mb (int): Bucket size of the all-reduce (-1: one per
            dtype).
        loss_scale (float | str | dict): Scale factor multiplied with loss.
            A number gives a static scale, ``'dynamic'`` a dynamic one
            starting at 2**32, a dict the :class:`LossScaler` arguments
            (e.g. ``dict(init_scale=512., mode='dynamic')``).
        distributed (bool): All-reduce the gradients over processes (for
            models not wrapped in DistributedDataParallel).
    """

    def __init__(self,
                 grad_clip: Optional[dict] = None,
                 coalesce: bool = True,
                 bucket_size_mb: int = -1,
                 loss_scale: Union[float, str, dict] = 512.,
                 distributed: bool = True):
        super().__init__(grad_clip=grad_clip)
        self.coalesce = coalesce
        self.bucket_size_mb = bucket_size_mb
        self.distributed = distributed
        if loss_scale == 'dynamic':
            self.loss_scaler = LossScaler(mode='dynamic')
        elif isinstance(loss_scale, (int, float)) and not isinstance(
                loss_scale, bool):
            self.loss_scaler = LossScaler(
                init_scale=loss_scale, mode='static')
        elif isinstance(loss_scale, dict):
            self.loss_scaler = LossScaler(**loss_scale)
        else:
            raise ArgumentError(f"loss_scale must be a number, 'dynamic' or a "
                                f'dict of LossScaler arguments, got '
                                f'{loss_scale!r}')
        self._fp16_params: List[torch.Tensor] = []
        self._fp32_params: List[torch.Tensor] = []

    def before_run(self, runner) -> None:
        """Preparing steps before Mixed Precision Training.

        1. Make a master copy of fp32 weights for optimization (the
           optimizer state is moved onto the copies).
        2. Convert the main model from fp32 to fp16.
        """
        optimizer = runner.optimizer
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise ArgumentTypeError(
                f'Fp16OptimizerHook needs a single optimizer, got '
                f'{type(optimizer).__name__}; models with a dict of '
                f'optimizers (e.g. GAN training) step in their own '
                f'train_step and cannot use the fp16 config')
        old_groups = optimizer.param_groups
        optimizer.param_groups = copy.deepcopy(old_groups)
        self._fp16_params = list(chain(*(g['params'] for g in old_groups)))
        self._fp32_params = list(
            chain(*(g['params'] for g in optimizer.param_groups)))
        mapping = dict(zip(self._fp16_params, self._fp32_params))
        state = defaultdict(dict)
        for param, value in optimizer.state.items():
            state[mapping.get(param, param)] = value
        optimizer.state = state
        wrap_fp16_model(runner.model)
        if runner.meta is not None and 'fp16' in runner.meta and \
                'loss_scaler' in runner.meta['fp16']:
            self.loss_scaler.load_state_dict(
                runner.meta['fp16']['loss_scaler'])

    @staticmethod
    def copy_grads_to_fp32(fp16_net, fp32_weights) -> None:
        """Copy gradients from fp16 model to fp32 weight copy.

        ``fp16_net`` is a module or its parameters, in the order of
        ``fp32_weights``.
        """
        for fp32_param, fp16_param in zip(fp32_weights,
                                          _parameters(fp16_net)):
            if fp16_param.grad is None:
                fp32_param.grad = None
                continue
            if fp32_param.grad is None:
                fp32_param.grad = torch.empty_like(fp32_param.data)
            fp32_param.grad.copy_(fp16_param.grad)

    @staticmethod
    def copy_params_to_fp16(fp16_net, fp32_weights) -> None:
        """Copy updated params from fp32 weight copy to fp16 model."""
        for fp16_param, fp32_param in zip(
                _parameters(fp16_net), fp32_weights):
            fp16_param.data.copy_(fp32_param.data)

    def after_train_iter(self, runner) -> None:
        """Backward optimization steps for Mixed Precision Training.

        1. Scale the loss by a scale factor.
        2. Backward the loss to obtain the gradients (fp16).
        3. Copy gradients from the model to the fp32 weight copy.
        4. Scale the gradients back and update the fp32 weight copy.
        5. Write the updated fp32 master weights back into the fp16 model.

        An iteration whose gradients overflow (dynamic mode) skips the
        update and halves the scale.
        """
        runner.model.zero_grad()
        runner.optimizer.zero_grad()
        scale = self.loss_scaler.loss_scale
        (runner.outputs['loss'] * scale).backward()
        fp16_params = self._fp16_params or list(runner.model.parameters())
        fp32_params = self._fp32_params or list(
            chain(*(g['params'] for g in runner.optimizer.param_groups)))
        self.copy_grads_to_fp32(fp16_params, fp32_params)
        if self.distributed:
            allreduce_grads(fp32_params, self.coalesce, self.bucket_size_mb)
        overflow = self.loss_scaler.has_overflow(fp32_params)
        if not overflow:
            for param in fp32_params:
                if param.grad is not None:
                    param.grad.div_(scale)
            if self.grad_clip is not None:
                grad_norm = self.clip_grads(fp32_params)
                if grad_norm is not None:
                    runner.log_buffer.update({'grad_norm': float(grad_norm)},
                                             runner.outputs['num_samples'])
            runner.optimizer.step()
            self.copy_params_to_fp16(fp16_params, fp32_params)
        else:
            runner.logger.warning(
                f'Check overflow, downscale loss scale to '
                f'{max(scale / self.loss_scaler.scale_factor, 1.)}')
        self.loss_scaler.update_scale(overflow)
        if runner.meta is not None:
            runner.meta.setdefault('fp16', {})['loss_scaler'] = \
                self.loss_scaler.state_dict()
