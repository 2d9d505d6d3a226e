"""SMPL body models (Loper et al., "SMPL: A Skinned Multi-Person Linear
Model", SIGGRAPH Asia 2015) on top of the ``smplx`` package.

:class:`SMPLBody` is one body model whose pose, shape and translation are
passed in (they are regressed by a network); its state is the buffers of
``smplx.SMPL``. MMPose 0.14's ``ParametricMesh`` held one such model at
``smpl.*`` and the joints regressor at ``joints_regressor``. MMPose 0.29's
registered :class:`SMPL` holds one per gender (``smpl.smpl_neutral.*``,
``smpl.smpl_male.*``, ``smpl.smpl_female.*``) and the regressor
(``smpl.joints_regressor``); :func:`remap_smpl_state` turns the SMPL entries
of a checkpoint of either layout into the other.
"""
import os.path as osp
from typing import Dict, Optional

import numpy as np
import smplx
import torch
from torch import nn

from mmpose.errors import ArgumentError
from ..builder import MESH_MODELS

__all__ = [
    'SMPL', 'SMPLBody', 'load_joints_regressor', 'is_smpl_key',
    'remap_smpl_state'
]

GENDERS = ('neutral', 'male', 'female')


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
        raise ArgumentError(
            f'joints_regressor {path!r} must be a [J, V] array, '
            f'got shape {regressor.shape}')
    if num_vertices is not None and regressor.shape[1] != num_vertices:
        raise ArgumentError(f'joints_regressor {path!r} has '
                            f'{regressor.shape[1]} columns but the SMPL model '
                            f'has {num_vertices} vertices')
    return torch.from_numpy(regressor.astype(np.float32))


