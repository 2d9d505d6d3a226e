"""Pose tracking over video frames: greedy matching of the people of a frame
to those of the previous frame (box IoU or keypoint OKS), new ids for the
unmatched, optional one-euro smoothing of matched keypoints, and drawing
with one colour per track.

Note:
    number of people in the current / previous frame: N / M
    number of keypoints: K
"""
import warnings
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np
from torch import nn

from mmpose.core.post_processing import OneEuroFilter, oks_iou
from .dataset_meta import resolve_dataset_meta
from .dialect import accepts_014_call
from .inference import _cfg, draw_skeleton
from .legacy_drawing_style import PALETTE

__all__ = ['get_track_id', 'vis_pose_tracking_result']

# track ``i`` is drawn in palette colour ``i % 20``


def _box_iou(boxes_a: np.ndarray, boxes_b: np.ndarray) -> np.ndarray:
    """IoU of every pair of ``x1, y1, x2, y2`` boxes.

    Args:
        boxes_a (np.ndarray[N, 4+]): Boxes.
        boxes_b (np.ndarray[M, 4+]): Boxes.

    Returns:
        np.ndarray[N, M]: IoU (0 where the union is empty).
    """
    a = boxes_a[:, None, :4].astype(np.float64)
    b = boxes_b[None, :, :4].astype(np.float64)
    inter_wh = np.clip(
        np.minimum(a[..., 2:4], b[..., 2:4]) -
        np.maximum(a[..., 0:2], b[..., 0:2]), 0, None)
    inter = inter_wh[..., 0] * inter_wh[..., 1]
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area_a + area_b - inter
    iou = np.zeros(inter.shape)
    np.divide(inter, union, out=iou, where=union > 0)
    return iou


def _oks_matrix(results: Sequence[dict], results_last: Sequence[dict],
                sigmas: Optional[np.ndarray]) -> np.ndarray:
    """OKS of every (current, previous) pair of poses: np.ndarray[N, M]."""
    pose_last = np.stack(
        [np.asarray(r['keypoints']).reshape(-1) for r in results_last])
    area_last = np.array([r['area'] for r in results_last], dtype=np.float64)
    return np.stack([
        oks_iou(np.asarray(r['keypoints']).reshape(-1), pose_last, r['area'],
                area_last, sigmas=sigmas) for r in results
    ]).reshape(len(results), len(results_last))


def _get_area(results: Sequence[dict]) -> None:
    """Add 'area' (and 'bbox' when missing, from the keypoints with positive
    coordinates) to each result, in place."""
    for result in results:
        kpts = np.asarray(result['keypoints'])
        if 'bbox' in result:
            bbox = np.asarray(result['bbox'], dtype=np.float32)
        else:
            xs, ys = kpts[:, 0], kpts[:, 1]
            x_min = xs[xs > 0].min(initial=1e10)
            y_min = ys[ys > 0].min(initial=1e10)
            bbox = np.array([x_min, y_min, xs.max(), ys.max()],
                            dtype=np.float32)
        result['bbox'] = bbox
        result['area'] = float((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]))


def _temporal_refine(result: dict, match_result: dict,
                     fps: Optional[float]) -> np.ndarray:
    """Smooth the keypoints of ``result`` with the one-euro filter of the
    person it matched (or start a filter for a new person)."""
    kpts = result['keypoints']
    if 'one_euro' in match_result:
        kpts[:, :2] = match_result['one_euro'](kpts[:, :2])
        result['one_euro'] = match_result['one_euro']
    else:
        result['one_euro'] = OneEuroFilter(kpts[:, :2], fps=fps)
    return kpts


