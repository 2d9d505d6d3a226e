"""MobileNetV2 backbone.

"MobileNetV2: Inverted Residuals and Linear Bottlenecks", Sandler et al.,
CVPR 2018 (https://arxiv.org/abs/1801.04381).
"""
import copy
from typing import List, Optional, Sequence, Tuple, Union

import torch
import torch.utils.checkpoint as cp
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.errors import ArgumentError
from mmpose.models.builder import BACKBONES

from .base_backbone import BaseBackbone
from .utils import make_divisible, stem_conv3x3

__all__ = ['MobileNetV2', 'InvertedResidual']


class InvertedResidual(nn.Module):
    """The MobileNetV2 inverted residual block.

    Unlike :class:`mmpose.models.backbones.utils.InvertedResidual` (used by
    MobileNetV3), the convolutions live in one ``nn.Sequential`` named
    ``conv`` so that 0.x checkpoints (``layer1.0.conv.0.conv.weight``) load.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the depth-wise conv, 1 or 2.
        expand_ratio (int): The hidden layer has
            ``round(in_channels * expand_ratio)`` channels; with 1 the 1x1
            expand conv is left out.
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        act_cfg (dict): Activation. Default: dict(type='ReLU6').
        with_cp (bool): Use gradient checkpointing. Default: False.

    Shape:
        x: ``[N, in_channels, H, W]`` ->
        ``[N, out_channels, H / stride, W / stride]``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int,
                 expand_ratio: int,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU6'),
                 with_cp: bool = False) -> None:
        super().__init__()
        norm_cfg = copy.deepcopy(norm_cfg)
        act_cfg = copy.deepcopy(act_cfg)
        if stride not in (1, 2):
            raise ArgumentError(f'stride must be 1 or 2, but got {stride}')
        self.stride = stride
        self.with_cp = with_cp
        self.use_res_connect = stride == 1 and in_channels == out_channels
        hidden_dim = int(round(in_channels * expand_ratio))

        layers = []
        if expand_ratio != 1:
            layers.append(
                ConvModule(
                    in_channels=in_channels,
                    out_channels=hidden_dim,
                    kernel_size=1,
                    conv_cfg=conv_cfg,
                    norm_cfg=norm_cfg,
                    act_cfg=act_cfg))
        layers.append(
            ConvModule(
                in_channels=hidden_dim,
                out_channels=hidden_dim,
                kernel_size=3,
                stride=stride,
                padding=1,
                groups=hidden_dim,
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg,
                act_cfg=act_cfg))
        layers.append(
            ConvModule(
                in_channels=hidden_dim,
                out_channels=out_channels,
                kernel_size=1,
                conv_cfg=conv_cfg,
                norm_cfg=norm_cfg,
                act_cfg=None))
        self.conv = nn.Sequential(*layers)

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv(x)
        return x + out if self.use_res_connect else out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block to ``x [N, C_in, H, W]``."""
        if self.with_cp and x.requires_grad:
            return cp.checkpoint(self._inner_forward, x, use_reentrant=False)
        return self._inner_forward(x)


