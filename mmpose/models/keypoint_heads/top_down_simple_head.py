"""Simple Baselines head: deconv layers followed by a conv predictor.

Paper ref: Bin Xiao et al. Simple Baselines for Human Pose Estimation and
Tracking (ECCV 2018).
"""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmcv.cnn import build_conv_layer, build_norm_layer
from torch import nn

from mmpose.errors import (ArgumentError, ArgumentTypeError,
                           UnknownNameError)

from ..builder import HEADS
from .top_down_base_head import TopDownHeatmapBaseHead
from .utils import (build_deconv_layers, build_final_conv,
                    init_deconv_final_weights, parse_final_conv_kernel)

__all__ = ['TopDownSimpleHead']


@HEADS.register_module()
class TopDownSimpleHead(TopDownHeatmapBaseHead):
    """Top-down model head of simple baseline paper ref: Bin Xiao. Simple
    Baselines for Human Pose Estimation and Tracking.

    The head is a stack of deconvolution layers (zero or more) followed by
    a single conv2d layer.

    Args:
        in_channels (int | Sequence[int]): Number of input channels.
        out_channels (int): Number of output channels.
        num_deconv_layers (int): Number of deconv layers.
            num_deconv_layers should >= 0. Note that 0 means
            no deconv layers.
        num_deconv_filters (list|tuple): Number of filters.
            If num_deconv_layers > 0, the length of it should equal
            num_deconv_layers.
        num_deconv_kernels (list|tuple): Kernel sizes.
        extra (dict | None): 'final_conv_kernel' (0 = identity, 1 or 3;
            default 1), 'num_conv_layers' and 'num_conv_kernels' (extra
            conv-BN-ReLU layers before the final conv).
        in_index (int|Sequence[int]): Input feature index. Default: 0
        input_transform (str|None): Transformation type of input features.
            Options: 'resize_concat', 'multiple_select', None.
            'resize_concat': Multiple feature maps will be resize to the
            same size as first one and than concat together.
            Usually used in FCN head of HRNet.
            'multiple_select': Multiple feature maps will be bundle into
            a list and passed into decode head.
            None: Only one select feature map is allowed.
            Default: None.
        align_corners (bool): align_corners argument of F.interpolate.
            Default: False.
        loss_keypoint (dict): Config for keypoint loss. Default: None.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
        upsample (int): ViTPose's "simple" decoder: when > 0, a single
            input feature map is passed through ReLU and resized
            bilinearly by this factor before the deconv and final layers.
            Default: 0 (off).
    """

    loss_required = True  # 0.x built its loss unconditionally

    def __init__(self,
                 in_channels: Union[int, Sequence[int]],
                 out_channels: int,
                 num_deconv_layers: int = 3,
                 num_deconv_filters: Sequence[int] = (256, 256, 256),
                 num_deconv_kernels: Sequence[int] = (4, 4, 4),
                 extra: Optional[dict] = None,
                 in_index: Union[int, Sequence[int]] = 0,
                 input_transform: Optional[str] = None,
                 align_corners: bool = False,
                 loss_keypoint: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 upsample: int = 0):
        super().__init__(loss_keypoint, train_cfg, test_cfg)
        self.upsample = upsample
        self._init_layers(in_channels, out_channels, num_deconv_layers,
                          num_deconv_filters, num_deconv_kernels, extra,
                          in_index, input_transform, align_corners)

    def _init_layers(self, in_channels: Union[int, Sequence[int]],
                     out_channels: int, num_deconv_layers: int,
                     num_deconv_filters: Sequence[int],
                     num_deconv_kernels: Sequence[int], extra: Optional[dict],
                     in_index: Union[int, Sequence[int]],
                     input_transform: Optional[str],
                     align_corners: bool) -> None:
        """Set the input selection and build ``deconv_layers`` and
        ``final_layer`` (the constructor arguments of the same names)."""
        self.out_channels = out_channels
        self.align_corners = align_corners
        self._init_inputs(in_channels, in_index, input_transform)
        self.deconv_layers = build_deconv_layers(self.in_channels,
                                                 num_deconv_layers,
                                                 num_deconv_filters,
                                                 num_deconv_kernels)
        conv_channels = (num_deconv_filters[-1]
                         if num_deconv_layers > 0 else self.in_channels)
        self.final_layer = self._make_final_layer(conv_channels, out_channels,
                                                  extra)

    def _init_inputs(self, in_channels: Union[int, Sequence[int]],
                     in_index: Union[int, Sequence[int]],
                     input_transform: Optional[str]) -> None:
        """Check the input selection and set ``self.in_channels``."""
        if input_transform not in (None, 'resize_concat', 'multiple_select'):
            raise UnknownNameError(
                f"input_transform must be None, 'resize_concat' "
                f"or 'multiple_select', got {input_transform!r}")
        self.input_transform = input_transform
        self.in_index = in_index
        if input_transform is None:
            if not isinstance(in_channels, int) or not isinstance(
                    in_index, int):
                raise ArgumentTypeError(
                    f'with input_transform=None, in_channels and '
                    f'in_index must be int, got {in_channels!r} '
                    f'and {in_index!r}')
            self.in_channels = in_channels
            return
        if not isinstance(in_channels, (list, tuple)) or not isinstance(
                in_index, (list, tuple)) or len(in_channels) != len(in_index):
            raise ArgumentTypeError(
                f'with input_transform={input_transform!r}, '
                f'in_channels and in_index must be sequences of '
                f'the same length, got {in_channels!r} and '
                f'{in_index!r}')
        if input_transform == 'resize_concat':
            self.in_channels = sum(in_channels)
        else:
            self.in_channels = in_channels

    @staticmethod
    def _make_final_layer(conv_channels: int, out_channels: int,
                          extra: Optional[dict]) -> nn.Module:
        """Optional conv-BN-ReLU layers, then the predicting conv."""
        kernel_size, padding = parse_final_conv_kernel(extra, (0, 1, 3))
        if kernel_size == 0:
            return nn.Identity()
        layers = []
        if extra is not None:
            num_conv_layers = extra.get('num_conv_layers', 0)
            num_conv_kernels = extra.get('num_conv_kernels',
                                         [1] * num_conv_layers)
            if len(num_conv_kernels) != num_conv_layers:
                raise ArgumentError(
                    f"extra['num_conv_kernels'] "
                    f'({num_conv_kernels}) must have '
                    f'num_conv_layers={num_conv_layers} entries')
            for kernel in num_conv_kernels:
                layers.append(
                    build_conv_layer(
                        dict(type='Conv2d'),
                        in_channels=conv_channels,
                        out_channels=conv_channels,
                        kernel_size=kernel,
                        stride=1,
                        padding=(kernel - 1) // 2))
                layers.append(
                    build_norm_layer(dict(type='BN'), conv_channels)[1])
                layers.append(nn.ReLU(inplace=True))
        layers.append(
            build_final_conv(conv_channels, out_channels, kernel_size,
                             padding))
        return nn.Sequential(*layers) if len(layers) > 1 else layers[0]

    def _transform_inputs(
        self, inputs: Union[torch.Tensor, List[torch.Tensor]]
    ) -> Union[torch.Tensor, List[torch.Tensor]]:
        """Select (and for 'resize_concat' resize and concatenate) the
        input features.

        Args:
            inputs (torch.Tensor | list[torch.Tensor]): Backbone output.
        """
        if not isinstance(inputs, (list, tuple)):
            return inputs
        if self.input_transform == 'resize_concat':
            selected = [inputs[i] for i in self.in_index]
            size = selected[0].shape[2:]
            upsampled = [
                F.interpolate(
                    x,
                    size=size,
                    mode='bilinear',
                    align_corners=self.align_corners) for x in selected
            ]
            return torch.cat(upsampled, dim=1)
        if self.input_transform == 'multiple_select':
            return [inputs[i] for i in self.in_index]
        return inputs[self.in_index]

    def forward(self, x: Union[torch.Tensor, List[torch.Tensor]]
                ) -> torch.Tensor:
        """Forward function.

        Args:
            x (torch.Tensor[N, C, h, w] | list[torch.Tensor]): Features.

        Returns:
            torch.Tensor[N, K, H, W]: Heatmaps.
        """
        if self.upsample > 0 and isinstance(x, torch.Tensor):
            x = F.interpolate(
                F.relu(x),
                scale_factor=self.upsample,
                mode='bilinear',
                align_corners=self.align_corners)
        x = self._transform_inputs(x)
        x = self.deconv_layers(x)
        return self.final_layer(x)

    def init_weights(self) -> None:
        """Initialize model weights."""
        init_deconv_final_weights(self.deconv_layers, self.final_layer)
