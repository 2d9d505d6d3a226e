"""The pinhole camera of :class:`SimpleCamera` on PyTorch tensors."""
from typing import Union

import numpy as np
import torch

from .camera_base import CAMERAS
from .single_camera import SimpleCamera


@CAMERAS.register_module()
class SimpleCameraTorch(SimpleCamera):
    """:class:`SimpleCamera` whose parameters are tensors on ``device``, so
    that points given as ``torch.Tensor[..., J, C]`` are projected on that
    device (e.g. the voxel grids of VoxelPose).

    Parameters are parsed and checked exactly as by :class:`SimpleCamera`
    (same keys, same errors) and then moved to ``device`` as float32.

    Args:
        param (dict): camera parameters (R, T, K or f and c, optional k and
            p; see :class:`SimpleCamera`), arrays, lists or tensors.
        device (str | torch.device): where the projections run.
    """
    array_type = torch.Tensor
    concatenate = staticmethod(torch.cat)

    def __init__(self, param: dict, device: Union[str, torch.device]):
        super().__init__({
            key: value.detach().cpu().numpy() if isinstance(
                value, torch.Tensor) else value
            for key, value in param.items()
        })
        self.param = {
            key: torch.as_tensor(np.ascontiguousarray(value), device=device)
            for key, value in self.param.items()
        }
