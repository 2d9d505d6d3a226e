"""Fold eval-mode BatchNorm layers into the convolutions before them.

For inference only: ``bn(conv(x)) == conv'(x)`` with
``w' = w * g / sqrt(v + eps)`` and ``b' = (b - m) * g / sqrt(v + eps) + beta``
(running mean ``m`` and variance ``v``, affine weight ``g`` and bias
``beta``), so each folded BatchNorm becomes an ``nn.Identity``.

A pair is folded when, in one parent module, a plain ``nn.Conv2d`` or
``nn.ConvTranspose2d`` (the deconvolution layers of the heads) is
registered immediately before a BatchNorm of as many channels (the
convention of every 0.x backbone, neck and head, and of mmcv's
``ConvModule`` with its default ``('conv', 'norm', 'act')`` order; a
``ConvModule`` that normalises before convolving is left alone).
Subclasses of these (e.g. weight-standardised convs) are not folded, as
their forward transforms the weight; mmcv's ``Conv2d`` / ``ConvTranspose2d``
wrappers are (they only add empty-input handling).
"""
import torch
from mmcv.cnn import ConvModule
from mmcv.cnn.bricks import wrappers
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

__all__ = ['fold_conv_bn', 'fuse_conv_bn']

#: Convolutions a BatchNorm can be folded into (exact types; mmcv's
#: wrappers only add empty-input handling).
FOLDABLE_CONVS = (nn.Conv2d, nn.ConvTranspose2d, wrappers.Conv2d,
                  wrappers.ConvTranspose2d)


def fold_conv_bn(conv: nn.Module, bn: _BatchNorm) -> None:
    """Fold ``bn`` (in eval mode) into ``conv``, in place.

    ``conv`` gets new ``weight`` (same shape) and ``bias`` [C_out]
    parameters (the arithmetic runs in float64, then is cast back); ``bn``
    is left as it was and must no longer be applied.

    Args:
        conv (nn.Conv2d | nn.ConvTranspose2d): The convolution, ``C_out``
            output channels.
        bn (_BatchNorm): BatchNorm over ``C_out`` channels with running
            statistics.
    """
    weight = conv.weight.detach()
    std = (bn.running_var.double() + bn.eps).sqrt()
    gain = (bn.weight.detach().double() / std
            if bn.affine else 1.0 / std)
    shift = bn.bias.detach().double() if bn.affine else 0.0
    bias = (conv.bias.detach().double()
            if conv.bias is not None else torch.zeros_like(std))
    new_weight = weight.double() * _per_output_channel(conv, gain)
    new_bias = (bias - bn.running_mean.double()) * gain + shift
    conv.weight = nn.Parameter(
        new_weight.to(weight.dtype).contiguous(
            memory_format=_memory_format(weight)),
        requires_grad=conv.weight.requires_grad)
    conv.bias = nn.Parameter(
        new_bias.to(weight.dtype), requires_grad=conv.weight.requires_grad)


def _per_output_channel(conv: nn.Module,
                        gain: torch.Tensor) -> torch.Tensor:
    """``gain`` [C_out] shaped to scale the output channels of the weight:
    [C_out, C_in / G, kH, kW] for a conv, [C_in, C_out / G, kH, kW] for a
    transposed conv with G groups (output channel ``g * C_out / G + j``)."""
    if isinstance(conv, nn.ConvTranspose2d):  # also mmcv's wrapper
        groups = conv.groups
        per_group = gain.reshape(groups, 1, -1, 1, 1)
        in_per_group = conv.in_channels // groups
        return per_group.expand(-1, in_per_group, -1, -1, -1).reshape(
            conv.in_channels, -1, 1, 1)
    return gain.reshape(-1, 1, 1, 1)


def _memory_format(weight: torch.Tensor) -> torch.memory_format:
    return (torch.channels_last
            if weight.is_contiguous(memory_format=torch.channels_last)
            and not weight.is_contiguous() else torch.contiguous_format)


def _foldable(conv: nn.Module, bn: nn.Module) -> bool:
    """Whether ``bn`` applied to the output of ``conv`` can be folded."""
    return (type(conv) in FOLDABLE_CONVS and isinstance(bn, _BatchNorm)
            and not bn.training and bn.running_mean is not None
            and bn.num_features == conv.out_channels)


def _norm_first(module: nn.Module) -> bool:
    """A ``ConvModule`` that normalises its input before the conv."""
    return (isinstance(module, ConvModule) and module.with_norm
            and module.order.index('norm') < module.order.index('conv'))


def fuse_conv_bn(module: nn.Module) -> nn.Module:
    """Fold every Conv2d + BatchNorm pair of ``module``, in place.

    Call it on an eval-mode copy: folding replaces the BatchNorm layers by
    ``nn.Identity``, so the state_dict names change (training BatchNorms
    are never folded).

    Args:
        module (nn.Module): The network (or any sub-module).

    Returns:
        nn.Module: ``module`` itself.
    """
    previous = None
    pairs_allowed = not _norm_first(module)
    for name, child in list(module.named_children()):
        if pairs_allowed and previous is not None and _foldable(
                previous, child):
            fold_conv_bn(previous, child)
            setattr(module, name, nn.Identity())
            previous = None
            continue
        fuse_conv_bn(child)
        previous = child
    return module
