"""Top-down pose detector: one person crop in, keypoint heatmaps out
(SimpleBaseline, HRNet, Hourglass, MSPN/RSN, CPM, DeepPose, ...)."""
from typing import List, Optional, Sequence

import numpy as np
import torch

from mmpose.core.fp16 import auto_fp16
from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import POSENETS, build_head
from .base import BasePose

__all__ = ['TopDown']


@POSENETS.register_module()
class TopDown(BasePose):
    """Top-down pose detector.

    Args:
        backbone (dict): Backbone config.
        neck (dict | None): Neck config.
        keypoint_head (dict | None): Keypoint head config; it receives
            ``train_cfg`` and ``test_cfg``, which hold the decoding options
            (``target_type``, ``post_process``, ``use_udp``,
            ``shift_heatmap``, ...).
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config; ``flip_test`` (default
            True) averages the heatmaps of the image and of its mirror;
            ``regression_flip_shift`` (0.29, default False) moves the
            mirrored regression x left by one input pixel first.
        pretrained (str | None): Backbone checkpoint.
        loss_pose (dict | None): Deprecated; used as the head's
            ``loss_keypoint`` when that is not given.

    Note:
        batch size: N
        keypoints: K
        image channels, height, width: C, imgH, imgW
        heatmap height, width: H, W
    """

    #: Flip test with one network pass over the crops and their mirrored
    #: copies (True on the fast inference copy only).
    batch_flip_test = False

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = None,
                 keypoint_head: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 loss_pose: Optional[dict] = None):
        super().__init__()
        self._build_backbone_and_neck(backbone, neck, train_cfg, test_cfg)
        if keypoint_head is not None:
            head_cfg = self._build_keypoint_head_cfg(keypoint_head, loss_pose,
                                                     'TopDown')
            head_cfg['train_cfg'] = train_cfg
            head_cfg['test_cfg'] = test_cfg
            self.keypoint_head = build_head(head_cfg)
        self.pretrained = pretrained
        self.fp16_enabled = False
        self.init_weights()

    @auto_fp16(apply_to=('img', ))
    def forward(self,
                img: torch.Tensor,
                target: Optional[torch.Tensor] = None,
                target_weight: Optional[torch.Tensor] = None,
                img_metas: Optional[Sequence[dict]] = None,
                return_loss: bool = True,
                return_heatmap: bool = False,
                **kwargs):
        """Losses when ``return_loss`` is True, else predictions.

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Person crops.
            target (torch.Tensor[N, K, H, W]): Target heatmaps.
            target_weight (torch.Tensor[N, K, 1]): Keypoint weights.
            img_metas (list[dict]): Per crop: ``image_file``, ``center``,
                ``scale``, ``rotation``, ``bbox_score``, ``flip_pairs``
                (and ``bbox_id`` for batches larger than 1).
            return_loss (bool): Training or testing.
            return_heatmap (bool): Also return the output heatmaps.

        Returns:
            dict: losses and accuracies, or ``preds``, ``boxes``,
            ``image_paths``, ``bbox_ids`` and ``output_heatmap``.
        """
        if return_loss:
            return self.forward_train(img, target, target_weight, img_metas,
                                      **kwargs)
        return self.forward_test(
            img, img_metas, return_heatmap=return_heatmap, **kwargs)

    def forward_train(self, img: torch.Tensor, target: torch.Tensor,
                      target_weight: torch.Tensor,
                      img_metas: Optional[Sequence[dict]], **kwargs) -> dict:
        """Keypoint losses and accuracy of one batch."""
        if target is None or target_weight is None:
            raise ArgumentError('TopDown.forward_train needs target and '
                                'target_weight')
        return self._keypoint_losses(self._features(img), target,
                                     target_weight)

    def _check_test_metas(self, img: torch.Tensor,
                          img_metas: Optional[Sequence[dict]]) -> None:
        """One meta per crop of ``img`` [N, C, H, W], each with a
        ``bbox_id`` when N > 1."""
        if img_metas is None or img.size(0) != len(img_metas):
            raise ArgumentError(
                f'{type(self).__name__}.forward_test needs one img_meta per '
                f'image: got {img.size(0)} images and '
                f'{None if img_metas is None else len(img_metas)} metas')
        if img.size(0) > 1 and 'bbox_id' not in img_metas[0]:
            raise UnknownNameError(
                'img_metas need a "bbox_id" when testing a batch '
                'of more than one crop')

    def _test_features(self, img: torch.Tensor, img_metas: Sequence[dict]):
        """Backbone (+ neck) features of test crops, one meta per crop
        (:class:`TopDownMoE` routes each by its ``dataset_idx``)."""
        return self._features(img)

    def _inference_flipped(self, img: torch.Tensor, img_metas: Sequence[dict]):
        """Head output on the mirrored crops, flipped back with the
        ``flip_pairs`` of ``img_metas``."""
        return self.keypoint_head.inference_model(
            self._test_features(img.flip(3), img_metas),
            self._flip_pairs(img_metas))

    @staticmethod
    def _flip_pairs(img_metas: Sequence[dict]):
        flip_pairs = img_metas[0].get('flip_pairs')
        if flip_pairs is None:
            raise UnknownNameError('flip_test needs "flip_pairs" in img_metas')
        return flip_pairs

    def _inference_with_flip(self, img: torch.Tensor,
                             img_metas: Sequence[dict]):
        """Head outputs of the crops and of their mirrored copies (flipped
        back).

        With ``batch_flip_test`` (set on the fast inference copy, see
        :mod:`mmpose.apis.fast_inference`) both go through the network as
        one batch [2N, C, H, W]; in eval mode no sample's output depends
        on the others. Otherwise two passes, as 0.x did (layer-output
        hooks then see the upright crops first).
        """
        head = self.keypoint_head
        if not self.batch_flip_test:
            return (head.inference_model(
                self._test_features(img, img_metas), None),
                    self._inference_flipped(img, img_metas))
        flip_pairs = self._flip_pairs(img_metas)
        features = self._test_features(
            torch.cat([img, img.flip(3)]), list(img_metas) * 2)
        upright, mirrored = _split_batch(features, img.shape[0])
        return (head.inference_model(upright, flip_pairs=None),
                head.inference_model(mirrored, flip_pairs))

    def forward_test(self,
                     img: torch.Tensor,
                     img_metas: Sequence[dict],
                     return_heatmap: bool = False,
                     **kwargs) -> dict:
        """Predict keypoints of a batch of crops (optionally flip-tested)."""
        self._check_test_metas(img, img_metas)
        _, _, img_height, img_width = img.shape
        result = {}
        if not self.with_keypoint:
            return result
        if self.test_cfg.get('flip_test', True):
            output_heatmap, output_flipped = self._inference_with_flip(
                img, img_metas)
            output_heatmap = output_heatmap + output_flipped
            if self.test_cfg.get('regression_flip_shift', False):
                # 0.29 regression models: the mirrored x is one input
                # pixel right of the upright one before averaging.
                output_heatmap[..., 0] -= 1. / img_width
            output_heatmap = output_heatmap * 0.5
        else:
            output_heatmap = self.keypoint_head.inference_model(
                self._test_features(img, img_metas), flip_pairs=None)
        result.update(
            self.keypoint_head.decode(
                img_metas, output_heatmap, img_size=[img_width, img_height]))
        result['output_heatmap'] = output_heatmap if return_heatmap else None
        return result

    def forward_dummy(self, img: torch.Tensor):
        """Network output without post-processing (for FLOPs counting)."""
        return self._head_outputs(img)

    def show_result(self,
                    img,
                    result: List[dict],
                    skeleton: Optional[Sequence[Sequence[int]]] = None,
                    kpt_score_thr: float = 0.3,
                    bbox_color='green',
                    pose_kpt_color: Optional[np.ndarray] = None,
                    pose_limb_color: Optional[np.ndarray] = None,
                    text_color=(255, 0, 0),
                    radius: int = 4,
                    thickness: int = 1,
                    font_scale: float = 0.5,
                    win_name: str = '',
                    show: bool = False,
                    show_keypoint_weight: bool = False,
                    wait_time: int = 0,
                    out_file: Optional[str] = None) -> np.ndarray:
        """Draw boxes, keypoints and limbs of ``result`` over ``img``.

        Args:
            img (str | np.ndarray[H, W, 3]): Image or its path.
            result (list[dict]): Per person ``keypoints`` (np.ndarray[K, 3])
                and optionally ``bbox`` ([4] or [5]).
            skeleton (list[list[int]]): Limbs as 1-based keypoint pairs.
            kpt_score_thr (float): Minimum score of drawn keypoints.
            bbox_color (str | tuple): Box colour.
            pose_kpt_color (np.ndarray[K, 3]): Keypoint colours; None draws
                no keypoints.
            pose_limb_color (np.ndarray[L, 3]): Limb colours; None draws no
                limbs.
            text_color (str | tuple): Colour of texts.
            radius (int): Keypoint radius.
            thickness (int): Line thickness.
            font_scale (float): Font scale of texts.
            win_name (str): Window name.
            show (bool): Show the image.
            show_keypoint_weight (bool): Use scores as opacity.
            wait_time (int): ``cv2.waitKey`` delay.
            out_file (str | None): Write the image there.

        Returns:
            np.ndarray[H, W, 3]: The drawn image.
        """
        return self._draw_pose(img, result, skeleton, kpt_score_thr,
                               bbox_color, pose_kpt_color, pose_limb_color,
                               radius, thickness, font_scale, win_name, show,
                               show_keypoint_weight, wait_time, out_file)


def _split_batch(features, size: int):
    """The first ``size`` samples and the rest of (nested lists/tuples of)
    batched tensors."""
    if isinstance(features, torch.Tensor):
        return features[:size], features[size:]
    halves = [_split_batch(f, size) for f in features]
    return (type(features)(h[0] for h in halves),
            type(features)(h[1] for h in halves))
