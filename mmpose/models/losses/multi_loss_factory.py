"""Bottom-up losses: masked heatmap MSE and associative embedding.

Paper ref: Newell et al. Associative Embedding: End-to-End Learning for Joint
Detection and Grouping (NeurIPS 2017).
"""
from typing import List, Optional, Sequence, Tuple

import torch
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError

from ..builder import LOSSES

__all__ = ['HeatmapLoss', 'AELoss', 'MultiLossFactory']


@LOSSES.register_module()
class HeatmapLoss(nn.Module):
    """Masked heatmap MSE, one value per image of the batch.

    Args:
        supervise_empty (bool): Also supervise the keypoint channels whose
            target is all zero (no labelled person has that keypoint); False
            leaves them out of the sum (still counted in the mean, as in
            0.29). Default: True.
    """

    def __init__(self, supervise_empty: bool = True):
        super().__init__()
        self.supervise_empty = supervise_empty

    def forward(self, pred: torch.Tensor, gt: torch.Tensor,
                mask: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Note:
            Shape symbols: N is the batch size; K is the number of keypoints; H
            is the heatmap height; W is the heatmap width.

        Args:
            pred (torch.Tensor[NxKxHxW]): heatmap of output.
            gt (torch.Tensor[NxKxHxW]): target heatmap.
            mask (torch.Tensor[NxHxW]): mask of target.

        Returns:
            torch.Tensor[N]: Loss of each image.
        """
        if pred.shape != gt.shape:
            raise ArgumentError(f'HeatmapLoss: pred and gt shapes differ: '
                                f'{tuple(pred.shape)} vs {tuple(gt.shape)}')
        weight = mask[:, None, :, :].to(pred.dtype)
        if not self.supervise_empty:
            weight = weight * (gt.sum(dim=(2, 3), keepdim=True) > 0).to(
                pred.dtype)
        return ((pred - gt).pow(2) * weight).mean(dim=(1, 2, 3))


@LOSSES.register_module()
class AELoss(nn.Module):
    """Associative Embedding loss.

    The pull term draws the tags of one person's keypoints to their mean;
    the push term separates the mean tags of different people, either with
    ``exp(-d^2)`` ('exp') or ``max(0, 1 - |d|)`` ('max').

    Args:
        loss_type (str): 'exp' or 'max'.
    """

    def __init__(self, loss_type: str):
        super().__init__()
        if loss_type not in ('exp', 'max'):
            raise UnknownNameError(f"AELoss: loss_type must be 'exp' or "
                                   f"'max', got {loss_type!r}")
        self.loss_type = loss_type

    def _batch_tag_loss(self, tags: torch.Tensor, joints: torch.Tensor
                        ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Push and pull losses of every image, vectorised over the batch.

        Args:
            tags (torch.Tensor[N, L]): Flattened tag maps, L = K*H*W (or H*W
                when one tag map is shared by all keypoints).
            joints (torch.Tensor[N, M, K, 2]): Per person and keypoint the
                flat index into the tag map and the visibility (> 0 visible).

        Returns:
            tuple[torch.Tensor[N], torch.Tensor[N]]: push and pull losses.
        """
        joints = joints.to(tags.device)
        visible = joints[..., 1] > 0  # [N, M, K]
        index = torch.where(visible, joints[..., 0].long(),
                            torch.zeros_like(joints[..., 0]).long())
        if visible.any() and (index[visible].min() < 0
                              or index[visible].max() >= tags.shape[1]):
            raise ArgumentError(f'AELoss: joint indices must lie in [0, '
                                f'{tags.shape[1]}) (the flattened tag map)')
        n, m, k = index.shape
        gathered = tags.gather(1, index.reshape(n, m * k)).reshape(n, m, k)
        vis = visible.to(tags.dtype)
        count = vis.sum(dim=2)  # [N, M]
        person_valid = count > 0
        safe_count = count.clamp(min=1)
        mean_tag = (gathered * vis).sum(dim=2) / safe_count  # [N, M]
        pull_person = ((gathered - mean_tag[..., None]).pow(2) * vis).sum(
            dim=2) / safe_count
        num_tags = person_valid.sum(dim=1).to(tags.dtype)  # [N]
        pull = (pull_person * person_valid).sum(dim=1) / num_tags.clamp(min=1)

        diff = mean_tag[:, :, None] - mean_tag[:, None, :]  # [N, M, M]
        if self.loss_type == 'exp':
            push_pair = torch.exp(-diff.pow(2))
        else:
            push_pair = torch.clamp(1 - diff.abs(), min=0)
        pair_valid = person_valid[:, :, None] & person_valid[:, None, :]
        # the diagonal (a person with itself) contributes exactly 1 each
        push = (push_pair * pair_valid).sum(dim=(1, 2)) - num_tags
        pairs = (num_tags - 1) * num_tags
        push = torch.where(num_tags > 1, push / pairs.clamp(min=1) * 0.5,
                           torch.zeros_like(push))
        return push, pull

    def singleTagLoss(self, pred_tag: torch.Tensor, joints: torch.Tensor
                      ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Associative embedding loss for one image.

        Note:
            Shape symbols: W is the heatmap width; H is the heatmap height; M
            is the maximum number of people; K is the number of keypoints.

        Args:
            pred_tag (torch.Tensor[(KxHxW)x1]): tag of output for one image.
            joints (torch.Tensor[MxKx2]): joints information for one image.

        Returns:
            tuple[torch.Tensor, torch.Tensor]: push and pull losses.
        """
        joints = torch.as_tensor(joints)
        push, pull = self._batch_tag_loss(pred_tag.reshape(1, -1),
                                          joints[None])
        return push[0], pull[0]

    def forward(self, tags: torch.Tensor, joints: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Accumulate the tag loss for each image in the batch.

        Note:
            Shape symbols: N is the batch size; W is the heatmap width; H is
            the heatmap height; M is the maximum number of people; K is the
            number of keypoints.

        Args:
            tags (torch.Tensor[Nx(KxHxW)x1]): tag channels of output.
            joints (torch.Tensor[NxMxKx2]): joints information.

        Returns:
            tuple[torch.Tensor[N], torch.Tensor[N]]: push and pull losses.
        """
        joints = torch.as_tensor(joints)
        if joints.dim() != 4 or joints.shape[-1] != 2:
            raise ArgumentError(f'AELoss: joints must be [N, M, K, 2], got '
                                f'{tuple(joints.shape)}')
        return self._batch_tag_loss(tags.reshape(tags.shape[0], -1), joints)


@LOSSES.register_module()
class MultiLossFactory(nn.Module):
    """Loss for bottom-up models.

    Args:
        num_joints (int): Number of keypoints.
        num_stages (int): Number of stages.
        ae_loss_type (str): Type of ae loss.
        with_ae_loss (list[bool]): Use ae loss or not in multi-heatmap.
        push_loss_factor (list[float]): Parameter of push loss in
            multi-heatmap.
        pull_loss_factor (list[float]): Parameter of pull loss in
            multi-heatmap.
        with_heatmaps_loss (list[bool]): Use heatmap loss or not in
            multi-heatmap.
        heatmaps_loss_factor (list[float]): Parameter of heatmap loss in
            multi-heatmap.
        supervise_empty (bool): See :class:`HeatmapLoss`. Default: True.
    """

    def __init__(self, num_joints: int, num_stages: int, ae_loss_type: str,
                 with_ae_loss: Sequence[bool],
                 push_loss_factor: Sequence[float],
                 pull_loss_factor: Sequence[float],
                 with_heatmaps_loss: Sequence[bool],
                 heatmaps_loss_factor: Sequence[float],
                 supervise_empty: bool = True):
        super().__init__()
        per_stage = dict(with_ae_loss=with_ae_loss,
                         push_loss_factor=push_loss_factor,
                         pull_loss_factor=pull_loss_factor,
                         with_heatmaps_loss=with_heatmaps_loss,
                         heatmaps_loss_factor=heatmaps_loss_factor)
        for key, value in per_stage.items():
            if (not isinstance(value, (list, tuple))
                    or len(value) != num_stages):
                raise ArgumentError(
                    f'MultiLossFactory: {key} must be a list of '
                    f'num_stages={num_stages} entries, got '
                    f'{value!r}')
        self.num_joints = num_joints
        self.num_stages = num_stages
        self.ae_loss_type = ae_loss_type
        self.with_ae_loss = with_ae_loss
        self.push_loss_factor = push_loss_factor
        self.pull_loss_factor = pull_loss_factor
        self.with_heatmaps_loss = with_heatmaps_loss
        self.heatmaps_loss_factor = heatmaps_loss_factor

        self.heatmaps_loss = nn.ModuleList([
            HeatmapLoss(supervise_empty) if with_loss else None
            for with_loss in self.with_heatmaps_loss
        ])
        self.ae_loss = nn.ModuleList([
            AELoss(self.ae_loss_type) if with_loss else None
            for with_loss in self.with_ae_loss
        ])

    def forward(self, outputs: List[torch.Tensor],
                heatmaps: List[torch.Tensor], masks: List[torch.Tensor],
                joints: List[torch.Tensor]
                ) -> Tuple[List[Optional[torch.Tensor]],
                           List[Optional[torch.Tensor]],
                           List[Optional[torch.Tensor]]]:
        """Forward function to calculate losses.

        Note:
            Shape symbols: N is the batch size; W is the heatmap width; H is
            the heatmap height; M is the maximum number of people; K is the
            number of keypoints; C is the number of output channels (2K when
            the associative-embedding loss is used, K otherwise).

        Args:
            outputs (List(torch.Tensor[NxCxHxW])): outputs of stages.
            heatmaps (List(torch.Tensor[NxKxHxW])): target of heatmaps.
            masks (List(torch.Tensor[NxHxW])): masks of heatmaps.
            joints (List(torch.Tensor[NxMxKx2])): joints of ae loss.

        Returns:
            tuple[list]: heatmap, push and pull losses per stage, each a
            torch.Tensor[N] or None where the stage has no such loss.
        """
        if len(outputs) > self.num_stages:
            raise ArgumentError(
                f'MultiLossFactory: got {len(outputs)} outputs '
                f'but num_stages={self.num_stages}')
        heatmaps_losses, push_losses, pull_losses = [], [], []
        for idx, output in enumerate(outputs):
            offset_feat = 0
            if self.heatmaps_loss[idx] is not None:
                heatmaps_pred = output[:, :self.num_joints]
                offset_feat = self.num_joints
                heatmaps_loss = self.heatmaps_loss[idx](heatmaps_pred,
                                                        heatmaps[idx],
                                                        masks[idx])
                heatmaps_losses.append(heatmaps_loss *
                                       self.heatmaps_loss_factor[idx])
            else:
                heatmaps_losses.append(None)

            if self.ae_loss[idx] is not None:
                tags_pred = output[:, offset_feat:]
                tags_pred = tags_pred.reshape(tags_pred.shape[0], -1, 1)
                push_loss, pull_loss = self.ae_loss[idx](tags_pred,
                                                         joints[idx])
                push_losses.append(push_loss * self.push_loss_factor[idx])
                pull_losses.append(pull_loss * self.pull_loss_factor[idx])
            else:
                push_losses.append(None)
                pull_losses.append(None)
        return heatmaps_losses, push_losses, pull_losses
