"""DEKR detector: every person's keypoints regressed as offsets from its
center, found on a center heatmap (MMPose 0.29's
``DisentangledKeypointRegressor``).

Paper ref: Zigang Geng et al. Bottom-Up Human Pose Estimation Via
Disentangled Keypoint Regression (CVPR 2021).

Note:
    batch size: N
    keypoints: K
    image channels, height, width: C, imgH, imgW
    heatmap height, width: H, W
    poses: P
"""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from mmpose.core.evaluation import (aggregate_scale, aggregate_stage_flip,
                                    get_group_preds)
from mmpose.core.fp16 import auto_fp16
from mmpose.core.post_processing.dekr_cid_decode import (dekr_decode,
                                                         dekr_refine_score,
                                                         flip_dekr_outputs,
                                                         nearby_joints_nms)
from mmpose.errors import ArgumentError
from ..builder import POSENETS, build_head
from ..utils.rescore import DekrRescoreNet
from .base import BasePose
from .bottom_up import BottomUp

__all__ = ['DisentangledKeypointRegressor']


@POSENETS.register_module()
class DisentangledKeypointRegressor(BasePose):
    """Disentangled keypoint regression (DEKR) pose detector.

    Args:
        backbone (dict): Backbone config.
        keypoint_head (dict | None): Head config (``DEKRHead``).
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config: ``num_joints``,
            ``max_num_people``, ``keypoint_threshold``, ``max_pool_kernel``
            (default 5), ``project2image``, ``align_corners`` (default
            True), ``flip_test`` (default True), ``use_udp`` (default
            False), ``use_nms`` (default False) with ``nms_dist_thr`` and
            ``nms_joints_thr``, ``multi_scale_score_decrease`` (default 1)
            and ``rescore_cfg`` (the :class:`DekrRescoreNet` arguments; see
            there where its weights come from).
        pretrained (str | None): Backbone checkpoint.
    """

    def __init__(self,
                 backbone: dict,
                 keypoint_head: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 pretrained: Optional[str] = None):
        super().__init__()
        self._build_backbone_and_neck(backbone, None, train_cfg, test_cfg)
        if keypoint_head is not None:
            self.keypoint_head = build_head(keypoint_head)
        self.use_udp = self.test_cfg.get('use_udp', False)
        rescore_cfg = self.test_cfg.get('rescore_cfg')
        if rescore_cfg is not None:
            self.rescore_net = DekrRescoreNet(**rescore_cfg)
        self.pretrained = pretrained
        self.fp16_enabled = False
        self.init_weights()

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load the backbone from ``pretrained``, initialise the head and
        load the rescore net's weights when available."""
        super().init_weights(pretrained)
        if hasattr(self, 'rescore_net'):
            self.rescore_net.init_weight()

    @auto_fp16(apply_to=('img', ))
    def forward(self,
                img: Optional[torch.Tensor] = None,
                heatmaps: Optional[List[torch.Tensor]] = None,
                masks: Optional[List[torch.Tensor]] = None,
                offsets: Optional[List[torch.Tensor]] = None,
                offset_weights: Optional[List[torch.Tensor]] = None,
                img_metas: Optional[Sequence[dict]] = None,
                return_loss: bool = True,
                return_heatmap: bool = False,
                **kwargs):
        """Losses when ``return_loss`` is True, else decoded poses.

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Images.
            heatmaps (list[torch.Tensor[N, 1 + K, H, W]]): Multi-scale
                center + keypoint heatmap targets.
            masks (list[torch.Tensor[N, 1 + K, H, W]]): Their weights.
            offsets (list[torch.Tensor[N, 2K, H, W]]): Offset targets.
            offset_weights (list[torch.Tensor[N, 2K, H, W]]): Their weights.
            img_metas (list[dict]): At test time ``image_file``,
                ``aug_data``, ``test_scale_factor``, ``base_size``,
                ``center``, ``scale``, ``flip_index``, ``num_joints``,
                ``image_size``, ``heatmap_size`` and ``skeleton``.
            return_loss (bool): Training or testing.
            return_heatmap (bool): Also return the aggregated heatmaps.

        Returns:
            dict: losses, or ``preds``, ``scores``, ``image_paths`` and
            ``output_heatmap``.
        """
        if return_loss:
            return self.forward_train(img, heatmaps, masks, offsets,
                                      offset_weights, img_metas, **kwargs)
        return self.forward_test(
            img, img_metas, return_heatmap=return_heatmap, **kwargs)

    def forward_train(self, img: torch.Tensor,
                      heatmaps: List[torch.Tensor],
                      masks: List[torch.Tensor],
                      offsets: List[torch.Tensor],
                      offset_weights: List[torch.Tensor],
                      img_metas: Optional[Sequence[dict]] = None,
                      **kwargs) -> Dict[str, torch.Tensor]:
        """Heatmap (``loss_hms``) and offset (``loss_ofs``) losses."""
        output = self.backbone(img)
        losses = dict()
        if self.with_keypoint:
            output = self.keypoint_head(output)
            losses.update(
                self.keypoint_head.get_loss(output, heatmaps, masks, offsets,
                                            offset_weights))
        return losses

    def forward_dummy(self, img: torch.Tensor):
        """Network output without post-processing (for FLOPs counting)."""
        return self._head_outputs(img)

    def _scale_outputs(self, image: torch.Tensor, flip_index: Sequence[int],
                       base_size: Sequence[int]):
        """Flip-averaged heatmaps and offsets of one test scale."""
        cfg = self.test_cfg
        heatmaps, offsets = self.forward_dummy(image)[0]
        flipped = [None, None]
        if cfg.get('flip_test', True):
            flipped = flip_dekr_outputs(
                *self.forward_dummy(torch.flip(image, [3]))[0], flip_index)
            flipped = [[maps] for maps in flipped]
        return [
            aggregate_stage_flip(
                [maps],
                maps_flipped,
                project2image=cfg['project2image'],
                size_projected=base_size,
                align_corners=cfg.get('align_corners', True),
                aggregate_stage='average',
                aggregate_flip='average')[0]
            for maps, maps_flipped in zip((heatmaps, offsets), flipped)
        ]

    def forward_test(self,
                     img: torch.Tensor,
                     img_metas: Sequence[dict],
                     return_heatmap: bool = False,
                     **kwargs) -> dict:
        """Multi-scale, optionally flipped inference of one image (batch
        size 1): decode, rescale the scores of the other scales to the
        base scale, refine them with the keypoint heatmaps, pose NMS, map
        to the image and rescore."""
        if img.size(0) != 1 or img_metas is None or len(img_metas) != 1:
            raise ArgumentError(
                'DisentangledKeypointRegressor.forward_test supports one '
                f'image per batch, got {img.size(0)} images')
        meta = img_metas[0]
        cfg = self.test_cfg
        base_size = meta['base_size']
        align_corners = cfg.get('align_corners', True)
        # input pixels per heatmap pixel, per axis
        stride = torch.as_tensor(
            np.broadcast_to(np.asarray(meta['image_size'], float), 2) /
            np.broadcast_to(np.asarray(meta['heatmap_size'][0], float), 2),
            dtype=torch.float32, device=img.device)

        scale_heatmaps, scale_poses = [], {}
        for idx, scale in enumerate(
                sorted(meta['test_scale_factor'], reverse=True)):
            heatmaps, offsets = self._scale_outputs(
                meta['aug_data'][idx].to(img.device), meta['flip_index'],
                base_size)
            scale_heatmaps.append(heatmaps)
            poses = dekr_decode(heatmaps, offsets,
                                cfg.get('max_pool_kernel', 5),
                                cfg['max_num_people'],
                                cfg['keypoint_threshold'])
            poses[..., :2] *= stride / scale
            scale_poses[scale] = poses

        heatmaps = aggregate_scale(
            scale_heatmaps, align_corners, size_projected=base_size)
        # scores of the other scales are rescaled to the base scale's best
        reference = scale_poses.get(1)
        best = (reference[..., 2].max()
                if reference is not None and len(reference) else 1)
        for scale, poses in scale_poses.items():
            if scale != 1 and len(poses):
                poses[..., 2] *= best / poses[..., 2].max() * cfg.get(
                    'multi_scale_score_decrease', 1.0)
        poses = dekr_refine_score(heatmaps, torch.cat(
            list(scale_poses.values()))).cpu().numpy()

        if len(poses) and cfg.get('use_nms', False):
            keep = nearby_joints_nms(
                [dict(keypoints=p[:, :2], score=p[:, 3]) for p in poses],
                cfg['nms_dist_thr'],
                cfg['nms_joints_thr'],
                score_per_joint=True,
                max_dets=cfg['max_num_people'])
            poses = poses[keep]
        scores = poses[..., 2].mean(axis=1)
        preds = get_group_preds([poses], meta['center'], meta['scale'],
                                base_size, use_udp=self.use_udp)
        if hasattr(self, 'rescore_net') and len(preds):
            rescores = self.rescore_net(
                np.stack(preds), meta['skeleton']).detach().cpu().numpy()
            scores = scores * np.nan_to_num(rescores, nan=0.0)
        return dict(
            preds=preds,
            scores=scores,
            image_paths=[meta['image_file']],
            output_heatmap=(heatmaps.detach().cpu().numpy()
                            if return_heatmap else None))

    #: drawing as the other bottom-up detectors
    show_result = BottomUp.show_result

