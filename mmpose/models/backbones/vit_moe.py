"""Mixture-of-experts Vision Transformer of ViTPose+.

Paper ref: Yufei Xu, Jing Zhang, Qiming Zhang and Dacheng Tao. "ViTPose+:
Vision Transformer Foundation Model for Generic Body Pose Estimation"
(2022); code: the ViTAE-Transformer/ViTPose fork of MMPose 0.24.

A :class:`ViT` whose MLPs end in a shared part and one expert per training
dataset (:class:`~mmpose.models.utils.vit_layers.MoEMlp`); each sample
uses the expert of its dataset index (``dataset_source``).
"""
from typing import Optional

import torch

from mmpose.errors import ArgumentError
from ..builder import BACKBONES
from .vit import ViT

__all__ = ['ViTMoE']


@BACKBONES.register_module()
class ViTMoE(ViT):
    """ViTPose+ backbone: :class:`ViT` with per-dataset MLP experts.

    Args:
        *args, **kwargs: The arguments of :class:`ViT` (``img_size`` ...
            ``freeze_ffn``, same order and defaults).
        num_expert (int): Experts, one per dataset index. Default: 1.
        part_features (int | None): Output channels of each expert, the
            last ones of every MLP (the first ``embed_dim -
            part_features`` are shared). Required.

    Shapes:
        x ``[N, in_chans, H, W]``, dataset_source ``[N]`` (ints in
        ``[0, num_expert)``; None: all 0) -> ``[N, C, Hp, Wp]``.
    """

    def __init__(self,
                 *args,
                 num_expert: int = 1,
                 part_features: Optional[int] = None,
                 **kwargs):
        if part_features is None:
            raise ArgumentError('ViTMoE needs part_features (the output '
                                'channels of each expert)')
        # Plain attributes, read by _expert_args() while ViT builds the
        # blocks (nn.Module allows them before its __init__).
        self.num_expert = num_expert
        self.part_features = part_features
        super().__init__(*args, **kwargs)

    def _expert_args(self) -> dict:
        return dict(num_expert=self.num_expert,
                    part_features=self.part_features)

    def _expert_indices(self, dataset_source, x: torch.Tensor
                        ) -> torch.Tensor:
        """``LongTensor[N]`` of expert indices on ``x``'s device."""
        if dataset_source is None:
            return torch.zeros(x.shape[0], dtype=torch.long, device=x.device)
        indices = torch.as_tensor(dataset_source, device=x.device).long()
        indices = indices.reshape(-1)
        if indices.shape[0] != x.shape[0]:
            raise ArgumentError(
                f'ViTMoE: dataset_source has {indices.shape[0]} entries for '
                f'a batch of {x.shape[0]} images')
        if indices.numel() and (indices.min() < 0
                                or indices.max() >= self.num_expert):
            raise ArgumentError(
                f'ViTMoE: dataset indices {indices.tolist()} must be in '
                f'[0, num_expert={self.num_expert})')
        return indices

    def forward_features(self,
                         x: torch.Tensor,
                         dataset_source=None) -> torch.Tensor:
        """The feature map ``[N, C, Hp, Wp]``, each sample through the
        experts of its dataset index."""
        return self._encode(x, self._expert_indices(dataset_source, x))

    def forward(self, x: torch.Tensor, dataset_source=None) -> torch.Tensor:
        return self.forward_features(x, dataset_source)
