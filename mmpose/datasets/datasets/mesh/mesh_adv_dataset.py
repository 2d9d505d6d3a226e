"""Mesh training data paired with real SMPL parameters."""
import numpy as np
from torch.utils.data import Dataset

from mmpose.errors import ArgumentError

from ...builder import DATASETS


@DATASETS.register_module()
class MeshAdversarialDataset(Dataset):
    """Mix Dataset for the adversarial training in 3D human mesh estimation.

    Item ``i`` is item ``i`` of ``train_dataset`` updated with a random item
    of ``adversarial_dataset`` (e.g. ``mosh_theta``).

    Args:
        train_dataset (dict | Dataset): Dataset (config) for 3D human mesh
            estimation.
        adversarial_dataset (dict | Dataset): Dataset (config) for
            adversarial learning, provides real SMPL parameters.
    """

    def __init__(self, train_dataset, adversarial_dataset):
        from mmpose.datasets.builder import build_dataset

        self.train_dataset = (
            build_dataset(train_dataset)
            if isinstance(train_dataset, dict) else train_dataset)
        self.adversarial_dataset = (
            build_dataset(adversarial_dataset)
            if isinstance(adversarial_dataset, dict) else adversarial_dataset)
        if len(self.adversarial_dataset) == 0:
            raise ArgumentError('MeshAdversarialDataset: the adversarial '
                                'dataset is empty')
        self.length = len(self.train_dataset)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> dict:
        data = self.train_dataset[i]
        j = np.random.randint(len(self.adversarial_dataset))
        data.update(self.adversarial_dataset[j])
        return data