@BACKBONES.register_module()
class MobileNetV2(BaseBackbone):
    """MobileNetV2 backbone.

    A stride-2 stem conv (``conv1``), seven stages of inverted residual
    blocks (``layer1`` ... ``layer7``) and a final 1x1 conv (``conv2``).
    ``out_indices`` counts ``layer1`` ... ``layer7`` as 0 ... 6 and
    ``conv2`` as 7; their strides are 2, 4, 8, 16, 16, 32, 32, 32 and with
    ``widen_factor=1`` their channels 16, 24, 32, 64, 96, 160, 320, 1280.

    Args:
        widen_factor (float): Width multiplier, multiply number of channels
            in each layer by this amount. Default: 1.0.
        out_indices (Sequence[int]): Output from which stages (0-7).
            Default: (7, ).
        frozen_stages (int): Freeze ``conv1`` (0) and ``layer1`` ...
            ``layer{frozen_stages}``. Default: -1 (freeze nothing).
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        act_cfg (dict): Activation. Default: dict(type='ReLU6').
        norm_eval (bool): Keep BN layers in eval mode while training.
            Default: False.
        with_cp (bool): Use gradient checkpointing in the blocks.
            Default: False.

    Shape:
        x: ``[N, 3, H, W]`` -> one tensor ``[N, C_i, H / s_i, W / s_i]`` per
        index in ``out_indices`` (a single tensor when there is one).

    Example:
        >>> import torch
        >>> model = MobileNetV2(out_indices=(0, 7)).eval()
        >>> [tuple(o.shape) for o in model(torch.rand(1, 3, 64, 64))]
        [(1, 16, 32, 32), (1, 1280, 2, 2)]
    """

    # expand_ratio, channels, num_blocks, stride of each of layer1..layer7
    arch_settings = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2],
                     [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
                     [6, 320, 1, 1]]

    def __init__(self,
                 widen_factor: float = 1.,
                 out_indices: Sequence[int] = (7, ),
                 frozen_stages: int = -1,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU6'),
                 norm_eval: bool = False,
                 with_cp: bool = False) -> None:
        super().__init__()
        norm_cfg = copy.deepcopy(norm_cfg)
        act_cfg = copy.deepcopy(act_cfg)
        num_outputs = len(self.arch_settings) + 1
        self.widen_factor = widen_factor
        self.out_indices = self._check_out_indices(out_indices, num_outputs)
        self._check_frozen_stages(frozen_stages, num_outputs - 1)
        self.frozen_stages = frozen_stages
        self.conv_cfg = conv_cfg
        self.norm_cfg = norm_cfg
        self.act_cfg = act_cfg
        self.norm_eval = norm_eval
        self.with_cp = with_cp

        self.in_channels = make_divisible(32 * widen_factor, 8)
        self.conv1 = stem_conv3x3(self.in_channels, conv_cfg, norm_cfg,
                                  act_cfg)

        self.layers: List[str] = []
        for i, (expand_ratio, channels, num_blocks,
                stride) in enumerate(self.arch_settings):
            out_channels = make_divisible(channels * widen_factor, 8)
            layer_name = f'layer{i + 1}'
            self.add_module(
                layer_name,
                self.make_layer(out_channels, num_blocks, stride,
                                expand_ratio))
            self.layers.append(layer_name)

        self.out_channel = (
            int(1280 * widen_factor) if widen_factor > 1.0 else 1280)
        self.conv2 = ConvModule(
            in_channels=self.in_channels,
            out_channels=self.out_channel,
            kernel_size=1,
            conv_cfg=conv_cfg,
            norm_cfg=norm_cfg,
            act_cfg=act_cfg)
        self.layers.append('conv2')

    def make_layer(self, out_channels: int, num_blocks: int, stride: int,
                   expand_ratio: int) -> nn.Sequential:
        """Build one MobileNetV2 layer from a run of InvertedResidual blocks.

        Args:
            out_channels (int): out_channels of block.
            num_blocks (int): number of blocks.
            stride (int): stride of the first block.
            expand_ratio (int): Expand the number of channels of the hidden
                layer in InvertedResidual by this ratio.
        """
        blocks = []
        for i in range(num_blocks):
            blocks.append(
                InvertedResidual(
                    self.in_channels,
                    out_channels,
                    stride if i == 0 else 1,
                    expand_ratio=expand_ratio,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg,
                    with_cp=self.with_cp))
            self.in_channels = out_channels
        return nn.Sequential(*blocks)

    def _init_from_scratch(self) -> None:
        self._init_conv_norm(self.modules())

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        return [self.conv1] if stage == 0 else [getattr(self, f'layer{stage}')]

    def forward(self, x: torch.Tensor
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Forward function.

        Args:
            x (Tensor[N, 3, H, W]): Input images.

        Returns:
            Tensor | tuple[Tensor]: The features of ``out_indices``.
        """
        x = self.conv1(x)
        return self._forward_stages(
            x, (getattr(self, name) for name in self.layers))
