from .camera_base import CAMERAS, SingleCameraBase
from .single_camera import SimpleCamera
from .single_camera_torch import SimpleCameraTorch

__all__ = [
    'CAMERAS', 'SingleCameraBase', 'SimpleCamera', 'SimpleCameraTorch'
]
