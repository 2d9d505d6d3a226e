"""DeepPose regression head under its MMPose 0.29 name, with the optional
sigma output of 0.29 (used with ``RLELoss``)."""
from typing import Dict, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from torch import nn

from mmpose.errors import ArgumentError
from ..builder import HEADS
from ..keypoint_heads.fc_head import FcHead

__all__ = ['DeepposeRegressionHead']


@HEADS.register_module()
class DeepposeRegressionHead(FcHead):
    """DeepPose regression head: 0.29 name of :class:`FcHead`.

    Args:
        in_channels (int): Number of input channels.
        num_joints (int): Number of joints K.
        loss_keypoint (dict | None): Config for keypoint loss.
        out_sigma (bool): Also predict a sigma (x, y) per joint, the spread
            of its location: the output is ``[N, K, 4]`` (x, y, sigma x,
            sigma y) and the keypoint score ``mean(1 - sigmoid(sigma))``.
            Default: False (``[N, K, 2]``, the parameters of ``FcHead``).
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    def __init__(self,
                 in_channels: int,
                 num_joints: int,
                 loss_keypoint: Optional[dict] = None,
                 out_sigma: bool = False,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__(in_channels, num_joints, loss_keypoint, train_cfg,
                         test_cfg)
        self.out_sigma = out_sigma
        if out_sigma:
            self.fc = nn.Linear(in_channels, num_joints * 4)

    def forward(self, x: Union[torch.Tensor, Sequence[torch.Tensor]]
                ) -> torch.Tensor:
        """Forward function.

        Args:
            x (torch.Tensor[N, C] | list[torch.Tensor[N, C]]): Pooled
                features (a list holds a single level).

        Returns:
            torch.Tensor[N, K, 2 or 4]: Normalised coordinates (and sigmas).
        """
        if isinstance(x, (list, tuple)):
            if len(x) != 1:
                raise ArgumentError(f'DeepposeRegressionHead takes a single '
                                    f'feature level, got a list of {len(x)}')
            x = x[0]
        return super().forward(x)

    def get_accuracy(self, output: torch.Tensor, target: torch.Tensor,
                     target_weight: torch.Tensor) -> Dict[str, float]:
        """PCK@0.05 of the coordinates ``output[..., :2]``, see
        :meth:`FcHead.get_accuracy`."""
        return super().get_accuracy(output[..., :2], target, target_weight)

    def inference_model(self, x: torch.Tensor,
                        flip_pairs: Optional[Sequence[Tuple[int,
                                                            int]]] = None
                        ) -> np.ndarray:
        """Inference function (see :meth:`FcHead.inference_model`); sigmas
        pass through a sigmoid.

        Returns:
            np.ndarray[N, K, 2 or 4]: Coordinates (and sigmas in (0, 1)).
        """
        output = super().inference_model(x, flip_pairs)
        if self.out_sigma:
            # flipping only permutes joints and mirrors x: sigmoid after it
            output[..., 2:] = 1. / (1. + np.exp(-output[..., 2:]))
        return output

    def keypoints_from_output(self, output: np.ndarray, center: np.ndarray,
                              scale: np.ndarray,
                              **kwargs) -> Tuple[np.ndarray, np.ndarray]:
        """Keypoints from ``output[..., :2]``; with ``out_sigma`` the score
        of a keypoint is ``mean(1 - sigma)`` over its two sigmas.

        Returns:
            tuple: preds (np.ndarray[N, K, 2]), maxvals (np.ndarray[N, K, 1]).
        """
        preds, maxvals = super().keypoints_from_output(
            output[..., :2], center, scale, **kwargs)
        if self.out_sigma:
            maxvals = (1 - output[..., 2:]).mean(axis=-1, keepdims=True)
        return preds, maxvals
