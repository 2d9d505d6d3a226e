"""CID head: instance centers on a multi-person heatmap, then one set of
keypoint heatmaps per instance from features decoupled by channel and
spatial attention conditioned on the instance.

Paper ref: Dongkai Wang et al. Contextual Instance Decoupling for Robust
Multi-Person Pose Estimation (CVPR 2022).

Note:
    batch size: N
    feature channels: C
    number of keypoints: K
    instances: P (per batch), M (padded per image)
    feature / heatmap height, width: H, W
"""
import math
from typing import Dict, List, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from mmpose.core.post_processing.dekr_cid_decode import cid_detect_centers
from mmpose.errors import ArgumentTypeError
from ..builder import HEADS
from ..losses.heatmap_loss import FocalHeatmapLoss

__all__ = ['CIDHead']


def _probability(logits: torch.Tensor) -> torch.Tensor:
    """Sigmoid kept inside [1e-4, 1 - 1e-4] (finite focal loss)."""
    return logits.sigmoid().clamp(min=1e-4, max=1 - 1e-4)


def contrastive_loss(features: torch.Tensor, groups: torch.Tensor,
                     temperature: float = 0.05) -> torch.Tensor:
    """Summed InfoNCE loss where each instance must be most similar to
    itself among the instances of its own image.

    Args:
        features (torch.Tensor[P, C]): Instance features.
        groups (torch.Tensor[P]): Image index of each instance.
        temperature (float): Softmax temperature. Default: 0.05.
    """
    unit = F.normalize(features, dim=1)
    logits = unit @ unit.t() / temperature
    other_image = groups[:, None] != groups[None]
    logits = logits.masked_fill(other_image, float('-inf'))
    targets = torch.arange(len(features), device=features.device)
    return F.cross_entropy(logits, targets, reduction='sum')


