from .fpn import FPN
from .gap_neck import GlobalAveragePooling
from .tcformer_mta_neck import MTA

__all__ = ['GlobalAveragePooling', 'FPN', 'MTA']
