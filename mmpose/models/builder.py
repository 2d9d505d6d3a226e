"""Model registries and the builders that read configs into modules."""
from typing import Optional, Sequence, Union

from torch import nn

from mmpose.utils.registry import build_from_cfg, make_registry

BACKBONES = make_registry('backbone')
NECKS = make_registry('neck')
HEADS = make_registry('head')
LOSSES = make_registry('loss')
POSENETS = make_registry('posenet')
MESH_MODELS = make_registry('mesh_model')


def build(cfg: Union[dict, Sequence[dict]], registry,
          default_args: Optional[dict] = None) -> nn.Module:
    """Build one module, or an ``nn.Sequential`` from a list of configs."""
    if isinstance(cfg, (list, tuple)):
        return nn.Sequential(
            *[build_from_cfg(c, registry, default_args) for c in cfg])
    return build_from_cfg(cfg, registry, default_args)


def build_backbone(cfg):
    """Build backbone."""
    return build(cfg, BACKBONES)


def build_neck(cfg):
    """Build neck."""
    return build(cfg, NECKS)


def build_head(cfg):
    """Build head."""
    return build(cfg, HEADS)


def build_loss(cfg):
    """Build loss."""
    return build(cfg, LOSSES)


def build_posenet(cfg):
    """Build posenet."""
    return build(cfg, POSENETS)


def build_mesh_model(cfg):
    """Build a mesh model (e.g. SMPL)."""
    return build(cfg, MESH_MODELS)
