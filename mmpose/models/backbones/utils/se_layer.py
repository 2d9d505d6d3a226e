"""Squeeze-and-Excitation layer."""
from typing import Optional, Sequence, Union

import mmcv
import torch
from torch import nn

from mmpose.errors import ArgumentError

from .stem import conv_norm_act


class SELayer(nn.Module):
    """Squeeze-and-Excitation module (Hu et al., CVPR 2018).

    Global average pooling, a 1x1 conv reducing the channels by ``ratio``,
    a second 1x1 conv restoring them and a gate that rescales the input.

    Args:
        channels (int): Input (and output) channels.
        ratio (int): Squeeze ratio; the hidden layer has
            ``int(channels / ratio)`` channels. Default: 16.
        conv_cfg (dict | None): Config of the 1x1 convolutions.
            Default: None (``nn.Conv2d``).
        act_cfg (dict | Sequence[dict]): Activations after ``conv1`` and
            ``conv2``. One dict is used for both. Default:
            ``(dict(type='ReLU'), dict(type='Sigmoid'))``.

    Shape:
        x: ``[N, C, H, W]`` -> ``[N, C, H, W]``.
    """

    def __init__(self,
                 channels: int,
                 ratio: int = 16,
                 conv_cfg: Optional[dict] = None,
                 act_cfg: Union[dict, Sequence[dict]] = (dict(type='ReLU'),
                                                         dict(type='Sigmoid'))
                 ) -> None:
        super().__init__()
        if isinstance(act_cfg, dict):
            act_cfg = (act_cfg, act_cfg)
        if len(act_cfg) != 2 or not mmcv.is_tuple_of(tuple(act_cfg), dict):
            raise ArgumentError('act_cfg must be a dict or a pair of dicts, '
                                f'but got {act_cfg!r}')
        hidden = int(channels / ratio)
        if hidden < 1:
            raise ArgumentError(f'ratio={ratio} leaves no hidden channel for '
                                f'{channels} channels')
        self.global_avgpool = nn.AdaptiveAvgPool2d(1)
        self.conv1 = conv_norm_act(
            channels, hidden, 1, conv_cfg=conv_cfg, act_cfg=act_cfg[0])
        self.conv2 = conv_norm_act(
            hidden, channels, 1, conv_cfg=conv_cfg, act_cfg=act_cfg[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Rescale ``x [N, C, H, W]`` channel-wise by the learned gate."""
        gate = self.conv2(self.conv1(self.global_avgpool(x)))
        return x * gate
