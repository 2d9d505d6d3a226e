"""Weight regularisation applied through module hooks."""
from typing import List, Sequence, Union

import torch
from torch import nn
from torch.utils.hooks import RemovableHandle

from mmpose.errors import ArgumentError, ArgumentTypeError


class WeightNormClipHook:
    """Apply weight norm clip regularization.

    The module's parameter will be clip to a given maximum norm before each
    forward pass: a parameter ``w`` with ``||w||_2 > max_norm`` is rescaled
    in place to ``w * max_norm / (||w||_2 + 1e-6)``.

    Args:
        max_norm (float): The maximum norm of the parameter.
        module_param_names (str|list): The parameter name (or name list) to
            apply weight norm clip.

    Example:
        >>> conv = nn.Conv1d(4, 8, 3)
        >>> WeightNormClipHook(max_norm=1.0).register(conv)
    """

    def __init__(self,
                 max_norm: float = 1.0,
                 module_param_names: Union[str, Sequence[str]] = 'weight'):
        if max_norm <= 0:
            raise ArgumentError(f'max_norm must be positive, got {max_norm}')
        self.max_norm = float(max_norm)
        self.module_param_names = [module_param_names] if isinstance(
            module_param_names, str) else list(module_param_names)
        self.handles: List[RemovableHandle] = []

    @property
    def hook_type(self) -> str:
        """The kind of module hook: ``'forward_pre'``."""
        return 'forward_pre'

    def register(self, module: nn.Module) -> RemovableHandle:
        """Register :meth:`hook` as a forward pre-hook of ``module``."""
        if not isinstance(module, nn.Module):
            raise ArgumentTypeError(f'WeightNormClipHook.register needs an '
                                    f'nn.Module, got {type(module).__name__}')
        handle = module.register_forward_pre_hook(self.hook)
        self.handles.append(handle)
        return handle

    def remove(self) -> None:
        """Remove the hook from every module it was registered on."""
        for handle in self.handles:
            handle.remove()
        self.handles = []

    def hook(self, module: nn.Module, _input) -> None:
        """Hook function: clip the named parameters of ``module``."""
        for name in self.module_param_names:
            param = getattr(module, name, None)
            if not isinstance(param, torch.Tensor):
                raise AttributeError(
                    f'WeightNormClipHook: {type(module).__name__} has no '
                    f'parameter named {name!r}')
            with torch.no_grad():
                norm = param.norm()
                if norm > self.max_norm:
                    param.mul_(self.max_norm / (norm + 1e-6))
