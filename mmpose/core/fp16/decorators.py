"""Decorators that cast a method's tensor arguments for mixed precision.

Both act only when the decorated method's module has ``fp16_enabled`` set
to True (done by :func:`wrap_fp16_model`); otherwise the call is untouched.
"""
import functools
import inspect
from typing import Callable, Iterable, Optional

import torch
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError
from .utils import cast_tensor_type


def _cast_arguments(func: Callable, apply_to: Optional[Iterable[str]],
                    src_type: torch.dtype, dst_type: torch.dtype,
                    out_type: Optional[torch.dtype], decorator: str):
    """Wrap ``func`` (a method) to cast the named arguments' tensors."""
    signature = inspect.signature(func)
    arg_names = list(signature.parameters)
    if not arg_names:
        raise ArgumentTypeError(
            f'@{decorator} decorates methods; {func.__name__} '
            f'takes no arguments')
    apply_to = None if apply_to is None else tuple(apply_to)
    if apply_to is not None:
        unknown = [name for name in apply_to if name not in arg_names]
        if unknown:
            raise ArgumentError(f'@{decorator}(apply_to={apply_to}) names '
                                f'arguments {unknown} that {func.__name__} '
                                f'does not take ({arg_names})')

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if not args or not isinstance(args[0], nn.Module):
            raise ArgumentTypeError(
                f'@{decorator} can only decorate methods of '
                f'nn.Module subclasses ({func.__qualname__})')
        if not getattr(args[0], 'fp16_enabled', False):
            return func(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        for name, value in bound.arguments.items():
            if name == arg_names[0]:
                continue
            if apply_to is None or name in apply_to:
                bound.arguments[name] = cast_tensor_type(
                    value, src_type, dst_type)
        output = func(*bound.args, **bound.kwargs)
        if out_type is not None:
            output = cast_tensor_type(output, dst_type, out_type)
        return output

    return wrapper


def auto_fp16(apply_to: Optional[Iterable[str]] = None,
              out_fp32: bool = False) -> Callable:
    """Decorator to enable fp16 training automatically.

    When the module's ``fp16_enabled`` is True, float32 tensors among the
    arguments (all of them, or those named in ``apply_to``) are converted
    to float16; other arguments are left alone.

    Args:
        apply_to (Iterable, optional): The argument names to be converted.
            None indicates all arguments.
        out_fp32 (bool): Whether to convert the output back to fp32.

    Example:
        >>> class MyModule(nn.Module):
        >>>     @auto_fp16(apply_to=('pred', ))
        >>>     def do_something(self, pred, others):
        >>>         ...
    """

    def decorate(func):
        return _cast_arguments(func, apply_to, torch.float, torch.half,
                               torch.float if out_fp32 else None, 'auto_fp16')

    return decorate


def force_fp32(apply_to: Optional[Iterable[str]] = None,
               out_fp16: bool = False) -> Callable:
    """Decorator to convert input arguments to fp32 in force.

    When the module's ``fp16_enabled`` is True, float16 tensors among the
    arguments (all of them, or those named in ``apply_to``) are converted
    to float32, e.g. for a loss that must be computed in full precision.

    Args:
        apply_to (Iterable[str], optional): Names of the arguments to
            convert; None converts every argument.
        out_fp16 (bool): Whether to convert the output back to fp16.

    Example:
        >>> class MyHead(nn.Module):
        ...     @force_fp32(apply_to=('pred', ))
        ...     def get_loss(self, pred, target):
        ...         return F.mse_loss(pred, target)
    """

    def decorate(func):
        return _cast_arguments(func, apply_to, torch.half, torch.float,
                               torch.half if out_fp16 else None, 'force_fp32')

    return decorate
