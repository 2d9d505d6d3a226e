"""Channels-last (NHWC) storage of a whole model, where all its layers
accept it."""
import torch
from torch import nn

__all__ = ['channels_last_capable', 'is_channels_last']


def channels_last_capable(model: nn.Module) -> bool:
    """Whether every layer of ``model`` takes channels-last weights: not
    video models (5-D weights) nor mmcv-full's compiled ops (e.g. the
    deformable convs of PoseWarper), which need NCHW-contiguous tensors."""
    return all(p.dim() != 5 for p in model.parameters()) and not any(
        type(m).__module__.startswith('mmcv.ops') for m in model.modules())


def is_channels_last(model: nn.Module) -> bool:
    """Whether the model's first 4-D weight is stored NHWC."""
    for param in model.parameters():
        if param.dim() == 4:
            return param.is_contiguous(memory_format=torch.channels_last)
    return False
