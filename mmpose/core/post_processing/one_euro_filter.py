"""One-euro filter for smoothing keypoints over time (pose tracking).

Casiez et al. 1 Euro Filter: A Simple Speed-based Low-pass Filter for Noisy
Input in Interactive Systems (CHI 2012). Hyper-parameters follow VNect.
"""
from time import time
from typing import Optional, Union

import numpy as np

from mmpose.errors import ArgumentError

__all__ = ['OneEuroFilter', 'smoothing_factor', 'exponential_smoothing']

ArrayOrFloat = Union[np.ndarray, float]


def smoothing_factor(t_e: ArrayOrFloat, cutoff: ArrayOrFloat) -> ArrayOrFloat:
    """Exponential smoothing weight ``r / (r + 1)``, ``r = 2 pi f_c t_e``."""
    r = 2 * np.pi * cutoff * t_e
    return r / (r + 1)


def exponential_smoothing(a: ArrayOrFloat, x: ArrayOrFloat,
                          x_prev: ArrayOrFloat) -> ArrayOrFloat:
    """``a * x + (1 - a) * x_prev``."""
    return a * x + (1 - a) * x_prev


class OneEuroFilter:
    """One-euro filter over an array of keypoint coordinates.

    Non-positive coordinates mark missing keypoints; their output is -10.

    Args:
        x0 (np.ndarray[K, 2]): Initial keypoint coordinates.
        dx0 (float): Initial derivative. Default: 0.
        min_cutoff (float): Minimum cutoff frequency. Default: 1.7.
        beta (float): Speed coefficient of the cutoff. Default: 0.3.
        d_cutoff (float): Cutoff of the derivative filter; in real-time mode
            (``fps=None``) it is also the camera frame rate used to convert
            wall-clock intervals into frames. Default: 30.
        fps (float, optional): Video frame rate. When given, ``t_e`` is taken
            from the call (in frames) instead of the wall clock.
    """

    def __init__(self,
                 x0: np.ndarray,
                 dx0: float = 0.0,
                 min_cutoff: float = 1.7,
                 beta: float = 0.3,
                 d_cutoff: float = 30.0,
                 fps: Optional[float] = None):
        x0 = np.asarray(x0)
        self.data_shape = x0.shape
        self.min_cutoff = np.full(x0.shape, min_cutoff)
        self.beta = np.full(x0.shape, beta)
        self.d_cutoff = np.full(x0.shape, d_cutoff)
        self.x_prev = x0.astype(np.float64)
        self.dx_prev = np.full(x0.shape, dx0)
        self.mask_prev = x0 <= 0
        self.realtime = fps is None
        if self.realtime:
            self.skip_frame_factor = d_cutoff
        else:
            self.d_cutoff = np.full(x0.shape, float(fps))
        self.t_prev = time()

    def __call__(self, x: np.ndarray, t_e: float = 1.0) -> np.ndarray:
        """Filter one frame.

        Args:
            x (np.ndarray[K, 2]): Keypoint coordinates of this frame.
            t_e (float): Frames elapsed since the previous call (ignored in
                real-time mode, where the wall clock is used).

        Returns:
            np.ndarray[K, 2]: Smoothed coordinates.
        """
        x = np.asarray(x)
        if x.shape != self.data_shape:
            raise ArgumentError(f'x should have shape {self.data_shape} (the '
                                f'shape of x0), got {x.shape}')
        t = 0
        if self.realtime:
            t = time()
            t_e = (t - self.t_prev) * self.skip_frame_factor
        t_e = np.full(x.shape, t_e)
        missing = x <= 0

        # Filtered derivative of the signal.
        a_d = smoothing_factor(t_e, self.d_cutoff)
        dx = (x - self.x_prev) / t_e
        dx_hat = exponential_smoothing(a_d, dx, self.dx_prev)

        # Filtered signal, with a cutoff that grows with the speed.
        cutoff = self.min_cutoff + self.beta * np.abs(dx_hat)
        a = smoothing_factor(t_e, cutoff)
        x_hat = exponential_smoothing(a, x, self.x_prev)
        x_hat[missing] = -10

        self.x_prev = x_hat
        self.dx_prev = dx_hat
        self.t_prev = t
        self.mask_prev = missing
        return x_hat
