"""Dataset wrappers."""
from mmpose.errors import ArgumentError
from .builder import DATASETS


@DATASETS.register_module()
class RepeatDataset:
    """Repeat a dataset ``times`` times (an epoch sees it ``times`` times).

    Args:
        dataset (Dataset): The dataset to repeat.
        times (int): Number of repetitions.
    """

    def __init__(self, dataset, times: int):
        if times < 1:
            raise ArgumentError(f'RepeatDataset needs times >= 1, got {times}')
        self.dataset = dataset
        self.times = times
        self._ori_len = len(self.dataset)

    def __getitem__(self, idx: int):
        return self.dataset[idx % self._ori_len]

    def __len__(self) -> int:
        return self.times * self._ori_len
