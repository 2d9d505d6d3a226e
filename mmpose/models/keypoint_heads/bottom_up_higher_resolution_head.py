"""HigherHRNet head: predictions at the backbone resolution and after each
deconv stage (with residual refinement blocks).

Paper ref: Cheng et al. HigherHRNet: Scale-Aware Representation Learning
for Bottom-Up Human Pose Estimation (CVPR 2020).
"""
from typing import List, Optional, Sequence, Union

import torch
from torch import nn

from mmpose.errors import ArgumentError

from ..backbones.resnet import BasicBlock
from ..builder import HEADS
from .bottom_up_base_head import BottomUpBaseHead
from .utils import (build_final_conv, check_deconv_args, deconv_bn_relu,
                    init_deconv_final_weights, parse_final_conv_kernel)

__all__ = ['BottomUpHigherResolutionHead']


@HEADS.register_module()
class BottomUpHigherResolutionHead(BottomUpBaseHead):
    """Bottom-up head for Higher Resolution.

    Args:
        in_channels (int): Number of input channels.
        num_joints (int): Number of joints
        tag_per_joint (bool): If tag_per_joint is True,
            the dimension of tags equals to num_joints,
            else the dimension of tags is 1. Default: True
        extra (dict | None): 'final_conv_kernel' (1 or 3).
        num_deconv_layers (int): Number of deconv layers; 0 for none.
        num_deconv_filters (Sequence[int]): Channels of each deconv layer.
        num_deconv_kernels (Sequence[int]): Kernel size of each (4, 3 or 2).
        num_basic_blocks (int): Residual blocks after each deconv.
        cat_output (list[bool]): Option to concat outputs (the previous
            prediction is concatenated to the feature before each deconv).
        with_ae_loss (list[bool]): Option to use ae loss (one entry per
            output, num_deconv_layers + 1 in all).
        loss_keypoint (dict): Config for loss. Default: None.
    """

    def __init__(self,
                 in_channels: int,
                 num_joints: int,
                 tag_per_joint: bool = True,
                 extra: Optional[dict] = None,
                 num_deconv_layers: int = 1,
                 num_deconv_filters: Sequence[int] = (32, ),
                 num_deconv_kernels: Sequence[int] = (4, ),
                 num_basic_blocks: int = 4,
                 cat_output: Optional[Sequence[bool]] = None,
                 with_ae_loss: Optional[Sequence[bool]] = None,
                 loss_keypoint: Optional[dict] = None):
        super().__init__(num_joints, tag_per_joint, with_ae_loss,
                         num_deconv_layers + 1, loss_keypoint)
        check_deconv_args(num_deconv_layers, num_deconv_filters,
                          num_deconv_kernels)
        if cat_output is None:
            cat_output = [True] * num_deconv_layers
        if len(cat_output) < num_deconv_layers:
            raise ArgumentError(f'cat_output needs num_deconv_layers='
                                f'{num_deconv_layers} entries, got '
                                f'{list(cat_output)}')
        self.in_channels = in_channels
        self.num_deconvs = num_deconv_layers
        self.cat_output = list(cat_output)
        kernel_size, padding = parse_final_conv_kernel(extra, (1, 3))
        final_in = [in_channels, *num_deconv_filters[:num_deconv_layers]]
        self.final_layers = nn.ModuleList([
            build_final_conv(channels, self._output_channels(i), kernel_size,
                             padding) for i, channels in enumerate(final_in)
        ])
        self.deconv_layers = self._make_deconv_layers(
            in_channels, num_deconv_filters, num_deconv_kernels,
            num_basic_blocks)

    def _make_deconv_layers(self, in_channels: int,
                            num_deconv_filters: Sequence[int],
                            num_deconv_kernels: Sequence[int],
                            num_basic_blocks: int) -> nn.ModuleList:
        """Per deconv stage: Sequential(Sequential(deconv, BN, ReLU),
        Sequential(BasicBlock) x num_basic_blocks)."""
        stages = []
        for i in range(self.num_deconvs):
            if self.cat_output[i]:
                in_channels += self._output_channels(i)
            planes = num_deconv_filters[i]
            layers = [
                nn.Sequential(
                    *deconv_bn_relu(in_channels, planes,
                                    num_deconv_kernels[i]))
            ]
            layers += [
                nn.Sequential(BasicBlock(planes, planes))
                for _ in range(num_basic_blocks)
            ]
            stages.append(nn.Sequential(*layers))
            in_channels = planes
        return nn.ModuleList(stages)

    def forward(self, x: Union[torch.Tensor, List[torch.Tensor]]
                ) -> List[torch.Tensor]:
        """Predict from ``x``, a feature ``[N, C, h, w]`` or a list whose
        first feature is used.

        Returns:
            list[torch.Tensor]: ``num_deconv_layers + 1`` outputs, at the
            input resolution and then twice that of the previous one.
        """
        if isinstance(x, (list, tuple)):
            x = x[0]
        y = self.final_layers[0](x)
        outputs = [y]
        for i in range(self.num_deconvs):
            if self.cat_output[i]:
                x = torch.cat((x, y), dim=1)
            x = self.deconv_layers[i](x)
            y = self.final_layers[i + 1](x)
            outputs.append(y)
        return outputs

    def init_weights(self) -> None:
        """Initialize model weights."""
        init_deconv_final_weights(self.deconv_layers, self.final_layers)
