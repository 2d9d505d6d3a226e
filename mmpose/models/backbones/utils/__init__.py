"""Building blocks shared by the backbones."""
from mmpose.utils.checkpoint import get_state_dict, load_checkpoint

from .channel_shuffle import channel_shuffle
from .checkpointed_block import CheckpointedBlock
from .inverted_residual import InvertedResidual
from .make_divisible import make_divisible
from .named_norm import named_norm
from .se_layer import SELayer
from .stem import conv_norm_act, stem_conv3x3
from .stem_stages_backbone import StemStagesBackbone

__all__ = [
    'channel_shuffle', 'make_divisible', 'InvertedResidual', 'SELayer',
    'load_checkpoint', 'get_state_dict', 'stem_conv3x3', 'conv_norm_act',
    'CheckpointedBlock', 'StemStagesBackbone', 'named_norm'
]
