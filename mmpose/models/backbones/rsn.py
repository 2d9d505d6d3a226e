"""RSN: Residual Steps Network.

Cai et al., "Learning Delicate Local Representations for Multi-Person Pose
Estimation", ECCV 2020. Each stage is a U-net whose downsample path is built
from Residual Steps Blocks (:class:`RSB`); the structure shared with MSPN
lives in :mod:`mmpose.models.backbones.multi_stage_common`.
"""
import copy
from typing import List, Optional, Sequence

import torch
from mmcv.cnn import ConvModule
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import BACKBONES
from .multi_stage_common import MultiStageUNetBackbone
from .resnet import _ResidualBlock

__all__ = ['RSB', 'RSN']


class RSB(_ResidualBlock):
    """Residual Steps Block.

    A 1x1 conv (carrying the stride) expands the input to ``num_steps``
    branches of ``in_channels * expand_times // res_top_channels`` channels.
    Branch ``i`` (1-based) runs ``i`` 3x3 conv-BN-ReLU steps; step ``j`` of
    branch ``i`` also receives step ``j`` of branch ``i - 1``, so deeper
    branches see gradually larger receptive fields. The last steps of all
    branches are concatenated, projected by a 1x1 conv-BN and added to the
    (downsampled) identity.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (``expansion`` is 1).
        num_steps (int): Number of branches/steps, >= 2. Default: 4.
        stride (int): Stride of the block. Default: 1.
        downsample (nn.Module | None): Projection of the identity.
        with_cp (bool): Use gradient checkpointing. Default: False.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        expand_times (int): Expansion of the branch width. Default: 26.
        res_top_channels (int): Stem channels, the width divisor.
            Default: 64.

    Shapes:
        x (Tensor[N, in_channels, H, W]) ->
        Tensor[N, out_channels, H/stride, W/stride]
    """

    expansion = 1

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 num_steps: int = 4,
                 stride: int = 1,
                 downsample: Optional[nn.Module] = None,
                 with_cp: bool = False,
                 norm_cfg: dict = dict(type='BN'),
                 expand_times: int = 26,
                 res_top_channels: int = 64) -> None:
        super().__init__()
        if not isinstance(num_steps, int) or num_steps < 2:
            raise ArgumentError(
                f'RSB: num_steps must be an int >= 2, got {num_steps!r}')
        self.in_channels = in_channels
        self.branch_channels = in_channels * expand_times // res_top_channels
        if self.branch_channels < 1:
            raise ArgumentError(
                f'RSB: in_channels * expand_times // res_top_channels = '
                f'{in_channels} * {expand_times} // {res_top_channels} '
                'must be >= 1')
        self.out_channels = out_channels
        self.stride = stride
        self.downsample = downsample
        self.with_cp = with_cp
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.num_steps = num_steps
        self.conv_bn_relu1 = ConvModule(
            in_channels,
            num_steps * self.branch_channels,
            kernel_size=1,
            stride=stride,
            padding=0,
            norm_cfg=self.norm_cfg,
            inplace=False)
        for i in range(num_steps):
            for j in range(i + 1):
                self.add_module(
                    f'conv_bn_relu2_{i + 1}_{j + 1}',
                    ConvModule(
                        self.branch_channels,
                        self.branch_channels,
                        kernel_size=3,
                        stride=1,
                        padding=1,
                        norm_cfg=self.norm_cfg,
                        inplace=False))
        self.conv_bn3 = ConvModule(
            num_steps * self.branch_channels,
            out_channels * self.expansion,
            kernel_size=1,
            stride=1,
            padding=0,
            norm_cfg=self.norm_cfg,
            act_cfg=None,
            inplace=False)
        self.relu = nn.ReLU(inplace=False)

    def _residual(self, x: torch.Tensor) -> torch.Tensor:
        splits = torch.split(self.conv_bn_relu1(x), self.branch_channels, 1)
        prev_branch: List[torch.Tensor] = []
        last_steps = []
        for i in range(self.num_steps):
            branch = []
            for j in range(i + 1):
                inputs = splits[i] if j == 0 else branch[j - 1]
                if j < i:
                    inputs = inputs + prev_branch[j]
                branch.append(
                    getattr(self, f'conv_bn_relu2_{i + 1}_{j + 1}')(inputs))
            last_steps.append(branch[-1])
            prev_branch = branch
        return self.conv_bn3(torch.cat(last_steps, 1))


@BACKBONES.register_module()
class RSN(MultiStageUNetBackbone):
    """Residual Steps Network backbone: :class:`MSPN` with Residual Steps
    Blocks (:class:`RSB`) instead of ResNet bottlenecks.

    Args:
        unit_channels (int): Channels of an upsample unit. Default: 256.
        num_stages (int): Number of stages. Default: 4.
        num_units (int): Downsample/upsample units per stage; must equal
            ``len(num_blocks)``. Default: 4.
        num_blocks (list[int]): RSBs in each downsample unit.
            Default: [2, 2, 2, 2].
        num_steps (int): Steps in each RSB. Default: 4.
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        res_top_channels (int): Channels of the ResNet stem output.
            Default: 64.
        expand_times (int): Expansion of the RSB branch width. Default: 26.

    Shapes:
        As :class:`MSPN`: ``out[stage][unit]``, units coarsest first.

    Example:
        >>> import torch
        >>> model = RSN(num_stages=1, num_units=2, num_blocks=[2, 2],
        ...             num_steps=2).eval()
        >>> [tuple(f.shape) for f in model(torch.rand(1, 3, 64, 64))[0]]
        [(1, 256, 8, 8), (1, 256, 16, 16)]
    """

    stages_attr = 'multi_stage_rsn'

    def __init__(self,
                 unit_channels: int = 256,
                 num_stages: int = 4,
                 num_units: int = 4,
                 num_blocks: Sequence[int] = [2, 2, 2, 2],
                 num_steps: int = 4,
                 norm_cfg: dict = dict(type='BN'),
                 res_top_channels: int = 64,
                 expand_times: int = 26) -> None:
        if not isinstance(num_steps, int) or num_steps < 2:
            raise ArgumentError(
                f'RSN: num_steps must be an int >= 2, got {num_steps!r}')
        super().__init__(
            RSB,
            unit_channels,
            num_stages,
            num_units,
            num_blocks,
            norm_cfg,
            res_top_channels,
            block_kwargs=dict(
                num_steps=num_steps,
                expand_times=expand_times,
                res_top_channels=res_top_channels))
        self.num_steps = num_steps
        self.expand_times = expand_times
