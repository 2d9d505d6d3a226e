"""Savitzky-Golay smoothing over time: a least-squares polynomial fit in a
sliding window (0.29 spells the type ``SavizkyGolayFilter``)."""
import numpy as np
from scipy.signal import savgol_filter

from mmpose.errors import ArgumentError
from .builder import FILTERS
from .filter import TemporalFilter, check_pose_sequence, pad_to_window

__all__ = ['FILTERS', 'SavizkyGolayFilter']


@FILTERS.register_module(name=['SavizkyGolayFilter', 'savgol'])
class SavizkyGolayFilter(TemporalFilter):
    """Savitzky-Golay filter (``scipy.signal.savgol_filter``, ``interp``
    edges) along time. Sequences shorter than the window are padded in front
    with their first frame; the output keeps the input's T frames.

    Args:
        window_size (int): Odd window length. Default: 11.
        polyorder (int): Polynomial order, in ``[1, window_size)``.
            Default: 2.
    """

    def __init__(self, window_size: int = 11, polyorder: int = 2):
        super().__init__(window_size)
        if not 0 < polyorder < window_size:
            raise ArgumentError(f'SavizkyGolayFilter: polyorder should be in '
                                f'[1, window_size={window_size}), got '
                                f'{polyorder}')
        self.polyorder = polyorder

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Smooth ``x`` (np.ndarray[T, K, C]) -> np.ndarray[T, K, C]."""
        x = check_pose_sequence(x, 'SavizkyGolayFilter')
        num_frames = x.shape[0]
        y = savgol_filter(
            pad_to_window(x, self.window_size),
            self.window_size,
            self.polyorder,
            axis=0)
        return y[-num_frames:]
