"""Bottom-up simple head (Associative Embedding on a single resolution)."""
from typing import List, Optional, Sequence, Union

import torch

from ..builder import HEADS
from .bottom_up_base_head import BottomUpBaseHead
from .utils import (build_deconv_layers, build_final_conv,
                    init_deconv_final_weights, parse_final_conv_kernel)

__all__ = ['BottomUpSimpleHead']


@HEADS.register_module()
class BottomUpSimpleHead(BottomUpBaseHead):
    """Bottom-up simple head.

    Deconv layers and a conv predicting K heatmaps plus (with AE loss) the
    tag maps.

    Args:
        in_channels (int): Number of input channels.
        num_joints (int): Number of joints.
        num_deconv_layers (int): Number of deconv layers; 0 for none.
        num_deconv_filters (Sequence[int]): Channels of each deconv layer.
        num_deconv_kernels (Sequence[int]): Kernel size of each (4, 3 or 2).
        tag_per_joint (bool): If tag_per_joint is True,
            the dimension of tags equals to num_joints,
            else the dimension of tags is 1. Default: True
        with_ae_loss (list[bool]): Option to use ae loss or not.
        extra (dict | None): 'final_conv_kernel' (1 or 3).
        loss_keypoint (dict): Config for loss. Default: None.
    """

    def __init__(self,
                 in_channels: int,
                 num_joints: int,
                 num_deconv_layers: int = 3,
                 num_deconv_filters: Sequence[int] = (256, 256, 256),
                 num_deconv_kernels: Sequence[int] = (4, 4, 4),
                 tag_per_joint: bool = True,
                 with_ae_loss: Optional[Sequence[bool]] = None,
                 extra: Optional[dict] = None,
                 loss_keypoint: Optional[dict] = None):
        super().__init__(num_joints, tag_per_joint, with_ae_loss, 1,
                         loss_keypoint)
        self.in_channels = in_channels
        kernel_size, padding = parse_final_conv_kernel(extra, (1, 3))
        self.deconv_layers = build_deconv_layers(in_channels,
                                                 num_deconv_layers,
                                                 num_deconv_filters,
                                                 num_deconv_kernels)
        conv_channels = (num_deconv_filters[-1]
                         if num_deconv_layers > 0 else in_channels)
        self.final_layer = build_final_conv(conv_channels,
                                            self._output_channels(0),
                                            kernel_size, padding)

    def forward(self, x: Union[torch.Tensor, List[torch.Tensor]]
                ) -> List[torch.Tensor]:
        """Predict from ``x``, a feature ``[N, C, h, w]`` or a list whose
        first feature is used.

        Returns:
            list[torch.Tensor[N, K(+tags), H, W]]: One output, the heatmaps
            (and tag maps) after the deconv layers.
        """
        if isinstance(x, (list, tuple)):
            x = x[0]
        return [self.final_layer(self.deconv_layers(x))]

    def init_weights(self) -> None:
        """Initialize model weights."""
        init_deconv_final_weights(self.deconv_layers, self.final_layer)
