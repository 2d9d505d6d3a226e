"""Base class of the temporal filters: pose sequences [T, K, C] in, the
smoothed sequences of the same shape out."""
from abc import ABCMeta, abstractmethod

import numpy as np

from mmpose.errors import ArgumentError

__all__ = ['TemporalFilter', 'check_pose_sequence', 'pad_to_window']


def check_pose_sequence(x: np.ndarray, name: str) -> np.ndarray:
    """``x`` as an array, checked to be a pose sequence [T, K, C]."""
    x = np.asarray(x)
    if x.ndim != 3:
        raise ArgumentError(f'{name}: the input should be an array of shape '
                            f'[T, K, C], got shape {x.shape}')
    return x


def pad_to_window(x: np.ndarray, window_size: int) -> np.ndarray:
    """Repeat the first frame of ``x`` [T, K, C] in front until it has at
    least ``window_size`` frames."""
    missing = window_size - x.shape[0]
    if missing <= 0:
        return x
    return np.pad(x, [(missing, 0), (0, 0), (0, 0)], mode='edge')


class TemporalFilter(metaclass=ABCMeta):
    """A filter that smooths pose sequences over time.

    Args:
        window_size (int): Number of frames the filter looks at; the
            :class:`~mmpose.core.post_processing.Smoother` keeps
            ``window_size - 1`` past frames of each target to filter online.

    Note:
        frames: T
        keypoints: K
        coordinate dimension: C
    """

    def __init__(self, window_size: int = 1):
        if int(window_size) != window_size or window_size < 1:
            raise ArgumentError(f'{type(self).__name__}: window_size should '
                                f'be a positive integer, got {window_size!r}')
        self._window_size = int(window_size)

    @property
    def window_size(self) -> int:
        """Number of frames the filter looks at."""
        return self._window_size

    @abstractmethod
    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Smooth ``x`` (np.ndarray[T, K, C]) into an array of that shape."""
