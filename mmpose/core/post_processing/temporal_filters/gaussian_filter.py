"""Median then Gaussian smoothing over time (as in Kanazawa et al.,
"Learning 3D Human Dynamics from Video", CVPR 2019)."""
import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.signal import medfilt

from mmpose.errors import ArgumentError
from .builder import FILTERS
from .filter import TemporalFilter, check_pose_sequence, pad_to_window

__all__ = ['FILTERS', 'GaussianFilter']


@FILTERS.register_module(name=['GaussianFilter', 'gaussian'])
class GaussianFilter(TemporalFilter):
    """A median filter over ``window_size`` frames (zero padded at both
    ends, as ``scipy.signal.medfilt``) followed by a Gaussian filter.

    Sequences shorter than the window are first padded in front with their
    first frame; the output keeps the input's T frames.

    Args:
        window_size (int): Odd median window length. Default: 11.
        sigma (float): Standard deviation of the Gaussian, in frames.
            Default: 4.0.
    """

    def __init__(self, window_size: int = 11, sigma: float = 4.0):
        super().__init__(window_size)
        if window_size % 2 != 1:
            raise ArgumentError(f'GaussianFilter: window_size should be odd, '
                                f'got {window_size}')
        self.sigma = sigma

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Smooth ``x`` (np.ndarray[T, K, C]) -> np.ndarray[T, K, C]."""
        x = check_pose_sequence(x, 'GaussianFilter')
        num_frames = x.shape[0]
        y = medfilt(pad_to_window(x, self.window_size),
                    (self.window_size, 1, 1))
        y = gaussian_filter1d(y, self.sigma, axis=0)
        return y[-num_frames:]
