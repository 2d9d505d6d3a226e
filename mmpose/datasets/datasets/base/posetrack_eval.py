"""Native PoseTrack multi-person pose AP (the ``poseval`` evaluateAP metric).

The evaluation works on 15 joints (PoseTrack18's 17 without the ears):

1. frames without any ground-truth person are dropped; inside a frame's
   ignore regions, ground-truth and predicted points are removed (and people
   left without points);
2. per frame, the distance of every (prediction, ground truth, joint) triple
   present in both is divided by the head size, 0.6 x the head-box
   diagonal; a joint matches when the ratio is <= 0.5;
3. each prediction picks the ground truth with the highest PCK (matched /
   annotated joints), then each ground truth keeps the best of the
   predictions that picked it; its matched joints are true positives,
   everything else predicted is a false positive;
4. per joint, predictions are ranked by joint score and AP is the VOC area
   under the interpolated precision/recall curve (percent); ``Total AP``
   averages the joints that have a value.
"""
from typing import List, Sequence, Tuple

import numpy as np

#: PoseTrack18 keypoint index of each evaluation joint, in poseval order:
#: r/l ankle, knee, hip, wrist, elbow, shoulder, head bottom, nose, top.
POSETRACK_EVAL_JOINTS = (16, 14, 12, 11, 13, 15, 10, 8, 6, 5, 7, 9, 1, 0, 2)
#: Reported groups (indexes into the 15 evaluation joints).
POSETRACK_GROUPS = (('Head AP', (14, 12, 13)), ('Shou AP', (8, 9)),
                    ('Elb AP', (7, 10)), ('Wri AP', (6, 11)),
                    ('Hip AP', (2, 3)), ('Knee AP', (1, 4)),
                    ('Ankl AP', (0, 5)))
#: Head size = HEAD_BIAS x head-box diagonal; match threshold on the ratio.
HEAD_BIAS = 0.6
DIST_THRESH = 0.5


def to_eval_joints(keypoints: np.ndarray) -> Tuple[np.ndarray, np.ndarray,
                                                   np.ndarray]:
    """PoseTrack18 keypoints (M, 17, 3) to evaluation joints.

    A point stored as ``(0, 0, 0)`` is absent.

    Returns:
        tuple: points (M, 15, 2), presence (M, 15) bool, third value (M, 15)
        (visibility for ground truth, score for predictions).
    """
    kpts = np.asarray(keypoints, dtype=np.float64).reshape(-1, 17, 3)
    kpts = kpts[:, list(POSETRACK_EVAL_JOINTS)]
    present = ~np.all(kpts == 0, axis=-1)
    return kpts[..., :2], present, kpts[..., 2]


