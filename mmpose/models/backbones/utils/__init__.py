"""Building blocks shared by the backbones."""
from mmpose.utils.checkpoint import get_state_dict, load_checkpoint

from .channel_shuffle import channel_shuffle
from .inverted_residual import InvertedResidual
from .make_divisible import make_divisible
from .se_layer import SELayer
from .stem import stem_conv3x3

__all__ = [
    'channel_shuffle', 'make_divisible', 'InvertedResidual', 'SELayer',
    'load_checkpoint', 'get_state_dict', 'stem_conv3x3'
]
