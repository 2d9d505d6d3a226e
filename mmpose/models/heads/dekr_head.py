"""DEKR head: a center + keypoint heatmap branch and a per-keypoint offset
branch built from adaptive (deformable) convolutions.

Paper ref: Zigang Geng et al. Bottom-Up Human Pose Estimation Via
Disentangled Keypoint Regression (CVPR 2021).

Note:
    batch size: N
    number of keypoints: K
    feature / output height, width: H, W
"""
import copy
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmcv.cnn import (ConvModule, build_activation_layer, build_conv_layer,
                      build_norm_layer, constant_init, normal_init)
from torch import nn

from mmpose.errors import ArgumentError
from mmpose.utils.mmcv_ops import import_mmcv_ops
from ..backbones.resnet import BasicBlock
from ..builder import HEADS, build_loss
from .deconv_head import DeconvHead

__all__ = ['AdaptiveActivationBlock', 'DEKRHead']

# Sampling grid of a 3x3 kernel as homogeneous (y, x, 1) columns, in the
# kernel order mmcv's deformable convolution reads its offsets.
_KERNEL_GRID = [[-1, -1, -1, 0, 0, 0, 1, 1, 1],
                [-1, 0, 1, -1, 0, 1, -1, 0, 1],
                [1, 1, 1, 1, 1, 1, 1, 1, 1]]


class AdaptiveActivationBlock(nn.Module):
    """Residual block whose 3x3 convolution samples an affine-transformed
    grid predicted at each pixel (one 2x3 affine matrix per group).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (equal to ``in_channels`` for
            the residual).
        groups (int): Groups of the convolutions (the number of keypoints).
        norm_cfg (dict): Norm layer config. Default: BN.
        act_cfg (dict): Activation config. Default: ReLU.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 groups: int = 1,
                 norm_cfg: dict = dict(type='BN'),
                 act_cfg: dict = dict(type='ReLU')):
        super().__init__()
        if in_channels % groups or out_channels % groups:
            raise ArgumentError(
                f'AdaptiveActivationBlock: in_channels ({in_channels}) and '
                f'out_channels ({out_channels}) must be multiples of groups '
                f'({groups})')
        self.groups = groups
        self.register_buffer('regular_matrix',
                             torch.tensor(_KERNEL_GRID, dtype=torch.float32))
        self.transform_matrix_conv = build_conv_layer(
            dict(type='Conv2d'),
            in_channels=in_channels,
            out_channels=6 * groups,
            kernel_size=3,
            padding=1,
            groups=groups,
            bias=True)
        ops = import_mmcv_ops('DEKRHead (AdaptiveActivationBlock)')
        self._deform_conv2d = ops.deform_conv2d
        self.adapt_conv = ops.DeformConv2d(
            in_channels,
            out_channels,
            kernel_size=3,
            padding=1,
            bias=False,
            groups=groups,
            deform_groups=groups)
        self.norm = build_norm_layer(norm_cfg, out_channels)[1]
        self.act = build_activation_layer(act_cfg)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (torch.Tensor[N, C, H, W]) -> torch.Tensor[N, C, H, W]."""
        n, _, h, w = x.shape
        affine = self.transform_matrix_conv(x).permute(0, 2, 3, 1)
        affine = affine.reshape(n, h, w, self.groups, 2, 3)
        # [N, H, W, G, 2, 9] -> (y, x) per kernel position, groups first
        offset = (affine @ self.regular_matrix).transpose(4, 5)
        offset = offset.reshape(n, h, w, self.groups * 18).permute(0, 3, 1, 2)
        # the compiled op needs contiguous NCHW tensors, also when the
        # model was converted to channels_last (as init_pose_model does)
        conv = self.adapt_conv
        out = self._deform_conv2d(x.contiguous(), offset.contiguous(),
                                  conv.weight.contiguous(), conv.stride,
                                  conv.padding, conv.dilation, conv.groups,
                                  conv.deform_groups, False, conv.im2col_step)
        out = self.norm(out)
        return self.act(out + x)


