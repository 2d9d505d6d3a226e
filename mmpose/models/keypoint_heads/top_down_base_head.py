"""Shared behaviour of the top-down heads: losses over one or several
outputs, PCK accuracy, flip-test inference and decoding to image space.

Every top-down head (heatmap or regression) decodes the same way: read the
box of each sample from ``img_metas``, turn the network output into
keypoints in the image and pack them with the boxes. Only the step from
output to keypoints differs, see :meth:`TopDownBaseHead.keypoints_from_output`.
"""
from abc import ABCMeta, abstractmethod
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from torch import nn

from mmpose.core.evaluation import keypoints_from_heatmaps, pose_pck_accuracy
from mmpose.core.post_processing import flip_back
from mmpose.dialects import V014Heatmap
from mmpose.errors import ArgumentError
from ..builder import build_head_loss
from .utils import read_bbox_metas

__all__ = ['TopDownBaseHead', 'TopDownHeatmapBaseHead']

Outputs = Union[torch.Tensor, List[torch.Tensor]]


class TopDownBaseHead(nn.Module, metaclass=ABCMeta):
    """Base of the top-down heads.

    Args:
        loss_keypoint (dict | list[dict] | None): Config of the loss; a
            list builds one loss per output (``nn.Sequential``). Required
            (``TypeError`` without it, as in 0.x) by the heads that set
            :attr:`loss_required`.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    #: key of the loss in the dict of :meth:`get_loss`, and the
    #: ``target_type`` when ``test_cfg`` names none (0.14 dialect; see
    #: mmpose.dialects)
    loss_name = V014Heatmap.loss_name
    default_target_type = V014Heatmap.default_target_type
    #: Whether ``loss_keypoint`` must be given. The 0.x heads built their
    #: loss unconditionally and set it; 0.x's abstract bases took no
    #: arguments, so third-party heads calling ``super().__init__()``
    #: build none.
    loss_required = False

    def __init__(self,
                 loss_keypoint: Optional[Union[dict, Sequence[dict]]] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__()
        self.loss = build_head_loss(loss_keypoint, type(self).__name__,
                                    required=self.loss_required)
        self.train_cfg = {} if train_cfg is None else train_cfg
        self.test_cfg = {} if test_cfg is None else test_cfg
        self.target_type = self.test_cfg.get('target_type',
                                             self.default_target_type)

    def get_loss(self, output: Outputs, target: torch.Tensor,
                 target_weight: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Calculate top-down keypoint loss.

        A single output is compared with ``target``. A list of O outputs is
        summed over the outputs; the target is either shared by all outputs
        or given per output as an extra dim 1 (``[N, O, K, H, W]`` with
        weights ``[N, O, K, 1]``, as for MSPN/RSN). A list of loss configs
        gives one loss per output.

        Note:
            Shape symbols: N is the batch size; K is the number of keypoints; O
            is the number of outputs; H is the heatmap height; W is the heatmap
            width.

        Args:
            output (torch.Tensor[NxKxHxW] | list[torch.Tensor]): Output.
            target (torch.Tensor[NxKxHxW] | torch.Tensor[NxOxKxHxW]): Target.
            target_weight (torch.Tensor[NxKx1] | torch.Tensor[NxOxKx1]):
                Weights across different joint types.

        Returns:
            dict: ``{loss_name: loss}``.
        """
        if self.loss is None:
            raise RuntimeError(f'{type(self).__name__} was built without '
                               f'loss_keypoint; cannot compute a loss')
        outputs = output if isinstance(output, (list, tuple)) else [output]
        per_output_target = (isinstance(output, (list, tuple))
                             and target.dim() == outputs[0].dim() + 1)
        if per_output_target and target.shape[1] != len(outputs):
            raise ArgumentError(f'{type(self).__name__}: target has '
                                f'{target.shape[1]} outputs in dim 1 but the '
                                f'head gave {len(outputs)}')
        if isinstance(self.loss, nn.Sequential):
            if len(self.loss) != len(outputs):
                raise ArgumentError(f'{type(self).__name__}: {len(self.loss)} '
                                    f'losses configured for {len(outputs)} '
                                    f'outputs')
            loss_funcs = list(self.loss)
        else:
            loss_funcs = [self.loss] * len(outputs)
        total = 0.
        for i, (out_i, loss_func) in enumerate(zip(outputs, loss_funcs)):
            if per_output_target:
                total = total + loss_func(out_i, target[:, i],
                                          target_weight[:, i])
            else:
                total = total + loss_func(out_i, target, target_weight)
        return {self.loss_name: total}

    @staticmethod
    def _last(output: Outputs) -> torch.Tensor:
        """The final prediction of a head with one or several outputs."""
        return output[-1] if isinstance(output, (list, tuple)) else output

    @abstractmethod
    def keypoints_from_output(self, output: np.ndarray, center: np.ndarray,
                              scale: np.ndarray,
                              **kwargs) -> Tuple[np.ndarray, np.ndarray]:
        """Keypoints in the image and their scores.

        Args:
            output (np.ndarray[N, K, ...]): The output of
                :meth:`inference_model`.
            center (np.ndarray[N, 2]): Box centers.
            scale (np.ndarray[N, 2]): Box scales (in units of 200 px).

        Returns:
            tuple: preds (np.ndarray[N, K, C]) and maxvals
            (np.ndarray[N, K, 1]).
        """

    def decode(self, img_metas: Sequence[dict], output: np.ndarray,
               **kwargs) -> dict:
        """Decode keypoints from the output of :meth:`inference_model`.

        Args:
            img_metas (list(dict)): Information about data augmentation
                By default this includes:
                - "image_file: path to the image file
                - "center": center of the bbox
                - "scale": scale of the bbox
                - "rotation": rotation of the bbox
                - "bbox_score": score of bbox
            output (np.ndarray[N, K, H, W]): model predicted output.

        Returns:
            dict: 'preds' (np.ndarray[N, K, C+1]: coordinates and score),
            'boxes' (np.ndarray[N, 6]: center x/y, scale w/h, area
            ``prod(scale * 200)``, bbox score), 'image_paths' and
            'bbox_ids' (None when the metas carry no 'bbox_id').
        """
        metas = read_bbox_metas(img_metas)
        center, scale = metas['center'], metas['scale']
        if len(output) != len(center):
            raise ArgumentError(f'{type(self).__name__}.decode: {len(output)} '
                                f'outputs for {len(center)} img_metas')
        preds, maxvals = self.keypoints_from_output(output, center, scale,
                                                    **kwargs)
        all_preds = np.concatenate([preds, maxvals],
                                   axis=-1).astype(np.float32)
        all_boxes = np.zeros((len(center), 6), dtype=np.float32)
        all_boxes[:, 0:2] = center
        all_boxes[:, 2:4] = scale
        all_boxes[:, 4] = np.prod(scale * 200.0, axis=1)
        all_boxes[:, 5] = metas['score']
        return dict(preds=all_preds, boxes=all_boxes,
                    image_paths=metas['image_paths'],
                    bbox_ids=metas['bbox_ids'])


