"""2D fashion landmark datasets."""
from .deepfashion_dataset import DeepFashionDataset

__all__ = ['DeepFashionDataset']
