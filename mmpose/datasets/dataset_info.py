"""Parsed dataset metadata (``DatasetInfo`` of MMPose 0.29).

A ``dataset_info`` table (see :mod:`mmpose.datasets.metadata`) names each
keypoint with its colour, body half (``type``: 'upper' / 'lower') and mirror
partner (``swap``), and each skeleton link by its two keypoint names.
:class:`DatasetInfo` turns it into the index forms the datasets, pipelines,
inference and visualisation use.

Note:
    number of keypoints: K
    number of skeleton links: L
"""
import functools
import warnings
from typing import Any, Dict, List, Optional, Union

import numpy as np

from mmpose.errors import (ArgumentError, ArgumentTypeError,
                           UnknownNameError)

__all__ = [
    'DatasetInfo', 'table_dataset_info', 'resolve_dataset_info',
    'warn_missing_dataset_info'
]

#: Colour of a keypoint or link that has none in the table.
DEFAULT_COLOR = (255, 128, 0)
REQUIRED_KEYS = ('dataset_name', 'paper_info', 'keypoint_info',
                 'skeleton_info', 'joint_weights', 'sigmas')


class DatasetInfo:
    """Keypoint layout of a dataset, parsed from its ``dataset_info`` table.

    Args:
        dataset_info (dict): ``dataset_name``, ``paper_info``,
            ``keypoint_info`` ({id: dict(name, color, type, swap)}),
            ``skeleton_info`` ({id: dict(link=(name, name), color)}),
            ``joint_weights`` (K,) and ``sigmas`` (K,) or empty.

    Attributes:
        keypoint_num (int): K.
        keypoint_id2name / keypoint_name2id (dict): Index <-> name.
        upper_body_ids / lower_body_ids (list[int]): Keypoints by body half.
        flip_index (list[int]): Index of each keypoint's mirror partner (K,).
        flip_pairs (list[list[int]]): Mirrored pairs, each listed once.
        flip_index_name / flip_pairs_name: The same by name.
        skeleton (list[list[int]]): Links as 0-based index pairs (L, 2).
        skeleton_name (list): Links as name pairs.
        link_num (int): L.
        pose_kpt_color (np.ndarray[K, 3]) / pose_link_color
            (np.ndarray[L, 3]): Drawing colours.
        joint_weights (np.ndarray[K, 1]): float32 loss weights.
        sigmas (np.ndarray[K] | np.ndarray[0]): OKS sigmas.
    """

    def __init__(self, dataset_info: Dict[str, Any]):
        if not isinstance(dataset_info, dict):
            raise ArgumentTypeError(f'dataset_info must be a dict, got '
                                    f'{type(dataset_info).__name__}')
        missing = [k for k in REQUIRED_KEYS if k not in dataset_info]
        if missing:
            raise UnknownNameError(f'dataset_info lacks {missing}; a table '
                                   f'needs {list(REQUIRED_KEYS)}')
        self.dataset_info = dataset_info
        self.dataset_name = dataset_info['dataset_name']
        self.paper_info = dataset_info['paper_info']
        self.keypoint_info = dataset_info['keypoint_info']
        self.skeleton_info = dataset_info['skeleton_info']
        self.joint_weights = np.array(
            dataset_info['joint_weights'], dtype=np.float32).reshape(-1, 1)
        self.sigmas = np.array(dataset_info['sigmas'])
        self._parse_keypoint_info()
        self._parse_skeleton_info()

    def _name2id(self, name: str, where: str) -> int:
        if name not in self.keypoint_name2id:
            raise UnknownNameError(
                f'{where} names keypoint {name!r}, which is not in the '
                f'keypoint_info of {self.dataset_name!r}')
        return self.keypoint_name2id[name]

    def _parse_keypoint_info(self) -> None:
        """Names, body halves, flip partners and colours of the keypoints.

        Keys of ``keypoint_info`` are the keypoint indices (ints, or their
        strings when the table went through JSON).
        """
        entries = sorted((int(k), v) for k, v in self.keypoint_info.items())
        ids = [k for k, _ in entries]
        if ids != list(range(len(ids))):
            raise ArgumentError(f'keypoint_info ids of {self.dataset_name!r} '
                                f'must be 0..K-1, got {ids}')
        self.keypoint_num = len(entries)
        self.keypoint_id2name = {k: v['name'] for k, v in entries}
        self.keypoint_name2id = {v['name']: k for k, v in entries}
        self.upper_body_ids = [k for k, v in entries
                               if v.get('type', '') == 'upper']
        self.lower_body_ids = [k for k, v in entries
                               if v.get('type', '') == 'lower']
        self.pose_kpt_color = np.array(
            [v.get('color', DEFAULT_COLOR) for _, v in entries])

        self.flip_index_name: List[str] = []
        self.flip_pairs_name: List[List[str]] = []
        for _, v in entries:
            name, swap = v['name'], v.get('swap', '') or v['name']
            self.flip_index_name.append(swap)
            if swap != name and [swap, name] not in self.flip_pairs_name:
                self.flip_pairs_name.append([name, swap])
        where = 'a swap of keypoint_info'
        self.flip_index = [
            self._name2id(n, where) for n in self.flip_index_name
        ]
        self.flip_pairs = [[self._name2id(a, where),
                            self._name2id(b, where)]
                           for a, b in self.flip_pairs_name]

    def _parse_skeleton_info(self) -> None:
        """Skeleton links as index pairs, with their colours."""
        entries = sorted((int(k), v) for k, v in self.skeleton_info.items())
        self.link_num = len(entries)
        self.skeleton_name = [list(v['link']) for _, v in entries]
        self.skeleton = [[
            self._name2id(a, f'skeleton link {k}'),
            self._name2id(b, f'skeleton link {k}')
        ] for (k, _), (a, b) in zip(entries, self.skeleton_name)]
        self.pose_link_color = np.array(
            [v.get('color', DEFAULT_COLOR) for _, v in entries])

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(dataset_name={self.dataset_name!r}, '
                f'keypoint_num={self.keypoint_num}, link_num={self.link_num})')


