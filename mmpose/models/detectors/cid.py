"""CID detector: contextual instance decoupling for multi-person pose
estimation (MMPose 0.29's ``CID``).

Paper ref: Dongkai Wang et al. Contextual Instance Decoupling for Robust
Multi-Person Pose Estimation (CVPR 2022).

Note:
    batch size: N
    keypoints: K
    image channels, height, width: C, imgH, imgW
    heatmap height, width: H, W
    max people: M
"""
from typing import Dict, Optional, Sequence

import torch

from mmpose.core.evaluation import get_group_preds
from mmpose.core.fp16 import auto_fp16
from mmpose.core.post_processing.dekr_cid_decode import cid_keypoints
from ..builder import POSENETS, build_head
from .base import BasePose
from .bottom_up import BottomUp

__all__ = ['CID']


@POSENETS.register_module()
class CID(BasePose):
    """Contextual Instance Decoupling pose detector.

    Args:
        backbone (dict): Backbone config.
        keypoint_head (dict | None): Head config (``CIDHead``).
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config: ``flip_test`` (default
            True), ``max_num_people``, ``detection_threshold`` and
            ``center_pool_kernel`` (default 3).
        pretrained (str | None): Backbone checkpoint.
        loss_pose (dict | None): Deprecated; used as the head's
            ``loss_keypoint`` when that is not given.
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
                                              'CID'))
        self.pretrained = pretrained
        self.fp16_enabled = False
        self.init_weights()

    @auto_fp16(apply_to=('img', ))
    def forward(self,
                img: Optional[torch.Tensor] = None,
                multi_heatmap: Optional[torch.Tensor] = None,
                multi_mask: Optional[torch.Tensor] = None,
                instance_coord: Optional[torch.Tensor] = None,
                instance_heatmap: Optional[torch.Tensor] = None,
                instance_mask: Optional[torch.Tensor] = None,
                instance_valid: Optional[torch.Tensor] = None,
                img_metas: Optional[Sequence[dict]] = None,
                return_loss: bool = True,
                return_heatmap: bool = False,
                **kwargs):
        """Losses when ``return_loss`` is True, else decoded poses.

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Images.
            multi_heatmap (torch.Tensor[N, K + 1, H, W]): Keypoint and
                center heatmaps of all people.
            multi_mask (torch.Tensor[N, 1, H, W]): Their mask.
            instance_coord (torch.Tensor[N, M, 2]): Instance centers (y, x).
            instance_heatmap (torch.Tensor[N, M, K, H, W]): Heatmaps of each
                instance.
            instance_mask (torch.Tensor[N, M, K, 1, 1]): Their keypoint
                masks.
            instance_valid (torch.Tensor[N, M]): 1 for real instances.
            img_metas (list[dict]): At test time ``image_file``,
                ``aug_data``, ``base_size``, ``center``, ``scale`` and
                ``flip_index``.
            return_loss (bool): Training or testing.
            return_heatmap (bool): Unused (CID returns no heatmap).

        Returns:
            dict: losses, or ``preds``, ``scores``, ``image_paths`` and
            ``output_heatmap`` (None).
        """
        if return_loss:
            return self.forward_train(img, multi_heatmap, multi_mask,
                                      instance_coord, instance_heatmap,
                                      instance_mask, instance_valid,
                                      img_metas, **kwargs)
        return self.forward_test(
            img, img_metas, return_heatmap=return_heatmap, **kwargs)

    def forward_train(self, img: torch.Tensor, multi_heatmap: torch.Tensor,
                      multi_mask: torch.Tensor, instance_coord: torch.Tensor,
                      instance_heatmap: torch.Tensor,
                      instance_mask: torch.Tensor,
                      instance_valid: torch.Tensor,
                      img_metas: Optional[Sequence[dict]] = None,
                      **kwargs) -> Dict[str, torch.Tensor]:
        """The head's three losses of one batch."""
        output = self.backbone(img)
        if not self.with_keypoint:
            return dict()
        labels = (multi_heatmap, multi_mask, instance_coord,
                  instance_heatmap, instance_mask, instance_valid)
        return self.keypoint_head(output, labels)

    def forward_dummy(self, img: torch.Tensor):
        """Instance heatmaps and scores (for FLOPs counting)."""
        output = self.backbone(img)
        if self.with_keypoint:
            output = self.keypoint_head(output, self.test_cfg)
        return output

    def forward_test(self,
                     img: torch.Tensor,
                     img_metas: Sequence[dict],
                     return_heatmap: bool = False,
                     **kwargs) -> dict:
        """Inference of one image (batch size 1, first test scale only),
        optionally with its flipped copy."""
        self._check_single_image(img, img_metas)
        meta = img_metas[0]
        cfg = dict(self.test_cfg, flip_index=meta['flip_index'])
        image = meta['aug_data'][0].to(img.device)
        if cfg.get('flip_test', True):
            cfg['flip_test'] = True
            image = torch.cat([image, torch.flip(image, [3])])
        heatmaps, center_scores = self.keypoint_head(
            self.backbone(image), cfg)
        preds, scores = [], []
        if len(heatmaps):
            poses = cid_keypoints(heatmaps, center_scores,
                                  cfg.get('center_pool_kernel', 3))
            scores = poses[..., 2].mean(dim=1).cpu().numpy()
            # a constant tag column, as the associative-embedding results
            poses = torch.cat([poses, torch.ones_like(poses[..., :1])], dim=2)
            preds = get_group_preds([poses.cpu().numpy()], meta['center'],
                                    meta['scale'], meta['base_size'][:2])
        return dict(
            preds=preds,
            scores=scores,
            image_paths=[meta['image_file']],
            output_heatmap=None)

    #: drawing as the other bottom-up detectors
    show_result = BottomUp.show_result
