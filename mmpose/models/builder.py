"""The model registry and the builders that read configs into modules.

As in MMPose 0.29, every model part is registered in one registry,
:data:`MODELS` (a child of mmcv's ``MODELS``, scope ``'mmpose'``), and the
0.14 registry names ``BACKBONES``, ``NECKS``, ``HEADS``, ``LOSSES``,
``POSENETS`` and ``MESH_MODELS`` are that same object. Third-party code
registering the 0.14 way or the 0.29 way is found by every ``build_*``
(see :mod:`mmpose.dialects`).
"""
from typing import Optional, Sequence, Union

from mmcv.cnn import MODELS as MMCV_MODELS
from mmcv.utils import Registry
from torch import nn

from mmpose.dialects import warn_if_renamed
from mmpose.errors import ArgumentTypeError
from mmpose.utils.registry import UserFirstRegistry, build_from_cfg


def build(cfg: Union[dict, Sequence[dict]], registry: Registry,
          default_args: Optional[dict] = None) -> nn.Module:
    """Build one module, or an ``nn.Sequential`` from a list of configs.

    A 0.14 type name renamed in 0.29 warns once (it still builds).
    """
    if isinstance(cfg, (list, tuple)):
        return nn.Sequential(
            *[build(c, registry, default_args) for c in cfg])
    if isinstance(cfg, dict):
        warn_if_renamed(cfg.get('type'))
    return build_from_cfg(cfg, registry, default_args)


# A class registered by third-party code under a built-in name replaces the
# built-in one (see mmpose.utils.registry).
MODELS = UserFirstRegistry(
    'models', build_func=build, parent=MMCV_MODELS, scope='mmpose')

BACKBONES = MODELS
NECKS = MODELS
HEADS = MODELS
LOSSES = MODELS
POSENETS = MODELS
MESH_MODELS = MODELS


def build_backbone(cfg):
    """Build backbone."""
    return BACKBONES.build(cfg)


def build_neck(cfg):
    """Build neck."""
    return NECKS.build(cfg)


def build_head(cfg):
    """Build head."""
    return HEADS.build(cfg)


def build_loss(cfg):
    """Build loss."""
    return LOSSES.build(cfg)


def build_head_loss(cfg: Union[dict, Sequence[dict], None],
                    head: str,
                    arg: str = 'loss_keypoint',
                    required: bool = True) -> Optional[nn.Module]:
    """Build the loss a head is configured with.

    MMPose 0.x heads built their loss unconditionally, so a head without
    one raised ``TypeError``; every head builds it here to keep that.

    Args:
        cfg (dict | list[dict] | None): The loss config(s).
        head (str): The head's class name, for the message.
        arg (str): The argument that holds ``cfg``, for the message.
            Default: 'loss_keypoint'.
        required (bool): False for a sub-head whose parent holds the loss:
            None then gives None. Default: True.

    Returns:
        nn.Module | None: The loss.
    """
    if cfg is None:
        if not required:
            return None
        raise ArgumentTypeError(
            f'{head} needs {arg}, a loss config such as '
            f"dict(type='JointsMSELoss', use_target_weight=True); got None")
    return build_loss(cfg)


def build_posenet(cfg):
    """Build posenet."""
    return POSENETS.build(cfg)


def build_mesh_model(cfg):
    """Build a mesh model (e.g. SMPL)."""
    return MESH_MODELS.build(cfg)
