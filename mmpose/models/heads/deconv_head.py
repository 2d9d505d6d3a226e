"""Simple deconv head with a masked (bottom-up style) loss, used as the 2D
heatmap network of VoxelPose."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from ..builder import HEADS, build_head_loss
from ..keypoint_heads.top_down_simple_head import TopDownSimpleHead
from ..keypoint_heads.utils import init_deconv_final_weights

__all__ = ['DeconvHead']


@HEADS.register_module()
class DeconvHead(nn.Module):
    """Deconv layers, optional conv-BN-ReLU layers and a final conv.

    The layers and the input selection are those of
    :class:`TopDownSimpleHead`; the outputs are a one-entry list and the loss
    compares outputs with targets under masks, scale by scale.

    Args:
        in_channels (int | Sequence[int]): Number of input channels.
            Default: 3.
        out_channels (int): Number of output channels. Default: 17.
        num_deconv_layers (int): Number of deconv layers, >= 0. Default: 3.
        num_deconv_filters (Sequence[int]): Output channels of each deconv
            layer. Default: (256, 256, 256).
        num_deconv_kernels (Sequence[int]): Kernel size of each deconv
            layer. Default: (4, 4, 4).
        extra (dict | None): ``final_conv_kernel`` (0 = identity, 1 or 3),
            ``num_conv_layers`` and ``num_conv_kernels``.
        in_index (int | Sequence[int]): Input feature index. Default: 0.
        input_transform (str | None): None, ``'resize_concat'`` or
            ``'multiple_select'`` (see :class:`TopDownSimpleHead`).
        align_corners (bool): ``align_corners`` of the resizing.
            Default: False.
        loss_keypoint (dict): Config of the loss (required), called as
            ``loss(output, target, mask)``.

    Shapes:
        x (Tensor[N, in_channels, h, w]) -> [Tensor[N, out_channels,
        h * 2**num_deconv_layers, w * 2**num_deconv_layers]].
    """

    # the input selection and final layers of the Simple Baselines head
    _init_inputs = TopDownSimpleHead._init_inputs
    _transform_inputs = TopDownSimpleHead._transform_inputs
    _init_layers = TopDownSimpleHead._init_layers
    _make_final_layer = staticmethod(TopDownSimpleHead._make_final_layer)

    def __init__(self,
                 in_channels: Union[int, Sequence[int]] = 3,
                 out_channels: int = 17,
                 num_deconv_layers: int = 3,
                 num_deconv_filters: Sequence[int] = (256, 256, 256),
                 num_deconv_kernels: Sequence[int] = (4, 4, 4),
                 extra: Optional[dict] = None,
                 in_index: Union[int, Sequence[int]] = 0,
                 input_transform: Optional[str] = None,
                 align_corners: bool = False,
                 loss_keypoint: Optional[dict] = None):
        super().__init__()
        self.loss = build_head_loss(loss_keypoint, type(self).__name__)
        self._init_layers(in_channels, out_channels, num_deconv_layers,
                          num_deconv_filters, num_deconv_kernels, extra,
                          in_index, input_transform, align_corners)

    def forward(self, x: Union[torch.Tensor, List[torch.Tensor]]
                ) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (torch.Tensor[N, C, h, w] | list[torch.Tensor]): Features.

        Returns:
            list[torch.Tensor[N, out_channels, H, W]]: One output.
        """
        x = self._transform_inputs(x)
        return [self.final_layer(self.deconv_layers(x))]

    def get_loss(self, outputs: Sequence[torch.Tensor],
                 targets: Sequence[torch.Tensor],
                 masks: Sequence[torch.Tensor]) -> Dict[str, torch.Tensor]:
        """Sum over scales of ``loss(output, target, mask)``.

        Note:
            batch_size: N
            num_channels: C
            heatmaps height: H
            heatmaps weight: W

        Args:
            outputs (list[torch.Tensor[N, C, H, W]]): Multi-scale outputs.
            targets (list[torch.Tensor[N, C, H, W]]): Multi-scale targets.
            masks (list[torch.Tensor[N, H, W]]): Masks of the targets.

        Returns:
            dict: ``{'loss': loss}``.
        """
        return {
            'loss':
            sum(self.loss(out, target, mask)
                for out, target, mask in zip(outputs, targets, masks))
        }

    def init_weights(self) -> None:
        """Initialize model weights."""
        init_deconv_final_weights(self.deconv_layers, self.final_layer)
