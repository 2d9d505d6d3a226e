"""Common interface of all pose detectors: the forward dispatch, the
``train_step``/``val_step`` contract of mmcv's runner, loss parsing and
result drawing."""
import warnings
from abc import ABCMeta, abstractmethod
from collections import OrderedDict
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from mmpose.core.visualization import (imshow_bboxes, imshow_keypoints,
                                       links_from_1based)
from mmpose.errors import ArgumentError, ArgumentTypeError
from ..builder import build_backbone, build_neck

__all__ = ['BasePose']


class BasePose(nn.Module, metaclass=ABCMeta):
    """Base class for pose detectors.

    Subclasses implement :meth:`forward_train`, :meth:`forward_test` and
    :meth:`forward`; ``forward(..., return_loss=True)`` returns a dict of
    losses/metrics, ``return_loss=False`` returns predictions.
    """

    @abstractmethod
    def forward_train(self, img, img_metas, **kwargs):
        """Compute losses for one batch."""

    @abstractmethod
    def forward_test(self, img, img_metas, **kwargs):
        """Predict for one batch."""

    @abstractmethod
    def forward(self, img, img_metas, return_loss=True, **kwargs):
        """Dispatch to :meth:`forward_train` or :meth:`forward_test`."""

    @property
    def with_neck(self) -> bool:
        """Whether the detector has a neck."""
        return getattr(self, 'neck', None) is not None

    @property
    def with_keypoint(self) -> bool:
        """Whether the detector has a keypoint head."""
        return getattr(self, 'keypoint_head', None) is not None

    def _features(self, img: torch.Tensor):
        """Backbone (+ neck) features of ``img`` [N, C, H, W]."""
        features = self.backbone(img)
        if self.with_neck:
            features = self.neck(features)
        return features

    def _head_outputs(self, img: torch.Tensor):
        """Keypoint head outputs of ``img`` (the features without a
        head)."""
        output = self._features(img)
        if self.with_keypoint:
            output = self.keypoint_head(output)
        return output

    def _keypoint_losses(self, features, target: torch.Tensor,
                         target_weight: torch.Tensor) -> dict:
        """Losses and accuracy of the keypoint head on ``features`` (an
        empty dict without a head)."""
        losses = dict()
        if self.with_keypoint:
            output = self.keypoint_head(features)
            losses.update(
                self.keypoint_head.get_loss(output, target, target_weight))
            losses.update(
                self.keypoint_head.get_accuracy(output, target,
                                                target_weight))
        return losses

    def _build_backbone_and_neck(self,
                                 backbone: dict,
                                 neck: Optional[dict] = None,
                                 train_cfg: Optional[dict] = None,
                                 test_cfg: Optional[dict] = None) -> None:
        """Set ``train_cfg``/``test_cfg`` ({} for None) and build
        ``self.backbone`` and, when ``neck`` is given, ``self.neck``."""
        self.train_cfg = train_cfg if train_cfg is not None else {}
        self.test_cfg = test_cfg if test_cfg is not None else {}
        self.backbone = build_backbone(backbone)
        if neck is not None:
            self.neck = build_neck(neck)

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load the backbone from ``pretrained`` (or ``self.pretrained``)
        and initialise the neck and keypoint head when present."""
        self._init_weights_of(
            pretrained,
            (getattr(self, 'neck', None), getattr(self, 'keypoint_head',
                                                  None)))

    def _init_weights_of(self, pretrained: Optional[str],
                         modules: Iterable[Optional[nn.Module]]) -> None:
        """Shared body of the detectors' ``init_weights``.

        A given ``pretrained`` replaces ``self.pretrained``; the backbone
        loads ``self.pretrained`` and every module of ``modules`` that is
        not None initialises itself.
        """
        if pretrained is not None:
            self.pretrained = pretrained
        self.backbone.init_weights(self.pretrained)
        for module in modules:
            if module is not None:
                module.init_weights()

    @staticmethod
    def _build_keypoint_head_cfg(keypoint_head: dict,
                                 loss_pose: Optional[dict],
                                 detector: str) -> dict:
        """Copy a head config, moving a deprecated ``loss_pose`` into it."""
        keypoint_head = dict(keypoint_head)
        if loss_pose is not None and 'loss_keypoint' not in keypoint_head:
            warnings.warn(
                f'`loss_pose` for {detector} is deprecated, use '
                f'`loss_keypoint` in `keypoint_head` instead.',
                DeprecationWarning)
            keypoint_head['loss_keypoint'] = loss_pose
        return keypoint_head

    @staticmethod
    def _parse_losses(
        losses: Dict[str, Union[torch.Tensor, float, List[torch.Tensor]]]
    ) -> Tuple[torch.Tensor, Dict[str, float]]:
        """Sum the losses and gather scalar values for logging.

        Args:
            losses (dict): Name -> tensor, list of tensors or float. Entries
                whose name contains ``'loss'`` are summed into the total;
                others (e.g. ``acc_pose``) are only logged.

        Returns:
            tuple: the total loss (Tensor, differentiable) and an
            ``OrderedDict`` of floats including ``'loss'``, averaged over
            processes when distributed training is on.
        """
        log_vars = OrderedDict()
        for name, value in losses.items():
            if isinstance(value, torch.Tensor):
                log_vars[name] = value.mean()
            elif isinstance(value, float):
                log_vars[name] = value
            elif isinstance(value, (list, tuple)):
                log_vars[name] = sum(v.mean() for v in value)
            else:
                raise ArgumentTypeError(
                    f'loss {name!r} is a {type(value).__name__}; '
                    f'expected a tensor, a list of tensors or a '
                    f'float')
        loss = sum(v for k, v in log_vars.items() if 'loss' in k)
        log_vars['loss'] = loss
        distributed = dist.is_available() and dist.is_initialized()
        for name, value in log_vars.items():
            if isinstance(value, torch.Tensor):
                if distributed:
                    value = value.data.clone()
                    dist.all_reduce(value.div_(dist.get_world_size()))
                log_vars[name] = value.item()
        return loss, log_vars

    def _check_metas(self,
                     num_samples: int,
                     metas: Optional[Sequence[dict]],
                     sample: str = 'image',
                     meta: str = 'img_meta') -> None:
        """Raise ValueError unless ``metas`` holds one ``meta`` per
        ``sample`` of the batch (``num_samples`` of them)."""
        if metas is None or num_samples != len(metas):
            raise ArgumentError(
                f'{type(self).__name__} needs one {meta} per {sample}: got '
                f'{num_samples} {sample}s and '
                f'{None if metas is None else len(metas)} metas')

    def _check_single_image(self, img: torch.Tensor,
                            img_metas: Optional[Sequence[dict]]) -> None:
        """Raise ValueError unless the batch is one image with its meta (as
        bottom-up testing needs)."""
        if img.size(0) != 1 or img_metas is None or len(img_metas) != 1:
            raise ArgumentError(
                f'{type(self).__name__}.forward_test supports one image per '
                f'batch, got {img.size(0)} images and '
                f'{None if img_metas is None else len(img_metas)} metas')

    @staticmethod
    def _num_samples(data_batch: dict) -> int:
        """Batch size: the length of the first entry of the batch."""
        return len(next(iter(data_batch.values())))

    def train_step(self, data_batch: dict, optimizer, **kwargs) -> dict:
        """One training iteration's forward pass (the runner steps).

        Returns:
            dict: ``loss`` (Tensor to back-propagate), ``log_vars``
            (dict of floats) and ``num_samples`` (int).
        """
        losses = self.forward(**data_batch)
        loss, log_vars = self._parse_losses(losses)
        return dict(
            loss=loss,
            log_vars=log_vars,
            num_samples=self._num_samples(data_batch))

    def val_step(self, data_batch: dict, optimizer=None, **kwargs) -> dict:
        """Predict one validation batch: ``dict(results=...)``."""
        results = self.forward(return_loss=False, **data_batch)
        return dict(results=results)

    @abstractmethod
    def show_result(self, **kwargs):
        """Visualise a result."""

    @staticmethod
    def _draw_pose(img, result, skeleton, kpt_score_thr, bbox_color,
                   pose_kpt_color, pose_limb_color, radius, thickness,
                   font_scale, win_name, show, show_keypoint_weight,
                   wait_time, out_file) -> np.ndarray:
        """Draw ``bbox`` (when ``bbox_color`` is set) and ``keypoints`` of
        each result dict on a copy of ``img``.

        The arguments, all required here, are those of the detectors'
        ``show_result`` (see :meth:`TopDown.show_result`), which give them
        their defaults.
        """
        img = mmcv.imread(img).copy()
        pose_result = [np.asarray(res['keypoints']) for res in result]
        if bbox_color is not None:
            bboxes = [res['bbox'] for res in result if 'bbox' in res]
            if bboxes:
                imshow_bboxes(
                    img,
                    np.vstack(bboxes),
                    colors=bbox_color,
                    thickness=thickness,
                    font_scale=font_scale,
                    show=False)
        imshow_keypoints(img, pose_result, links_from_1based(skeleton),
                         kpt_score_thr, pose_kpt_color, pose_limb_color,
                         radius, thickness, show_keypoint_weight)
        if show:
            mmcv.imshow(img, win_name, wait_time)
        if out_file is not None:
            mmcv.imwrite(img, out_file)
        return img
