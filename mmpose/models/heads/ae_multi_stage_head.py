"""Associative Embedding multi-stage head (one output per hourglass stack).

Paper ref: Alejandro Newell et al. "Associative Embedding: End-to-end
Learning for Joint Detection and Grouping" (NeurIPS 2017).
"""
from typing import Dict, List, Optional, Sequence

import torch

from mmpose.errors import ArgumentTypeError

from ..builder import HEADS
from ..keypoint_heads.bottom_up_base_head import BottomUpBaseHead
from ..keypoint_heads.top_down_multi_stage_head import TopDownMultiStageHead
from ..keypoint_heads.utils import init_deconv_final_weights

__all__ = ['AEMultiStageHead']


def _flatten(nested: Sequence[Sequence[torch.Tensor]]) -> List[torch.Tensor]:
    """``[[stage 1 scales...], [stage 2 scales...]]`` -> one flat list."""
    return [item for stage in nested for item in stage]


@HEADS.register_module()
class AEMultiStageHead(BottomUpBaseHead):
    """Associative embedding head with one branch per stage.

    Stage ``i`` maps input ``x[i]`` through its own deconv layers and final
    conv; the channel layout (K heatmaps, then tags) is the one its input
    or final conv gives. With ``num_deconv_layers=0`` and
    ``extra=dict(final_conv_kernel=0)`` every branch is the identity and the
    head only computes the loss (HourglassAENet predicts the maps itself).

    Args:
        in_channels (int): Number of input channels.
        out_channels (int): Number of output channels.
        num_stages (int): Number of stages (inputs and outputs). Default: 1.
        num_deconv_layers (int): Number of deconv layers per stage, >= 0.
            Default: 3.
        num_deconv_filters (Sequence[int]): Output channels of each deconv
            layer. Default: (256, 256, 256).
        num_deconv_kernels (Sequence[int]): Kernel size of each deconv
            layer. Default: (4, 4, 4).
        extra (dict | None): ``final_conv_kernel`` (0 = identity, 1 or 3;
            default 1).
        loss_keypoint (dict | None): Config of the loss
            (``MultiLossFactory`` over ``num_stages`` x scales outputs).

    Shapes:
        x (list[Tensor[N, in_channels, h, w]], ``num_stages`` entries) ->
        list[Tensor[N, out_channels, h * 2**num_deconv_layers,
        w * 2**num_deconv_layers]].
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 num_stages: int = 1,
                 num_deconv_layers: int = 3,
                 num_deconv_filters: Sequence[int] = (256, 256, 256),
                 num_deconv_kernels: Sequence[int] = (4, 4, 4),
                 extra: Optional[dict] = None,
                 loss_keypoint: Optional[dict] = None):
        # The base class contributes the loss only: the joint / tag layout
        # is not this head's business.
        super().__init__(
            num_joints=None,
            tag_per_joint=True,
            with_ae_loss=None,
            num_outputs=num_stages,
            loss_keypoint=loss_keypoint)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.num_stages = num_stages
        # Every stage starts from in_channels (the 0.x head fed later stages
        # the previous stage's deconv width; no released config has both
        # several stages and deconv layers).
        self.multi_deconv_layers, self.multi_final_layers = \
            TopDownMultiStageHead._make_stage_layers(
                num_stages, in_channels, out_channels, num_deconv_layers,
                num_deconv_filters, num_deconv_kernels, extra)

    def forward(self, x: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (list[torch.Tensor[N, C, h, w]]): One feature per stage.

        Returns:
            list[torch.Tensor]: One output per stage.
        """
        if not isinstance(x, (list, tuple)) or len(x) < self.num_stages:
            raise ArgumentTypeError(
                f'AEMultiStageHead expects a list of {self.num_stages} '
                f'features (one per stage), got '
                f'{type(x).__name__}'
                + (f' of {len(x)}' if isinstance(x, (list, tuple)) else ''))
        return [
            final(deconv(feat)) for feat, deconv, final in zip(
                x, self.multi_deconv_layers, self.multi_final_layers)
        ]

    def get_loss(self, output: List[torch.Tensor],
                 targets: Sequence[Sequence[torch.Tensor]],
                 masks: Sequence[Sequence[torch.Tensor]],
                 joints: Sequence[Sequence[torch.Tensor]]
                 ) -> Dict[str, torch.Tensor]:
        """Sum of the per-output losses, batch-averaged.

        Note:
            batch_size: N
            num_keypoints: K
            max_num_people: M
            heatmaps height: H
            heatmaps weight: W

        Args:
            output (list[torch.Tensor[N, C, H, W]]): Head outputs.
            targets (list[list[torch.Tensor[N, K, H, W]]]): Per stage, the
                multi-scale target heatmaps.
            masks (list[list[torch.Tensor[N, H, W]]]): Per stage, the masks.
            joints (list[list[torch.Tensor[N, M, K, 2]]]): Per stage, the
                joints for the AE loss.

        Returns:
            dict: 'heatmap_loss', 'push_loss', 'pull_loss' (those present).
        """
        return super().get_loss(output, _flatten(targets), _flatten(masks),
                                _flatten(joints))

    def init_weights(self) -> None:
        """Initialize model weights."""
        init_deconv_final_weights(self.multi_deconv_layers,
                                  self.multi_final_layers)
