"""PoseWarper neck: warp the heatmaps of neighbouring frames onto the
annotated one with deformable convolutions.

Bertasius et al., "Learning Temporal Pose Estimation from Sparsely-Labeled
Videos", NeurIPS 2019 (https://arxiv.org/abs/1906.04016).
"""
from typing import List, Optional, Sequence, Union

import torch
from mmcv.cnn import (build_conv_layer, build_norm_layer, constant_init,
                      normal_init)
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError
from mmpose.utils.mmcv_ops import import_mmcv_ops
from ..backbones.resnet import BasicBlock, Bottleneck
from ..builder import NECKS
from ..keypoint_heads.top_down_simple_head import TopDownSimpleHead

__all__ = ['PoseWarperNeck']

Features = Union[torch.Tensor, List[torch.Tensor]]


@NECKS.register_module()
class PoseWarperNeck(nn.Module):
    """PoseWarper neck.

    Every frame's features go through the transition conv (to K heatmap
    channels); a chain of residual blocks turns the difference between the
    reference frame's and each frame's heatmaps into offset features; for
    each dilation an offset conv predicts the sampling offsets of a
    deformable conv that warps that frame's heatmaps. The warps are averaged
    over the dilations and summed over the frames with ``frame_weight``.

    Args:
        in_channels (int): Channels of the backbone features.
        out_channels (int): Heatmap channels K.
        inner_channels (int): Channels of the offset features.
        deform_groups (int): Offset groups of the deformable convs.
            Default: 17.
        dilations (Sequence[int]): One offset conv and deformable conv per
            dilation. Default: (3, 6, 12, 18, 24).
        trans_conv_kernel (int): Kernel of the transition conv: 1 or 3, or 0
            for none (identity). Default: 1.
        res_blocks_cfg (dict | None): ``block`` ('BASIC' or 'BOTTLENECK')
            and ``num_blocks`` of the offset feature chain. Default: None
            (20 BASIC blocks).
        offsets_kernel (int): Kernel of the offset convs. Default: 3.
        deform_conv_kernel (int): Kernel of the deformable convs.
            Default: 3.
        in_index (int | Sequence[int]): Backbone output(s) to use.
            Default: 0.
        input_transform (str | None): None, 'resize_concat' or
            'multiple_select', as for the top-down heads. Default: None.
        freeze_trans_layer (bool): Keep the transition conv frozen (eval
            mode, no gradient). Default: True.
        norm_eval (bool): Keep batch-norm layers in eval mode while
            training. Default: False.
        im2col_step (int): ``im2col_step`` of the deformable convs.
            Default: 80.

    Note:
        - frames: F; batch size: N; heatmap channels: K; heatmap height,
          width: H, W.
    """

    BLOCKS = {'BASIC': BasicBlock, 'BOTTLENECK': Bottleneck}
    # Input selection is the top-down heads' (same arguments, same rules).
    align_corners = False
    _init_inputs = TopDownSimpleHead._init_inputs
    _transform_inputs = TopDownSimpleHead._transform_inputs

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 inner_channels: int,
                 deform_groups: int = 17,
                 dilations: Sequence[int] = (3, 6, 12, 18, 24),
                 trans_conv_kernel: int = 1,
                 res_blocks_cfg: Optional[dict] = None,
                 offsets_kernel: int = 3,
                 deform_conv_kernel: int = 3,
                 in_index: Union[int, Sequence[int]] = 0,
                 input_transform: Optional[str] = None,
                 freeze_trans_layer: bool = True,
                 norm_eval: bool = False,
                 im2col_step: int = 80):
        super().__init__()
        ops = import_mmcv_ops('PoseWarperNeck (deformable convolution)')
        self._init_inputs(in_channels, in_index, input_transform)
        self.out_channels = out_channels
        self.inner_channels = inner_channels
        self.deform_groups = deform_groups
        self.dilations = tuple(dilations)
        self.freeze_trans_layer = freeze_trans_layer
        self.norm_eval = norm_eval
        self.im2col_step = im2col_step
        if not self.dilations:
            raise ArgumentError('dilations must name at least one dilation')

        self.trans_layer = self._make_trans_layer(trans_conv_kernel)
        self.offset_feats = self._make_offset_feats(res_blocks_cfg)
        offset_channels = 2 * offsets_kernel**2 * deform_groups
        self.offset_layers = nn.ModuleList(
            build_conv_layer(
                dict(type='Conv2d'),
                inner_channels,
                offset_channels,
                kernel_size=offsets_kernel,
                dilation=d,
                padding=d,
                bias=False) for d in self.dilations)
        self.deform_conv_layers = nn.ModuleList(
            ops.DeformConv2d(
                out_channels,
                out_channels,
                kernel_size=deform_conv_kernel,
                padding=deform_conv_kernel // 2 * d,
                dilation=d,
                deform_groups=deform_groups,
                im2col_step=im2col_step) for d in self.dilations)
        self._freeze_trans_layer()

    def _make_trans_layer(self, kernel: int) -> nn.Module:
        if kernel not in (0, 1, 3):
            raise ArgumentError('trans_conv_kernel must be 0 (identity), 1 '
                                f'or 3, got {kernel}')
        if kernel == 0:
            return nn.Identity()
        return build_conv_layer(
            dict(type='Conv2d'),
            self.in_channels,
            self.out_channels,
            kernel_size=kernel,
            padding=(kernel - 1) // 2)

    def _make_offset_feats(self, cfg: Optional[dict]) -> nn.Sequential:
        """The residual chain from K heatmap channels to inner_channels."""
        if cfg is not None and not isinstance(cfg, dict):
            raise ArgumentTypeError('res_blocks_cfg must be a dict or None, '
                                    f'got {type(cfg).__name__}')
        cfg = cfg or {}
        block_type = cfg.get('block', 'BASIC')
        if block_type not in self.BLOCKS:
            raise UnknownNameError(
                f"res_blocks_cfg['block'] {block_type!r} is not one of "
                f'{sorted(self.BLOCKS)}')
        block = self.BLOCKS[block_type]
        downsample = nn.Sequential(
            build_conv_layer(
                dict(type='Conv2d'),
                self.out_channels,
                self.inner_channels,
                kernel_size=1,
                bias=False),
            build_norm_layer(dict(type='BN'), self.inner_channels)[1])
        blocks = [block(self.out_channels, self.inner_channels,
                        downsample=downsample)]
        blocks += [
            block(self.inner_channels, self.inner_channels)
            for _ in range(1, cfg.get('num_blocks', 20))
        ]
        return nn.Sequential(*blocks)

    def _freeze_trans_layer(self) -> None:
        if self.freeze_trans_layer:
            self.trans_layer.eval()
            for param in self.trans_layer.parameters():
                param.requires_grad = False

    def init_weights(self) -> None:
        """Convs ~ N(0, 0.001), norms 1, offset convs 0 and deformable
        convs the identity (channel k copies channel k), so that training
        starts from unwarped heatmaps."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                normal_init(m, std=0.001)
            elif isinstance(m, (_BatchNorm, nn.GroupNorm)):
                constant_init(m, 1)
        for m in self.offset_layers:
            constant_init(m, 0)
        for m in self.deform_conv_layers:
            out_channels, _, kh, kw = m.weight.shape
            with torch.no_grad():
                m.weight.zero_()
                channel = torch.arange(out_channels)
                m.weight[channel, channel, kh // 2, kw // 2] = 1.0

    def _warp(self, heatmaps: torch.Tensor,
              offset_feats: torch.Tensor) -> torch.Tensor:
        """``heatmaps[B, K, H, W]`` deformed with the offsets predicted from
        ``offset_feats``, averaged over the dilations."""
        # mmcv's deformable conv needs NCHW-contiguous tensors (models on
        # the CPU may run channels-last).
        heatmaps = heatmaps.contiguous()
        warped = sum(
            deform(heatmaps, offset_layer(offset_feats).contiguous())
            for offset_layer, deform in zip(self.offset_layers,
                                            self.deform_conv_layers))
        return warped / len(self.dilations)

    def forward(self, inputs: Sequence[Features],
                frame_weight: Sequence[float]) -> torch.Tensor:
        """Warped heatmaps ``[N, K, H, W]`` of the reference frame.

        Args:
            inputs (list): Either one backbone output per frame (each
                ``[N, C, h, w]`` or a list of levels), the reference frame
                first; or a single backbone output of the F frames
                concatenated on the batch axis (``[F * N, C, h, w]``).
            frame_weight (Sequence[float]): F weights of the frames.
        """
        if not isinstance(inputs, (list, tuple)):
            raise ArgumentTypeError(
                'PoseWarperNeck inputs must be a list or tuple (of one '
                f'output per frame, or of one), got {type(inputs).__name__}')
        num_frames = len(frame_weight)
        if len(inputs) > 1:
            if len(inputs) != num_frames:
                raise ArgumentError(
                    f'{len(inputs)} frames but {num_frames} frame weights '
                    f'{list(frame_weight)}')
            heatmaps = [
                self.trans_layer(self._transform_inputs(x)) for x in inputs
            ]
            offset_feats = [self.offset_feats(heatmaps[0] - h)
                            for h in heatmaps]
            return sum(w * self._warp(h, f)
                       for h, f, w in zip(heatmaps, offset_feats, frame_weight)
                       if w != 0)

        heatmaps = self.trans_layer(self._transform_inputs(inputs[0]))
        if heatmaps.size(0) % num_frames:
            raise ArgumentError(
                f'a batch of {heatmaps.size(0)} crops does not split into '
                f'{num_frames} frames (frame_weight={list(frame_weight)})')
        batch_size = heatmaps.size(0) // num_frames
        reference = heatmaps[:batch_size].repeat(num_frames, 1, 1, 1)
        warped = self._warp(heatmaps, self.offset_feats(reference - heatmaps))
        weights = heatmaps.new_tensor(frame_weight).view(-1, 1, 1, 1, 1)
        return (warped.view(num_frames, batch_size, *warped.shape[1:]) *
                weights).sum(dim=0)

    def train(self, mode: bool = True) -> 'PoseWarperNeck':
        """Training mode, keeping the frozen transition conv (and with
        ``norm_eval`` the batch-norm layers) in eval mode."""
        super().train(mode)
        self._freeze_trans_layer()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
