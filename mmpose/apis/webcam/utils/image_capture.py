"""A ``cv2.VideoCapture`` look-alike that yields one image again and again."""
from typing import Tuple, Union

import cv2
import numpy as np

from mmpose.errors import ArgumentTypeError
from .misc import load_image_from_disk_or_url

__all__ = ['ImageCapture']


class ImageCapture:
    """Serve a still image as an endless video, so the webcam executor can
    run on a picture.

    Args:
        image (str | np.ndarray): Image path (or URL), or the image itself
            (np.ndarray[H, W, 3], BGR).

    Raises:
        FileNotFoundError: The path is not a readable image.
    """

    def __init__(self, image: Union[str, np.ndarray]):
        if isinstance(image, str):
            image = load_image_from_disk_or_url(image)
        elif not isinstance(image, np.ndarray):
            raise ArgumentTypeError('image must be a path or an np.ndarray, '
                                    f'got {type(image).__name__}')
        self.image = image

    def isOpened(self) -> bool:  # noqa: N802 (cv2.VideoCapture's name)
        """Whether an image is held (False after :meth:`release`)."""
        return self.image is not None

    def read(self) -> Tuple[bool, np.ndarray]:
        """``(True, a copy of the image)``; ``(False, None)`` once
        released."""
        if self.image is None:
            return False, None
        return True, self.image.copy()

    def release(self) -> None:
        """Drop the image."""
        self.image = None

    def get(self, propId: int) -> float:  # noqa: N803 (cv2's name)
        """Frame width or height for ``cv2.CAP_PROP_FRAME_WIDTH`` /
        ``HEIGHT``; NaN for any other property (a still has no FPS)."""
        if self.image is not None:
            if propId == cv2.CAP_PROP_FRAME_WIDTH:
                return float(self.image.shape[1])
            if propId == cv2.CAP_PROP_FRAME_HEIGHT:
                return float(self.image.shape[0])
        return float('nan')
