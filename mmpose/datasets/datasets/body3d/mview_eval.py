"""Metrics of multi-view multi-person 3D pose (MMPose 0.29 VoxelPose
datasets).

- Panoptic: every predicted pose is matched to its nearest ground-truth
  person by MPJPE; average precision and recall of these matches at MPJPE
  thresholds, recall and mean MPJPE below 500 mm.
- Shelf / Campus: percentage of correct parts (PCP) per actor: a limb is
  correct when the mean error of its two ends is at most ``alpha`` times its
  ground-truth length.
"""
from typing import Dict, List, Sequence

import numpy as np

__all__ = [
    'nearest_gt_matches', 'ap_and_recall', 'recall_below', 'mpjpe_below',
    'correct_limbs', 'panoptic_metrics'
]


def nearest_gt_matches(preds: np.ndarray, gts: np.ndarray,
                       gt_visible: np.ndarray, gt_offset: int) -> List[dict]:
    """Match each predicted pose to the ground-truth person of least MPJPE
    (over that person's visible joints).

    Args:
        preds (np.ndarray[P, K, 5]): Poses: x, y, z, -, score (at joint 0).
        gts (np.ndarray[G, K, 3]): Persons of the frame.
        gt_visible (np.ndarray[G, K]): Visible joints (bool).
        gt_offset (int): Global id of this frame's first person.

    Returns:
        list[dict]: per prediction ``mpjpe``, ``score`` and ``gt_id``.
    """
    if len(preds) == 0 or len(gts) == 0:
        return []
    errors = np.linalg.norm(preds[:, None, :, :3] - gts[None], axis=-1)
    mpjpe = (errors * gt_visible).sum(-1) / gt_visible.sum(-1)  # [P, G]
    best = mpjpe.argmin(1)
    return [
        dict(mpjpe=float(mpjpe[p, g]), score=float(preds[p, 0, 4]),
             gt_id=int(gt_offset + g)) for p, g in enumerate(best)
    ]


def _greedy_true_positives(matches: Sequence[dict],
                           threshold: float) -> np.ndarray:
    """Highest score first, a match is true when under ``threshold`` and
    its person is not matched yet (bool [M], in score order)."""
    found = set()
    hits = np.zeros(len(matches), dtype=bool)
    for i, m in enumerate(matches):  # sequential by definition
        if m['mpjpe'] < threshold and m['gt_id'] not in found:
            hits[i] = True
            found.add(m['gt_id'])
    return hits


def _by_score(matches: Sequence[dict]) -> List[dict]:
    return sorted(matches, key=lambda m: m['score'], reverse=True)


def ap_and_recall(matches: Sequence[dict], total_gt: int,
                  threshold: float) -> tuple:
    """Average precision (all-point interpolation) and final recall of the
    matches at an MPJPE threshold (mm)."""
    tp = np.cumsum(_greedy_true_positives(_by_score(matches), threshold))
    fp = np.arange(1, len(tp) + 1) - tp
    recall = tp / (total_gt + 1e-5)
    precision = tp / (tp + fp + 1e-5)
    precision = np.maximum.accumulate(precision[::-1])[::-1]
    precision = np.concatenate(([0], precision, [0]))
    recall = np.concatenate(([0], recall, [1]))
    steps = np.flatnonzero(recall[1:] != recall[:-1])
    ap = np.sum((recall[steps + 1] - recall[steps]) * precision[steps + 1])
    return float(ap), float(recall[-2])


def recall_below(matches: Sequence[dict], total_gt: int,
                 threshold: float = 500) -> float:
    """Share of persons matched by some prediction under ``threshold``."""
    return len({m['gt_id']
                for m in matches if m['mpjpe'] < threshold}) / total_gt


def mpjpe_below(matches: Sequence[dict], threshold: float = 500) -> float:
    """Mean MPJPE of the greedy true positives under ``threshold`` (inf
    when there are none)."""
    ordered = _by_score(matches)
    hits = _greedy_true_positives(ordered, threshold)
    errors = [m['mpjpe'] for m, hit in zip(ordered, hits) if hit]
    return float(np.mean(errors)) if errors else float('inf')


def correct_limbs(pred: np.ndarray, gt: np.ndarray,
                  limbs: Sequence[Sequence[int]], alpha: float) -> np.ndarray:
    """PCP test of each limb of one person.

    Args:
        pred (np.ndarray[K, 3]): Predicted pose.
        gt (np.ndarray[K, 3]): Ground-truth pose.
        limbs (list[[int, int]]): Joint pairs.
        alpha (float): Tolerance as a share of the limb length.

    Returns:
        np.ndarray[L] (bool): correct limbs.
    """
    limbs = np.asarray(limbs)
    errors = np.linalg.norm(pred - gt, axis=-1)[limbs].mean(-1)
    lengths = np.linalg.norm(gt[limbs[:, 0]] - gt[limbs[:, 1]], axis=-1)
    return errors <= alpha * lengths


def panoptic_metrics(matches: List[dict], total_gt: int,
                     metrics: Sequence[str]) -> Dict[str, float]:
    """``mpjpe``: RECALL/MPJPE under 500 mm; ``mAP``: AP and AR at 25, 50,
    ..., 150 mm and their means."""
    out = {}
    for metric in metrics:
        if metric == 'mpjpe':
            out['RECALL 500mm'] = recall_below(matches, total_gt)
            out['MPJPE 500mm'] = mpjpe_below(matches)
        else:
            thresholds = range(25, 155, 25)
            aps, ars = zip(*[
                ap_and_recall(matches, total_gt, t) for t in thresholds
            ])
            out.update({f'AP {t}': ap for t, ap in zip(thresholds, aps)})
            out['mAP'] = float(np.mean(aps))
            out.update({f'AR {t}': ar for t, ar in zip(thresholds, ars)})
            out['mAR'] = float(np.mean(ars))
    return out
