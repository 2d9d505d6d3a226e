"""The one-euro filter as a temporal filter of the 0.29 Smoother (Casiez et
al., "1 Euro Filter", CHI 2012; parameters as in VIBE).

Distinct from the 0.14 frame-by-frame helper
:class:`mmpose.core.post_processing.OneEuroFilter`, whose smoothing
functions it reuses.
"""
from typing import Optional

import numpy as np

from ..one_euro_filter import exponential_smoothing, smoothing_factor
from .builder import FILTERS
from .filter import TemporalFilter, check_pose_sequence

__all__ = ['FILTERS', 'OneEuroFilter']


@FILTERS.register_module(name=['OneEuroFilter', 'oneeuro'])
class OneEuroFilter(TemporalFilter):
    """Speed-adaptive exponential smoothing, one frame at a time.

    The filter is stateful (window size 1): the first frame it ever sees is
    passed through and starts the state; later calls continue from the last
    filtered frame. Frames are one time unit apart; the derivative is
    smoothed with cutoff 1.

    Args:
        min_cutoff (float): Cutoff frequency at zero speed; lower removes
            more slow jitter. Default: 0.004.
        beta (float): Speed coefficient of the cutoff; higher reduces lag
            in fast motion. Default: 0.7.
    """

    #: cutoff frequency of the derivative
    d_cutoff = 1.0

    def __init__(self, min_cutoff: float = 0.004, beta: float = 0.7):
        super().__init__(window_size=1)
        self.min_cutoff = min_cutoff
        self.beta = beta
        self._x_prev: Optional[np.ndarray] = None
        self._dx_prev: Optional[np.ndarray] = None

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Smooth ``x`` (np.ndarray[T, K, C]) -> np.ndarray[T, K, C]."""
        x = check_pose_sequence(x, 'OneEuroFilter')
        out = x.copy()
        start = 0
        if self._x_prev is None:
            self._x_prev = x[0]
            self._dx_prev = np.zeros_like(x[0], dtype=np.float64)
            start = 1
        a_d = smoothing_factor(1.0, self.d_cutoff)
        # A recursive filter: each frame depends on the previous output.
        for t in range(start, len(x)):
            dx = x[t] - self._x_prev
            dx_hat = exponential_smoothing(a_d, dx, self._dx_prev)
            cutoff = self.min_cutoff + self.beta * np.abs(dx_hat)
            x_hat = exponential_smoothing(
                smoothing_factor(1.0, cutoff), x[t], self._x_prev)
            self._x_prev, self._dx_prev = x_hat, dx_hat
            out[t] = x_hat
        return out
