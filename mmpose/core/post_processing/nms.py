"""Object keypoint similarity (OKS) and OKS-based non-maximum suppression.

DEKR's pose NMS, :func:`nearby_joints_nms`, lives with the DEKR decoding
(:mod:`.dekr_cid_decode`) and is importable from here as in MMPose 0.29.
"""
from typing import List, Optional, Sequence, Tuple

import numpy as np

from mmpose.errors import ArgumentError, UnknownNameError
from ._checks import check_array
from .dekr_cid_decode import nearby_joints_nms

__all__ = [
    'nms', 'oks_iou', 'oks_nms', 'soft_oks_nms', 'nearby_joints_nms',
    'COCO_SIGMAS'
]

_PAIR_CHUNK = 1 << 16

#: Per-keypoint OKS standard deviations of the 17 COCO keypoints.
COCO_SIGMAS = np.array([
    .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87,
    .87, .89, .89
]) / 10.0


def nms(dets: np.ndarray, thr: float) -> List[int]:
    """Greedy box NMS: keep the highest-scoring box, drop the boxes whose IoU
    with it exceeds ``thr``, repeat.

    Boxes are in inclusive pixel coordinates (a box from x1 to x2 is
    ``x2 - x1 + 1`` wide), as in MMPose 0.x.

    Args:
        dets (np.ndarray[M, 5]): Boxes (x1, y1, x2, y2, score).
        thr (float): Boxes with IoU > thr with a kept box are removed.

    Returns:
        list[int]: Indices of the kept boxes, highest score first.
    """
    if len(dets) == 0:
        return []
    dets = check_array('dets', dets, ndim=2, last_dims=(5, ),
                       expected='[M, 5] (x1, y1, x2, y2, score)')
    x1, y1, x2, y2, scores = dets.T
    areas = (x2 - x1 + 1) * (y2 - y1 + 1)
    order = scores.argsort()[::-1]
    keep = []
    # Sequential by nature: one iteration per kept box, each comparing it
    # with all remaining boxes at once.
    while len(order) > 0:
        i, rest = order[0], order[1:]
        keep.append(int(i))
        w = np.maximum(0.0, np.minimum(x2[i], x2[rest]) -
                       np.maximum(x1[i], x1[rest]) + 1)
        h = np.maximum(0.0, np.minimum(y2[i], y2[rest]) -
                       np.maximum(y1[i], y1[rest]) + 1)
        inter = w * h
        iou = inter / (areas[i] + areas[rest] - inter)
        order = rest[iou <= thr]
    return keep


