"""Top-down detector of ViTPose+: one backbone with per-dataset experts
(:class:`~mmpose.models.backbones.ViTMoE`) and one keypoint head per
training dataset.

Paper ref: Yufei Xu et al. "ViTPose+: Vision Transformer Foundation Model
for Generic Body Pose Estimation" (2022); behaviour of the
ViTAE-Transformer/ViTPose fork of MMPose 0.24.
"""
from typing import Optional, Sequence, Union

import torch
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import POSENETS, build_head
from .top_down import TopDown

__all__ = ['TopDownMoE']


@POSENETS.register_module()
class TopDownMoE(TopDown):
    """Top-down detector trained on several datasets at once.

    Every sample carries the index of its dataset (``img_metas[i]
    ['dataset_idx']``, collected from the data config's ``dataset_idx``):
    the backbone runs it through that dataset's experts, and in training
    its loss comes from that dataset's head: ``keypoint_head`` for index
    0, ``associate_keypoint_head[i - 1]`` for index i. Testing decodes with
    ``keypoint_head`` (as the fork), the experts chosen by ``dataset_idx``
    (0 when the metas have none, e.g. from the inference APIs).

    Args:
        backbone (dict): Backbone config (a :class:`ViTMoE`).
        neck (dict | None): Neck config.
        keypoint_head (dict | None): Head of dataset 0.
        associate_keypoint_head (dict | list[dict] | None): Heads of
            datasets 1, 2, ...; they get ``train_cfg`` and ``test_cfg``.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config (``flip_test`` ...).
        pretrained (str | None): Backbone checkpoint.
        loss_pose (dict | None): Deprecated; the ``loss_keypoint`` of
            ``keypoint_head`` when it names none.

    Note:
        Targets are padded to the largest keypoint count (``max_num_joints``
        of the data config); each head is trained on its own first K
        channels, with the weights of other datasets' samples set to 0.
    """

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = None,
                 keypoint_head: Optional[dict] = None,
                 associate_keypoint_head: Union[None, dict,
                                                Sequence[dict]] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 loss_pose: Optional[dict] = None):
        super().__init__(backbone, neck, keypoint_head, train_cfg, test_cfg,
                         pretrained, loss_pose)
        if associate_keypoint_head is None:
            associate_keypoint_head = []
        elif isinstance(associate_keypoint_head, dict):
            associate_keypoint_head = [associate_keypoint_head]
        self.associate_keypoint_heads = nn.ModuleList(
            build_head(dict(cfg, train_cfg=train_cfg, test_cfg=test_cfg))
            for cfg in associate_keypoint_head)
        for head in self.associate_keypoint_heads:
            head.init_weights()

    @property
    def keypoint_heads_cnt(self) -> int:
        """Number of heads (datasets): the main one and the associates."""
        return 1 + len(self.associate_keypoint_heads)

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load the backbone and initialise the neck and every head."""
        super().init_weights(pretrained)
        for head in getattr(self, 'associate_keypoint_heads', ()):
            head.init_weights()

    @staticmethod
    def _dataset_indices(img_metas: Sequence[dict], device: torch.device,
                         default: Optional[int] = None) -> torch.Tensor:
        """``LongTensor[N]`` of the metas' ``dataset_idx`` (``default``
        where missing; None: a missing index is an error)."""
        if default is None and any('dataset_idx' not in m
                                   for m in img_metas):
            raise UnknownNameError(
                'TopDownMoE training needs "dataset_idx" in every img_meta: '
                "add it to the Collect meta_keys and the data_cfg")
        return torch.as_tensor(
            [int(m.get('dataset_idx', default)) for m in img_metas],
            dtype=torch.long,
            device=device)

    def _features(self,
                  img: torch.Tensor,
                  indices: Optional[torch.Tensor] = None):
        features = self.backbone(img, indices)
        if self.with_neck:
            features = self.neck(features)
        return features

    def _test_features(self, img: torch.Tensor, img_metas: Sequence[dict]):
        return self._features(
            img, self._dataset_indices(img_metas, img.device, default=0))

    def _heads(self):
        """``(dataset index, head)`` of every head present."""
        heads = [self.keypoint_head] if self.with_keypoint else []
        return list(enumerate(heads + list(self.associate_keypoint_heads),
                              start=0 if self.with_keypoint else 1))

    def forward_train(self, img: torch.Tensor, target: torch.Tensor,
                      target_weight: torch.Tensor,
                      img_metas: Optional[Sequence[dict]], **kwargs) -> dict:
        """Losses and accuracies of every head on its dataset's samples.

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Crops.
            target (torch.Tensor[N, Kmax, H, W]): Padded target heatmaps.
            target_weight (torch.Tensor[N, Kmax, 1]): Padded weights.
            img_metas (list[dict]): With ``dataset_idx``.

        Returns:
            dict: ``main_stream_loss`` / ``main_stream_acc`` (dataset 0) and
            ``'<i>_loss'`` / ``'<i>_acc'`` for dataset i >= 1.
        """
        if target is None or target_weight is None or img_metas is None:
            raise ArgumentError('TopDownMoE.forward_train needs target, '
                                'target_weight and img_metas')
        indices = self._dataset_indices(img_metas, img.device)
        features = self._features(img, indices)
        losses = {}
        for idx, head in self._heads():
            output = head(features)
            keep = (indices == idx).to(target.dtype)
            channels = output.shape[1]
            head_target = target[:, :channels] * keep.view(-1, 1, 1, 1)
            head_weight = target_weight[:, :channels] * keep.view(-1, 1, 1)
            name = 'main_stream' if idx == 0 else str(idx)
            loss = head.get_loss(output, head_target, head_weight)
            losses[f'{name}_loss'] = sum(loss.values())
            accuracy = head.get_accuracy(output, head_target, head_weight)
            if 'acc_pose' in accuracy:
                losses[f'{name}_acc'] = accuracy['acc_pose']
        return losses