@functools.lru_cache(maxsize=None)
def table_dataset_info(name: str) -> DatasetInfo:
    """The :class:`DatasetInfo` of a table shipped in the package (parsed
    once; treat it as read-only).

    Args:
        name (str): Table name, e.g. ``'coco'`` (see
            :func:`mmpose.datasets.metadata.available_datasets`).
    """
    from .metadata import load_dataset_info
    return DatasetInfo(load_dataset_info(name))


def resolve_dataset_info(dataset_info: Union[dict, DatasetInfo, None],
                         table: Optional[str]) -> Optional[DatasetInfo]:
    """The metadata a dataset uses: its ``dataset_info`` argument (a 0.29
    table dict or a :class:`DatasetInfo`), else its class's table ``table``,
    else None."""
    if isinstance(dataset_info, DatasetInfo):
        return dataset_info
    if dataset_info is not None:
        return DatasetInfo(dataset_info)
    return None if table is None else table_dataset_info(table)


def warn_missing_dataset_info(dataset: str, table: str) -> None:
    """Warn that a dataset is built without ``dataset_info``.

    Every dataset class of MMPose 0.29 warned so (a ``DeprecationWarning``)
    before reading its default table; here that table ships in the package,
    so 0.14 configs, which never pass one, keep working.

    Args:
        dataset (str): The dataset class name.
        table (str): The name of the table it reads instead.
    """
    warnings.warn(
        f'{dataset}: dataset_info is missing, using its own table '
        f'{table!r}. Building a dataset without dataset_info is deprecated '
        'since MMPose 0.29 (open-mmlab/mmpose#663); pass the dataset_info '
        'of configs/_base_/datasets.', DeprecationWarning, stacklevel=3)
