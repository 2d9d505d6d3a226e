"""Where the dataset metadata tables live and how to read one.

The tables (keypoint names, colours, flip partners, skeleton, joint weights
and OKS sigmas of each dataset) are the ``dataset_info`` dicts of MMPose
0.29's ``configs/_base_/datasets/<name>.py``. They ship inside the package at
:data:`METADATA_DIR`; ``configs/_base_/datasets`` links to the same folder so
configs written for 0.29 inherit them by their usual ``_base_`` path.
"""
import os
import os.path as osp
from typing import List

from mmcv import Config

from mmpose.errors import UnknownNameError

METADATA_DIR = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'configs', '_base_',
    'datasets')


def available_datasets() -> List[str]:
    """Names of every shipped table (file names without ``.py``), sorted."""
    return sorted(name[:-3] for name in os.listdir(METADATA_DIR)
                  if name.endswith('.py') and not name.startswith('_'))


def load_dataset_info(name: str) -> dict:
    """The ``dataset_info`` table of a dataset as plain data.

    Args:
        name (str): Table name as in 0.29's ``_base_/datasets``, e.g.
            ``'coco'``, ``'coco_wholebody'``, ``'300w'``.

    Returns:
        dict: ``dataset_name``, ``paper_info``, ``keypoint_info``
        ({index: dict(name, id, color, type, swap)}, K entries),
        ``skeleton_info`` ({index: dict(link, id, color)}), ``joint_weights``
        (list[K]) and ``sigmas`` (list[K], empty where the dataset defines no
        OKS sigmas). The gesture table ``'nvgesture'`` has ``category_info``,
        ``flip_pairs`` and ``fps`` instead of the keypoint entries.

    Raises:
        UnknownNameError: ``name`` is not a shipped table (the message lists
            them); also a ``KeyError`` as 0.x lookups raised.
    """
    names = available_datasets()
    if name not in names:
        raise UnknownNameError(
            f'dataset_info name {name!r} is unknown; available: '
            f'{", ".join(names)}')
    cfg = Config.fromfile(osp.join(METADATA_DIR, f'{name}.py'))
    return cfg._cfg_dict.to_dict()['dataset_info']


__all__ = ['METADATA_DIR', 'available_datasets', 'load_dataset_info']
