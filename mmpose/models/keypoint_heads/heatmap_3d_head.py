"""3D heatmap head of InterHand2.6M.

Paper ref: Gyeongsik Moon et al. InterHand2.6M: A Dataset and Baseline for
3D Interacting Hand Pose Estimation from a Single RGB Image (ECCV 2020).
"""
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
import torch

from mmpose.core.evaluation import (keypoints_from_heatmaps3d,
                                    pose_pck_accuracy)
from mmpose.errors import ArgumentError
from ..builder import HEADS
from .top_down_simple_head import TopDownSimpleHead

__all__ = ['HeatMap3DHead']


@HEADS.register_module()
class HeatMap3DHead(TopDownSimpleHead):
    """3D heatmap head of paper ref: Gyeongsik Moon. "InterHand2.6M: A
    Dataset and Baseline for 3D Interacting Hand Pose Estimation from a
    Single RGB Image" HeatMap3DHead is a variant of TopDownSimpleHead, and
    is composed of (>=0) number of deconv layers and a simple conv2d layer.
    The ``out_channels`` maps are read as K = out_channels / depth_size
    volumes of depth D = depth_size.

    Args:
        in_channels (int): Number of input channels
        out_channels (int): Number of output channels
        depth_size (int): Number of depth discretization size
        num_deconv_layers (int): Number of deconv layers; 0 for none.
        num_deconv_filters (Sequence[int]): Channels of each deconv layer.
        num_deconv_kernels (Sequence[int]): Kernel size of each (4, 3 or 2).
        extra (dict | None): See :class:`TopDownSimpleHead`.
        in_index (int|Sequence[int]): Input feature index. Default: 0
        input_transform (str|None): See :class:`TopDownSimpleHead`.
        align_corners (bool): align_corners argument of F.interpolate.
            Default: False.
        loss_keypoint (dict): Config for keypoint loss. Default: None.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    loss_name = 'heatmap_loss'

    def __init__(self,
                 in_channels: Union[int, Sequence[int]],
                 out_channels: int,
                 depth_size: int = 64,
                 num_deconv_layers: int = 3,
                 num_deconv_filters: Sequence[int] = (256, 256, 256),
                 num_deconv_kernels: Sequence[int] = (4, 4, 4),
                 extra: Optional[dict] = None,
                 in_index: Union[int, Sequence[int]] = 0,
                 input_transform: Optional[str] = None,
                 align_corners: bool = False,
                 loss_keypoint: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        if depth_size <= 0 or out_channels % depth_size != 0:
            raise ArgumentError(
                f'HeatMap3DHead: out_channels ({out_channels}) '
                f'must be a multiple of depth_size '
                f'({depth_size})')
        super().__init__(in_channels, out_channels, num_deconv_layers,
                         num_deconv_filters, num_deconv_kernels, extra,
                         in_index, input_transform, align_corners,
                         loss_keypoint, train_cfg, test_cfg)
        self.depth_size = depth_size

    def forward(self, x: Union[torch.Tensor, Sequence[torch.Tensor]]
                ) -> torch.Tensor:
        """Forward function.

        Args:
            x (torch.Tensor[N, C, h, w]): Features.

        Returns:
            torch.Tensor[N, K, D, H, W]: 3D heatmaps.
        """
        x = super().forward(x)
        n, c, h, w = x.shape
        return x.reshape(n, c // self.depth_size, self.depth_size, h, w)

    def get_accuracy(self, output: torch.Tensor, target: torch.Tensor,
                     target_weight: torch.Tensor) -> Dict[str, float]:
        """PCK of the 2D heatmaps obtained by taking the maximum over depth.

        Note:
            batch size N, keypoints K, depth bins D, heatmap size H x W.

        Args:
            output (torch.Tensor[N, K, D, H, W]): Predicted volumes.
            target (torch.Tensor[N, K, D, H, W]): Target volumes.
            target_weight (torch.Tensor[N, K, 1]): Keypoint weights; the
                keypoints weighted above 0 are scored.

        Returns:
            dict: ``{'acc_pose': float}``.
        """
        _, avg_acc, _ = pose_pck_accuracy(
            output.detach().amax(dim=2).cpu().numpy(),
            target.detach().amax(dim=2).cpu().numpy(),
            target_weight.detach().cpu().numpy().squeeze(-1) > 0)
        return dict(acc_pose=float(avg_acc))

    def keypoints_from_output(self, output: np.ndarray, center: np.ndarray,
                              scale: np.ndarray,
                              **kwargs) -> Tuple[np.ndarray, np.ndarray]:
        """Argmax of the 3D heatmaps; x, y mapped back to the image, z kept
        in heatmap (depth bin) units.

        Args:
            output (np.ndarray[N, K, D, H, W]): model predicted 3D heatmaps.
            center (np.ndarray[N, 2]): Box centers.
            scale (np.ndarray[N, 2]): Box scales.

        Returns:
            tuple: preds (np.ndarray[N, K, 3]: x, y, z) and maxvals
            (np.ndarray[N, K, 1]).
        """
        if output.ndim != 5:
            raise ArgumentError(f'HeatMap3DHead.decode expects heatmaps '
                                f'[N, K, D, H, W], got {output.shape}')
        preds, maxvals = keypoints_from_heatmaps3d(output, center, scale)
        return preds, maxvals.astype(np.float32)
