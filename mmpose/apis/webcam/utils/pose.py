"""Indices of body parts (eyes, wrists, face, mouth, hands) in the keypoint
layout of a pose model, looked up by keypoint name in the dataset_info
table of the model's config.

The table is the config's ``dataset_info`` (0.29 configs) or, for configs
without one (0.14), the table of its ``data.test.type`` dataset class.
Also here: grouping a frame's objects by their pose model and the drawing
metadata of a pose model, as the visualizer nodes need them.
"""
from itertools import groupby
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from mmcv import Config

from mmpose.apis.dataset_meta import (DATASET_TABLES, DatasetMeta,
                                      _config_dataset_info,
                                      resolve_dataset_meta)
from mmpose.datasets import DatasetInfo
from mmpose.datasets.dataset_info import table_dataset_info
from mmpose.errors import ArgumentError

__all__ = [
    'group_by_pose_model', 'pose_dataset_meta', 'get_eye_keypoint_ids',
    'get_face_keypoint_ids', 'get_hand_keypoint_ids', 'get_mouth_keypoint_ids',
    'get_wrist_keypoint_ids'
]

_FINGERS = ('thumb', 'forefinger', 'middle_finger', 'ring_finger',
            'pinky_finger')


def _hand_names(side: str) -> List[str]:
    """The 21 keypoint names of one COCO-WholeBody hand, root first."""
    return [f'{side}_hand_root'] + [
        f'{side}_{finger}{joint}' for finger in _FINGERS
        for joint in range(1, 5)
    ]


#: Body part -> for each keypoint of the part, the names it has in the
#: tables (humans first; animal tables call the eyes ``L_Eye``/``R_Eye``
#: and the front paws, the animals' wrists, ``L_F_Paw``/``R_F_Paw``).
PART_KEYPOINT_NAMES: Dict[str, Tuple[Tuple[str, ...], ...]] = {
    'eye': (('left_eye', 'L_Eye'), ('right_eye', 'R_Eye')),
    'wrist': (('left_wrist', 'L_F_Paw'), ('right_wrist', 'R_F_Paw')),
    'face': tuple((f'face-{i}', ) for i in range(68)),
    'mouth': (('face-62', ), ),
    'hand': tuple((name, ) for name in _hand_names('left') +
                  _hand_names('right')),
}


def model_dataset_type(model_cfg: Config) -> Optional[str]:
    """``data.test.type`` of a model config (None if it has none)."""
    return model_cfg.get('data', {}).get('test', {}).get('type')


def pose_dataset_meta(model_cfg: Config) -> DatasetMeta:
    """Skeleton and colours to draw a pose model's keypoints with, as
    ``vis_pose_result`` draws them (:func:`resolve_dataset_meta`)."""
    return resolve_dataset_meta(model_cfg, model_dataset_type(model_cfg))


def _dataset_info(model_cfg: Config) -> DatasetInfo:
    """The keypoint table of the model config (see the module note)."""
    table = _config_dataset_info(model_cfg)
    if table is not None:
        return table if isinstance(table, DatasetInfo) else DatasetInfo(
            dict(table))
    dataset = model_dataset_type(model_cfg)
    if dataset not in DATASET_TABLES:
        raise ArgumentError(
            f'the model config has no dataset_info and its data.test.type '
            f'{dataset!r} is not a dataset with a known keypoint table')
    return table_dataset_info(DATASET_TABLES[dataset][0])


def _part_ids(model_cfg: Config, part: str) -> List[int]:
    """Index of each keypoint of ``part`` (:data:`PART_KEYPOINT_NAMES`)."""
    info = _dataset_info(model_cfg)
    name2id = info.keypoint_name2id
    ids = [
        next((name2id[n] for n in names if n in name2id), None)
        for names in PART_KEYPOINT_NAMES[part]
    ]
    missing = [names[0] for names, i in zip(PART_KEYPOINT_NAMES[part], ids)
               if i is None]
    if missing:
        raise ArgumentError(
            f'cannot find the {part} keypoints of dataset '
            f'{info.dataset_name!r}: its keypoint_info has no '
            f'{_shorten(missing)}')
    return ids


def _shorten(names: Sequence[str], limit: int = 4) -> str:
    shown = ', '.join(repr(n) for n in names[:limit])
    return shown if len(names) <= limit else (
        f'{shown} and {len(names) - limit} more')


def get_eye_keypoint_ids(model_cfg: Config) -> Tuple[int, int]:
    """Indices of the left and right eye.

    Args:
        model_cfg (mmcv.Config): Pose model config.

    Returns:
        tuple[int, int]: ``(left, right)``.

    Raises:
        ArgumentError: The dataset has no eye keypoints (0.29: a
            ``ValueError``).
    """
    return tuple(_part_ids(model_cfg, 'eye'))


def get_face_keypoint_ids(model_cfg: Config) -> List[int]:
    """Indices of the 68 face landmarks (``face-0`` ... ``face-67``).

    Args:
        model_cfg (mmcv.Config): Pose model config.

    Returns:
        list[int]: 68 indices.

    Raises:
        ArgumentError: The dataset has no face landmarks.
    """
    return _part_ids(model_cfg, 'face')


def get_wrist_keypoint_ids(model_cfg: Config) -> Tuple[int, int]:
    """Indices of the left and right wrist (an animal's front paws).

    Args:
        model_cfg (mmcv.Config): Pose model config.

    Returns:
        tuple[int, int]: ``(left, right)``.

    Raises:
        ArgumentError: The dataset has no wrist keypoints.
    """
    return tuple(_part_ids(model_cfg, 'wrist'))


def get_mouth_keypoint_ids(model_cfg: Config) -> int:
    """Index of the mouth keypoint (face landmark ``face-62``).

    Args:
        model_cfg (mmcv.Config): Pose model config.

    Returns:
        int: The index.

    Raises:
        ArgumentError: The dataset has no such landmark.
    """
    return _part_ids(model_cfg, 'mouth')[0]


def get_hand_keypoint_ids(model_cfg: Config) -> List[int]:
    """Indices of the 42 hand keypoints, left hand then right hand, each
    from the root through thumb, forefinger, middle, ring and pinky finger
    (4 joints each).

    Args:
        model_cfg (mmcv.Config): Pose model config.

    Returns:
        list[int]: 42 indices.

    Raises:
        ArgumentError: The dataset has no hand keypoints of that naming.
    """
    return _part_ids(model_cfg, 'hand')


def group_by_pose_model(objects: List[Dict]
                        ) -> Iterator[Tuple[Config, List[Dict]]]:
    """Split objects with ``keypoints`` and ``pose_model_cfg`` (as the pose
    nodes output them) into runs of the same pose model.

    Yields:
        tuple: The pose model's config and its objects (consecutive ones
        sharing the config object).
    """
    posed = [obj for obj in objects
             if 'keypoints' in obj and 'pose_model_cfg' in obj]
    for _, group in groupby(posed, key=lambda obj: id(obj['pose_model_cfg'])):
        group = list(group)
        yield group[0]['pose_model_cfg'], group
