"""Residual log-likelihood estimation (RLE) loss.

Li et al., Human Pose Regression with Residual Log-likelihood Estimation
(ICCV 2021). The head predicts a location and a scale per keypoint; the
normalised error ``(pred - target) / sigma`` is scored by a learned
RealNVP density (its parameters are part of the model's state_dict) plus,
with ``residual=True``, a fixed Laplace or Gaussian density.
"""
import math
from typing import Optional

import torch
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError

from ..builder import LOSSES
from ..utils.realnvp import RealNVP

__all__ = ['RLELoss']

# -log of the fixed residual density q at the normalised error, without the
# log(sigma) term: Laplace(0, 1) and standard Gaussian.
_RESIDUAL_NLL = {
    'laplace': lambda error: math.log(2) + error.abs(),
    'gaussian': lambda error: 0.5 * math.log(2 * math.pi) + 0.5 * error**2,
}


@LOSSES.register_module()
class RLELoss(nn.Module):
    """RLE loss for coordinate regression with predicted uncertainty.

    Args:
        use_target_weight (bool): Multiply the per-coordinate loss by the
            target weight. Default: False.
        size_average (bool): Divide the summed loss by the batch size.
            Default: True.
        residual (bool): Add the fixed density ``q_dis`` so the flow only
            models the residual of the error distribution. Default: True.
        q_dis (str): ``'laplace'`` or ``'gaussian'``. Default: 'laplace'.
    """

    def __init__(self,
                 use_target_weight: bool = False,
                 size_average: bool = True,
                 residual: bool = True,
                 q_dis: str = 'laplace'):
        super().__init__()
        if residual and q_dis not in _RESIDUAL_NLL:
            raise UnknownNameError(
                f'RLELoss: q_dis={q_dis!r} is not one of '
                f'{sorted(_RESIDUAL_NLL)}')
        self.use_target_weight = use_target_weight
        self.size_average = size_average
        self.residual = residual
        self.q_dis = q_dis
        self.flow_model = RealNVP()

    def forward(self, output: torch.Tensor, target: torch.Tensor,
                target_weight: Optional[torch.Tensor] = None
                ) -> torch.Tensor:
        """Forward function.

        Note:
            batch_size: N
            num_keypoints: K

        Args:
            output (torch.Tensor[N, K, 4]): Coordinates, then the logits of
                their scales (a sigmoid turns them into sigma).
            target (torch.Tensor[N, K, 2]): Target coordinates.
            target_weight (torch.Tensor[N, K, 2] or [N, K, 1]): Weights.

        Returns:
            torch.Tensor: Scalar loss.
        """
        if output.shape[:2] != target.shape[:2] or output.shape[-1] != 4:
            raise ArgumentError(
                f'RLELoss: output must be [N, K, 4] with target [N, K, 2], '
                f'got {tuple(output.shape)} and {tuple(target.shape)}')
        sigma = output[..., 2:4].sigmoid()
        error = (output[..., :2] - target) / (sigma + 1e-9)
        log_phi = self.flow_model.log_prob(error.reshape(-1, 2))
        loss = torch.log(sigma) - log_phi.reshape(*target.shape[:2], 1)
        if self.residual:
            loss = loss + torch.log(sigma) + _RESIDUAL_NLL[self.q_dis](error)
        if self.use_target_weight:
            if target_weight is None:
                raise ArgumentError(
                    'RLELoss: use_target_weight=True needs target_weight')
            loss = loss * target_weight
        if self.size_average:
            loss = loss / loss.shape[0]
        return loss.sum()
