"""DeepPose regression head: one fully connected layer to K x 2
normalised coordinates.

Paper ref: Alexander Toshev and Christian Szegedy. DeepPose: Human Pose
Estimation via Deep Neural Networks (CVPR 2014).
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
from mmcv.cnn import normal_init
from torch import nn

from mmpose.core.evaluation import (keypoint_pck_accuracy,
                                    keypoints_from_regression)
from mmpose.core.post_processing import fliplr_regression
from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import HEADS
from .top_down_base_head import TopDownBaseHead

__all__ = ['FcHead']


@HEADS.register_module()
class FcHead(TopDownBaseHead):
    """regression head with fully connected layers.

    paper ref: Alexander Toshev and Christian Szegedy,
    ``DeepPose: Human Pose Estimation via Deep Neural Networks.''.

    Args:
        in_channels (int): Channels of the incoming feature vector.
        num_joints (int): How many joints to regress.
        loss_keypoint (dict): Config of the keypoint loss. Default: None.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    loss_required = True  # 0.x built its loss unconditionally

    loss_name = 'reg_loss'

    def __init__(self,
                 in_channels: int,
                 num_joints: int,
                 loss_keypoint: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__(loss_keypoint, train_cfg, test_cfg)
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.fc = nn.Linear(in_channels, num_joints * 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            x (torch.Tensor[N, C]): Pooled features.

        Returns:
            torch.Tensor[N, K, 2]: Coordinates normalised to the input size.
        """
        if x.dim() != 2 or x.shape[1] != self.in_channels:
            raise ArgumentError(
                f'FcHead expects features [N, {self.in_channels}]'
                f' (use a GlobalAveragePooling neck), got '
                f'{tuple(x.shape)}')
        # -1: the values per joint follow the width of ``self.fc``
        return self.fc(x).reshape(x.shape[0], self.num_joints, -1)

    def get_accuracy(self, output: torch.Tensor, target: torch.Tensor,
                     target_weight: torch.Tensor) -> Dict[str, float]:
        """PCK@0.05 of the predicted coordinates (batch size N, K keypoints).

        Args:
            output (torch.Tensor[N, K, 2]): Predicted coordinates,
                normalised to the input size.
            target (torch.Tensor[N, K, 2]): Target coordinates, likewise.
            target_weight (torch.Tensor[N, K, 2]): Keypoint weights; the
                keypoints whose first weight is positive are scored.

        Returns:
            dict: ``{'acc_pose': float}``.
        """
        n = output.shape[0]
        _, avg_acc, _ = keypoint_pck_accuracy(
            output.detach().cpu().numpy(),
            target.detach().cpu().numpy(),
            target_weight[:, :, 0].detach().cpu().numpy() > 0,
            thr=0.05,
            normalize=np.ones((n, 2), dtype=np.float32))
        return dict(acc_pose=float(avg_acc))

    def inference_model(self, x: torch.Tensor,
                        flip_pairs: Optional[Sequence[Tuple[int,
                                                            int]]] = None
                        ) -> np.ndarray:
        """Inference function.

        Args:
            x (torch.Tensor[N, C]): Input features.
            flip_pairs (None | list[tuple()): Pairs of keypoints which are
                mirrored. Given when ``x`` comes from a flipped image; the
                coordinates are mirrored about x = 0.5.

        Returns:
            output_regression (np.ndarray[N, K, 2]): Output regression.
        """
        output = self.forward(x).detach().cpu().numpy()
        if flip_pairs is not None:
            output = fliplr_regression(output, flip_pairs)
        return output

    def keypoints_from_output(self, output: np.ndarray, center: np.ndarray,
                              scale: np.ndarray,
                              **kwargs) -> Tuple[np.ndarray, np.ndarray]:
        """Keypoints from the regression output.

        Args:
            output (np.ndarray[N, K, 2]): predicted regression vector.
            center (np.ndarray[N, 2]): Box centers.
            scale (np.ndarray[N, 2]): Box scales.
            kwargs: dict contains 'img_size'.
                img_size (tuple(img_width, img_height)): input image size.
        """
        if 'img_size' not in kwargs:
            raise UnknownNameError(
                'FcHead.decode needs img_size=(width, height) of '
                'the model input')
        return keypoints_from_regression(output, center, scale,
                                         kwargs['img_size'])

    def init_weights(self) -> None:
        """Initialize model weights."""
        normal_init(self.fc, mean=0, std=0.01, bias=0)
