"""MSPN: Multi-Stage Pose Network.

Li et al., "Rethinking on Multi-Stage Networks for Human Pose Estimation",
arXiv:1901.00148. Each stage is a ResNet-style U-net built from ResNet
Bottlenecks; the structure shared with RSN lives in
:mod:`mmpose.models.backbones.multi_stage_common`.
"""
import re
from collections import OrderedDict
from typing import Sequence

from mmcv.runner import load_state_dict

from mmpose.utils import get_root_logger
from ..builder import BACKBONES
from .multi_stage_common import MultiStageUNetBackbone
from .resnet import Bottleneck as _Bottleneck

__all__ = ['MSPN']


class Bottleneck(_Bottleneck):
    """ResNet Bottleneck addressed by its planes (``out_channels``); it
    outputs ``out_channels * 4`` channels.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Planes (middle channels) of the block.
        **kwargs: Passed to :class:`mmpose.models.backbones.resnet.Bottleneck`
            (``stride``, ``downsample``, ``norm_cfg``, ...).
    """

    expansion = 4

    def __init__(self, in_channels: int, out_channels: int, **kwargs) -> None:
        super().__init__(in_channels, out_channels * self.expansion, **kwargs)


@BACKBONES.register_module()
class MSPN(MultiStageUNetBackbone):
    """MSPN backbone.

    Args:
        unit_channels (int): Channels of an upsample unit. Default: 256.
        num_stages (int): Number of stages. Default: 4.
        num_units (int): Downsample/upsample units per stage; must equal
            ``len(num_blocks)``. Default: 4.
        num_blocks (list[int]): Bottlenecks in each downsample unit.
            Default: [2, 2, 2, 2].
        norm_cfg (dict): Config of norm layers. Default: dict(type='BN').
        res_top_channels (int): Channels of the ResNet stem output.
            Default: 64.

    Shapes:
        x (Tensor[N, 3, H, W]) -> ``out[stage][unit]`` (list of lists) of
        ``Tensor[N, unit_channels, H/s, W/s]``, units coarsest first
        (strides ``s = 4 * 2**(num_units - 1), ..., 4``).

    Example:
        >>> from mmpose.models import MSPN
        >>> import torch
        >>> self = MSPN(num_stages=2, num_units=2, num_blocks=[2, 2])
        >>> _ = self.eval()
        >>> outs = self.forward(torch.rand(1, 3, 511, 511))
        >>> for stage_outs in outs:
        ...     print([tuple(f.shape) for f in stage_outs])
        [(1, 256, 64, 64), (1, 256, 128, 128)]
        [(1, 256, 64, 64), (1, 256, 128, 128)]
    """

    stages_attr = 'multi_stage_mspn'

    def __init__(self,
                 unit_channels: int = 256,
                 num_stages: int = 4,
                 num_units: int = 4,
                 num_blocks: Sequence[int] = [2, 2, 2, 2],
                 norm_cfg: dict = dict(type='BN'),
                 res_top_channels: int = 64) -> None:
        super().__init__(Bottleneck, unit_channels, num_stages, num_units,
                         num_blocks, norm_cfg, res_top_channels)

    def _load_pretrained(self, state_dict: OrderedDict) -> None:
        """Load an MSPN checkpoint (keys ``top.*``/``multi_stage_mspn.*``)
        as is, or an ImageNet ResNet (torchvision/mmcls layout, e.g.
        ``torchvision://resnet50`` as in the 0.x configs) whose stem goes
        into ``top`` and whose ``layer1..4`` go into every stage's
        downsample path."""
        logger = get_root_logger()
        if any(k.startswith(f'{self.stages_attr}.') for k in state_dict):
            load_state_dict(self, state_dict, strict=False, logger=logger)
            return
        top, layers = self.resnet_to_mspn_keys(state_dict)
        load_state_dict(self.top, top, strict=False, logger=logger)
        for stage in self.stages:
            load_state_dict(
                stage.downsample, layers, strict=False, logger=logger)

    @staticmethod
    def resnet_to_mspn_keys(state_dict: dict):
        """Split an ImageNet ResNet state dict into MSPN names.

        Args:
            state_dict (dict): ResNet keys (``conv1.*``, ``bn1.*``,
                ``layerX.Y.*``, ``fc.*``).

        Returns:
            tuple[OrderedDict, OrderedDict]: Entries for ``top`` (its conv
            and BN) and for a stage's ``downsample`` module (``layerX.Y.*``
            with ``downsample.0/1`` renamed to ``downsample.conv/bn``).
        """
        top, layers = OrderedDict(), OrderedDict()
        for key, value in state_dict.items():
            if key.startswith('layer'):
                key = re.sub(r'\.downsample\.0\.', '.downsample.conv.', key)
                key = re.sub(r'\.downsample\.1\.', '.downsample.bn.', key)
                layers[key] = value
            elif key.startswith('conv1.'):
                top['top.0.conv.' + key[len('conv1.'):]] = value
            elif key.startswith('bn1.'):
                top['top.0.bn.' + key[len('bn1.'):]] = value
        return top, layers
