"""Pose lifter: 2D keypoint sequences in, 3D keypoints out (SimpleBaseline3D,
VideoPose3D), with an optional trajectory model and semi-supervised
training on unlabelled 2D sequences as in VideoPose3D."""
from typing import Optional, Sequence

import mmcv
import numpy as np
import torch

from mmpose.core.visualization import imshow_keypoints, links_from_1based
from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import (POSENETS, build_backbone, build_head, build_loss,
                       build_neck)
from .base import BasePose

__all__ = ['PoseLifter']


@POSENETS.register_module()
class PoseLifter(BasePose):
    """Pose lifter that lifts 2D poses to 3D poses.

    Args:
        backbone (dict): Backbone config (e.g. ``TCN``).
        neck (dict | None): Neck config.
        keypoint_head (dict | None): Pose head config (e.g.
            ``TemporalRegressionHead``); it receives ``train_cfg`` and
            ``test_cfg``.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
        pretrained (str | None): Backbone checkpoint.
        traj_backbone (dict | None): Backbone of the trajectory (root
            position) model; None: the trajectory head runs on the pose
            backbone (``traj_backbone`` is then ``backbone`` itself).
        traj_neck (dict | None): Neck of the trajectory model.
        traj_head (dict | None): Head of the trajectory model.
        loss_semi (dict | None): Semi-supervised loss on unlabelled 2D
            sequences; needs the trajectory model.

    Note:
        batch size: N
        input keypoints, channels, frames: Ki, Ci, Ti
        output keypoints, channels, frames: Ko, Co, To
    """

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = None,
                 keypoint_head: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 traj_backbone: Optional[dict] = None,
                 traj_neck: Optional[dict] = None,
                 traj_head: Optional[dict] = None,
                 loss_semi: Optional[dict] = None):
        super().__init__()
        self._build_backbone_and_neck(backbone, neck, train_cfg, test_cfg)
        if keypoint_head is not None:
            self.keypoint_head = build_head(
                dict(keypoint_head, train_cfg=train_cfg, test_cfg=test_cfg))
        if traj_head is not None:
            # As in 0.29, without its own backbone the trajectory model
            # runs the pose backbone (one module under both names).
            self.traj_backbone = self.backbone if traj_backbone is None \
                else build_backbone(traj_backbone)
            if traj_neck is not None:
                self.traj_neck = build_neck(traj_neck)
            self.traj_head = build_head(
                dict(traj_head, train_cfg=train_cfg, test_cfg=test_cfg))
        elif traj_backbone is not None or traj_neck is not None:
            raise ArgumentError('PoseLifter: traj_backbone/traj_neck given '
                                'without a traj_head')
        self.semi = loss_semi is not None
        if self.semi:
            if not (self.with_keypoint and self.with_traj):
                raise ArgumentError('PoseLifter: loss_semi needs both '
                                    'keypoint_head and traj_head')
            self.loss_semi = build_loss(loss_semi)
        self.pretrained = pretrained
        self.init_weights()

    @property
    def with_traj(self) -> bool:
        """Whether the detector has a trajectory model."""
        return getattr(self, 'traj_head', None) is not None

    @property
    def with_traj_neck(self) -> bool:
        """Whether the trajectory model has a neck."""
        return getattr(self, 'traj_neck', None) is not None

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load the backbone from ``pretrained`` and initialise the rest."""
        modules = (getattr(self, name, None)
                   for name in ('neck', 'keypoint_head', 'traj_backbone',
                                'traj_neck', 'traj_head'))
        # a shared trajectory backbone is initialised as the backbone
        self._init_weights_of(
            pretrained, (m for m in modules if m is not self.backbone))

    def forward(self,
                input: torch.Tensor,
                target: Optional[torch.Tensor] = None,
                target_weight: Optional[torch.Tensor] = None,
                metas: Optional[Sequence[dict]] = None,
                return_loss: bool = True,
                **kwargs):
        """Losses when ``return_loss`` is True, else predictions.

        Args:
            input (torch.Tensor[N, Ki*Ci, Ti]): 2D keypoint sequences.
            target (torch.Tensor[N, Ko, Co]): 3D keypoint targets.
            target_weight (torch.Tensor[N, Ko, 1]): Keypoint weights.
            metas (list[dict]): Per sample meta (``target_image_path``,
                normalisation parameters, root position, ...).
            return_loss (bool): Training or testing.
            **kwargs: ``traj_target`` for the trajectory model;
                ``unlabeled_input``, ``unlabeled_target_2d`` and
                ``intrinsics`` for semi-supervised training.

        Returns:
            dict: losses and accuracies, or the decoded predictions
            (``preds``, ``target_image_paths``, and ``traj_preds`` with a
            trajectory model).
        """
        if return_loss:
            return self.forward_train(input, target, target_weight, metas,
                                      **kwargs)
        return self.forward_test(input, metas, **kwargs)

    def _pose_features(self, input: torch.Tensor):
        features = self.backbone(input)
        if self.with_neck:
            features = self.neck(features)
        return features

    def _traj_features(self, input: torch.Tensor):
        features = self.traj_backbone(input)
        if self.with_traj_neck:
            features = self.traj_neck(features)
        return features

    def forward_train(self, input: torch.Tensor, target: torch.Tensor,
                      target_weight: Optional[torch.Tensor],
                      metas: Sequence[dict], **kwargs) -> dict:
        """Supervised (and optionally semi-supervised) losses of a batch."""
        if metas is not None and input.size(0) != len(metas):
            raise ArgumentError(
                f'{input.size(0)} inputs for {len(metas)} metas')
        losses = dict()
        output = None
        if self.with_keypoint:
            output = self.keypoint_head(self._pose_features(input))
            losses.update(
                self.keypoint_head.get_loss(output, target, target_weight))
            losses.update(
                self.keypoint_head.get_accuracy(output, target, target_weight,
                                                metas))
        if self.with_traj:
            if 'traj_target' not in kwargs:
                raise UnknownNameError(
                    'PoseLifter with a trajectory model needs '
                    '"traj_target" in the batch')
            traj_output = self.traj_head(self._traj_features(input))
            losses.update(
                self.traj_head.get_loss(traj_output, kwargs['traj_target'],
                                        kwargs.get('traj_target_weight')))
        if self.semi:
            missing = [
                k for k in ('unlabeled_input', 'unlabeled_target_2d',
                            'intrinsics') if k not in kwargs
            ]
            if missing:
                raise UnknownNameError(
                    f'semi-supervised PoseLifter needs {missing} '
                    f'in the batch')
            ul_input = kwargs['unlabeled_input']
            output_semi = dict(labeled_pose=output,
                               unlabeled_pose=self.keypoint_head(
                                   self._pose_features(ul_input)),
                               unlabeled_traj=self.traj_head(
                                   self._traj_features(ul_input)))
            target_semi = dict(
                unlabeled_target_2d=kwargs['unlabeled_target_2d'],
                intrinsics=kwargs['intrinsics'])
            losses.update(self.loss_semi(output_semi, target_semi))
        return losses

    def forward_test(self, input: torch.Tensor, metas: Sequence[dict],
                     **kwargs) -> dict:
        """Decoded 3D poses (and root trajectories) of a batch."""
        if metas is None or input.size(0) != len(metas):
            raise ArgumentError(
                f'PoseLifter.forward_test needs one meta per input: got '
                f'{input.size(0)} inputs and '
                f'{None if metas is None else len(metas)} metas')
        results = {}
        if self.with_keypoint:
            output = self.keypoint_head.inference_model(
                self._pose_features(input))
            results.update(self.keypoint_head.decode(metas, output))
        if self.with_traj:
            results['traj_preds'] = self.traj_head.inference_model(
                self._traj_features(input))
        return results

    def forward_dummy(self, input: torch.Tensor):
        """Network output without post-processing (for FLOPs counting)."""
        output = self._pose_features(input)
        if self.with_keypoint:
            output = self.keypoint_head(output)
        return output

    def show_result(self,
                    result: dict,
                    img: Optional[np.ndarray] = None,
                    skeleton: Optional[Sequence[Sequence[int]]] = None,
                    pose_kpt_color: Optional[np.ndarray] = None,
                    pose_limb_color: Optional[np.ndarray] = None,
                    radius: int = 4,
                    thickness: int = 1,
                    canvas_size: int = 400,
                    show: bool = False,
                    win_name: str = '',
                    wait_time: int = 0,
                    out_file: Optional[str] = None) -> np.ndarray:
        """Draw the front view (x right, y down) of predicted 3D poses.

        Args:
            result (dict): ``preds`` (np.ndarray[N, K, 3 or 4]) as returned
                by :meth:`forward_test`.
            img (np.ndarray[H, W, 3] | None): Canvas; a white square of
                ``canvas_size`` pixels when None.
            skeleton, pose_kpt_color, pose_limb_color, radius, thickness:
                As in ``imshow_keypoints``, but 1-based links (0.14).
            canvas_size (int): Side of the default canvas.
            show (bool): Show the image.
            win_name (str): Window name.
            wait_time (int): ``cv2.waitKey`` delay.
            out_file (str | None): Write the image there.

        Returns:
            np.ndarray[H, W, 3]: The drawn image.
        """
        preds = np.asarray(result['preds'], dtype=np.float32)
        if preds.ndim == 2:
            preds = preds[None]
        if preds.ndim != 3 or preds.shape[-1] < 3:
            raise ArgumentError(f'result["preds"] must be [N, K, 3], got '
                                f'{preds.shape}')
        if img is None:
            img = np.full((canvas_size, canvas_size, 3), 255, np.uint8)
        else:
            img = mmcv.imread(img).copy()
        height, width = img.shape[:2]
        # Fit all poses in the canvas with a 10% margin, keeping aspect.
        xy = preds[..., :2]
        lo, hi = xy.reshape(-1, 2).min(0), xy.reshape(-1, 2).max(0)
        span = float(max((hi - lo).max(), 1e-6))
        scale = 0.8 * min(height, width) / span
        centre = np.array([width, height], np.float32) / 2
        pix = (xy - (lo + hi) / 2) * scale + centre
        scores = np.ones(preds.shape[:2] + (1, ), np.float32)
        poses = np.concatenate([pix, scores], axis=-1)
        if pose_kpt_color is None:
            pose_kpt_color = np.tile([[0, 0, 255]], (preds.shape[1], 1))
        imshow_keypoints(img, list(poses), links_from_1based(skeleton), 0.,
                         pose_kpt_color, pose_limb_color, radius, thickness)
        if show:
            mmcv.imshow(img, win_name, wait_time)
        if out_file is not None:
            mmcv.imwrite(img, out_file)
        return img
