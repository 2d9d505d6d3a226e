"""Build one optimizer, or one per sub-module (e.g. GAN training)."""
from typing import Dict, Union

import torch
from mmcv.runner import build_optimizer
from torch import nn

from mmpose.errors import (ArgumentTypeError, UnknownAttributeError,
                           UnknownNameError)


def build_optimizers(
    model: nn.Module, cfgs: dict
) -> Union[torch.optim.Optimizer, Dict[str, torch.optim.Optimizer]]:
    """Build multiple optimizers from configs.

    If ``cfgs`` holds only dicts, each key names a sub-module of the model
    and gets its own optimizer::

        optimizer = dict(
            generator=dict(type='Adam', lr=0.00025),
            discriminator=dict(type='Adam', lr=0.0001))
        # -> {'generator': Adam(model.generator), ...}

    Otherwise ``cfgs`` is one optimizer config (``type``, ``lr``, optional
    ``paramwise_cfg``...) for the whole model.

    Args:
        model (nn.Module): The model (a ``.module`` wrapper is unwrapped).
        cfgs (dict): The config dict of the optimizer(s).

    Returns:
        dict[str, torch.optim.Optimizer] | torch.optim.Optimizer:
            The initialized optimizers.
    """
    if cfgs is None or not hasattr(cfgs, 'items'):
        raise ArgumentTypeError(f'the optimizer config must be a dict, got '
                                f'{type(cfgs).__name__}: {cfgs!r}')
    if hasattr(model, 'module'):
        model = model.module
    if cfgs and all(hasattr(cfg, 'items') for cfg in cfgs.values()):
        optimizers = {}
        for key, cfg in cfgs.items():
            module = getattr(model, key, None)
            if not isinstance(module, nn.Module):
                children = ', '.join(name for name, _ in
                                     model.named_children())
                raise UnknownAttributeError(
                    f'optimizer config has an entry {key!r}, but '
                    f'{type(model).__name__} has no sub-module of that name '
                    f'(sub-modules: {children})')
            optimizers[key] = build_optimizer(module, cfg.copy())
        return optimizers
    if 'type' not in cfgs:
        raise UnknownNameError(f'the optimizer config has no "type" key: '
                               f'{dict(cfgs)!r}')
    return build_optimizer(model, cfgs.copy())
