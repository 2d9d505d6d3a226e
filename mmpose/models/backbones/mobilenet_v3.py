"""MobileNetV3 backbone.

"Searching for MobileNetV3", Howard et al., ICCV 2019
(https://arxiv.org/abs/1905.02244).
"""
import copy
import warnings
from typing import List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from mmpose.errors import UnknownNameError
from mmpose.models.builder import BACKBONES

from .base_backbone import BaseBackbone
from .utils import InvertedResidual, stem_conv3x3

__all__ = ['MobileNetV3']


@BACKBONES.register_module()
class MobileNetV3(BaseBackbone):
    """MobileNetV3 backbone.

    A stride-2 stem conv with HSwish (``conv1``) followed by one inverted
    residual block per layer (``layer1`` ... ``layer11`` for ``'small'``,
    ``layer1`` ... ``layer15`` for ``'big'``); ``out_indices`` counts the
    blocks from 0. SE blocks squeeze by 4 and gate with
    ``HSigmoid(bias=1, divisor=2)``, as in MMPose 0.x.

    Args:
        arch (str): Architecture of MobileNetV3, ``'small'`` or ``'big'``.
            Default: 'small'.
        conv_cfg (dict | None): Config of the convolutions. Default: None.
        norm_cfg (dict): Config of the norm layers. Default: dict(type='BN').
        out_indices (Sequence[int]): Output from which blocks; negative
            indices count from the last. Default: (10, ), the last block of
            ``'small'``.
        frozen_stages (int): Freeze ``conv1`` (0) and ``layer1`` ...
            ``layer{frozen_stages}``. Default: -1 (freeze nothing).
        norm_eval (bool): Keep BN layers in eval mode while training.
            Default: False.
        with_cp (bool): Use gradient checkpointing in the blocks.
            Default: False.

    Shape:
        x: ``[N, 3, H, W]`` -> one tensor per index in ``out_indices`` (a
        single tensor when there is one); ``'small'`` ends with
        ``[N, 96, H / 32, W / 32]``, ``'big'`` with ``[N, 160, H / 32,
        W / 32]``.

    Example:
        >>> import torch
        >>> model = MobileNetV3().eval()
        >>> tuple(model(torch.rand(1, 3, 64, 64)).shape)
        (1, 96, 2, 2)
    """

    # kernel_size, mid_channels, out_channels, with_se, act, stride
    arch_settings = {
        'small': [[3, 16, 16, True, 'ReLU', 2],
                  [3, 72, 24, False, 'ReLU', 2],
                  [3, 88, 24, False, 'ReLU', 1],
                  [5, 96, 40, True, 'HSwish', 2],
                  [5, 240, 40, True, 'HSwish', 1],
                  [5, 240, 40, True, 'HSwish', 1],
                  [5, 120, 48, True, 'HSwish', 1],
                  [5, 144, 48, True, 'HSwish', 1],
                  [5, 288, 96, True, 'HSwish', 2],
                  [5, 576, 96, True, 'HSwish', 1],
                  [5, 576, 96, True, 'HSwish', 1]],
        'big': [[3, 16, 16, False, 'ReLU', 1],
                [3, 64, 24, False, 'ReLU', 2],
                [3, 72, 24, False, 'ReLU', 1],
                [5, 72, 40, True, 'ReLU', 2],
                [5, 120, 40, True, 'ReLU', 1],
                [5, 120, 40, True, 'ReLU', 1],
                [3, 240, 80, False, 'HSwish', 2],
                [3, 200, 80, False, 'HSwish', 1],
                [3, 184, 80, False, 'HSwish', 1],
                [3, 184, 80, False, 'HSwish', 1],
                [3, 480, 112, True, 'HSwish', 1],
                [3, 672, 112, True, 'HSwish', 1],
                [5, 672, 160, True, 'HSwish', 1],
                [5, 672, 160, True, 'HSwish', 2],
                [5, 960, 160, True, 'HSwish', 1]]
    }  # yapf: disable

    def __init__(self,
                 arch: str = 'small',
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 out_indices: Sequence[int] = (10, ),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 with_cp: bool = False) -> None:
        super().__init__()
        norm_cfg = copy.deepcopy(norm_cfg)
        if arch not in self.arch_settings:
            raise UnknownNameError(
                f'invalid arch {arch!r} for MobileNetV3; valid '
                f'ones are {sorted(self.arch_settings)}')
        num_layers = len(self.arch_settings[arch])
        self.arch = arch
        self.out_indices = self._check_out_indices(out_indices, num_layers)
        self._check_frozen_stages(frozen_stages, num_layers)
        self.frozen_stages = frozen_stages
        self.conv_cfg = conv_cfg
        self.norm_cfg = norm_cfg
        self.norm_eval = norm_eval
        self.with_cp = with_cp

        self.in_channels = 16
        self.conv1 = stem_conv3x3(self.in_channels, conv_cfg, norm_cfg,
                                  dict(type='HSwish'))
        self.layers = self._make_layer()
        self.feat_dim = self.arch_settings[arch][-1][2]

    def _make_layer(self) -> List[str]:
        layers = []
        for i, (kernel_size, mid_channels, out_channels, with_se, act,
                stride) in enumerate(self.arch_settings[self.arch]):
            se_cfg = dict(
                ratio=4,
                act_cfg=(dict(type='ReLU'),
                         dict(type='HSigmoid', bias=1.0, divisor=2.0))
            ) if with_se else None
            with warnings.catch_warnings():
                # mmcv warns about its changed HSigmoid defaults on every
                # construction; the 0.x values are passed explicitly above
                warnings.filterwarnings(
                    'ignore', message='In MMCV v1.4.4', category=UserWarning)
                layer = InvertedResidual(
                    in_channels=self.in_channels,
                    out_channels=out_channels,
                    mid_channels=mid_channels,
                    kernel_size=kernel_size,
                    stride=stride,
                    se_cfg=se_cfg,
                    with_expand_conv=True,
                    conv_cfg=self.conv_cfg,
                    norm_cfg=self.norm_cfg,
                    act_cfg=dict(type=act),
                    with_cp=self.with_cp)
            self.in_channels = out_channels
            layer_name = f'layer{i + 1}'
            self.add_module(layer_name, layer)
            layers.append(layer_name)
        return layers

    def _init_from_scratch(self) -> None:
        self._init_conv_norm(self.modules())

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        return [self.conv1] if stage == 0 else [getattr(self, f'layer{stage}')]

    def forward(self, x: torch.Tensor
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Forward function.

        Args:
            x (Tensor[N, 3, H, W]): Input images.

        Returns:
            Tensor | tuple[Tensor]: The features of ``out_indices``.
        """
        x = self.conv1(x)
        return self._forward_stages(
            x, (getattr(self, name) for name in self.layers))
