"""HMR regression head (Kanazawa et al., "End-to-end Recovery of Human Shape
and Pose", CVPR 2018).

Starting from the mean SMPL parameters, the head refines pose (6D rotation
per joint), shape and a weak-perspective camera for ``n_iter`` steps, each
step feeding the current estimate back with the image feature.
"""
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmcv.cnn import xavier_init
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError

from ..builder import HEADS
from .geometric_layers import rot6d_to_rotmat

__all__ = ['MeshHMRHead']


@HEADS.register_module()
class MeshHMRHead(nn.Module):
    """SMPL parameter regressor with iterative error feedback.

    Args:
        in_channels (int): Channels of the backbone feature.
        smpl_mean_params (str | None): ``.npz`` with the mean ``pose``
            (144, 6D per joint), ``shape`` (10) and ``cam`` (3). If None,
            pose and shape start at zero and the camera at (1, 0, 0).
        n_iter (int): Number of refinement steps. Default: 3.

    Note:
        batch size: N
    """

    npose = 24 * 6
    nbeta = 10
    ncam = 3
    hidden_dim = 1024

    def __init__(self,
                 in_channels: int,
                 smpl_mean_params: Optional[str] = None,
                 n_iter: int = 3):
        super().__init__()
        if n_iter < 1:
            raise ArgumentError(f'n_iter must be >= 1, got {n_iter}')
        self.in_channels = in_channels
        self.n_iter = n_iter
        npose, nbeta, ncam = self.npose, self.nbeta, self.ncam
        self.fc1 = nn.Linear(in_channels + npose + nbeta + ncam,
                             self.hidden_dim)
        self.drop1 = nn.Dropout()
        self.fc2 = nn.Linear(self.hidden_dim, self.hidden_dim)
        self.drop2 = nn.Dropout()
        self.decpose = nn.Linear(self.hidden_dim, npose)
        self.decshape = nn.Linear(self.hidden_dim, nbeta)
        self.deccam = nn.Linear(self.hidden_dim, ncam)

        if smpl_mean_params is None:
            init_pose = torch.zeros(1, npose)
            init_shape = torch.zeros(1, nbeta)
            init_cam = torch.tensor([[1., 0., 0.]])
        else:
            init_pose, init_shape, init_cam = self._load_mean_params(
                smpl_mean_params)
        self.register_buffer('init_pose', init_pose)
        self.register_buffer('init_shape', init_shape)
        self.register_buffer('init_cam', init_cam)

    def _load_mean_params(self, path: str) -> Tuple[torch.Tensor, ...]:
        """Read the mean pose/shape/camera as [1, D] float tensors."""
        try:
            params = np.load(path)
        except (OSError, ValueError) as err:
            raise FileNotFoundError(
                f'cannot read smpl_mean_params file {path!r}: {err}') from err
        expected = dict(pose=self.npose, shape=self.nbeta, cam=self.ncam)
        out = []
        for key, size in expected.items():
            if key not in params:
                raise UnknownNameError(f'{path!r} has no {key!r} array (found '
                                       f'{sorted(params.files)})')
            value = np.asarray(params[key], dtype=np.float32).reshape(-1)
            if value.size != size:
                raise ArgumentError(f'{path!r}: {key!r} must have {size} '
                                    f'values, got {value.size}')
            out.append(torch.from_numpy(value).unsqueeze(0))
        return tuple(out)

    def forward(
        self, x: Union[torch.Tensor, Sequence[torch.Tensor]]
    ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Regress SMPL parameters.

        Args:
            x (torch.Tensor[N, C, H, W] | list): Backbone feature; for a list
                the last map is used.

        Returns:
            tuple: rotation matrices (Tensor[N, 24, 3, 3]), shape
            (Tensor[N, 10]) and camera (Tensor[N, 3]).
        """
        if isinstance(x, (list, tuple)):
            x = x[-1]
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ArgumentError(f'MeshHMRHead expects [N, {self.in_channels}, '
                                f'H, W] features, got {tuple(x.shape)}')
        batch_size = x.shape[0]
        feat = x.mean(dim=(2, 3))
        pred_pose = self.init_pose.expand(batch_size, -1)
        pred_shape = self.init_shape.expand(batch_size, -1)
        pred_cam = self.init_cam.expand(batch_size, -1)
        for _ in range(self.n_iter):
            xc = torch.cat([feat, pred_pose, pred_shape, pred_cam], dim=1)
            xc = self.drop2(self.fc2(self.drop1(self.fc1(xc))))
            pred_pose = self.decpose(xc) + pred_pose
            pred_shape = self.decshape(xc) + pred_shape
            pred_cam = self.deccam(xc) + pred_cam
        pred_rotmat = rot6d_to_rotmat(pred_pose).view(batch_size, 24, 3, 3)
        return pred_rotmat, pred_shape, pred_cam

    def init_weights(self) -> None:
        """Near-zero output layers, so training starts at the mean."""
        for layer in (self.decpose, self.decshape, self.deccam):
            xavier_init(layer, gain=0.01)
