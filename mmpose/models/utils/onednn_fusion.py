"""Run ReLUs and residual additions inside oneDNN's convolution kernels,
for fp32 inference on the CPU.

Applied after :func:`~mmpose.models.utils.fuse_conv_bn.fuse_conv_bn` on an
eval-mode copy of a network, it rewrites two patterns whose BatchNorm has
been folded away:

- ``conv -> ReLU`` (and ``deconv -> ReLU``) in an ``nn.Sequential`` or an
  mmcv ``ConvModule`` (an ``nn.Identity`` left by folding may sit between
  them): the pair becomes one :class:`ConvReLU2d`;
- the ResNet ``BasicBlock`` / ``Bottleneck`` (also inside HRNet, Hourglass
  and PoseWarper): ``relu(conv_last(..) + shortcut(x))`` becomes
  :class:`FusedResidualBlock`, whose last convolution adds the shortcut and
  applies the ReLU in the same kernel.

Each rewrite saves one or two passes over a feature map; the arithmetic is
the same up to float rounding. The fused kernels (which have no backward)
are used only for float32 CPU tensors without autograd; any other call (a
CUDA tensor, float64, autocast, gradients enabled) runs the same layers the
ordinary way.
"""
from typing import List, Optional

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import Tensor, nn

from ..backbones.resnet import BasicBlock, Bottleneck
from .fuse_conv_bn import FOLDABLE_CONVS

__all__ = ['ConvReLU2d', 'FusedResidualBlock', 'fuse_onednn_pointwise',
           'onednn_fusion_available']

_MKLDNN_OPS = getattr(torch.ops, 'mkldnn', None)


def onednn_fusion_available() -> bool:
    """Whether this PyTorch build has oneDNN's fused convolution ops."""
    return (torch.backends.mkldnn.is_available() and _MKLDNN_OPS is not None
            and hasattr(_MKLDNN_OPS, '_convolution_pointwise')
            and hasattr(_MKLDNN_OPS, '_convolution_transpose_pointwise'))


def _fusable_input(x: Tensor) -> bool:
    return (x.device.type == 'cpu' and x.dtype == torch.float32
            and x.numel() > 0 and not torch.is_grad_enabled()
            and torch.backends.mkldnn.enabled
            and not torch.is_autocast_enabled('cpu'))


def _is_plain_conv(module: nn.Module) -> bool:
    """A 2-D (de)convolution with zero padding given as numbers."""
    return (type(module) in FOLDABLE_CONVS and module.weight.dim() == 4
            and module.padding_mode == 'zeros'
            and not isinstance(module.padding, str))


def _conv_args(conv: nn.Module) -> tuple:
    return (list(conv.padding), list(conv.stride), list(conv.dilation),
            conv.groups)


class ConvReLU2d(nn.Module):
    """``relu(conv(x))`` in one oneDNN call.

    Args:
        conv (nn.Conv2d | nn.ConvTranspose2d): The (folded) convolution; its
            parameters are shared, not copied.
    """

    def __init__(self, conv: nn.Module):
        super().__init__()
        self.conv = conv

    def forward(self, x: Tensor) -> Tensor:
        """x (Tensor[N, C_in, H, W]) -> Tensor[N, C_out, H', W']."""
        if not _fusable_input(x):
            return F.relu(self.conv(x))
        conv = self.conv
        padding, stride, dilation, groups = _conv_args(conv)
        if isinstance(conv, nn.ConvTranspose2d):
            return _MKLDNN_OPS._convolution_transpose_pointwise(
                x, conv.weight, conv.bias, padding,
                list(conv.output_padding), stride, dilation, groups, 'relu',
                [], '')
        return _MKLDNN_OPS._convolution_pointwise(x, conv.weight, conv.bias,
                                                  padding, stride, dilation,
                                                  groups, 'relu', [], '')


