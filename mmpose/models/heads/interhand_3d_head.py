"""3D interacting hand pose head of InterHand2.6M (MMPose 0.29).

Paper ref: Gyeongsik Moon et al. InterHand2.6M: A Dataset and Baseline for
3D Interacting Hand Pose Estimation from a Single RGB Image (ECCV 2020).

One head holds four sub-heads on the backbone features: a 3D heatmap head
per hand (right, left), and on the pooled features a 1D heatmap head for the
depth of the left hand root relative to the right one and a two-label
classifier of which hands are present.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import nn

from mmpose.core.evaluation import (keypoints_from_heatmaps3d,
                                    multilabel_classification_accuracy)
from mmpose.core.post_processing import flip_back
from mmpose.errors import ArgumentError
from ..builder import HEADS, build_head_loss
from ..keypoint_heads.heatmap_3d_head import HeatMap3DHead
from ..keypoint_heads.interhand_heads import (Heatmap1DHead,
                                              MultilabelClassificationHead)
from ..keypoint_heads.utils import read_image_paths
from ..necks import GlobalAveragePooling

__all__ = ['Interhand3DHead']


class Heatmap3DHead(HeatMap3DHead):
    """The 3D heatmap sub-head of :class:`Interhand3DHead` (MMPose 0.29's
    name): the layers of :class:`HeatMap3DHead` without a loss of its own
    (the parent head holds it)."""

    loss_required = False


@HEADS.register_module()
class Interhand3DHead(nn.Module):
    """Interhand 3D head: hand keypoint volumes, relative root depth and
    hand type.

    Args:
        keypoint_head_cfg (dict): Arguments of the 3D heatmap head of each
            hand (``in_channels``, ``out_channels`` = K x ``depth_size``,
            ``depth_size``, deconv layers, ``extra``).
        root_head_cfg (dict): Arguments of the relative root depth head
            (``in_channels``, ``heatmap_size``, ``hidden_dims``).
        hand_type_head_cfg (dict): Arguments of the hand type classifier
            (``in_channels``, ``num_labels``, ``hidden_dims``).
        loss_keypoint (dict): Loss of the 3D heatmaps.
        loss_root_depth (dict): Loss of the relative root depth.
        loss_hand_type (dict): Loss of the hand type. The three losses are
            required, as in 0.29 (``TypeError`` without one).
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config (``shift_heatmap``).

    Note:
        batch size: N
        keypoints of both hands: K (right hand first)
        heatmap depth, height, width: D, H, W
    """

    def __init__(self,
                 keypoint_head_cfg: dict,
                 root_head_cfg: dict,
                 hand_type_head_cfg: dict,
                 loss_keypoint: Optional[dict] = None,
                 loss_root_depth: Optional[dict] = None,
                 loss_hand_type: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__()
        self.right_hand_head = Heatmap3DHead(**keypoint_head_cfg)
        self.left_hand_head = Heatmap3DHead(**keypoint_head_cfg)
        self.root_head = Heatmap1DHead(**root_head_cfg)
        self.hand_type_head = MultilabelClassificationHead(
            **hand_type_head_cfg)
        self.neck = GlobalAveragePooling()
        self.keypoint_loss, self.root_depth_loss, self.hand_type_loss = (
            build_head_loss(cfg, type(self).__name__, arg)
            for cfg, arg in ((loss_keypoint, 'loss_keypoint'),
                             (loss_root_depth, 'loss_root_depth'),
                             (loss_hand_type, 'loss_hand_type')))
        self.train_cfg = {} if train_cfg is None else train_cfg
        self.test_cfg = {} if test_cfg is None else test_cfg

    def init_weights(self) -> None:
        """Initialise the four sub-heads."""
        for head in (self.right_hand_head, self.left_hand_head,
                     self.root_head, self.hand_type_head):
            head.init_weights()

    def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
        """Forward function.

        Args:
            x (torch.Tensor[N, C, h, w]): Backbone features.

        Returns:
            list[torch.Tensor]: 3D heatmaps [N, K, D, H, W], relative root
            depth [N, 1] (in bins) and hand type probabilities [N, 2].
        """
        heatmaps = torch.cat([self.right_hand_head(x),
                              self.left_hand_head(x)], dim=1)
        pooled = self.neck(x)
        return [heatmaps, self.root_head(pooled), self.hand_type_head(pooled)]

    def get_loss(self, output: Sequence[torch.Tensor],
                 target: Sequence[torch.Tensor],
                 target_weight: Sequence[torch.Tensor]
                 ) -> Dict[str, torch.Tensor]:
        """Losses of the three outputs.

        Args:
            output (list[torch.Tensor]): The output of :meth:`forward`.
            target (list[torch.Tensor]): Heatmaps [N, K, D, H, W], root
                depth [N, 1] and hand type [N, 2] targets.
            target_weight (list[torch.Tensor]): Their weights: [N, K, 1],
                [N, 1] and [N(, 2)].

        Returns:
            dict: ``hand_loss``, ``rel_root_loss`` and ``hand_type_loss``.
        """
        names = ('hand_loss', 'rel_root_loss', 'hand_type_loss')
        losses = (self.keypoint_loss, self.root_depth_loss,
                  self.hand_type_loss)
        # (target dim, allowed weight dims) of each output
        dims = ((5, (3, )), (2, (2, )), (2, (1, 2)))
        result = {}
        for i, (name, loss, (t_dim, w_dims)) in enumerate(
                zip(names, losses, dims)):
            if target[i].dim() != t_dim or target_weight[i].dim() not in \
                    w_dims:
                raise ArgumentError(
                    f'Interhand3DHead {name}: the target should be {t_dim}D '
                    f'and its weight {"D or ".join(map(str, w_dims))}D, got '
                    f'shapes {tuple(target[i].shape)} and '
                    f'{tuple(target_weight[i].shape)}')
            result[name] = loss(output[i], target[i], target_weight[i])
        return result

    def get_accuracy(self, output: Sequence[torch.Tensor],
                     target: Sequence[torch.Tensor],
                     target_weight: Sequence[torch.Tensor]
                     ) -> Dict[str, float]:
        """Hand type accuracy: ``{'acc_classification': float}``."""
        return dict(
            acc_classification=multilabel_classification_accuracy(
                output[2].detach().cpu().numpy(),
                target[2].detach().cpu().numpy(),
                target_weight[2].detach().cpu().numpy()))

    def inference_model(self, x: torch.Tensor,
                        flip_pairs: Optional[Sequence[Tuple[int,
                                                            int]]] = None
                        ) -> List[np.ndarray]:
        """The outputs as arrays; with ``flip_pairs`` (features of the
        mirrored image) mapped back to the original image: heatmaps
        mirrored and their hands swapped, root depth negated, hand labels
        swapped.

        Args:
            x (torch.Tensor[N, C, h, w]): Backbone features.
            flip_pairs (list[tuple] | None): Mirrored keypoint pairs.

        Returns:
            list[np.ndarray]: heatmaps [N, K, D, H, W], root depth [N, 1],
            hand type [N, 2].
        """
        heatmaps, root, hand_type = (
            out.detach().cpu().numpy() for out in self.forward(x))
        if flip_pairs is None:
            return [heatmaps, root, hand_type]
        n, k, d, h, w = heatmaps.shape
        # flip_back mirrors the last axis and swaps keypoint channels; the
        # depth bins ride along as extra rows.
        heatmaps = flip_back(heatmaps.reshape(n, k, d * h, w),
                             flip_pairs).reshape(n, k, d, h, w)
        if self.test_cfg.get('shift_heatmap', False):
            heatmaps[..., 1:] = heatmaps[..., :-1].copy()
        return [heatmaps, -root, hand_type[:, ::-1].copy()]

    def decode(self, img_metas: Sequence[dict], output: Sequence[np.ndarray],
               **kwargs) -> dict:
        """Keypoints (x, y in the image, z in camera space relative to the
        hand root), relative root depth and hand type of a batch.

        Args:
            img_metas (list[dict]): Per crop ``image_file``, ``center``,
                ``scale``, ``heatmap3d_depth_bound``, ``root_depth_bound``
                and optionally ``bbox_score``, ``bbox_id``.
            output (list[np.ndarray]): The output of
                :meth:`inference_model`.

        Returns:
            dict: ``preds`` (np.ndarray[N, K, 4]: x, y, z, score),
            ``rel_root_depth`` (np.ndarray[N, 1]), ``hand_type``
            (np.ndarray[N, 2] of bool), ``boxes`` (np.ndarray[N, 6]),
            ``image_paths`` and ``bbox_ids``.
        """
        def meta_array(key: str, dtype=np.float32) -> np.ndarray:
            return np.array([m[key] for m in img_metas], dtype=dtype)

        center = meta_array('center').reshape(-1, 2)
        scale = meta_array('scale').reshape(-1, 2)
        depth_bound = meta_array('heatmap3d_depth_bound').reshape(-1, 1)
        root_bound = meta_array('root_depth_bound').reshape(-1, 1)
        score = np.array([
            np.asarray(m.get('bbox_score', 1.0)).reshape(-1)[0]
            for m in img_metas
        ], dtype=np.float32)
        boxes = np.concatenate([
            center, scale,
            np.prod(scale * 200.0, axis=1, keepdims=True), score[:, None]
        ], axis=1)

        heatmaps, root, hand_type = output
        preds, maxvals = keypoints_from_heatmaps3d(heatmaps, center, scale)
        keypoints = np.concatenate([preds, maxvals], axis=-1).astype(
            np.float32)
        # depth bins -> camera space, centred on the hand root
        keypoints[..., 2] = (keypoints[..., 2] /
                             self.right_hand_head.depth_size -
                             0.5) * depth_bound
        rel_root_depth = (np.asarray(root).reshape(-1, 1) /
                          self.root_head.heatmap_size - 0.5) * root_bound
        bbox_ids = ([m['bbox_id'] for m in img_metas]
                    if 'bbox_id' in img_metas[0] else None)
        return dict(
            preds=keypoints,
            rel_root_depth=rel_root_depth,
            hand_type=np.asarray(hand_type) > 0.5,
            boxes=boxes,
            image_paths=read_image_paths(img_metas),
            bbox_ids=bbox_ids)
