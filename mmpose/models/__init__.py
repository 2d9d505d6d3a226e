from .backbones import *  # noqa: F401,F403
from .builder import (BACKBONES, HEADS, LOSSES, MESH_MODELS, MODELS, NECKS,
                      POSENETS, build_backbone, build_head, build_loss,
                      build_mesh_model, build_neck, build_posenet)
from .detectors import *  # noqa: F401,F403
from .keypoint_heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .mesh_heads import *  # noqa: F401,F403
# after the 0.14 head packages: its classes extend theirs
from .heads import *  # noqa: F401,F403
from .misc import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403

__all__ = [
    'MODELS', 'BACKBONES', 'HEADS', 'NECKS', 'LOSSES', 'POSENETS',
    'MESH_MODELS', 'build_backbone', 'build_head', 'build_loss',
    'build_posenet', 'build_neck', 'build_mesh_model'
]