class SMPLBody(smplx.SMPL):
    """SMPL mesh model whose parameters come from the caller.

    Args:
        smpl_path (str): A SMPL model file (``.pkl``) or a folder holding
            ``SMPL_{GENDER}.pkl``.
        joints_regressor (str | None): ``.npy`` regressor [J, V] used by
            :meth:`get_joints`; kept out of the state dict (the detector
            that owns it stores its own copy). Default: None.
        gender (str): 'neutral', 'male' or 'female', used to pick the file
            inside a folder. Default: 'neutral'.
        **kwargs: Other keyword arguments of ``smplx.SMPL`` (e.g.
            ``vertex_ids`` for a custom mesh topology); ``create_betas``,
            ``create_global_orient``, ``create_body_pose`` and
            ``create_transl`` default to False.

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
            kwargs.setdefault(key, False)
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


@MESH_MODELS.register_module()
class SMPL(nn.Module):
    """The SMPL models of the three genders and a joints regressor
    (MMPose 0.29's ``SMPL`` wrapper).

    Args:
        smpl_path (str): Folder holding ``SMPL_NEUTRAL.pkl``,
            ``SMPL_MALE.pkl`` and ``SMPL_FEMALE.pkl``.
        joints_regressor (str): ``.npy`` regressor [J, V] from vertices to
            the J joints of :meth:`forward`.

    Note:
        batch size: N
        vertices: V (6890 for SMPL)
        regressed joints: J
    """

    def __init__(self, smpl_path: str, joints_regressor: str):
        super().__init__()
        # As in 0.29, the neutral model also holds a (unused) betas
        # parameter [1, 10].
        self.smpl_neutral = SMPLBody(smpl_path, gender='neutral',
                                     create_betas=True)
        self.smpl_male = SMPLBody(smpl_path, gender='male')
        self.smpl_female = SMPLBody(smpl_path, gender='female')
        self.register_buffer(
            'joints_regressor',
            load_joints_regressor(joints_regressor,
                                  self.smpl_neutral.num_vertices)[None])

    @property
    def num_vertices(self) -> int:
        """Number of mesh vertices V."""
        return self.smpl_neutral.num_vertices

    @property
    def num_verts(self) -> int:
        """Number of mesh vertices V (0.29's name)."""
        return self.num_vertices

    @property
    def num_joints(self) -> int:
        """Number of regressed joints J."""
        return self.joints_regressor.shape[1]

    def get_faces(self) -> np.ndarray:
        """Mesh faces (np.ndarray[F, 3]) of the neutral model."""
        return np.asarray(self.smpl_neutral.faces)

    def forward(self,
                betas: torch.Tensor,
                body_pose: torch.Tensor,
                global_orient: torch.Tensor,
                transl: Optional[torch.Tensor] = None,
                gender: Optional[torch.Tensor] = None
                ) -> Dict[str, torch.Tensor]:
        """Vertices and regressed joints of a batch of SMPL parameters.

        Args:
            betas (torch.Tensor[N, 10]): Shape parameters.
            body_pose (torch.Tensor[N, 69] | torch.Tensor[N, 23, 3, 3]):
                Axis-angle or rotation-matrix body pose.
            global_orient (torch.Tensor[N, 3] | torch.Tensor[N, 1, 3, 3]):
                Root orientation, in the same form as ``body_pose``.
            transl (torch.Tensor[N, 3] | None): Translation.
            gender (torch.Tensor[N] | None): -1 neutral, 0 male, 1 female;
                None: all neutral.

        Returns:
            dict: ``vertices`` (torch.Tensor[N, V, 3]) and ``joints``
            (torch.Tensor[N, J, 3]); empty ones (N = 0) for an empty batch,
            as in 0.29.
        """
        params = dict(betas=betas, body_pose=body_pose,
                      global_orient=global_orient, transl=transl)
        pose2rot = body_pose.dim() == 2
        if betas.shape[0] == 0:
            # smplx cannot pose an empty batch
            vertices = betas.new_zeros(0, self.num_vertices, 3)
        elif gender is None:
            vertices = self.smpl_neutral(**params, pose2rot=pose2rot).vertices
        else:
            gender = torch.as_tensor(gender, device=betas.device).reshape(-1)
            vertices = betas.new_zeros(betas.shape[0], self.num_vertices, 3)
            # One pass per body model (three at most), on its own samples.
            for code, model in ((-1, self.smpl_neutral), (0, self.smpl_male),
                                (1, self.smpl_female)):
                mask = gender < 0 if code < 0 else gender == code
                if mask.any():
                    vertices[mask] = model(
                        **{k: None if v is None else v[mask]
                           for k, v in params.items()},
                        pose2rot=pose2rot).vertices
        joints = torch.matmul(self.joints_regressor, vertices)
        return dict(vertices=vertices, joints=joints)


def is_smpl_key(name: str) -> bool:
    """Whether a (prefix-free) state name of a mesh detector is SMPL data:
    ``joints_regressor`` or under ``smpl.``."""
    return name == 'joints_regressor' or name.startswith('smpl.')


def _canonical_smpl_key(name: str) -> str:
    """``joints_regressor`` or ``<gender>.<buffer>`` of an SMPL state name
    of either layout (0.14's ``smpl.<buffer>`` is the neutral model)."""
    if name in ('joints_regressor', 'smpl.joints_regressor'):
        return 'joints_regressor'
    rest = name[len('smpl.'):]
    for gender in GENDERS:
        head = f'smpl_{gender}.'
        if rest.startswith(head):
            return f'{gender}.{rest[len(head):]}'
    return f'neutral.{rest}'


def remap_smpl_state(state_dict: dict, prefix: str,
                     own_state: Dict[str, torch.Tensor]) -> None:
    """Rename, in place, the SMPL entries of a mesh detector's checkpoint
    (0.14 or 0.29 layout) into the layout of ``own_state``.

    SMPL entries are body-model data read from the SMPL files, not learned:
    those the model has and the checkpoint lacks (the other genders, 0.29's
    neutral ``betas``) are taken from ``own_state``; those the model lacks
    are dropped. Every other entry is left for strict loading.

    Args:
        state_dict (dict): The checkpoint's state, modified in place.
        prefix (str): The detector's prefix in ``state_dict``.
        own_state (dict[str, torch.Tensor]): The detector's own SMPL
            entries (prefix-free names, see :func:`is_smpl_key`).
    """
    incoming = {}
    for key in [k for k in state_dict if k.startswith(prefix)]:
        name = key[len(prefix):]
        if is_smpl_key(name):
            incoming[_canonical_smpl_key(name)] = state_dict.pop(key)
    if not incoming:
        return
    for name, tensor in own_state.items():
        state_dict[prefix + name] = incoming.get(_canonical_smpl_key(name),
                                                 tensor)
