"""3D pose lifting from 2D pose sequences (0.29's ``inference_3d`` APIs
for the pose lifter models 0.14 already has).

Note:
    number of frames in a sequence: T
    number of people: N
    number of keypoints: K
    keypoint channels (x, y[, score]): C
"""
from pathlib import Path
from typing import List, Optional, Sequence, Union

import mmcv
import numpy as np
import torch
from torch import nn

from mmpose.core.visualization import (imshow_bboxes, imshow_keypoints,
                                       imshow_keypoints_3d)
from mmpose.datasets.pipelines import Compose
from mmpose.datasets.pipelines.loading import read_image
from mmpose.errors import (ArgumentError, UnknownAttributeError,
                           UnknownNameError)
from .dataset_meta import DatasetMeta, resolve_dataset_meta
from .inference import _cfg, _model_device, _unwrap

__all__ = [
    'extract_pose_sequence', 'inference_pose_lifter_model',
    'vis_3d_pose_result'
]

#: Side of the plotted cube of :func:`vis_3d_pose_result` (0.29's value).
AXIS_LIMIT = 300


def extract_pose_sequence(pose_results: Sequence,
                          frame_idx: int,
                          causal: bool,
                          seq_len: int,
                          step: int = 1) -> list:
    """The ``seq_len`` frames of ``pose_results`` around ``frame_idx``.

    Frames are taken every ``step`` frames: the last ``seq_len`` up to
    ``frame_idx`` when ``causal``, else ``(seq_len - 1) // 2`` on each side
    of it. Missing frames at the start are filled with the first frame and
    at the end with the last one.

    Args:
        pose_results (list[list[dict]]): Per video frame, the 2D pose of
            each person ('keypoints', 'track_id', ...).
        frame_idx (int): Index of the target frame.
        causal (bool): The target frame is the last of the sequence.
        seq_len (int): Length of the sequence.
        step (int): Frame step. Default: 1.

    Returns:
        list[list[dict]]: ``seq_len`` frames of pose results.
    """
    before = seq_len - 1 if causal else (seq_len - 1) // 2
    after = 0 if causal else before
    num_frames = len(pose_results)
    frames_after = (num_frames - 1 - frame_idx)
    pad_before = max(0, before - frame_idx // step)
    pad_after = max(0, after - frames_after // step)
    start = max(frame_idx % step, frame_idx - before * step)
    stop = min(num_frames - frames_after % step,
               frame_idx + after * step + 1)
    return ([pose_results[0]] * pad_before +
            list(pose_results[start:stop:step]) +
            [pose_results[-1]] * pad_after)


def _normalized_keypoints(person: dict, stats: Optional[dict]) -> np.ndarray:
    """``person['keypoints']`` ([K, C]); with ``stats`` (the dataset's
    average box centre and scale) x, y are moved from the person's box to
    that average box."""
    kpts = np.array(person['keypoints'], dtype=np.float32)
    if stats is not None:
        x1, y1, x2, y2 = np.asarray(person['bbox'], dtype=np.float32)[:4]
        center = np.array([(x1 + x2) / 2, (y1 + y2) / 2], dtype=np.float32)
        scale = max(x2 - x1, y2 - y1)
        kpts[:, :2] = ((kpts[:, :2] - center) / scale * stats['bbox_scale'] +
                       np.asarray(stats['bbox_center'], np.float32))
    return kpts


def _track_sequence(pose_results: Sequence[Sequence[dict]],
                    keypoints: List[List[np.ndarray]], target: int,
                    track_id) -> np.ndarray:
    """Keypoints [T, K, C] of one track: the frames around ``target`` that
    contain ``track_id``; from the first frame without it (going outwards)
    the nearest frame with it is repeated."""
    seq = [None] * len(pose_results)
    # The walks are sequential by nature: each stops at the first gap.
    for direction in (-1, 1):
        last = None
        frame = target
        while 0 <= frame < len(pose_results):
            ids = [p.get('track_id') for p in pose_results[frame]]
            if last is not None and track_id not in ids:
                break
            if track_id in ids:
                last = keypoints[frame][ids.index(track_id)]
            seq[frame] = last
            frame += direction
        for rest in range(frame, -1 if direction < 0 else len(seq),
                          direction):
            seq[rest] = last
    return np.stack(seq)


def _pose_sequences(pose_results: Sequence[Sequence[dict]],
                    stats: Optional[dict], with_track_id: bool,
                    target: int) -> List[dict]:
    """One dict per person of the target frame: its items, with
    'keypoints' the sequence [T, K, C] (see
    :func:`inference_pose_lifter_model`)."""
    keypoints = [[_normalized_keypoints(p, stats) for p in frame]
                 for frame in pose_results]
    sequences = []
    for idx, person in enumerate(pose_results[target]):
        if with_track_id:
            seq = _track_sequence(pose_results, keypoints, target,
                                  person['track_id'])
        else:
            if any(len(frame) <= idx for frame in pose_results):
                raise ArgumentError(
                    'without track ids every frame needs the same people '
                    f'in the same order; person {idx} is missing in a frame')
            seq = np.stack([frame[idx] for frame in keypoints])
        sequence = {k: v for k, v in person.items() if k != 'keypoints'}
        sequence['keypoints'] = seq
        sequences.append(sequence)
    return sequences


def _lifter_sample(sequence: np.ndarray, meta: DatasetMeta,
                   image_size: Optional[Sequence[int]]) -> dict:
    """The pipeline input of one 2D sequence [T, K, C]."""
    num_frames, num_keypoints, channels = sequence.shape
    visible = (sequence[..., 2:3] if channels > 2 else np.ones(
        (num_frames, num_keypoints, 1), dtype=np.float32))
    sample = {
        'input_2d': sequence[..., :2],
        'input_2d_visible': visible,
        # 0.14 pipelines also process a 3D target and an image path
        'target': np.zeros((num_keypoints, 3), dtype=np.float32),
        'target_visible': np.ones((num_keypoints, 1), dtype=np.float32),
        'target_image_path': None,
        'ann_info': {
            'num_joints': num_keypoints,
            'flip_pairs': meta.flip_pairs
        },
    }
    if image_size is not None:
        if len(image_size) != 2:
            raise ArgumentError('image_size must be (width, height), got '
                                f'{image_size}')
        sample['image_width'], sample['image_height'] = image_size
    return sample


def inference_pose_lifter_model(model: nn.Module,
                                pose_results_2d: Sequence[Sequence[dict]],
                                dataset: Optional[str] = None,
                                dataset_info=None,
                                with_track_id: bool = True,
                                image_size: Optional[Sequence[int]] = None,
                                norm_pose_2d: bool = False) -> List[dict]:
    """Lift the 2D poses of the target frame of a sequence to 3D.

    The target frame is the last one for a causal model (its backbone's
    ``causal``), else the middle one (see :func:`extract_pose_sequence`).

    Args:
        model (nn.Module): A PoseLifter from :func:`init_pose_model`.
        pose_results_2d (list[list[dict]]): Per frame, per person
            'keypoints' (np.ndarray[K, 2 or 3]) and 'track_id' (with
            ``with_track_id``), 'bbox' (xyxy, with ``norm_pose_2d``).
        dataset (str, optional): Dataset name, e.g. 'Body3DH36MDataset',
            when there is no ``dataset_info``.
        dataset_info (DatasetInfo | dict, optional): Dataset metadata; by
            default the model config's when it has one.
        with_track_id (bool): Gather each person's sequence by 'track_id';
            otherwise every frame lists the same people in the same order.
        image_size (tuple[int], optional): Image (width, height), given to
            the pipeline as ``image_width`` and ``image_height``.
        norm_pose_2d (bool): Move and scale each person's box (and 2D pose)
            to the dataset's average box (``stats_info`` of its table).

    Returns:
        list[dict]: Per person of the target frame its items, 'keypoints'
        (np.ndarray[T, K, C], the input sequence) and 'keypoints_3d'
        (np.ndarray[K, 4]: x, y, z, score).
    """
    cfg = _cfg(model)
    meta = resolve_dataset_meta(cfg, dataset, dataset_info)
    stats = None
    if norm_pose_2d:
        stats = meta.stats_info
        if stats is None:
            raise UnknownNameError(
                f'norm_pose_2d needs the stats_info (average bbox centre and '
                f'scale) of the dataset; {meta.dataset_name!r} has none')
    causal = getattr(_unwrap(model).backbone, 'causal', None)
    if causal is None:
        raise UnknownAttributeError(
            'a PoseLifter backbone needs a bool "causal" attribute (is the '
            'target frame the last one?)')
    if len(pose_results_2d) == 0:
        raise ArgumentError('pose_results_2d has no frame')
    target = len(pose_results_2d) - 1 if causal else len(
        pose_results_2d) // 2
    sequences = _pose_sequences(pose_results_2d, stats, with_track_id,
                                target)
    if not sequences:
        return []
    pipeline = Compose(cfg.test_pipeline)
    samples = [
        pipeline(_lifter_sample(seq['keypoints'], meta, image_size))
        for seq in sequences
    ]
    inputs = torch.stack([s['input'] for s in samples]).to(
        _model_device(model))
    with torch.no_grad():
        result = model(
            input=inputs,
            metas=[s['metas'].data for s in samples],
            return_loss=False)
    poses_3d = np.asarray(result['preds'])
    if poses_3d.shape[-1] == 3:
        poses_3d = np.concatenate(
            [poses_3d, np.ones(poses_3d.shape[:-1] + (1, ), poses_3d.dtype)],
            axis=-1)
    for seq, pose_3d in zip(sequences, poses_3d):
        seq['keypoints_3d'] = pose_3d
    return sequences


def vis_3d_pose_result(model: nn.Module,
                       result: Sequence[dict],
                       img: Union[None, str, Path, np.ndarray] = None,
                       dataset: str = 'Body3DH36MDataset',
                       dataset_info=None,
                       kpt_score_thr: float = 0.3,
                       radius: int = 8,
                       thickness: int = 2,
                       vis_height: int = 400,
                       num_instances: int = -1,
                       axis_azimuth: float = 70,
                       show: bool = False,
                       out_file: Optional[str] = None) -> np.ndarray:
    """Draw lifted 3D poses: the image with each person's box and 2D pose,
    then one 3D plot per person (see
    :func:`mmpose.core.visualization.imshow_keypoints_3d`).

    Args:
        model (nn.Module): The pose lifter (for its config's
            ``dataset_info``).
        result (list[dict]): Per person 'keypoints_3d' (np.ndarray[K, 4]),
            optionally 'bbox' (xyxy), 'keypoints' (np.ndarray[K, 3], the 2D
            pose drawn on the image) and 'title'.
        img (str | np.ndarray, optional): Image path or BGR image.
        dataset (str): Dataset name when there is no ``dataset_info``.
        dataset_info (DatasetInfo | dict, optional): Dataset metadata; by
            default the model config's when it has one.
        kpt_score_thr (float): Minimum score of drawn 3D keypoints.
        radius (int): Radius of the 2D keypoints. Default: 8.
        thickness (int): Line thickness on the image. Default: 2.
        vis_height (int): Height of the drawing. Default: 400.
        num_instances (int): Number of 3D plots (-1: one per person).
        axis_azimuth (float): Azimuth of the 3D view, in degrees.
        show (bool): Show the drawing in a window.
        out_file (str, optional): Write the drawing there.

    Returns:
        np.ndarray[vis_height, W, 3]: The drawing.
    """
    meta = resolve_dataset_meta(_cfg(model), dataset, dataset_info)
    if img is not None:
        img = (read_image(str(img), channel_order='bgr')
               if isinstance(img, (str, Path)) else img.copy())
        boxes = [np.asarray(r['bbox'])[:4] for r in result if 'bbox' in r]
        if boxes:
            imshow_bboxes(img, np.stack(boxes), colors='green',
                          thickness=thickness, show=False)
        poses_2d = [np.asarray(r['keypoints']) for r in result
                    if np.ndim(r.get('keypoints')) == 2]
        imshow_keypoints(img, poses_2d, meta.skeleton, 0.3,
                         meta.pose_kpt_color, meta.pose_link_color, radius,
                         thickness)
    drawn = imshow_keypoints_3d(
        result,
        img,
        meta.skeleton,
        meta.pose_kpt_color,
        meta.pose_link_color,
        vis_height,
        kpt_score_thr,
        num_instances,
        axis_azimuth=axis_azimuth,
        axis_limit=AXIS_LIMIT)
    if show:
        mmcv.imshow(drawn)
    if out_file is not None:
        mmcv.imwrite(drawn, out_file)
    return drawn
