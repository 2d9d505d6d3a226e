"""Casting helpers shared by the fp16 decorators and hooks."""
from collections import abc
from typing import Any

import numpy as np
import torch


def cast_tensor_type(inputs: Any, src_type: torch.dtype,
                     dst_type: torch.dtype) -> Any:
    """Recursively convert Tensor in inputs from src_type to dst_type.

    Tensors of another dtype than ``src_type`` (e.g. integer indices) and
    non-tensor leaves (str, numpy arrays, numbers) are returned unchanged.
    Mappings and sequences keep their type (tuples stay tuples, dicts stay
    dicts, namedtuples stay namedtuples).

    Args:
        inputs: Inputs that to be casted.
        src_type (torch.dtype): Source type.
        dst_type (torch.dtype): Destination type.

    Returns:
        The same type with inputs, but all contained Tensors have been cast.
    """
    if isinstance(inputs, torch.Tensor):
        return inputs.to(dst_type) if inputs.dtype == src_type else inputs
    if isinstance(inputs, (str, bytes, np.ndarray)):
        return inputs
    if isinstance(inputs, abc.Mapping):
        return type(inputs)({
            key: cast_tensor_type(value, src_type, dst_type)
            for key, value in inputs.items()
        })
    if isinstance(inputs, tuple) and hasattr(inputs, '_fields'):
        return type(inputs)(*(cast_tensor_type(item, src_type, dst_type)
                              for item in inputs))
    if isinstance(inputs, (list, tuple)):
        return type(inputs)(
            cast_tensor_type(item, src_type, dst_type) for item in inputs)
    return inputs
