"""Multi-task detector: one shared backbone, several heads, each optionally
behind its own neck."""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import POSENETS, build_backbone, build_head, build_neck
from .base import BasePose

__all__ = ['MultiTask']


@POSENETS.register_module()
class MultiTask(BasePose):
    """Multi-task detector.

    Args:
        backbone (dict): Backbone config.
        heads (list[dict]): Head configs, one per task.
        necks (list[dict] | None): Neck configs.
        head2neck (dict[int, int] | None): Head index -> neck index; heads
            not listed read the backbone features directly.
        pretrained (str | None): Backbone checkpoint.

    Note:
        batch size: N
        image channels, height, width: C, imgH, imgW
    """

    def __init__(self,
                 backbone: dict,
                 heads: Sequence[dict],
                 necks: Optional[Sequence[dict]] = None,
                 head2neck: Optional[Dict[int, int]] = None,
                 pretrained: Optional[str] = None):
        super().__init__()
        if not heads or any(head is None for head in heads):
            raise ArgumentError('MultiTask needs a non-empty list of head '
                                'configs')
        if head2neck is None:
            if necks:
                raise ArgumentError('MultiTask: necks are given but head2neck '
                                    'does not say which head uses which neck')
            head2neck = {}
        num_necks = len(necks) if necks else 0
        # Keys may come as strings from JSON-like configs.
        head2neck = {int(k): int(v) for k, v in head2neck.items()}
        for head_id, neck_id in head2neck.items():
            if not 0 <= head_id < len(heads) or not 0 <= neck_id < num_necks:
                raise ArgumentError(f'head2neck maps head {head_id} to neck '
                                    f'{neck_id}, but there are {len(heads)} '
                                    f'heads and {num_necks} necks')
        # Heads without a neck use the trailing identity "neck" (-1).
        self.head2neck = {
            i: head2neck.get(i, -1)
            for i in range(len(heads))
        }
        self.backbone = build_backbone(backbone)
        self.necks = nn.ModuleList(
            [build_neck(neck) for neck in (necks or [])] + [nn.Identity()])
        self.heads = nn.ModuleList([build_head(head) for head in heads])
        self.pretrained = pretrained
        self.init_weights()

    @property
    def with_necks(self) -> bool:
        """Whether the detector has necks (besides the identity)."""
        return len(self.necks) > 1

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load the backbone from ``pretrained`` and initialise the rest."""
        self._init_weights_of(pretrained, (
            module for module in list(self.necks) + list(self.heads)
            if hasattr(module, 'init_weights')))

    def _head_inputs(self, img: torch.Tensor) -> List:
        """Features seen by each head (shared backbone, own neck)."""
        features = self.backbone(img)
        return [
            self.necks[self.head2neck[i]](features)
            for i in range(len(self.heads))
        ]

    def forward(self,
                img: torch.Tensor,
                target: Optional[Sequence[torch.Tensor]] = None,
                target_weight: Optional[Sequence[torch.Tensor]] = None,
                img_metas: Optional[Sequence[dict]] = None,
                return_loss: bool = True,
                **kwargs):
        """Losses when ``return_loss`` is True, else predictions.

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Input images.
            target (list[torch.Tensor]): One target per head.
            target_weight (list[torch.Tensor]): One weight per head.
            img_metas (list[dict]): ``image_file``, ``center``, ``scale``,
                ``rotation``, ``bbox_score`` per image.
            return_loss (bool): Training or testing.

        Returns:
            dict: losses (and accuracies) of all heads, or the merged
            decoded results of all heads.
        """
        if return_loss:
            return self.forward_train(img, target, target_weight, img_metas,
                                      **kwargs)
        return self.forward_test(img, img_metas, **kwargs)

    def forward_train(self, img: torch.Tensor,
                      target: Sequence[torch.Tensor],
                      target_weight: Sequence[torch.Tensor],
                      img_metas: Optional[Sequence[dict]], **kwargs) -> dict:
        """Losses of all heads; names must not clash between heads."""
        if target is None or len(target) != len(self.heads) or (
                target_weight is None
                or len(target_weight) != len(self.heads)):
            raise ArgumentError(f'MultiTask needs one target and one '
                                f'target_weight per head ({len(self.heads)})')
        inputs = self._head_inputs(img)
        losses = dict()
        for head, x, gt, gt_weight in zip(self.heads, inputs, target,
                                          target_weight):
            output = head(x)
            terms = dict(head.get_loss(output, gt, gt_weight))
            if hasattr(head, 'get_accuracy'):
                terms.update(head.get_accuracy(output, gt, gt_weight))
            clash = set(losses) & set(terms)
            if clash:
                raise UnknownNameError(
                    f'heads of MultiTask report the same loss '
                    f'names {sorted(clash)}')
            losses.update(terms)
        return losses

    def forward_test(self, img: torch.Tensor, img_metas: Sequence[dict],
                     **kwargs) -> dict:
        """Decoded results of all heads, merged into one dict."""
        self._check_metas(img.size(0), img_metas)
        _, _, img_height, img_width = img.shape
        results = {}
        for head, x in zip(self.heads, self._head_inputs(img)):
            if hasattr(head, 'inference_model'):
                output = head.inference_model(x, flip_pairs=None)
            else:
                output = head(x).detach().cpu().numpy()
            results.update(
                head.decode(img_metas, output, img_size=[img_width,
                                                         img_height]))
        return results

    def forward_dummy(self, img: torch.Tensor) -> List:
        """Raw outputs of all heads (for FLOPs counting)."""
        return [head(x) for head, x in zip(self.heads, self._head_inputs(img))]

    def show_result(self,
                    img,
                    result: List[dict],
                    skeleton: Optional[Sequence[Sequence[int]]] = None,
                    kpt_score_thr: float = 0.3,
                    bbox_color='green',
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
        """Draw boxes and keypoints as :meth:`TopDown.show_result`."""
        return self._draw_pose(img, result, skeleton, kpt_score_thr,
                               bbox_color, pose_kpt_color, pose_limb_color,
                               radius, thickness, font_scale, win_name, show,
                               show_keypoint_weight, wait_time, out_file)
