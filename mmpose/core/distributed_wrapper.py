"""Distributed wrappers that work with NCCL on GPUs and gloo on CPUs."""
from contextlib import nullcontext
from typing import Optional

import torch
from mmcv.parallel import (MODULE_WRAPPERS, MMDistributedDataParallel,
                           scatter_kwargs)
from torch import nn

from mmpose.errors import ArgumentError

#: mmcv's registry of module wrappers, under the name 0.29 exposes it.
MMCV_MODULE_WRAPPERS = MODULE_WRAPPERS


@MODULE_WRAPPERS.register_module()
class MMPoseDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` whose ``train_step``/``val_step`` go
    through PyTorch's own ``DistributedDataParallel.forward``.

    The gradient-sync bookkeeping is therefore whatever the installed
    PyTorch does in ``forward``; mmcv ``DataContainer`` inputs are scattered
    to ``device_ids[0]``, or kept on the CPU when there are no device ids
    (gloo on CPU-only machines).
    """

    _step_name: Optional[str] = None

    def train_step(self, *inputs, **kwargs):
        """``module.train_step`` with DDP's gradient synchronisation."""
        return self._run_step('train_step', inputs, kwargs)

    def val_step(self, *inputs, **kwargs):
        """``module.val_step`` with DDP's buffer synchronisation."""
        return self._run_step('val_step', inputs, kwargs)

    def _run_step(self, name: str, inputs: tuple, kwargs: dict):
        self._step_name = name
        try:
            return self(*inputs, **kwargs)
        finally:
            self._step_name = None

    def _run_ddp_forward(self, *inputs, **kwargs):
        device = self.device_ids[0] if self.device_ids else -1
        inputs, kwargs = scatter_kwargs(inputs, kwargs, [device], dim=self.dim)
        inputs = inputs[0] if inputs else ()
        kwargs = kwargs[0] if kwargs else {}
        method = getattr(self.module, self._step_name) \
            if self._step_name else self.module
        inside = getattr(self, '_inside_ddp_forward', None)
        with inside() if inside is not None else nullcontext():
            return method(*inputs, **kwargs)


@MODULE_WRAPPERS.register_module()
class DistributedDataParallelWrapper(nn.Module):
    """Wrap each sub-module of a model in its own DDP.

    For models that step several optimizers inside ``train_step`` (the
    mesh GAN): one DDP around the whole model would expect a single backward
    pass per iteration. Here the model's own ``train_step`` runs unchanged
    and every child (generator, discriminator...) synchronises its
    gradients separately.

    Args:
        module (nn.Module): Model whose children hold the parameters.
        device_ids (list[int] | None): One CUDA device, or None on CPU.
        dim (int): Scatter dimension.
        broadcast_buffers (bool): As in ``DistributedDataParallel``.
        find_unused_parameters (bool): As in ``DistributedDataParallel``.
        kwargs: Other ``DistributedDataParallel`` arguments.
    """

    def __init__(self,
                 module: nn.Module,
                 device_ids: Optional[list] = None,
                 dim: int = 0,
                 broadcast_buffers: bool = False,
                 find_unused_parameters: bool = False,
                 **kwargs):
        super().__init__()
        if device_ids is not None and len(device_ids) != 1:
            raise ArgumentError(f'DistributedDataParallelWrapper runs one '
                                f'device per process, got device_ids='
                                f'{device_ids}')
        self.module = module
        self.device_ids = device_ids
        self.dim = dim
        for name, child in list(module.named_children()):
            if next(child.parameters(), None) is None:
                continue
            setattr(
                module, name,
                MMPoseDistributedDataParallel(
                    child.cuda() if device_ids else child,
                    device_ids=device_ids,
                    dim=dim,
                    broadcast_buffers=broadcast_buffers,
                    find_unused_parameters=find_unused_parameters,
                    **kwargs))

    def _scatter(self, inputs, kwargs):
        device = self.device_ids[0] if self.device_ids else -1
        inputs, kwargs = scatter_kwargs(inputs, kwargs, [device], dim=self.dim)
        return (inputs[0] if inputs else ()), (kwargs[0] if kwargs else {})

    def forward(self, *inputs, **kwargs):
        """The model's forward on scattered inputs."""
        inputs, kwargs = self._scatter(inputs, kwargs)
        return self.module(*inputs, **kwargs)

    def train_step(self, *inputs, **kwargs):
        """The model's ``train_step`` on scattered inputs."""
        inputs, kwargs = self._scatter(inputs, kwargs)
        return self.module.train_step(*inputs, **kwargs)

    def val_step(self, *inputs, **kwargs):
        """The model's ``val_step`` on scattered inputs."""
        inputs, kwargs = self._scatter(inputs, kwargs)
        return self.module.val_step(*inputs, **kwargs)


def wrap_distributed_model(model: nn.Module,
                           find_unused_parameters: bool = True,
                           adversarial: bool = False) -> nn.Module:
    """Wrap ``model`` for the current process: on its CUDA device with
    NCCL-friendly settings, or on the CPU without device ids (gloo)."""
    if torch.cuda.is_available():
        device_ids = [torch.cuda.current_device()]
        model = model.cuda()
    else:
        device_ids = None
    if adversarial:
        return DistributedDataParallelWrapper(
            model,
            device_ids=device_ids,
            broadcast_buffers=False,
            find_unused_parameters=find_unused_parameters)
    return MMPoseDistributedDataParallel(
        model,
        device_ids=device_ids,
        broadcast_buffers=False,
        find_unused_parameters=find_unused_parameters)
