"""Inverted residual block of MobileNetV2 / MobileNetV3."""
import copy
from typing import Optional

import torch

from mmpose.errors import ArgumentError, ArgumentTypeError

from .checkpointed_block import CheckpointedBlock
from .se_layer import SELayer
from .stem import conv_norm_act


class InvertedResidual(CheckpointedBlock):
    """Inverted residual block: 1x1 expand, depth-wise conv, (SE), 1x1 project.

    The shortcut is added when ``stride == 1`` and
    ``in_channels == out_channels``.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        mid_channels (int): Channels of the depth-wise conv.
        kernel_size (int): Kernel size of the depth-wise conv. Default: 3.
        stride (int): Stride of the depth-wise conv. Default: 1.
        se_cfg (dict | None): Keyword arguments of :class:`SELayer`;
            ``channels`` may be left out (it must equal ``mid_channels``).
            None disables SE. Default: None.
        with_expand_conv (bool): Use the 1x1 expand conv; if False,
            ``mid_channels`` must equal ``in_channels``. Default: True.
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        act_cfg (dict): Activation of the expand and depth-wise convs.
            Default: dict(type='ReLU').
        with_cp (bool): Use gradient checkpointing in training.
            Default: False.
        groups (int | None): Groups of the depth-wise conv (an addition to
            the 0.14 arguments, hence last). Default: None, meaning
            ``mid_channels`` (depth-wise).

    Shape:
        x: ``[N, in_channels, H, W]`` ->
        ``[N, out_channels, H / stride, W / stride]``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 mid_channels: int,
                 kernel_size: int = 3,
                 stride: int = 1,
                 se_cfg: Optional[dict] = None,
                 with_expand_conv: bool = True,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU'),
                 with_cp: bool = False,
                 groups: Optional[int] = None) -> None:
        super().__init__()
        norm_cfg = copy.deepcopy(norm_cfg)
        act_cfg = copy.deepcopy(act_cfg)
        if stride not in (1, 2):
            raise ArgumentError(f'stride must be 1 or 2, but got {stride}')
        if not with_expand_conv and mid_channels != in_channels:
            raise ArgumentError(
                'without the expand conv mid_channels must equal '
                f'in_channels, but got {mid_channels} and '
                f'{in_channels}')
        if groups is None:
            groups = mid_channels
        self.with_res_shortcut = stride == 1 and in_channels == out_channels
        self.with_cp = with_cp
        self.with_se = se_cfg is not None
        self.with_expand_conv = with_expand_conv

        cfgs = dict(conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)
        if self.with_expand_conv:
            self.expand_conv = conv_norm_act(in_channels, mid_channels, 1,
                                             **cfgs)
        self.depthwise_conv = conv_norm_act(
            mid_channels,
            mid_channels,
            kernel_size,
            stride=stride,
            groups=groups,
            **cfgs)
        if self.with_se:
            if not isinstance(se_cfg, dict):
                raise ArgumentTypeError(
                    'se_cfg must be a dict or None, but got '
                    f'{type(se_cfg).__name__}')
            se_cfg = dict(se_cfg)
            se_channels = se_cfg.pop('channels', mid_channels)
            if se_channels != mid_channels:
                raise ArgumentError(f'se_cfg["channels"] ({se_channels}) must '
                                    f'equal mid_channels ({mid_channels})')
            self.se = SELayer(channels=mid_channels, **se_cfg)
        self.linear_conv = conv_norm_act(mid_channels, out_channels, 1,
                                         **dict(cfgs, act_cfg=None))

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.expand_conv(x) if self.with_expand_conv else x
        out = self.depthwise_conv(out)
        if self.with_se:
            out = self.se(out)
        out = self.linear_conv(out)
        return x + out if self.with_res_shortcut else out
