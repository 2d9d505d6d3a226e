"""SMPL body model (Loper et al., "SMPL: A Skinned Multi-Person Linear
Model", SIGGRAPH Asia 2015) on top of the ``smplx`` package.

The model holds no optimisable parameters: pose, shape and translation are
always passed in (they are regressed by a network), so its state is exactly
the buffers of ``smplx.SMPL`` and checkpoints of MMPose 0.x load unchanged.
"""
import os.path as osp
from typing import Optional

import numpy as np
import smplx
import torch

from ..builder import MESH_MODELS

__all__ = ['SMPL', 'load_joints_regressor']


def load_joints_regressor(path: str,
                          num_vertices: Optional[int] = None) -> torch.Tensor:
    """Load a joint regressor mapping mesh vertices to joints.

    Args:
        path (str): ``.npy`` file holding an array [J, V].
        num_vertices (int | None): Expected V; checked when given.

    Returns:
        torch.Tensor[J, V]: float32 regressor.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'joints_regressor file not found: {path!r}')
    regressor = np.load(path)
    if regressor.ndim != 2:
        raise ValueError(f'joints_regressor {path!r} must be a [J, V] array, '
                         f'got shape {regressor.shape}')
    if num_vertices is not None and regressor.shape[1] != num_vertices:
        raise ValueError(f'joints_regressor {path!r} has '
                         f'{regressor.shape[1]} columns but the SMPL model '
                         f'has {num_vertices} vertices')
    return torch.from_numpy(regressor.astype(np.float32))


@MESH_MODELS.register_module()
class SMPL(smplx.SMPL):
    """SMPL mesh model whose parameters always come from the caller.

    Args:
        smpl_path (str): A SMPL model file (``.pkl``) or a folder holding
            ``SMPL_{GENDER}.pkl``.
        joints_regressor (str | None): ``.npy`` regressor [J, V] used by
            :meth:`get_joints`; kept out of the state dict (the detector
            that owns it stores its own copy). Default: None.
        gender (str): 'neutral', 'male' or 'female', used to pick the file
            inside a folder. Default: 'neutral'.
        **kwargs: Other keyword arguments of ``smplx.SMPL`` (e.g.
            ``vertex_ids`` for a custom mesh topology).

    Note:
        batch size: N
        vertices: V (6890 for SMPL)
    """

    def __init__(self,
                 smpl_path: str,
                 joints_regressor: Optional[str] = None,
                 gender: str = 'neutral',
                 **kwargs):
        if osp.isdir(smpl_path):
            model_file = osp.join(smpl_path, f'SMPL_{gender.upper()}.pkl')
        else:
            model_file = smpl_path
        if not osp.isfile(model_file):
            raise FileNotFoundError(
                f'SMPL model file not found: {model_file!r} (smpl_path='
                f'{smpl_path!r}, gender={gender!r})')
        for key in ('create_betas', 'create_global_orient',
                    'create_body_pose', 'create_transl'):
            kwargs[key] = False
        super().__init__(model_path=model_file, gender=gender, **kwargs)
        self.smpl_path = smpl_path
        regressor = None
        if joints_regressor is not None:
            regressor = load_joints_regressor(joints_regressor,
                                              self.v_template.shape[0])
        self.register_buffer('joints_regressor', regressor, persistent=False)

    @property
    def num_vertices(self) -> int:
        """Number of mesh vertices V."""
        return self.v_template.shape[0]

    def get_joints(self, vertices: torch.Tensor) -> torch.Tensor:
        """Regress joints from vertices [N, V, 3] -> [N, J, 3]."""
        if self.joints_regressor is None:
            raise RuntimeError('this SMPL model was built without a '
                               'joints_regressor file')
        return torch.einsum('jv,nvc->njc', self.joints_regressor, vertices)
