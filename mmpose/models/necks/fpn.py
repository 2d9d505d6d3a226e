"""Feature Pyramid Network neck.

Lin et al., "Feature Pyramid Networks for Object Detection", CVPR 2017:
1x1 lateral convs, a top-down path adding each upsampled level to the one
below, 3x3 output convs and optional extra (strided) levels on top.
"""
import copy
from typing import List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule, xavier_init
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

from ..builder import NECKS

__all__ = ['FPN']

_EXTRA_SOURCES = ('on_input', 'on_lateral', 'on_output')


def check_levels(neck: str, num_ins: int, num_outs: int, start_level: int,
                 end_level: int) -> int:
    """Check the input level range of an FPN-style ``neck`` (its name, for
    messages) with ``num_ins`` inputs; returns the exclusive end level.

    ``end_level`` -1 (or the last level) uses every level from
    ``start_level`` and needs ``num_outs`` at least that many; an earlier
    ``end_level`` needs exactly ``end_level - start_level + 1`` outputs.
    """
    if end_level in (-1, num_ins - 1):
        if num_outs < num_ins - start_level:
            raise ArgumentError(
                f'{neck}: num_outs={num_outs} is less than the '
                f'{num_ins - start_level} used input levels')
        return num_ins
    if not end_level < num_ins:
        raise ArgumentError(f'{neck}: end_level={end_level} must be '
                            f'below {num_ins} (input levels)')
    if num_outs != end_level - start_level + 1:
        raise ArgumentError(
            f'{neck}: with end_level={end_level} (not the last level) '
            f'num_outs must be {end_level - start_level + 1}, got '
            f'{num_outs}')
    return end_level + 1