class ChannelAtten(nn.Module):
    """Scale the channels of each instance's copy of the features by a
    projection of the instance's feature vector."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.atn = nn.Linear(in_channels, out_channels)

    def forward(self, global_features: torch.Tensor,
                instance_params: torch.Tensor) -> torch.Tensor:
        """global_features (torch.Tensor[P, C', H, W]), instance_params
        (torch.Tensor[P, C]) -> torch.Tensor[P, C', H, W]."""
        return global_features * self.atn(instance_params)[..., None, None]


class SpatialAtten(nn.Module):
    """Mask each instance's copy of the features with a spatial attention
    map from the instance-weighted feature sum and the offsets to the
    instance center (in units of 32 pixels)."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.atn = nn.Linear(in_channels, out_channels)
        self.conv = nn.Conv2d(3, 1, 5, 1, 2)

    def forward(self, global_features: torch.Tensor,
                instance_params: torch.Tensor,
                instance_coords: torch.Tensor) -> torch.Tensor:
        """global_features (torch.Tensor[P, C', H, W]), instance_params
        (torch.Tensor[P, C]), instance_coords ((y, x), torch.Tensor[P, 2])
        -> torch.Tensor[P, C', H, W]."""
        _, _, h, w = global_features.shape
        weighted = global_features * self.atn(instance_params)[..., None,
                                                                None]
        ys, xs = torch.meshgrid(
            torch.arange(h, device=global_features.device),
            torch.arange(w, device=global_features.device),
            indexing='ij')
        relative = torch.stack([
            instance_coords[:, 1, None, None] - xs,
            instance_coords[:, 0, None, None] - ys
        ], dim=1).to(global_features.dtype) / 32
        mask = self.conv(
            torch.cat([weighted.sum(dim=1, keepdim=True), relative], dim=1))
        return global_features * mask.sigmoid()


@HEADS.register_module()
class CIDHead(nn.Module):
    """Contextual Instance Decoupling head.

    Training (``self.training``): ``forward(features, labels)`` returns the
    losses; testing: ``forward(features, test_cfg)`` returns the instance
    heatmaps and center scores.

    Args:
        in_channels (int): Channels of the concatenated input features.
        gfd_channels (int): Channels of the instance feature maps.
        num_joints (int): K.
        multi_hm_loss_factor (float): Weight of the multi-person heatmap
            loss. Default: 1.0.
        single_hm_loss_factor (float): Weight of the instance heatmap loss.
            Default: 4.0.
        contrastive_loss_factor (float): Weight of the contrastive loss.
            Default: 1.0.
        max_train_instances (int): Most instances per training batch (a
            random subset beyond it; negative: no limit). Default: 200.
        prior_prob (float): Initial heatmap probability (bias of the
            predicting convs). Default: 0.01.
    """

    def __init__(self,
                 in_channels: int,
                 gfd_channels: int,
                 num_joints: int,
                 multi_hm_loss_factor: float = 1.0,
                 single_hm_loss_factor: float = 4.0,
                 contrastive_loss_factor: float = 1.0,
                 max_train_instances: int = 200,
                 prior_prob: float = 0.01):
        super().__init__()
        self.num_joints = num_joints
        self.multi_hm_loss_factor = multi_hm_loss_factor
        self.single_hm_loss_factor = single_hm_loss_factor
        self.contrastive_loss_factor = contrastive_loss_factor
        self.max_train_instances = max_train_instances
        self.prior_prob = prior_prob
        # instance information abstraction: keypoint + center heatmaps
        self.keypoint_center_conv = nn.Conv2d(in_channels, num_joints + 1, 1)
        # global feature decoupling
        self.conv_down = nn.Conv2d(in_channels, gfd_channels, 1)
        self.c_attn = ChannelAtten(in_channels, gfd_channels)
        self.s_attn = SpatialAtten(in_channels, gfd_channels)
        self.fuse_attn = nn.Conv2d(gfd_channels * 2, gfd_channels, 1)
        self.heatmap_conv = nn.Conv2d(gfd_channels, num_joints, 1)
        self.heatmap_loss = FocalHeatmapLoss()
        self.init_weights()

    @staticmethod
    def _concat(features: List[torch.Tensor]) -> torch.Tensor:
        """Backbone outputs resized to the first one and concatenated."""
        if not isinstance(features, (list, tuple)):
            raise ArgumentTypeError('CIDHead expects a list of feature maps, '
                                    f'got {type(features).__name__}')
        size = features[0].shape[2:]
        return torch.cat([features[0]] + [
            F.interpolate(f, size=size, mode='bilinear', align_corners=False)
            for f in features[1:]
        ], dim=1)

    def forward(self, features: List[torch.Tensor],
                forward_info: Union[tuple, dict, None] = None):
        """Losses (training, ``forward_info`` the labels of
        :meth:`forward_train`) or instance heatmaps (testing,
        ``forward_info`` the test config)."""
        features = self._concat(features)
        if self.training:
            return self.forward_train(features, forward_info)
        return self.forward_test(features, forward_info or {})

    def _instance_heatmaps(self, features: torch.Tensor,
                           image_ids: torch.Tensor,
                           params: torch.Tensor,
                           coords: torch.Tensor) -> torch.Tensor:
        """Keypoint heatmaps ([P, K, H, W]) of instances with feature
        vectors ``params`` ([P, C]) at ``coords`` ((y, x), [P, 2]) of
        images ``image_ids`` ([P]) of ``features`` ([N, C, H, W])."""
        instance_features = self.conv_down(features)[image_ids]
        decoupled = torch.cat([
            self.c_attn(instance_features, params),
            self.s_attn(instance_features, params, coords)
        ], dim=1)
        return _probability(
            self.heatmap_conv(F.relu(self.fuse_attn(decoupled))))

    def forward_train(self, features: torch.Tensor,
                      labels: Tuple[torch.Tensor, ...]
                      ) -> Dict[str, torch.Tensor]:
        """Losses of one batch.

        Args:
            features (torch.Tensor[N, C, H, W]): Concatenated features.
            labels (tuple): ``multi_heatmap`` [N, K + 1, H, W],
                ``multi_mask`` [N, 1, H, W], ``instance_coord`` ((y, x),
                [N, M, 2]), ``instance_heatmap`` [N, M, K, H, W],
                ``instance_mask`` [N, M, K, 1, 1], ``instance_valid``
                [N, M].

        Returns:
            dict: ``multi_heatmap_loss``, ``single_heatmap_loss`` and
            ``contrastive_loss``.
        """
        (multi_heatmap, multi_mask, instance_coord, instance_heatmap,
         instance_mask, instance_valid) = labels
        pred_multi = _probability(self.keypoint_center_conv(features))
        multi_loss = self.heatmap_loss(pred_multi, multi_heatmap, multi_mask)

        valid = instance_valid > 0.5
        image_ids = valid.nonzero()[:, 0]
        coords = instance_coord[valid].long()
        params = features[image_ids, :, coords[:, 0], coords[:, 1]]
        if len(params) == 0:
            zero = features.sum() * 0
            single_loss, contrast = zero, zero
        else:
            contrast = contrastive_loss(params, image_ids) / len(params)
            heatmaps, masks = instance_heatmap[valid], instance_mask[valid]
            if 0 <= self.max_train_instances < len(params):
                pick = torch.randperm(
                    len(params),
                    device=features.device)[:self.max_train_instances]
                image_ids, coords, params = (image_ids[pick], coords[pick],
                                             params[pick])
                heatmaps, masks = heatmaps[pick], masks[pick]
            pred = self._instance_heatmaps(features, image_ids, params,
                                           coords)
            single_loss = self.heatmap_loss(pred, heatmaps, masks)
        return dict(
            multi_heatmap_loss=multi_loss * self.multi_hm_loss_factor,
            single_heatmap_loss=single_loss * self.single_hm_loss_factor,
            contrastive_loss=contrast * self.contrastive_loss_factor)

    def forward_test(self, features: torch.Tensor, test_cfg: dict):
        """Instance heatmaps of one image (and its flipped copy).

        Args:
            features (torch.Tensor[1 or 2, C, H, W]): Concatenated features
                of the image (and, with ``flip_test``, the flipped image).
            test_cfg (dict): ``flip_test`` (default False),
                ``center_pool_kernel`` (default 3), ``max_num_people``
                (default 30), ``detection_threshold`` (default 0.01) and,
                with ``flip_test``, ``flip_index``.

        Returns:
            tuple: instance heatmaps (torch.Tensor[P, K, H, W]) and center
            scores (torch.Tensor[P]), or ``([], [])`` without instances.
        """
        flip_test = test_cfg.get('flip_test', False)
        if flip_test:  # the flipped image's features, mirrored back
            features = torch.stack([features[0], features[1].flip(2)])
        center = _probability(self.keypoint_center_conv(features))[:, -1]
        coords, scores = cid_detect_centers(
            center.mean(dim=0), test_cfg.get('center_pool_kernel', 3),
            test_cfg.get('max_num_people', 30),
            test_cfg.get('detection_threshold', 0.01))
        if len(scores) == 0:
            return [], []
        image_ids = torch.zeros_like(coords[:, 0])
        if flip_test:
            image_ids = torch.cat([image_ids, image_ids + 1])
            coords = torch.cat([coords, coords])
        params = features[image_ids, :, coords[:, 0], coords[:, 1]]
        heatmaps = self._instance_heatmaps(features, image_ids, params,
                                           coords)
        if flip_test:
            plain, flipped = heatmaps.chunk(2)
            heatmaps = (plain + flipped[:, list(test_cfg['flip_index'])]) / 2
        return heatmaps, scores

    def init_weights(self) -> None:
        """Convs and linears N(0, 0.001) with zero bias; the predicting
        convs start at probability ``prior_prob``."""
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.normal_(m.weight, std=0.001)
                nn.init.zeros_(m.bias)
        bias = -math.log((1 - self.prior_prob) / self.prior_prob)
        nn.init.constant_(self.keypoint_center_conv.bias, bias)
        nn.init.constant_(self.heatmap_conv.bias, bias)
