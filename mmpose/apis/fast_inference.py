"""The network a pose model runs at inference: the exact fast path
(BatchNorm folded into convolutions) and opt-in reduced precision.

On the fast copy, the global self-attention of the ViT backbones (ViTPose)
runs through ``torch.nn.functional.scaled_dot_product_attention`` (fused,
equal to the explicit softmax path up to float rounding).

The model a user holds is never changed: its state_dict keeps the 0.x names
and can be saved and loaded as before. :func:`inference_network` returns a
separate copy, built on first use and cached per model (weakly); the copy is
rebuilt when any parameter or buffer of the model is replaced or modified in
place (e.g. ``load_checkpoint`` after ``init_pose_model``). Models in
training mode always run as they are.

Precisions:
    - 'fp32' (default): exact; the fast path equals the plain one up to
      float rounding (on the CPU it also runs ReLUs and residual additions
      inside oneDNN's convolution kernels, see
      :mod:`mmpose.models.utils.onednn_fusion`).
    - 'bf16' / 'fp16': the network runs under ``torch.autocast`` in that
      dtype (bf16 suits CPUs, fp16 CUDA GPUs); the outputs of the
      backbone, neck and head are cast back to float32, so decoding always
      runs in float32.
"""
import contextlib
import copy
import functools
import itertools
import weakref
from typing import Iterator, Tuple

import torch
from torch import nn

from mmpose.errors import UnknownNameError
from mmpose.models.utils.fuse_conv_bn import fuse_conv_bn
from mmpose.models.utils.onednn_fusion import (fuse_onednn_pointwise,
                                               onednn_fusion_available)
from mmpose.models.utils.vit_layers import set_fused_attention

__all__ = ['PRECISIONS', 'check_precision', 'inference_network',
           'precision_context', 'predict']

#: Accepted ``precision`` values and the autocast dtype of each.
PRECISIONS = {'fp32': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}

_CACHE: 'weakref.WeakKeyDictionary[nn.Module, Tuple[tuple, nn.Module]]' = (
    weakref.WeakKeyDictionary())


def check_precision(precision: str) -> str:
    """``precision`` if it is one of :data:`PRECISIONS`, else a clear
    ``UnknownNameError``."""
    if precision not in PRECISIONS:
        raise UnknownNameError(f'precision must be one of '
                               f'{sorted(PRECISIONS)}, got {precision!r}')
    return precision


def _device_type(model: nn.Module) -> str:
    param = next(model.parameters(), None)
    return param.device.type if param is not None else 'cpu'


def precision_context(
        model: nn.Module,
        precision: str = 'fp32') -> contextlib.AbstractContextManager:
    """``torch.autocast`` on the model's device in ``precision``, or a
    no-op for 'fp32'."""
    dtype = PRECISIONS[check_precision(precision)]
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(_device_type(model), dtype=dtype)


def _to_float32(output):
    """Floating tensors (also inside lists, tuples and dicts) as float32."""
    if isinstance(output, torch.Tensor):
        return output.float() if output.is_floating_point() else output
    if isinstance(output, (list, tuple)):
        return type(output)(_to_float32(o) for o in output)
    if isinstance(output, dict):
        return {k: _to_float32(v) for k, v in output.items()}
    return output


def _cast_forward_to_float32(module: nn.Module) -> None:
    """Make ``module.forward`` return float32 tensors. (A forward hook
    would not do: heads call ``self.forward`` directly.)"""
    forward = module.forward

    @functools.wraps(forward)
    def forward_float32(*args, **kwargs):
        return _to_float32(forward(*args, **kwargs))

    module.forward = forward_float32


def _fingerprint(model: nn.Module) -> tuple:
    """Identity and in-place version of every parameter and buffer, the
    training flag and the device: any change makes a new copy necessary."""
    tensors: Iterator[torch.Tensor] = itertools.chain(model.parameters(),
                                                      model.buffers())
    return (model.training, ) + tuple(
        (t.data_ptr(), t._version, t.device, t.is_contiguous())
        for t in tensors)


def _build(model: nn.Module, fast: bool, precision: str) -> nn.Module:
    """A deep copy of ``model``; when ``fast``, BatchNorm folded, ReLUs
    and residual additions fused into oneDNN convolutions (fp32 on the
    CPU), ViT attention fused and the flip test run in one batch; under
    reduced ``precision`` its backbone, neck and head return float32."""
    network = copy.deepcopy(model)
    detector = network.module if hasattr(network, 'module') else network
    if fast:
        fuse_conv_bn(network)
        set_fused_attention(network)
        if (precision == 'fp32' and _device_type(network) == 'cpu'
                and onednn_fusion_available()):
            fuse_onednn_pointwise(network)
        if hasattr(detector, 'batch_flip_test'):
            detector.batch_flip_test = True
    if PRECISIONS[precision] is not None:
        for child in detector.children():
            _cast_forward_to_float32(child)
    return network


def inference_network(model: nn.Module,
                      fast: bool = True,
                      precision: str = 'fp32') -> nn.Module:
    """The module to call for inference with ``model``.

    Args:
        model (nn.Module): A pose detector (or a data-parallel wrapper).
        fast (bool): Fold BatchNorm into convolutions (exact up to float
            rounding).
        precision (str): One of :data:`PRECISIONS`; run the call under
            :func:`precision_context` with the same value.

    Returns:
        nn.Module: ``model`` itself when it is training or nothing is
        asked, else its cached inference copy.
    """
    check_precision(precision)
    if model.training or (not fast and precision == 'fp32'):
        return model
    key = (fast, precision, _fingerprint(model))
    cached = _CACHE.get(model)
    if cached is None or cached[0] != key:
        cached = (key, _build(model, fast, precision))
        _CACHE[model] = cached
    return cached[1]


def predict(model: nn.Module,
            fast: bool = True,
            precision: str = 'fp32',
            **inputs):
    """``model(return_loss=False, **inputs)`` without gradients, through
    :func:`inference_network` and under :func:`precision_context`."""
    network = inference_network(model, fast, precision)
    with torch.no_grad(), precision_context(network, precision):
        return network(return_loss=False, **inputs)
