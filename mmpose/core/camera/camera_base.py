"""Camera registry and the abstract single-camera interface."""
from abc import ABCMeta, abstractmethod

import numpy as np

from mmpose.utils.registry import make_registry

CAMERAS = make_registry('camera')


class SingleCameraBase(metaclass=ABCMeta):
    """Base class of one camera: projections between the world, camera and
    pixel frames.

    Note:
        Points are row vectors with the coordinate on the last axis:
        ``[..., J, C]`` (J joints, C = 3 for world/camera points, 2 or 3 for
        pixel points).

    Args:
        param (dict): camera parameters; which keys are read is up to the
            subclass.
    """

    @abstractmethod
    def __init__(self, param: dict):
        """Parse ``param`` into the camera's own representation."""

    @abstractmethod
    def world_to_camera(self, X: np.ndarray) -> np.ndarray:
        """World frame ``[..., 3]`` -> camera frame ``[..., 3]``."""

    @abstractmethod
    def camera_to_world(self, X: np.ndarray) -> np.ndarray:
        """Camera frame ``[..., 3]`` -> world frame ``[..., 3]``."""

    @abstractmethod
    def camera_to_pixel(self, X: np.ndarray) -> np.ndarray:
        """Camera frame ``[..., 3]`` -> pixel coordinates ``[..., 2]``."""

    def world_to_pixel(self, X: np.ndarray) -> np.ndarray:
        """World frame ``[..., 3]`` -> pixel coordinates ``[..., 2]``."""
        return self.camera_to_pixel(self.world_to_camera(X))
