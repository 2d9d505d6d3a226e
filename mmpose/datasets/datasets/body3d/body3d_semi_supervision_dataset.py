"""Labelled + unlabelled mix for semi-supervised 3D pose lifting (0.29)."""
import numpy as np
from torch.utils.data import Dataset

from ...builder import DATASETS

__all__ = ['Body3DSemiSupervisionDataset']


@DATASETS.register_module()
class Body3DSemiSupervisionDataset(Dataset):
    """Pairs each sample of an unlabelled dataset with a random sample of a
    labelled one (VideoPose3D's semi-supervised training).

    Sample ``i`` is the unlabelled sample ``i`` (its pipeline collects e.g.
    ``unlabeled_input``, ``unlabeled_target_2d`` and ``intrinsics``) updated
    with a uniformly drawn labelled sample (``input``, ``target``,
    ``traj_target``, ``metas``); the length is the unlabelled dataset's.

    Args:
        labeled_dataset (dict | Dataset): Dataset with 3D annotations (a
            config is built with ``build_dataset``).
        unlabeled_dataset (dict | Dataset): Dataset used for its 2D
            keypoints only.
    """

    def __init__(self, labeled_dataset, unlabeled_dataset):
        from mmpose.datasets.builder import build_dataset

        def _build(dataset):
            return build_dataset(dataset) if isinstance(dataset,
                                                        dict) else dataset

        super().__init__()
        self.labeled_dataset = _build(labeled_dataset)
        self.unlabeled_dataset = _build(unlabeled_dataset)

    def __len__(self) -> int:
        return len(self.unlabeled_dataset)

    def __getitem__(self, idx: int) -> dict:
        data = dict(self.unlabeled_dataset[idx])
        data.update(self.labeled_dataset[np.random.randint(
            len(self.labeled_dataset))])
        return data
