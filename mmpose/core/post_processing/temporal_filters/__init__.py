"""Temporal filters that smooth pose sequences [T, K, C] (MMPose 0.29)."""
from .builder import FILTERS, build_filter
from .filter import TemporalFilter
from .gaussian_filter import GaussianFilter
from .one_euro_filter import OneEuroFilter
from .savizky_golay_filter import SavizkyGolayFilter
from .smoothnet_filter import SmoothNetFilter

__all__ = [
    'FILTERS', 'build_filter', 'TemporalFilter', 'GaussianFilter',
    'OneEuroFilter', 'SavizkyGolayFilter', 'SmoothNetFilter'
]
