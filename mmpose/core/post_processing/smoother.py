"""Temporal smoothing of per-frame pose results with a temporal filter
(MMPose 0.29 ``Smoother``), offline on a whole video or online frame by
frame."""
import copy
import warnings
from typing import Any, Dict, List, Sequence, Union

import numpy as np

from mmpose.errors import ArgumentError, ArgumentTypeError
from mmpose.utils.config_paths import load_config
from .temporal_filters import build_filter

__all__ = ['Smoother']

PoseResults = Union[List[dict], List[List[dict]]]


class Smoother:
    """Smooth the keypoints of pose results over time, target by target.

    Targets are told apart by their ``track_id`` or, in results without
    one, by their index in the frame. Each target has its own filter; the
    last ``window_size - 1`` frames of each are kept so that consecutive
    calls (online use) are filtered as one sequence.

    Args:
        filter_cfg (dict | str): The filter config, or a config file with a
            ``filter_cfg`` (e.g. ``configs/_base_/filters/gaussian.py``,
            found from any working directory: see
            :mod:`mmpose.utils.config_paths`).
        keypoint_dim (int): Number C of leading coordinates smoothed (2 for
            x, y; 3 for x, y, z). Default: 2.
        keypoint_key (str): Key of the keypoints [K, >=C] in each result.
            Default: 'keypoints'.

    Example:
        >>> smoother = Smoother(dict(type='GaussianFilter', window_size=3))
        >>> smoothed = smoother.smooth(results)  # list[list[dict]]: offline
        >>> smoothed_t = smoother.smooth(results_t)  # list[dict]: online
    """

    def __init__(self,
                 filter_cfg: Union[dict, str],
                 keypoint_dim: int = 2,
                 keypoint_key: str = 'keypoints'):
        if isinstance(filter_cfg, str):
            # 0.29 code names the shipped configs from the repository root
            # ('configs/_base_/filters/...'): found from any directory
            cfg = load_config(filter_cfg)
            if 'filter_cfg' not in cfg:
                raise ArgumentError(f'Smoother: config file {filter_cfg!r} '
                                    f'has no "filter_cfg"')
            filter_cfg = cfg.filter_cfg
        if not isinstance(filter_cfg, dict):
            raise ArgumentTypeError(f'Smoother: filter_cfg should be a dict '
                                    f'or a config file path, got '
                                    f'{type(filter_cfg).__name__}')
        self.filter_cfg = filter_cfg
        self.keypoint_dim = keypoint_dim
        self.keypoint_key = keypoint_key
        self.padding_size = build_filter(filter_cfg).window_size - 1
        # target id -> (last padding_size frames [P, K, C] or None, filter)
        self.history: Dict[Any, tuple] = {}

    @staticmethod
    def _target_ids(results_t: Sequence[dict], has_track_id: bool) -> list:
        """Ids of the targets of one frame (track ids or indices)."""
        if has_track_id:
            return [result['track_id'] for result in results_t]
        return list(range(len(results_t)))

    def _collate(self, results: List[List[dict]],
                 has_track_id: bool) -> Dict[Any, np.ndarray]:
        """``{target id: keypoints [T, K, C]}`` of frames with the same
        targets."""
        ids = self._target_ids(results[0], has_track_id)
        for t, results_t in enumerate(results[1:], 1):
            ids_t = self._target_ids(results_t, has_track_id)
            # 0.29's messages (a ValueError), then what differs
            if len(ids_t) != len(ids) and not has_track_id:
                raise ArgumentError(
                    f'Inconsistent target number in frame {t}: '
                    f'{len(ids_t)} vs {len(ids)} (every frame of a '
                    f'multi-frame input needs the same targets)')
            if set(ids_t) != set(ids) or len(ids_t) != len(ids):
                raise ArgumentError(
                    f'Inconsistent track ids in frame {t}: {ids_t} vs '
                    f'{ids} in frame 0 (every frame of a multi-frame input '
                    f'needs the same targets)')
        by_id = [dict(zip(self._target_ids(r, has_track_id), r))
                 for r in results]
        return {
            target: np.stack([
                np.asarray(frame[target][self.keypoint_key])
                [:, :self.keypoint_dim] for frame in by_id
            ])
            for target in ids
        }

    def _filter_target(self, target, pose: np.ndarray) -> tuple:
        """Smoothed ``pose`` [T, K, C] of one target and its new history."""
        num_frames = len(pose)
        if target in self.history:
            pose_history, pose_filter = self.history[target]
            if pose_history is not None:
                pose = np.concatenate([pose_history, pose])
        else:
            pose_filter = build_filter(self.filter_cfg)
        pose_history = (pose[-self.padding_size:].copy()
                        if self.padding_size > 0 else None)
        return pose_filter(pose)[-num_frames:], (pose_history, pose_filter)

    def smooth(self, results: PoseResults) -> PoseResults:
        """Smooth the keypoints of one frame or of a sequence of frames.

        Args:
            results (list[dict] | list[list[dict]]): The results of one frame
                or of T frames; each result has ``keypoint_key``
                (np.ndarray[K, >=C]) and optionally ``track_id``.

        Returns:
            list[dict] | list[list[dict]]: Copies of the results, in the
            input's structure, with their first C coordinates smoothed.
        """
        single_frame = all(isinstance(r, dict) for r in results)
        if single_frame:
            results = [results]
        elif not all(isinstance(r, list) for r in results):
            raise ArgumentTypeError('Smoother.smooth: results should be a '
                                    'list of dicts (one frame) or a list of '
                                    'lists of dicts (frames)')
        if len(results) == 0 or len(results[0]) == 0:
            warnings.warn('Smoother received empty result.')
            return results[0] if single_frame and results else results

        has_track_id = 'track_id' in results[0][0]
        poses = self._collate(results, has_track_id)
        smoothed, history = {}, {}
        for target, pose in poses.items():
            smoothed[target], history[target] = self._filter_target(
                target, pose)
        self.history = history

        out = []
        for t, results_t in enumerate(results):
            frame = copy.deepcopy(results_t)
            for target, result in zip(
                    self._target_ids(results_t, has_track_id), frame):
                kpts = np.asarray(result[self.keypoint_key])
                kpts[:, :self.keypoint_dim] = smoothed[target][t]
                result[self.keypoint_key] = kpts
            out.append(frame)
        return out[0] if single_frame else out