@HEADS.register_module()
class DEKRHead(DeconvHead):
    """DisEntangled Keypoint Regression head.

    The (optionally resized and concatenated) features go through the
    inherited deconv and final layers (identity by default), then two
    branches: heatmaps of the person center and the K keypoints
    (``[N, 1 + K, H, W]``) and offsets from each pixel to the K keypoints
    (``[N, 2K, H, W]``, (x, y) per keypoint).

    Args:
        in_channels (int | Sequence[int]): Input channels.
        num_joints (int): K.
        num_heatmap_filters (int): Channels of the heatmap branch.
            Default: 32.
        num_offset_filters_per_joint (int): Channels of the offset branch
            per keypoint. Default: 15.
        in_index (int | Sequence[int]): Input feature index. Default: 0.
        input_transform (str | None): None, 'resize_concat' or
            'multiple_select'. Default: None.
        num_deconv_layers (int): Deconv layers before the branches.
            Default: 0.
        num_deconv_filters (Sequence[int] | None): Their channels.
        num_deconv_kernels (Sequence[int] | None): Their kernel sizes.
        extra (dict): ``final_conv_kernel`` of a conv before the branches
            (0: none). Default: ``dict(final_conv_kernel=0)``.
        align_corners (bool): For 'resize_concat'. Default: False.
        heatmap_loss (dict | None): Heatmap loss config (called with
            per-pixel weights ``[N, 1 + K, H * W]``).
        offset_loss (dict | None): Offset loss config.
    """

    def __init__(self,
                 in_channels: Union[int, Sequence[int]],
                 num_joints: int,
                 num_heatmap_filters: int = 32,
                 num_offset_filters_per_joint: int = 15,
                 in_index: Union[int, Sequence[int]] = 0,
                 input_transform: Optional[str] = None,
                 num_deconv_layers: int = 0,
                 num_deconv_filters: Optional[Sequence[int]] = None,
                 num_deconv_kernels: Optional[Sequence[int]] = None,
                 extra: dict = dict(final_conv_kernel=0),
                 align_corners: bool = False,
                 heatmap_loss: Optional[dict] = None,
                 offset_loss: Optional[dict] = None):
        super().__init__(
            in_channels,
            out_channels=in_channels,
            num_deconv_layers=num_deconv_layers,
            num_deconv_filters=num_deconv_filters,
            num_deconv_kernels=num_deconv_kernels,
            extra=extra,
            in_index=in_index,
            input_transform=input_transform,
            align_corners=align_corners,
            loss_keypoint=heatmap_loss)
        self.num_joints = num_joints
        if isinstance(self.final_layer, nn.Identity):
            channels = (num_deconv_filters[-1]
                        if num_deconv_layers > 0 else self.in_channels)
        else:
            channels = in_channels
        self.heatmap_conv_layers = nn.Sequential(
            ConvModule(channels, num_heatmap_filters, 1,
                       norm_cfg=dict(type='BN')),
            BasicBlock(num_heatmap_filters, num_heatmap_filters),
            build_conv_layer(
                dict(type='Conv2d'), num_heatmap_filters, 1 + num_joints, 1))
        num_offset_filters = num_joints * num_offset_filters_per_joint
        self.offset_conv_layers = nn.Sequential(
            ConvModule(channels, num_offset_filters, 1,
                       norm_cfg=dict(type='BN')),
            AdaptiveActivationBlock(
                num_offset_filters, num_offset_filters, groups=num_joints),
            AdaptiveActivationBlock(
                num_offset_filters, num_offset_filters, groups=num_joints),
            build_conv_layer(
                dict(type='Conv2d'),
                num_offset_filters,
                2 * num_joints,
                1,
                groups=num_joints))
        self.offset_loss = build_loss(copy.deepcopy(offset_loss))

    def forward(self, x: Union[torch.Tensor, List[torch.Tensor]]
                ) -> List[List[torch.Tensor]]:
        """Features -> ``[[heatmaps [N, 1 + K, H, W], offsets [N, 2K, H,
        W]]]`` (one output scale)."""
        x = self.final_layer(self.deconv_layers(self._transform_inputs(x)))
        return [[self.heatmap_conv_layers(x), self.offset_conv_layers(x)]]

    def get_loss(self, outputs: List[List[torch.Tensor]],
                 heatmaps: List[torch.Tensor], masks: List[torch.Tensor],
                 offsets: List[torch.Tensor],
                 offset_weights: List[torch.Tensor]
                 ) -> Dict[str, torch.Tensor]:
        """Heatmap and offset losses summed over the output scales.

        Args:
            outputs (list[[Tensor, Tensor]]): Per scale, the heatmaps
                ``[N, 1 + K, H, W]`` and offsets ``[N, 2K, H, W]``.
            heatmaps (list[torch.Tensor[N, 1 + K, H, W]]): Targets.
            masks (list[torch.Tensor[N, 1 + K, H, W]]): Heatmap weights.
            offsets (list[torch.Tensor[N, 2K, H, W]]): Offset targets.
            offset_weights (list[torch.Tensor[N, 2K, H, W]]): Their weights.

        Returns:
            dict: ``loss_hms`` and ``loss_ofs``.
        """
        loss_hms, loss_ofs = 0, 0
        for (pred_heatmap, pred_offset), heatmap, mask, offset, weight in zip(
                outputs, heatmaps, masks, offsets, offset_weights):
            loss_hms = loss_hms + self.loss(pred_heatmap, heatmap,
                                            mask.flatten(2))
            loss_ofs = loss_ofs + self.offset_loss(pred_offset, offset,
                                                   weight)
        return dict(loss_hms=loss_hms, loss_ofs=loss_ofs)

    def init_weights(self) -> None:
        """Convs N(0, 0.001) (the affine predictors start at zero, i.e. a
        plain 3x3 grid), norms weight 1 and bias 0."""
        super().init_weights()
        for name, m in self.named_modules():
            if isinstance(m, nn.Conv2d):
                std = 0 if 'transform_matrix_conv' in name else 0.001
                normal_init(m, std=std)
            elif isinstance(m, nn.BatchNorm2d):
                constant_init(m, 1)
