"""Bounding-box helpers."""
from .transforms import (bbox_cs2xywh, bbox_xywh2cs, bbox_xywh2xyxy,
                         bbox_xyxy2xywh)

__all__ = [
    'bbox_xyxy2xywh', 'bbox_xywh2xyxy', 'bbox_xywh2cs', 'bbox_cs2xywh'
]