def oks_iou(g: np.ndarray,
            d: np.ndarray,
            a_g: float,
            a_d: np.ndarray,
            sigmas: Optional[np.ndarray] = None,
            vis_thr: Optional[float] = None) -> np.ndarray:
    """OKS between one pose and M others.

    Note:
        num_keypoints: K, num_detections: M

    Args:
        g (np.ndarray[K*3]): Reference keypoints, flattened (x, y, v).
        d (np.ndarray[M, K*3]): Other keypoints, flattened.
        a_g (float): Area of the reference object.
        a_d (np.ndarray[M]): Areas of the other objects.
        sigmas (np.ndarray[K], optional): Keypoint labelling standard
            deviations. Default: the COCO sigmas.
        vis_thr (float, optional): Only keypoints of ``d`` whose visibility
            exceeds this count (as in MMPose 0.x, the visibility of ``g`` is
            not consulted).

    Returns:
        np.ndarray[M]: OKS values (float32); 0 where no keypoint counts.
    """
    g = np.asarray(g, dtype=np.float64).reshape(-1)
    d = np.asarray(d, dtype=np.float64)
    if d.ndim == 1:
        d = d[None]
    d = check_array('d', d, ndim=2, expected=f'[M, {g.size}]')
    if g.size % 3 or d.shape[1] != g.size:
        raise ArgumentError(
            f'g should have shape [K*3] and d [M, K*3] with the '
            f'same K, got {g.shape} and {d.shape}')
    sigmas = COCO_SIGMAS if sigmas is None else np.asarray(sigmas)
    if sigmas.shape != (g.size // 3, ):
        raise ArgumentError(f'sigmas should have shape [{g.size // 3}], got '
                            f'{sigmas.shape}')
    a_d = np.broadcast_to(np.asarray(a_d, dtype=np.float64), (len(d), ))
    return _oks(g[0::3], g[1::3], a_g, d[:, 0::3], d[:, 1::3], d[:, 2::3],
                a_d, (sigmas * 2)**2, vis_thr)


def _oks(xg: np.ndarray, yg: np.ndarray, a_g: float, xd: np.ndarray,
         yd: np.ndarray, vd: np.ndarray, a_d: np.ndarray,
         variances: np.ndarray, vis_thr: Optional[float]) -> np.ndarray:
    """OKS kernel of reference poses (xg, yg: [K] or [M, K]; a_g: float or
    [M]) against M poses (xd, yd, vd: [M, K]; a_d: [M]).

    Returns:
        np.ndarray[M]: OKS values (float32).
    """
    e = ((xd - xg)**2 + (yd - yg)**2) / variances
    e /= (np.add(a_g, a_d) / 2 + np.spacing(1))[:, None]
    e /= -2
    similarity = np.exp(e, out=e)
    if vis_thr is None:
        return similarity.mean(axis=1).astype(np.float32)
    valid = vd > vis_thr
    count = valid.sum(axis=1)
    total = np.where(valid, similarity, 0.).sum(axis=1)
    ious = np.zeros(len(xd), dtype=np.float32)
    np.divide(total, count, out=ious, where=count > 0, casting='unsafe')
    return ious


def _stack_db(kpts_db: Sequence[dict], score_per_joint: bool = False
              ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores [M], flattened keypoints [M, K*3] and areas [M] of a db; with
    ``score_per_joint`` each 'score' is [K] and a pose scores their mean."""
    scores = np.array([np.mean(k['score']) if score_per_joint else k['score']
                       for k in kpts_db])
    kpts = np.array([np.asarray(k['keypoints']).reshape(-1)
                     for k in kpts_db])
    areas = np.array([k['area'] for k in kpts_db])
    return scores, kpts, areas


def oks_nms(kpts_db: List[dict],
            thr: float,
            sigmas: Optional[np.ndarray] = None,
            vis_thr: Optional[float] = None,
            score_per_joint: bool = False) -> np.ndarray:
    """Greedy OKS NMS.

    Args:
        kpts_db (list[dict]): Poses with 'keypoints' (np.ndarray[K, 3]),
            'score' (float) and 'area' (float).
        thr (float): Poses whose OKS with a kept pose exceeds ``thr`` are
            removed.
        sigmas (np.ndarray[K], optional): Keypoint standard deviations.
        vis_thr (float, optional): Keypoint visibility threshold.
        score_per_joint (bool): Each 'score' is np.ndarray[K] of keypoint
            scores, ranked by their mean (0.29). Default: False.

    Returns:
        np.ndarray: Indices of the kept poses, highest score first.
    """
    if len(kpts_db) == 0:
        return []
    scores, kpts, areas = _stack_db(kpts_db, score_per_joint)
    variances = ((COCO_SIGMAS if sigmas is None else np.asarray(sigmas)) *
                 2)**2
    xs = np.ascontiguousarray(kpts[:, 0::3])
    ys = np.ascontiguousarray(kpts[:, 1::3])
    vs = np.ascontiguousarray(kpts[:, 2::3])
    near = _may_overlap(xs, ys, areas, variances.max(), thr)
    # OKS of every pair that may overlap, at once (pose i as the reference);
    # the remaining pairs cannot reach thr and keep an overlap of 0.
    ii, jj = np.nonzero(near)
    overlap = np.zeros(near.shape, dtype=np.float32)
    for start in range(0, len(ii), _PAIR_CHUNK):  # chunks bound the memory
        i, j = ii[start:start + _PAIR_CHUNK], jj[start:start + _PAIR_CHUNK]
        overlap[i, j] = _oks(xs[i], ys[i], areas[i], xs[j], ys[j], vs[j],
                             areas[j], variances, vis_thr)
    order = scores.argsort()[::-1]
    keep = []
    # Greedy suppression is sequential by nature: the loop runs once per kept
    # pose, each step comparing it with all remaining poses at once.
    while len(order) > 0:
        i = order[0]
        keep.append(i)
        rest = order[1:]
        order = rest[overlap[i, rest] <= thr]
    return np.array(keep)


def _may_overlap(xs: np.ndarray, ys: np.ndarray, areas: np.ndarray,
                 max_variance: float, thr: float) -> np.ndarray:
    """np.ndarray[M, M] bool: which pairs of poses may have OKS > ``thr``.

    Every keypoint distance is at least the gap between the two keypoint
    boxes, so ``exp(-gap^2 / (2 * s * max variance))`` bounds the OKS from
    above; pairs whose bound is clearly below ``thr`` cannot suppress each
    other and their OKS is never computed (decisions are unchanged).
    """
    x0, x1 = xs.min(1), xs.max(1)
    y0, y1 = ys.min(1), ys.max(1)
    gap_x = np.maximum(0, np.maximum(x0[None] - x1[:, None],
                                     x0[:, None] - x1[None]))
    gap_y = np.maximum(0, np.maximum(y0[None] - y1[:, None],
                                     y0[:, None] - y1[None]))
    if thr <= 0:
        return np.ones(gap_x.shape, dtype=bool)
    s = (areas[:, None] + areas[None]) / 2 + np.spacing(1)
    exponent = (gap_x**2 + gap_y**2) / (max_variance * s * 2)
    # bound = exp(-exponent) < thr, with a margin for rounding.
    return ~(exponent > -np.log(thr * (1 - 1e-6)))


def _rescore(overlap: np.ndarray,
             scores: np.ndarray,
             thr: float,
             type: str = 'gaussian') -> np.ndarray:
    """Decay ``scores`` (np.ndarray[M]) by their ``overlap`` (np.ndarray[M])
    with the last kept pose; ``type`` is 'gaussian' or 'linear'."""
    if len(overlap) != len(scores):
        raise ArgumentError(f'overlap and scores should have the same '
                            f'length, got {len(overlap)} and {len(scores)}')
    if type == 'linear':
        decayed = scores.copy()
        hit = overlap >= thr
        decayed[hit] = scores[hit] * (1 - overlap[hit])
        return decayed
    if type != 'gaussian':
        raise UnknownNameError(
            f"type should be 'gaussian' or 'linear', got {type!r}")
    return scores * np.exp(-overlap**2 / thr)


def soft_oks_nms(kpts_db: List[dict],
                 thr: float,
                 max_dets: int = 20,
                 sigmas: Optional[np.ndarray] = None,
                 vis_thr: Optional[float] = None,
                 score_per_joint: bool = False) -> np.ndarray:
    """Soft OKS NMS with Gaussian score decay.

    Args:
        kpts_db (list[dict]): Poses with 'keypoints', 'score' and 'area'.
        thr (float): Decay parameter: ``score *= exp(-oks**2 / thr)``.
        max_dets (int): Maximum number of poses to keep. Default: 20.
        sigmas (np.ndarray[K], optional): Keypoint standard deviations.
        vis_thr (float, optional): Keypoint visibility threshold.
        score_per_joint (bool): As in :func:`oks_nms`. Default: False.

    Returns:
        np.ndarray: Indices of the kept poses in selection order.
    """
    if len(kpts_db) == 0:
        return []
    scores, kpts, areas = _stack_db(kpts_db, score_per_joint)
    order = scores.argsort()[::-1]
    scores = scores[order]
    keep = np.zeros(max_dets, dtype=np.intp)
    keep_cnt = 0
    # One iteration per kept pose (at most max_dets): each pick depends on
    # the scores decayed by the previous one.
    while len(order) > 0 and keep_cnt < max_dets:
        i = order[0]
        overlap = oks_iou(kpts[i], kpts[order[1:]], areas[i],
                          areas[order[1:]], sigmas, vis_thr)
        order = order[1:]
        scores = _rescore(overlap, scores[1:], thr)
        resort = scores.argsort()[::-1]
        order = order[resort]
        scores = scores[resort]
        keep[keep_cnt] = i
        keep_cnt += 1
    return keep[:keep_cnt]
