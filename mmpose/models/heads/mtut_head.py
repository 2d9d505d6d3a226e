"""The MTUT classification head with spatiotemporal semantic alignment.

Abavisani, Joze and Patel, "Improving the Performance of Unimodal Dynamic
Hand-Gesture Recognition with Multimodal Training", CVPR 2019
(https://arxiv.org/abs/1812.06145).
"""
import itertools
from typing import Dict, List, Optional, Sequence

import torch
from mmcv.cnn import xavier_init
from torch import nn
from torch.nn import functional as F

from ..builder import HEADS

__all__ = ['MultiModalSSAHead']


@HEADS.register_module()
class MultiModalSSAHead(nn.Module):
    """One 1x1x1 classifier per modality on pooled video features, trained
    with cross-entropy plus the spatiotemporal semantic alignment (SSA) loss
    that pulls each modality's feature correlations towards those of the
    modalities that classify the sample better.

    Args:
        num_classes (int): Number of gesture classes.
        modality (Sequence[str]): Modalities, in the order of the inputs.
        in_channels (int): Feature channels. Default: 1024.
        avg_pool_kernel (Sequence[int]): Average-pool kernel (T, H, W),
            stride 1. Default: (1, 7, 7).
        dropout_prob (float): Dropout before the classifiers. Default: 0.0.
        train_cfg (dict): ``beta`` (2.0), ``lambda_`` (5e-3, SSA weight) and
            ``ssa_start_epoch`` (1e6: off) of the SSA loss.
        test_cfg (dict): Unused.

    Note:
        - batch size: N; classes: L; channels: C; frames, height, width of
          the features: T, H, W.
    """

    def __init__(self,
                 num_classes: int,
                 modality: Sequence[str],
                 in_channels: int = 1024,
                 avg_pool_kernel: Sequence[int] = (1, 7, 7),
                 dropout_prob: float = 0.0,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 **kwargs):
        super().__init__()
        self.modality = modality
        self.train_cfg = train_cfg if train_cfg is not None else {}
        self.test_cfg = test_cfg if test_cfg is not None else {}

        self.avg_pool = nn.AvgPool3d(tuple(avg_pool_kernel), (1, 1, 1))
        self.dropout = nn.Dropout(dropout_prob)
        self.output_conv = nn.Module()
        for modal in modality:
            self.output_conv.add_module(
                modal, nn.Conv3d(in_channels, num_classes, (1, 1, 1)))
        self.loss = nn.CrossEntropyLoss(reduction='none')

        self.beta = self.train_cfg.get('beta', 2.0)
        self.lambda_ = self.train_cfg.get('lambda_', 5e-3)
        self.start_epoch = self.train_cfg.get('ssa_start_epoch', 1e6)
        self._train_epoch = 0

    def init_weights(self) -> None:
        """Xavier-initialise the classifiers."""
        for m in self.output_conv.modules():
            if isinstance(m, nn.Conv3d):
                xavier_init(m)

    def set_train_epoch(self, epoch: int) -> None:
        """Record the training epoch (the SSA loss starts at
        ``ssa_start_epoch``)."""
        self._train_epoch = epoch

    def forward(self, x: Sequence[torch.Tensor],
                img_metas: dict) -> List[torch.Tensor]:
        """Per-modality logits ``[N, L, T']`` of the features
        ``x[i][N, C, T, H, W]`` of ``img_metas['modality'][i]``."""
        logits = []
        for fmap, modal in zip(x, img_metas['modality']):
            out = self.dropout(self.avg_pool(fmap))
            out = getattr(self.output_conv, modal)(out)
            logits.append(out.mean(dim=(3, 4)))
        return logits

    @staticmethod
    def _compute_corr(fmap: torch.Tensor) -> torch.Tensor:
        """Flattened cosine similarities ``[N, (THW)^2]`` between the
        positions of ``fmap[N, C, T, H, W]``, each channel normalised over
        the positions."""
        fmap = F.normalize(fmap.flatten(2), dim=2, eps=1e-8)
        return torch.bmm(fmap.transpose(1, 2), fmap).flatten(1)

    def get_loss(self,
                 logits: Sequence[torch.Tensor],
                 label: torch.Tensor,
                 fmaps: Optional[Sequence[torch.Tensor]] = None
                 ) -> Dict[str, torch.Tensor]:
        """``ce_loss`` (summed over modalities of the batch-mean
        cross-entropy of the time-averaged logits) and, from
        ``ssa_start_epoch`` on, ``ssa_loss``.

        For every ordered pair of modalities (i, j) the SSA term is
        ``(exp(beta * max(ce_i - ce_j, 0)) - 1) * rms(corr_i - corr_j)``
        per sample (weight and ``corr_j`` detached), averaged over the batch;
        the terms are summed and scaled by ``lambda_``.
        """
        ce_loss = [self.loss(logit.mean(dim=2), label) for logit in logits]
        losses = {}
        if self._train_epoch >= self.start_epoch:
            corrs = [self._compute_corr(fmap) for fmap in fmaps]
            terms = []
            for i, j in itertools.permutations(range(len(fmaps)), 2):
                gap = (ce_loss[i] - ce_loss[j]).clamp(min=0)
                weight = (torch.exp(self.beta * gap) - 1).detach()
                dist = (corrs[i] - corrs[j].detach()).pow(2).mean(dim=1)
                terms.append((weight * dist.sqrt()).mean())
            losses['ssa_loss'] = sum(terms) * self.lambda_
        losses['ce_loss'] = sum(loss.mean() for loss in ce_loss)
        return losses

    def get_accuracy(self, logits: Sequence[torch.Tensor],
                     label: torch.Tensor, img_metas: dict) -> Dict[str, float]:
        """``acc_<modality>``: the fraction of the batch whose time-averaged
        logits peak at ``label``."""
        return {
            f'acc_{modal}':
            (logit.mean(dim=2).argmax(dim=1) == label).float().mean().item()
            for logit, modal in zip(logits, img_metas['modality'])
        }
