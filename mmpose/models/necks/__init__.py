from .gap_neck import GlobalAveragePooling

__all__ = ['GlobalAveragePooling']