class FusedResidualBlock(nn.Module):
    """A folded ResNet ``BasicBlock`` / ``Bottleneck`` whose last
    convolution also adds the shortcut and applies the ReLU.

    Args:
        convs (list[nn.Conv2d]): The block's convolutions in order (each but
            the last followed by a ReLU).
        downsample (nn.Module, optional): The shortcut branch.
    """

    def __init__(self, convs: List[nn.Conv2d],
                 downsample: Optional[nn.Module]):
        super().__init__()
        self.convs = nn.ModuleList(ConvReLU2d(c) for c in convs[:-1])
        self.last_conv = convs[-1]
        self.downsample = downsample

    def forward(self, x: Tensor) -> Tensor:
        """x (Tensor[N, C, H, W]) -> Tensor[N, C_out, H / s, W / s]."""
        out = x
        for conv in self.convs:
            out = conv(out)
        identity = x if self.downsample is None else self.downsample(x)
        if not _fusable_input(out):
            return F.relu(self.last_conv(out) + identity)
        padding, stride, dilation, groups = _conv_args(self.last_conv)
        return _MKLDNN_OPS._convolution_pointwise.binary(
            out, identity, self.last_conv.weight, self.last_conv.bias,
            padding, stride, dilation, groups, 'add', None, 'relu', [], '')

    @classmethod
    def from_block(cls, block: nn.Module) -> Optional['FusedResidualBlock']:
        """The fused form of a folded ``BasicBlock`` / ``Bottleneck``, or
        None when ``block`` is not one (exact types only: subclasses may
        change the body) or keeps a BatchNorm."""
        if type(block) is BasicBlock:
            names = ('conv1', 'conv2')
        elif type(block) is Bottleneck:
            names = ('conv1', 'conv2', 'conv3')
        else:
            return None
        norms = [block.norm1, block.norm2] + (
            [block.norm3] if len(names) == 3 else [])
        convs = [getattr(block, name) for name in names]
        if not (all(isinstance(n, nn.Identity) for n in norms)
                and all(_is_plain_conv(c) for c in convs)
                and type(block.relu) is nn.ReLU):
            return None
        return cls(convs, block.downsample)


def _is_relu(module: nn.Module) -> bool:
    return type(module) is nn.ReLU


def _fuse_sequence(children: List[nn.Module]) -> List[nn.Module]:
    """``children`` (applied in order) with each ``conv [Identity] ReLU``
    run replaced by ``ConvReLU2d [Identity] Identity`` (same length, so
    indices and names stay valid)."""
    out = list(children)
    for i, child in enumerate(children):
        if not _is_plain_conv(child):
            continue
        j = i + 1
        while j < len(children) and type(children[j]) is nn.Identity:
            j += 1
        if j < len(children) and _is_relu(children[j]):
            out[i] = ConvReLU2d(child)
            out[j] = nn.Identity()
    return out


def _fuse_conv_module(module: ConvModule) -> None:
    """Fold the activation of a ``ConvModule`` (default order, BatchNorm
    folded or absent, plain ReLU) into its convolution."""
    norm_folded = not module.with_norm or isinstance(module.norm,
                                                     nn.Identity)
    if (tuple(module.order) == ('conv', 'norm', 'act')
            and module.with_activation and _is_relu(module.activate)
            and norm_folded and _is_plain_conv(module.conv)):
        module.conv = ConvReLU2d(module.conv)
        module.activate = nn.Identity()


def fuse_onednn_pointwise(module: nn.Module) -> nn.Module:
    """Apply the rewrites of this module to ``module`` in place.

    Call it on a folded eval-mode copy (see :func:`fuse_conv_bn`); the
    module tree changes, so the state_dict names do too.

    Args:
        module (nn.Module): The network (or any sub-module).

    Returns:
        nn.Module: ``module`` itself.
    """
    for name, child in list(module.named_children()):
        fused = FusedResidualBlock.from_block(child)
        if fused is not None:
            setattr(module, name, fused)
            child = fused.downsample
            if child is None:
                continue
        fuse_onednn_pointwise(child)
    if type(module) is nn.Sequential:
        names = [name for name, _ in module.named_children()]
        for name, new in zip(names, _fuse_sequence(list(module.children()))):
            setattr(module, name, new)
    elif isinstance(module, ConvModule):
        _fuse_conv_module(module)
    return module
