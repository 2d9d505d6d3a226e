"""Base of the light backbones: a stride-2 3x3 stem conv, an optional max
pool and a chain of stages (MobileNetV2, MobileNetV3, ShuffleNetV1,
ShuffleNetV2)."""
import copy
from typing import List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from ..base_backbone import BaseBackbone
from .stem import stem_conv3x3


class StemStagesBackbone(BaseBackbone):
    """A stem ``conv1`` (and ``maxpool`` when built with one) followed by
    the stages returned by :meth:`_stages`.

    Stage 0 of ``frozen_stages`` is ``conv1`` and stage ``i`` is
    ``self._stages()[i - 1]``; ``out_indices`` index :meth:`_stages`.
    Subclasses call :meth:`_set_stage_options` and :meth:`_make_stem` in
    their constructor and build their stages into ``self.layers``.
    """

    def _set_stage_options(self, out_indices: Sequence[int],
                           num_outputs: int, frozen_stages: int,
                           num_stages: int, conv_cfg: Optional[dict],
                           norm_cfg: dict, norm_eval: bool,
                           with_cp: bool) -> None:
        """Check ``out_indices`` (against ``num_outputs``) and
        ``frozen_stages`` (against ``num_stages``), and store them with the
        layer configs and the ``norm_eval``/``with_cp`` flags."""
        self.out_indices = self._check_out_indices(out_indices, num_outputs)
        self._check_frozen_stages(frozen_stages, num_stages)
        self.frozen_stages = frozen_stages
        self.conv_cfg = conv_cfg
        self.norm_cfg = copy.deepcopy(norm_cfg)
        self.norm_eval = norm_eval
        self.with_cp = with_cp

    def _make_stem(self,
                   out_channels: int,
                   act_cfg: dict,
                   with_maxpool: bool = False) -> None:
        """Build ``conv1`` (3x3, stride 2) and, with ``with_maxpool``, a
        3x3/2 ``maxpool`` after it."""
        self.conv1 = stem_conv3x3(out_channels, self.conv_cfg, self.norm_cfg,
                                  act_cfg)
        self.maxpool = (
            nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            if with_maxpool else None)

    def _stages(self) -> List[nn.Module]:
        """The stages after the stem, in order: ``self.layers``, a list of
        modules or of the names of attributes holding them."""
        return [
            getattr(self, layer) if isinstance(layer, str) else layer
            for layer in self.layers
        ]

    def _init_from_scratch(self) -> None:
        """Kaiming init for the convs, weight 1 for the norm layers."""
        self._init_conv_norm(self.modules())

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        return [self.conv1] if stage == 0 else [self._stages()[stage - 1]]

    def forward(self, x: torch.Tensor
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Run the stem, then the stages.

        Args:
            x (Tensor[N, 3, H, W]): Input images.

        Returns:
            Tensor | tuple[Tensor]: The outputs of the stages in
            ``out_indices`` (a single tensor for one stage).
        """
        x = self.conv1(x)
        if self.maxpool is not None:
            x = self.maxpool(x)
        return self._forward_stages(x, self._stages())