class TopDownHeatmapBaseHead(TopDownBaseHead):
    """Base of the top-down heatmap heads (one or several outputs).

    ``test_cfg`` keys used: 'target_type' ('GaussianHeatMap' or
    'CombinedTarget'), 'shift_heatmap', 'unbiased_decoding', 'post_process',
    'modulate_kernel', 'valid_radius_factor', 'use_udp'.
    """

    def get_accuracy(self, output: Outputs, target: torch.Tensor,
                     target_weight: torch.Tensor) -> Dict[str, float]:
        """Calculate accuracy for top-down keypoint loss.

        PCK of the last output against the (last) target; empty for
        non-Gaussian targets.

        Note:
            Shape symbols: N is the batch size; K is the number of keypoints; H
            is the heatmap height; W is the heatmap width.

        Args:
            output (torch.Tensor[NxKxHxW]): Output heatmaps.
            target (torch.Tensor[NxKxHxW]): Target heatmaps.
            target_weight (torch.Tensor[NxKx1]): Weights across different
                joint types.

        Returns:
            dict: ``{'acc_pose': float}``.
        """
        accuracy = dict()
        if self.target_type.lower() != 'gaussianheatmap':
            return accuracy
        output = self._last(output)
        if target.dim() == output.dim() + 1:
            target, target_weight = target[:, -1], target_weight[:, -1]
        _, avg_acc, _ = pose_pck_accuracy(
            output.detach().cpu().numpy(),
            target.detach().cpu().numpy(),
            target_weight.detach().cpu().numpy().squeeze(-1) > 0)
        accuracy['acc_pose'] = float(avg_acc)
        return accuracy

    def flip_heatmap_back(self, heatmap: np.ndarray,
                          flip_pairs: Sequence[Tuple[int, int]]
                          ) -> np.ndarray:
        """Undo the horizontal flip of heatmaps from a flipped image.

        Swaps the mirrored keypoint channels and reverses the width axis;
        with ``test_cfg['shift_heatmap']`` the result is shifted one pixel to
        the right (the flipped features are not pixel-aligned).

        Args:
            heatmap (np.ndarray[N, K, ..., W]): Heatmaps of flipped images.
            flip_pairs (list[tuple]): Pairs of mirrored keypoints.

        Returns:
            np.ndarray[N, K, ..., W]: Heatmaps in the original orientation.
        """
        shape = heatmap.shape
        # fold any depth dims into H so flip_back sees [N, C, H', W]
        flat = heatmap.reshape(shape[0], shape[1], -1, shape[-1])
        flipped = flip_back(flat, flip_pairs,
                            target_type=self.target_type).reshape(shape)
        if self.test_cfg.get('shift_heatmap', False):
            flipped[..., 1:] = flipped[..., :-1]
        return flipped

    def inference_model(self, x: Union[torch.Tensor, List[torch.Tensor]],
                        flip_pairs: Optional[Sequence[Tuple[int,
                                                            int]]] = None
                        ) -> np.ndarray:
        """Inference function.

        Args:
            x (torch.Tensor[NxKxHxW]): Input features.
            flip_pairs (None | list[tuple()): Pairs of keypoints which are
                mirrored. Given when ``x`` comes from a flipped image.

        Returns:
            output_heatmap (np.ndarray): Output heatmaps of the last output.
        """
        output = self._last(self.forward(x)).detach().cpu().numpy()
        if flip_pairs is not None:
            output = self.flip_heatmap_back(output, flip_pairs)
        return output

    def keypoints_from_output(self, output: np.ndarray, center: np.ndarray,
                              scale: np.ndarray,
                              **kwargs) -> Tuple[np.ndarray, np.ndarray]:
        """Keypoints from heatmaps with the post-processing of test_cfg.

        Args:
            output (np.ndarray[N, K, H, W]): Heatmaps.
            center (np.ndarray[N, 2]): Box centers.
            scale (np.ndarray[N, 2]): Box scales.

        Returns:
            tuple: preds (np.ndarray[N, K, 2]), maxvals (np.ndarray[N, K, 1]).
        """
        cfg = self.test_cfg
        return keypoints_from_heatmaps(
            output,
            center,
            scale,
            unbiased=cfg.get('unbiased_decoding', False),
            post_process=cfg.get('post_process', 'default'),
            kernel=cfg.get('modulate_kernel', 11),
            valid_radius_factor=cfg.get('valid_radius_factor', 0.0546875),
            use_udp=cfg.get('use_udp', False),
            target_type=cfg.get('target_type', self.default_target_type))