def points_in_polygon(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Even-odd rule test of points (N, 2) against a polygon (V, 2)."""
    x, y = points[:, 0:1], points[:, 1:2]
    x1, y1 = polygon[:, 0], polygon[:, 1]
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    straddle = (y1 > y) != (y2 > y)
    with np.errstate(divide='ignore', invalid='ignore'):
        x_cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    return ((straddle & (x < x_cross)).sum(axis=1) % 2) == 1


def _remove_ignored(points: np.ndarray, present: np.ndarray,
                    polygons: Sequence[np.ndarray]) -> np.ndarray:
    """Presence (M, J) after dropping points inside any ignore polygon."""
    if not polygons or points.shape[0] == 0:
        return present
    flat = points.reshape(-1, 2)
    inside = np.zeros(len(flat), dtype=bool)
    for poly in polygons:  # few polygons per frame
        inside |= points_in_polygon(flat, poly)
    return present & ~inside.reshape(present.shape)


def _voc_ap(recall: np.ndarray, precision: np.ndarray) -> float:
    """VOC area under the monotone precision envelope."""
    mrec = np.concatenate([[0.], recall, [1.]])
    mpre = np.concatenate([[0.], precision, [0.]])
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    idx = np.nonzero(mrec[1:] != mrec[:-1])[0] + 1
    return float(np.sum((mrec[idx] - mrec[idx - 1]) * mpre[idx]))


def match_frame(gt: dict, pred: dict) -> Tuple[np.ndarray, np.ndarray,
                                               np.ndarray, np.ndarray]:
    """Match predictions to ground truth in one frame.

    Args:
        gt (dict): ``points`` (G, J, 2), ``present`` (G, J), ``head_size``
            (G,).
        pred (dict): ``points`` (P, J, 2), ``present`` (P, J), ``scores``
            (P, J).

    Returns:
        tuple: ``scores`` (P, J), ``labels`` (P, J) bool (true positive),
        predicted presence (P, J) and ground-truth joint counts (J,).
    """
    has_gt, has_pr = gt['present'], pred['present']
    num_pr, num_gt = has_pr.shape[0], has_gt.shape[0]
    labels = np.zeros(has_pr.shape, dtype=bool)
    if num_pr and num_gt:
        diff = pred['points'][:, None] - gt['points'][None]
        dist = np.linalg.norm(diff, axis=-1) / gt['head_size'][None, :, None]
        both = has_pr[:, None] & has_gt[None]
        match = np.where(both, dist, np.inf) <= DIST_THRESH
        n_gt = has_gt.sum(axis=1)
        pck = match.sum(axis=2).astype(np.float64)
        pck = np.where(n_gt[None] > 0, pck / np.maximum(n_gt[None], 1), pck)
        # each prediction keeps its best ground truth only
        best = np.argmax(pck, axis=1)
        kept = np.zeros_like(pck)
        kept[np.arange(num_pr), best] = pck[np.arange(num_pr), best]
        # each ground truth takes its best remaining prediction
        pr_of_gt = np.argmax(kept, axis=0)
        pr_of_gt[kept.max(axis=0) == 0] = -1
        for g, p in enumerate(pr_of_gt):  # G is small; one per person
            if p >= 0:
                labels[p] = match[p, g]
    return pred['scores'], labels, has_pr, has_gt.sum(axis=0)


def posetrack_ap(gt_frames: List[dict],
                 pred_frames: List[dict]) -> List[Tuple[str, float]]:
    """PoseTrack AP per joint group over matched frames.

    Args:
        gt_frames (list[dict]): Per frame ``points`` (G, J, 2),
            ``present`` (G, J), ``head_size`` (G,) and ``ignore`` (list of
            polygons (V, 2)).
        pred_frames (list[dict]): Per frame ``points`` (P, J, 2),
            ``present`` (P, J), ``scores`` (P, J).

    Returns:
        list[tuple[str, float]]: ``Head AP`` ... ``Ankl AP``, ``Total AP``.
    """
    num_joints = len(POSETRACK_EVAL_JOINTS)
    scores: List[List[np.ndarray]] = [[] for _ in range(num_joints)]
    labels: List[List[np.ndarray]] = [[] for _ in range(num_joints)]
    num_gt = np.zeros(num_joints)
    for gt, pred in zip(gt_frames, pred_frames):
        gt = dict(gt)
        pred = dict(pred)
        if gt['ignore']:
            gt['present'] = _remove_ignored(gt['points'], gt['present'],
                                            gt['ignore'])
            keep = gt['present'].any(axis=1)
            gt = {k: v[keep] if isinstance(v, np.ndarray) else v
                  for k, v in gt.items()}
            pred['present'] = _remove_ignored(pred['points'],
                                              pred['present'], gt['ignore'])
            keep = pred['present'].any(axis=1)
            pred = {k: v[keep] for k, v in pred.items()}
        s, lab, has_pr, n = match_frame(gt, pred)
        num_gt += n
        for j in range(num_joints):  # J = 15 ragged lists
            scores[j].append(s[has_pr[:, j], j])
            labels[j].append(lab[has_pr[:, j], j])
    ap = np.zeros(num_joints + 1)
    for j in range(num_joints):
        s = np.concatenate(scores[j]) if scores[j] else np.zeros(0)
        if len(s) == 0:
            continue
        lab = np.concatenate(labels[j])[np.argsort(s)[::-1]]
        tp = np.cumsum(lab)
        with np.errstate(divide='ignore', invalid='ignore'):
            recall = tp / num_gt[j]
        precision = tp / np.arange(1, len(s) + 1)
        ap[j] = _voc_ap(recall, precision) * 100
    valid = ~np.isnan(ap[:num_joints])
    ap[num_joints] = ap[:num_joints][valid].mean() if valid.any() else np.nan
    info = [(name, float(ap[list(ids)].mean()))
            for name, ids in POSETRACK_GROUPS]
    info.append(('Total AP', float(ap[num_joints])))
    return info