def get_track_id(results: List[dict],
                 results_last: Optional[List[dict]],
                 next_id: int,
                 min_keypoints: int = 3,
                 use_oks: bool = False,
                 tracking_thr: float = 0.3,
                 use_one_euro: bool = False,
                 fps: Optional[float] = None,
                 sigmas: Optional[np.ndarray] = None
                 ) -> Tuple[List[dict], int]:
    """Give each person of the current frame a track id.

    People are matched greedily, in the order of ``results``, to the
    still-unmatched person of the previous frame with the highest box IoU
    (or keypoint OKS when ``use_oks``); a match needs a similarity above
    ``tracking_thr``. Unmatched people get ``next_id`` (then ``next_id + 1``
    ...) when at least ``min_keypoints`` of their keypoints have a non-zero
    y; otherwise they are dropped from tracking: 'track_id' -1, keypoint y
    set to -10 and the box zeroed.

    Args:
        results (list[dict]): Current frame: 'keypoints' (np.ndarray[K, 3])
            and 'bbox' (xyxy[, score]; derived from the keypoints if
            missing). Updated in place with 'area' and 'track_id'.
        results_last (list[dict] | None): Previous frame's results with
            'track_id' (None or [] for the first frame).
        next_id (int): The id for the next new person.
        min_keypoints (int): Minimum keypoints of a new track. Default: 3.
        use_oks (bool): Match by OKS instead of box IoU. Default: False.
        tracking_thr (float): Similarity threshold. Default: 0.3.
        use_one_euro (bool): Smooth matched keypoints with a one-euro filter
            carried from frame to frame in 'one_euro'. Deprecated in 0.29
            (a ``DeprecationWarning`` says so). Default: False.
        fps (float, optional): Video frame rate for the filter; None uses
            the wall clock (real-time input).
        sigmas (np.ndarray[K], optional): OKS sigmas for ``use_oks``;
            COCO's by default.

    Returns:
        tuple: the results with 'track_id' (list[dict]) and the next free
        track id (int).
    """
    if use_one_euro:
        warnings.warn(
            'get_track_id(use_one_euro=True) is deprecated since MMPose '
            '0.29: smooth the keypoints with a temporal filter instead of '
            'inside tracking', DeprecationWarning)
    results_last = list(results_last or [])
    _get_area(results)
    if results_last:
        _get_area(results_last)
    if results and results_last:
        if use_oks:
            similarity = _oks_matrix(results, results_last, sigmas)
        else:
            similarity = _box_iou(
                np.stack([np.asarray(r['bbox']) for r in results]),
                np.stack([np.asarray(r['bbox']) for r in results_last]))
    else:
        similarity = np.zeros((len(results), len(results_last)))
    available = np.ones(len(results_last), dtype=bool)

    # Greedy in the order of the current results: each person takes the
    # best previous person left, so the loop over people is sequential.
    for i, result in enumerate(results):
        match_result = {}
        scores = np.where(available, similarity[i], -np.inf)
        best = int(np.argmax(scores)) if len(scores) else -1
        if best >= 0 and scores[best] > tracking_thr:
            available[best] = False
            match_result = results_last[best]
            result['track_id'] = match_result['track_id']
        else:
            kpts = np.asarray(result['keypoints'])
            if np.count_nonzero(kpts[:, 1]) >= min_keypoints:
                result['track_id'] = next_id
                next_id += 1
            else:
                result['keypoints'][:, 1] = -10
                result['bbox'] = np.zeros_like(result['bbox'])
                result['track_id'] = -1
        if use_one_euro:
            result['keypoints'] = _temporal_refine(result, match_result, fps)
    return results, next_id


@accepts_014_call
def vis_pose_tracking_result(model: nn.Module,
                             img: Union[str, Path, np.ndarray],
                             result: Sequence[dict],
                             radius: int = 4,
                             thickness: int = 1,
                             kpt_score_thr: float = 0.3,
                             dataset: str = 'TopDownCocoDataset',
                             dataset_info=None,
                             show: bool = False,
                             out_file: Optional[str] = None) -> np.ndarray:
    """Draw tracked poses, each track in its own palette colour.

    A call written for 0.14, ``(model, img, result, kpt_score_thr, dataset,
    show, out_file)``, means what it meant (see
    :mod:`mmpose.apis.dialect`).

    Args:
        model (nn.Module): The pose model (its ``show_result`` draws).
        img (str | np.ndarray): Image path or BGR image.
        result (list[dict]): Per person 'keypoints' (np.ndarray[K, 3]),
            'track_id' and optionally 'bbox'.
        radius (int): Keypoint circle radius. Default: 4.
        thickness (int): Line thickness. Default: 1.
        kpt_score_thr (float): Minimum score of drawn keypoints.
        dataset (str): Dataset name (selects the skeleton) when there is no
            ``dataset_info``.
        dataset_info (DatasetInfo | dict, optional): Dataset metadata; by
            default the model config's when it has one.
        show (bool): Show the image in a window.
        out_file (str, optional): Write the image there.

    Returns:
        np.ndarray[H, W, 3]: The drawn image.
    """
    num_keypoints = len(result[0]['keypoints']) if len(result) else None
    meta = resolve_dataset_meta(_cfg(model), dataset, dataset_info,
                                num_keypoints)
    if not result:  # nothing to draw, still show / write the image
        return draw_skeleton(model, img, [], meta, show=show,
                             out_file=out_file)
    # Each track has its own colour, so people are drawn one call each;
    # show_result draws on a copy, which the next call draws over.
    for i, res in enumerate(result):
        color = PALETTE[int(res['track_id']) % len(PALETTE)]
        last = i == len(result) - 1
        img = draw_skeleton(
            model,
            img, [res],
            meta,
            radius=radius,
            thickness=thickness,
            pose_kpt_color=np.tile(color, (meta.num_keypoints, 1)),
            pose_limb_color=np.tile(color, (len(meta.skeleton), 1)),
            bbox_color=tuple(int(c) for c in color),
            kpt_score_thr=kpt_score_thr,
            show=show and last,
            out_file=out_file if last else None)
    return img
