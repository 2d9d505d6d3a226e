"""Bottom-up pose detector: keypoint heatmaps and associative-embedding
tags for all people in an image, grouped into instances (Associative
Embedding, HigherHRNet)."""
from typing import List, Optional, Sequence

import numpy as np
import torch

from mmpose.core.evaluation import (aggregate_results, get_group_preds,
                                    get_multi_stage_outputs)
from mmpose.core.post_processing.group import HeatmapParser
from mmpose.core.fp16 import auto_fp16
from mmpose.errors import ArgumentError
from ..builder import POSENETS, build_head
from .base import BasePose

__all__ = ['BottomUp']


@POSENETS.register_module()
class BottomUp(BasePose):
    """Bottom-up pose detector.

    Args:
        backbone (dict): Backbone config.
        keypoint_head (dict | None): Keypoint head config.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config: ``num_joints``,
            ``with_heatmaps``, ``with_ae``, ``tag_per_joint``,
            ``project2image``, ``flip_test`` (default True), ``adjust``,
            ``refine``, ``use_udp`` (default False), ``align_corners``
            (default: ``use_udp``) and the grouping options of
            ``HeatmapParser``.
        pretrained (str | None): Backbone checkpoint.
        loss_pose (dict | None): Deprecated; used as the head's
            ``loss_keypoint`` when that is not given.

    Note:
        batch size: N
        keypoints: K
        image channels, height, width: C, imgH, imgW
        heatmap height, width: H, W
        max people: M
    """

    def __init__(self,
                 backbone: dict,
                 keypoint_head: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 loss_pose: Optional[dict] = None):
        super().__init__()
        self._build_backbone_and_neck(backbone, None, train_cfg, test_cfg)
        if keypoint_head is not None:
            self.keypoint_head = build_head(
                self._build_keypoint_head_cfg(keypoint_head, loss_pose,
                                              'BottomUp'))
        self.use_udp = self.test_cfg.get('use_udp', False)
        self.align_corners = self.test_cfg.get('align_corners', self.use_udp)
        self.parser = HeatmapParser(self.test_cfg)
        self.pretrained = pretrained
        self.fp16_enabled = False
        self.init_weights()

    @auto_fp16(apply_to=('img', ))
    def forward(self,
                img: Optional[torch.Tensor] = None,
                targets: Optional[List[torch.Tensor]] = None,
                masks: Optional[List[torch.Tensor]] = None,
                joints: Optional[List[torch.Tensor]] = None,
                img_metas: Optional[Sequence[dict]] = None,
                return_loss: bool = True,
                return_heatmap: bool = False,
                **kwargs):
        """Losses when ``return_loss`` is True, else grouped poses.

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Images.
            targets (list[torch.Tensor[N, K, H, W]]): Multi-scale target
                heatmaps.
            masks (list[torch.Tensor[N, H, W]]): Multi-scale heatmap masks.
            joints (list[torch.Tensor[N, M, K, 2]]): Multi-scale joints for
                the associative-embedding loss.
            img_metas (list[dict]): At test time ``image_file``,
                ``aug_data``, ``test_scale_factor``, ``base_size``,
                ``center``, ``scale`` and ``flip_index``.
            return_loss (bool): Training or testing.
            return_heatmap (bool): Also return the aggregated heatmaps.

        Returns:
            dict: losses, or ``preds``, ``scores``, ``image_paths`` and
            ``output_heatmap``.
        """
        if return_loss:
            return self.forward_train(img, targets, masks, joints, img_metas,
                                      **kwargs)
        return self.forward_test(
            img, img_metas, return_heatmap=return_heatmap, **kwargs)

    def forward_train(self, img: torch.Tensor, targets: List[torch.Tensor],
                      masks: List[torch.Tensor], joints: List[torch.Tensor],
                      img_metas: Optional[Sequence[dict]], **kwargs) -> dict:
        """Heatmap and associative-embedding losses of one batch."""
        output = self.backbone(img)
        losses = dict()
        if self.with_keypoint:
            output = self.keypoint_head(output)
            losses.update(
                self.keypoint_head.get_loss(output, targets, masks, joints))
        return losses

    def forward_test(self,
                     img: torch.Tensor,
                     img_metas: Sequence[dict],
                     return_heatmap: bool = False,
                     **kwargs) -> dict:
        """Multi-scale, optionally flipped inference and grouping of one
        image (batch size 1)."""
        self._check_single_image(img, img_metas)
        meta = img_metas[0]
        aug_data = meta['aug_data']
        test_scale_factor = meta['test_scale_factor']
        if len(aug_data) != len(test_scale_factor):
            raise ArgumentError(
                f'img_metas has {len(aug_data)} aug_data images '
                f'for {len(test_scale_factor)} test scales')
        base_size = meta['base_size']
        cfg = self.test_cfg
        flip_test = cfg.get('flip_test', True)

        aggregated_heatmaps = None
        tags_list = []
        # aug_data is ordered from the largest scale to the smallest.
        for idx, scale in enumerate(sorted(test_scale_factor, reverse=True)):
            image_resized = aug_data[idx].to(img.device)
            outputs = self._head_outputs(image_resized)
            outputs_flipped = (
                self._head_outputs(torch.flip(image_resized, [3]))
                if flip_test else None)
            _, heatmaps, tags = get_multi_stage_outputs(
                outputs,
                outputs_flipped,
                cfg['num_joints'],
                cfg['with_heatmaps'],
                cfg['with_ae'],
                cfg.get('tag_per_joint', True),
                meta['flip_index'],
                cfg['project2image'],
                base_size,
                align_corners=self.align_corners)
            aggregated_heatmaps, tags_list = aggregate_results(
                scale,
                aggregated_heatmaps,
                tags_list,
                heatmaps,
                tags,
                test_scale_factor,
                cfg['project2image'],
                flip_test,
                align_corners=self.align_corners)

        aggregated_heatmaps = aggregated_heatmaps / float(
            len(test_scale_factor))
        tags = torch.cat(tags_list, dim=4)
        grouped, scores = self.parser.parse(aggregated_heatmaps, tags,
                                            cfg['adjust'], cfg['refine'])
        preds = get_group_preds(
            grouped,
            meta['center'],
            meta['scale'],
            [aggregated_heatmaps.size(3),
             aggregated_heatmaps.size(2)],
            use_udp=self.use_udp)
        return dict(
            preds=preds,
            scores=scores,
            image_paths=[meta['image_file']],
            output_heatmap=(aggregated_heatmaps.detach().cpu().numpy()
                            if return_heatmap else None))

    def forward_dummy(self, img: torch.Tensor):
        """Network output without post-processing (for FLOPs counting)."""
        return self._head_outputs(img)

    def show_result(self,
                    img,
                    result: List[dict],
                    skeleton: Optional[Sequence[Sequence[int]]] = None,
                    kpt_score_thr: float = 0.3,
                    bbox_color=None,
                    pose_kpt_color: Optional[np.ndarray] = None,
                    pose_limb_color: Optional[np.ndarray] = None,
                    radius: int = 4,
                    thickness: int = 1,
                    font_scale: float = 0.5,
                    win_name: str = '',
                    show: bool = False,
                    show_keypoint_weight: bool = False,
                    wait_time: int = 0,
                    out_file: Optional[str] = None) -> np.ndarray:
        """Draw keypoints and limbs of ``result`` over ``img``.

        See :meth:`TopDown.show_result`; boxes are drawn only when
        ``bbox_color`` is given and the results carry a ``bbox``.
        """
        return self._draw_pose(img, result, skeleton, kpt_score_thr,
                               bbox_color, pose_kpt_color, pose_limb_color,
                               radius, thickness, font_scale, win_name, show,
                               show_keypoint_weight, wait_time, out_file)
