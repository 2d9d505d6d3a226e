"""PoseWarper: a top-down detector over several frames of a video, whose
neck warps the neighbouring frames' heatmaps onto the annotated frame
(MMPose 0.29)."""
import warnings
from typing import List, Optional, Sequence

import numpy as np
import torch

from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import POSENETS
from .top_down import TopDown

__all__ = ['PoseWarper']


@POSENETS.register_module()
class PoseWarper(TopDown):
    """Top-down pose detector for video inputs.

    Args:
        backbone (dict): Backbone config.
        neck (dict | None): Neck config (``PoseWarperNeck``).
        keypoint_head (dict | None): Keypoint head config.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config (``flip_test`` ...).
        pretrained (str | None): Backbone checkpoint.
        loss_pose (dict | None): Deprecated; see :class:`TopDown`.
        concat_tensors (bool): Run the backbone once on all frames
            concatenated on the batch axis (faster) instead of once per
            frame. Default: True.

    ``forward(img, target, target_weight, img_metas, ...)`` is that of
    :class:`TopDown` with ``img`` (list[torch.Tensor[N, C, imgH, imgW]])
    the F frames' crops, the annotated (reference) frame first, and
    ``img_metas`` holding ``frame_weight`` (F weights); the targets and the
    predictions are those of the reference frame.

    Note:
        - frames: F; batch size: N; keypoints: K; image channels, height,
          width: C, imgH, imgW; heatmap height, width: H, W.
    """

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = None,
                 keypoint_head: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 loss_pose: Optional[dict] = None,
                 concat_tensors: bool = True):
        super().__init__(
            backbone,
            neck=neck,
            keypoint_head=keypoint_head,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            pretrained=pretrained,
            loss_pose=loss_pose)
        self.concat_tensors = concat_tensors

    def _frame_weight(self, imgs: Sequence[torch.Tensor],
                      img_metas: Sequence[dict]) -> List[float]:
        """The frames' weights, checked against the inputs."""
        self._check_metas(imgs[0].size(0), img_metas, sample='crop')
        if 'frame_weight' not in img_metas[0]:
            raise UnknownNameError(
                'img_metas need "frame_weight" (add it to the meta_keys of '
                f'Collect); keys: {sorted(img_metas[0])}')
        frame_weight = list(img_metas[0]['frame_weight'])
        if len(imgs) != len(frame_weight):
            raise ArgumentError(
                f'the number of frames ({len(imgs)}) and of frame weights '
                f'({len(frame_weight)}: {frame_weight}) must match')
        return frame_weight

    def _warped_features(self, imgs: Sequence[torch.Tensor],
                         frame_weight: Sequence[float]):
        """Backbone features of all frames, warped by the neck."""
        if self.concat_tensors:
            features = [self.backbone(torch.cat(list(imgs), 0))]
        else:
            features = [self.backbone(img) for img in imgs]
        if self.with_neck:
            features = self.neck(features, frame_weight=frame_weight)
        return features

    def forward_train(self, img: Sequence[torch.Tensor], target: torch.Tensor,
                      target_weight: torch.Tensor,
                      img_metas: Sequence[dict], **kwargs) -> dict:
        """Keypoint losses and accuracy of the reference frames."""
        features = self._warped_features(img,
                                         self._frame_weight(img, img_metas))
        return self._keypoint_losses(features, target, target_weight)

    def forward_test(self,
                     img: Sequence[torch.Tensor],
                     img_metas: Sequence[dict],
                     return_heatmap: bool = False,
                     **kwargs) -> dict:
        """Keypoints of the reference frames (optionally flip-tested)."""
        frame_weight = self._frame_weight(img, img_metas)
        batch_size, _, img_height, img_width = img[0].shape
        if batch_size > 1 and 'bbox_id' not in img_metas[0]:
            raise UnknownNameError('img_metas need a "bbox_id" when testing '
                                   'a batch of more than one crop')
        result = {}
        if not self.with_keypoint:
            return result
        output_heatmap = self.keypoint_head.inference_model(
            self._warped_features(img, frame_weight), flip_pairs=None)
        if self.test_cfg.get('flip_test', True):
            flipped = self._warped_features([i.flip(3) for i in img],
                                            frame_weight)
            output_flipped = self.keypoint_head.inference_model(
                flipped, img_metas[0]['flip_pairs'])
            output_heatmap = (output_heatmap + output_flipped) * 0.5
        result.update(
            self.keypoint_head.decode(
                img_metas, output_heatmap, img_size=[img_width, img_height]))
        result['output_heatmap'] = output_heatmap if return_heatmap else None
        return result

    def forward_dummy(self, img):
        """Network output for FLOPs counting / export: ``img`` holds the
        frames concatenated on the batch axis (or a list of them), weighted
        at random."""
        if isinstance(img, (list, tuple)):
            img = torch.cat(list(img), 0)
        batch_size = img.size(0)
        if batch_size < 2:
            raise ArgumentError('PoseWarper.forward_dummy needs a batch of '
                                f'at least 2 frames, got {batch_size}')
        warnings.warn(f'PoseWarper.forward_dummy: {batch_size} frames of '
                      'one crop each, with random frame weights')
        frame_weight = np.random.uniform(0, 1, batch_size)
        output = [self.backbone(img)]
        if self.with_neck:
            output = self.neck(output, frame_weight=frame_weight)
        if self.with_keypoint:
            output = self.keypoint_head(output)
        return output