@NECKS.register_module()
class FPN(nn.Module):
    """Feature Pyramid Network.

    Args:
        in_channels (list[int]): Input channels of each scale.
        out_channels (int): Output channels of every scale.
        num_outs (int): Number of output scales.
        start_level (int): First input level used. Default: 0.
        end_level (int): Last input level used (inclusive); -1 means the
            last one. Default: -1.
        add_extra_convs (bool | str): Levels beyond the inputs come from
            stride-2 3x3 convs on ``'on_input'`` (the last used input; also
            what True means), ``'on_lateral'`` or ``'on_output'``; False
            uses stride-2 max pooling of the last output. Default: False.
        relu_before_extra_convs (bool): ReLU before the 2nd and later extra
            convs. Default: False.
        no_norm_on_lateral (bool): No norm in the lateral convs.
            Default: False.
        conv_cfg (dict | None): Config of the conv layers. Default: None.
        norm_cfg (dict | None): Config of the norm layers. Default: None.
        act_cfg (dict | None): Config of the activations. Default: None.
        upsample_cfg (dict): Keyword arguments of ``F.interpolate`` in the
            top-down path; without ``scale_factor`` the size of the lower
            level is used. Default: dict(mode='nearest').

    Shapes:
        inputs (list of ``len(in_channels)`` Tensor[N, in_channels[i],
        H_i, W_i]) -> list of ``num_outs`` Tensor[N, out_channels, H, W]:
        the used levels at their sizes, then each extra level halving the
        previous one (``ceil``).

    Example:
        >>> import torch
        >>> self = FPN([2, 3], 4, 3).eval()
        >>> outs = self([torch.rand(1, 2, 8, 8), torch.rand(1, 3, 4, 4)])
        >>> [tuple(o.shape) for o in outs]
        [(1, 4, 8, 8), (1, 4, 4, 4), (1, 4, 2, 2)]
    """

    def __init__(self,
                 in_channels: List[int],
                 out_channels: int,
                 num_outs: int,
                 start_level: int = 0,
                 end_level: int = -1,
                 add_extra_convs: Union[bool, str] = False,
                 relu_before_extra_convs: bool = False,
                 no_norm_on_lateral: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None,
                 upsample_cfg: dict = dict(mode='nearest')):
        super().__init__()
        if not isinstance(in_channels, (list, tuple)):
            raise ArgumentTypeError('FPN: in_channels must be a list of '
                                    f'ints, got {in_channels!r}')
        self.in_channels = list(in_channels)
        self.out_channels = out_channels
        self.num_ins = len(in_channels)
        self.num_outs = num_outs
        self.relu_before_extra_convs = relu_before_extra_convs
        self.no_norm_on_lateral = no_norm_on_lateral
        self.upsample_cfg = copy.deepcopy(upsample_cfg)
        self.start_level = start_level
        self.end_level = end_level

        self.backbone_end_level = check_levels('FPN', self.num_ins, num_outs,
                                               start_level, end_level)

        if isinstance(add_extra_convs, str):
            if add_extra_convs not in _EXTRA_SOURCES:
                raise UnknownNameError(
                    f'FPN: add_extra_convs={add_extra_convs!r}; allowed: '
                    f'{list(_EXTRA_SOURCES)}, True or False')
        elif not isinstance(add_extra_convs, bool):
            raise ArgumentTypeError('FPN: add_extra_convs must be a bool or '
                                    f'str, got {add_extra_convs!r}')
        elif add_extra_convs:
            add_extra_convs = 'on_input'
        self.add_extra_convs = add_extra_convs

        def conv(in_ch: int, kernel: int, stride: int = 1,
                 norm: Optional[dict] = norm_cfg) -> ConvModule:
            return ConvModule(
                in_ch,
                out_channels,
                kernel,
                stride=stride,
                padding=kernel // 2,
                conv_cfg=conv_cfg,
                norm_cfg=norm,
                act_cfg=act_cfg,
                inplace=False)

        used = range(start_level, self.backbone_end_level)
        self.lateral_convs = nn.ModuleList([
            conv(in_channels[i], 1,
                 norm=None if no_norm_on_lateral else norm_cfg) for i in used
        ])
        self.fpn_convs = nn.ModuleList(
            [conv(out_channels, 3) for _ in used])
        num_extra = num_outs - len(used)
        if self.add_extra_convs and num_extra >= 1:
            first_in = (in_channels[self.backbone_end_level - 1]
                        if self.add_extra_convs == 'on_input' else
                        out_channels)
            self.fpn_convs.extend(
                conv(first_in if i == 0 else out_channels, 3, stride=2)
                for i in range(num_extra))

    def init_weights(self) -> None:
        """Xavier-uniform convs."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                xavier_init(m, distribution='uniform')

    def forward(self, inputs: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """Forward function.

        Args:
            inputs (list[torch.Tensor[N, C_i, H_i, W_i]]): One feature per
                entry of ``in_channels``.

        Returns:
            list[torch.Tensor[N, out_channels, H, W]]: ``num_outs`` levels.
        """
        if len(inputs) != self.num_ins:
            raise ArgumentError(f'FPN: got {len(inputs)} inputs, built for '
                                f'{self.num_ins} (in_channels)')
        laterals = [
            lateral(inputs[self.start_level + i])
            for i, lateral in enumerate(self.lateral_convs)
        ]
        # top-down path: coarse to fine, each level sized to the one below
        for i in range(len(laterals) - 1, 0, -1):
            if 'scale_factor' in self.upsample_cfg:
                up = F.interpolate(laterals[i], **self.upsample_cfg)
            else:
                up = F.interpolate(
                    laterals[i], size=laterals[i - 1].shape[2:],
                    **self.upsample_cfg)
            laterals[i - 1] = laterals[i - 1] + up
        num_used = len(laterals)
        outs = [self.fpn_convs[i](laterals[i]) for i in range(num_used)]
        if self.num_outs == num_used:
            return outs
        if not self.add_extra_convs:
            # max pooling with kernel 1: level j keeps every 2**j-th pixel
            top = outs[-1]
            return outs + [
                F.max_pool2d(top, 1, stride=2**(i + 1))
                for i in range(self.num_outs - num_used)
            ]
        if self.add_extra_convs == 'on_input':
            source = inputs[self.backbone_end_level - 1]
        elif self.add_extra_convs == 'on_lateral':
            source = laterals[-1]
        else:
            source = outs[-1]
        outs.append(self.fpn_convs[num_used](source))
        for i in range(num_used + 1, self.num_outs):
            prev = F.relu(outs[-1]) if self.relu_before_extra_convs \
                else outs[-1]
            outs.append(self.fpn_convs[i](prev))
        return outs
