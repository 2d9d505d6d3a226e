"""Hand-gesture recogniser: one video backbone per modality (RGB, depth,
optical flow) and a classification head over all of them (MMPose 0.29)."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
from torch import nn

from mmpose.core.fp16 import auto_fp16
from mmpose.errors import ArgumentError, UnsupportedError
from ..builder import POSENETS, build_backbone, build_head, build_neck
from .base import BasePose

__all__ = ['GestureRecognizer']


@POSENETS.register_module()
class GestureRecognizer(BasePose):
    """Hand gesture recogniser.

    Args:
        backbone (dict): Backbone config, or ``{modality: config}`` when
            ``modality`` is a list/tuple; each modality gets its own
            backbone (``backbone.<modality>``).
        neck (dict | None): Neck applied to every modality's features.
        cls_head (dict | None): Classification head config; it receives
            ``train_cfg``, ``test_cfg`` and ``modality``.
        train_cfg (dict | None): Training config (the head's SSA options).
        test_cfg (dict | None): Testing config.
        modality (str | Sequence[str]): Modality, or modalities in the order
            of the videos. Default: 'rgb'.
        pretrained (str | dict | None): Backbone checkpoint, or
            ``{modality: checkpoint}`` with a list of modalities.

    Note:
        - batch size: N; gesture classes: L; channels: C; frames: T;
          height, width: H, W.
    """

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = None,
                 cls_head: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 modality: Union[str, Sequence[str]] = 'rgb',
                 pretrained: Union[None, str, Dict[str, str]] = None):
        super().__init__()
        self.train_cfg = train_cfg if train_cfg is not None else {}
        self.test_cfg = test_cfg if test_cfg is not None else {}
        if isinstance(modality, (list, tuple)):
            self.modality = tuple(modality)
        else:
            self.modality = (modality, )
            backbone = {modality: backbone}
            pretrained = {modality: pretrained}
        missing = [m for m in self.modality if m not in backbone]
        if missing:
            raise ArgumentError(
                f'backbone has no config for modality {missing}; it names '
                f'{sorted(backbone)} and modality is {list(self.modality)}')

        self.backbone = nn.Module()
        for modal in self.modality:
            self.backbone.add_module(modal, build_backbone(backbone[modal]))
        if neck is not None:
            self.neck = build_neck(neck)
        if cls_head is not None:
            self.cls_head = build_head(
                dict(
                    cls_head,
                    train_cfg=train_cfg,
                    test_cfg=test_cfg,
                    modality=self.modality))
        self.pretrained = pretrained if pretrained is not None else {}
        self.fp16_enabled = False
        self.init_weights()

    @property
    def with_cls_head(self) -> bool:
        """Whether the recogniser has a classification head."""
        return getattr(self, 'cls_head', None) is not None

    def init_weights(self,
                     pretrained: Optional[Dict[str, str]] = None) -> None:
        """Load each modality's backbone from ``pretrained[modality]`` (when
        given) and initialise the neck and head."""
        if pretrained is not None:
            self.pretrained = pretrained
        for modal in self.modality:
            getattr(self.backbone, modal).init_weights(
                self.pretrained.get(modal))
        for module in (getattr(self, 'neck', None),
                       getattr(self, 'cls_head', None)):
            if module is not None:
                module.init_weights()

    @auto_fp16(apply_to=('video', ))
    def forward(self,
                video: Sequence[torch.Tensor],
                label: Optional[torch.Tensor] = None,
                img_metas: Optional[Sequence[dict]] = None,
                return_loss: bool = True,
                **kwargs):
        """Losses when ``return_loss`` is True, else logits.

        Args:
            video (list[torch.Tensor[N, C, T, H, W]]): One clip batch per
                modality, in the order of ``img_metas[0]['modality']``.
            label (torch.Tensor[N]): Gesture class indices.
            img_metas (list[dict]): Per sample ``modality`` (and ``fps``);
                the first one describes the batch.
            return_loss (bool): Training or testing.

        Returns:
            dict: losses and accuracies (``ce_loss``, ``ssa_loss``,
            ``acc_<modality>``), or ``logits`` (``{modality:
            Tensor[N, L, T']}``) and ``label``.
        """
        if img_metas is None:
            raise ArgumentError('GestureRecognizer.forward needs img_metas '
                                '(with the "modality" of the videos)')
        if return_loss:
            return self.forward_train(video, label, img_metas[0], **kwargs)
        return self.forward_test(video, label, img_metas[0], **kwargs)

    def _feed_forward(self, video: Sequence[torch.Tensor], img_metas: dict
                      ) -> Tuple[Optional[List[torch.Tensor]],
                                 List[torch.Tensor]]:
        """Per-modality logits (None without a head) and features."""
        fmaps = [
            getattr(self.backbone, modal)(clip)
            for clip, modal in zip(video, img_metas['modality'])
        ]
        if self.with_neck:
            fmaps = [self.neck(fmap) for fmap in fmaps]
        if not self.with_cls_head:
            return None, fmaps
        return self.cls_head(fmaps, img_metas), fmaps

    def forward_train(self, video: Sequence[torch.Tensor],
                      label: torch.Tensor, img_metas: dict, **kwargs) -> dict:
        """Classification (and SSA) losses and accuracies of one batch."""
        logits, fmaps = self._feed_forward(video, img_metas)
        losses = {}
        if self.with_cls_head:
            losses.update(self.cls_head.get_loss(logits, label, fmaps=fmaps))
            losses.update(
                self.cls_head.get_accuracy(logits, label, img_metas))
        return losses

    def forward_test(self, video: Sequence[torch.Tensor],
                     label: Optional[torch.Tensor], img_metas: dict,
                     **kwargs) -> dict:
        """``logits`` per modality and the given ``label``."""
        logits, _ = self._feed_forward(video, img_metas)
        if logits is None:
            raise UnsupportedError('GestureRecognizer without a cls_head '
                                   'has no logits to test')
        return dict(
            logits=dict(zip(img_metas['modality'], logits)), label=label)

    def set_train_epoch(self, epoch: int) -> None:
        """Tell the head the training epoch (``ModelSetEpochHook``)."""
        if self.with_cls_head:
            self.cls_head.set_train_epoch(epoch)

    def forward_dummy(self, video):
        raise UnsupportedError('GestureRecognizer has no forward_dummy')

    def show_result(self, video, result, **kwargs):
        raise UnsupportedError('GestureRecognizer cannot draw results')
