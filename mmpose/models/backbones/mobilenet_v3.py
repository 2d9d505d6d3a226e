"""MobileNetV3 backbone.

"Searching for MobileNetV3", Howard et al., ICCV 2019
(https://arxiv.org/abs/1905.02244).
"""
import warnings
from typing import List, Optional, Sequence


from mmpose.errors import UnknownNameError
from mmpose.models.builder import BACKBONES

from .utils import InvertedResidual, StemStagesBackbone

__all__ = ['MobileNetV3']


@BACKBONES.register_module()
class MobileNetV3(StemStagesBackbone):
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
        norm_eval (bool): Keep the BN layers in eval mode (frozen running
            statistics) while training. Default: False.
        with_cp (bool): Use gradient checkpointing in the blocks.
            Default: False.

    Shape:
        x: ``[N, 3, H, W]`` -> the outputs of the blocks in ``out_indices``
        (a tuple, or a single tensor for one block); the last block gives
        ``[N, 96, H / 32, W / 32]`` (``'small'``) or ``[N, 160, H / 32,
        W / 32]`` (``'big'``).

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
        if arch not in self.arch_settings:
            raise UnknownNameError(
                f'invalid arch {arch!r} for MobileNetV3; valid '
                f'ones are {sorted(self.arch_settings)}')
        num_layers = len(self.arch_settings[arch])
        self.arch = arch
        self._set_stage_options(out_indices, num_layers, frozen_stages,
                                num_layers, conv_cfg, norm_cfg, norm_eval,
                                with_cp)

        self.in_channels = 16
        self._make_stem(self.in_channels, dict(type='HSwish'))
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
