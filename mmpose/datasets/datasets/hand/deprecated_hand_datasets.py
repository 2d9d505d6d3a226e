"""Deprecated ``TopDown*`` names of the hand datasets (renamed in 0.x)."""
import warnings

from ...builder import DATASETS
from .freihand_dataset import FreiHandDataset
from .onehand10k_dataset import OneHand10KDataset
from .panoptic_dataset import PanopticDataset


def _warn_renamed(old: str, new: str) -> None:
    warnings.warn(
        f'{old} has been renamed into {new}, check '
        'https://github.com/open-mmlab/mmpose/pull/202 for details.',
        DeprecationWarning, stacklevel=3)


@DATASETS.register_module()
class TopDownFreiHandDataset(FreiHandDataset):
    """Deprecated TopDownFreiHandDataset: use :class:`FreiHandDataset`."""

    def __init__(self, *args, **kwargs):
        _warn_renamed('TopDownFreiHandDataset', 'FreiHandDataset')
        super().__init__(*args, **kwargs)


@DATASETS.register_module()
class TopDownOneHand10KDataset(OneHand10KDataset):
    """Deprecated TopDownOneHand10KDataset: use
    :class:`OneHand10KDataset`."""

    def __init__(self, *args, **kwargs):
        _warn_renamed('TopDownOneHand10KDataset', 'OneHand10KDataset')
        super().__init__(*args, **kwargs)


@DATASETS.register_module()
class TopDownPanopticDataset(PanopticDataset):
    """Deprecated TopDownPanopticDataset: use :class:`PanopticDataset`."""

    def __init__(self, *args, **kwargs):
        _warn_renamed('TopDownPanopticDataset', 'PanopticDataset')
        super().__init__(*args, **kwargs)
