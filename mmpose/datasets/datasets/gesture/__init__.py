"""Hand-gesture recognition datasets (videos with one class label)."""
from .nvgesture_dataset import NVGestureDataset

__all__ = ['NVGestureDataset']
