"""2D keypoint metrics: PCK, PCKh (via the normaliser), AUC, EPE and NME.

Note:
    batch_size: N, num_keypoints: K
"""
from typing import Optional, Tuple

import numpy as np

from mmpose.core.post_processing._checks import check_array
from mmpose.errors import ArgumentError
from .heatmap_decode import get_max_preds

__all__ = [
    'calc_distances', 'distance_acc', 'keypoint_pck_accuracy',
    'keypoint_auc', 'keypoint_epe', 'keypoint_nme', 'pose_pck_accuracy',
    'multilabel_classification_accuracy'
]


def _check_pred_gt_mask(pred, gt, mask) -> Tuple[np.ndarray, ...]:
    """Validate ``pred``/``gt`` (np.ndarray[N, K, D]) and ``mask`` [N, K]."""
    pred = check_array('pred', pred, ndim=3, expected='[N, K, D]')
    gt = check_array('gt', gt, ndim=3, expected='[N, K, D]')
    mask = check_array('mask', mask, ndim=2, expected='[N, K]')
    if pred.shape != gt.shape or mask.shape != pred.shape[:2]:
        raise ArgumentError(f'pred [N, K, D], gt [N, K, D] and mask [N, K] '
                            f'must agree, got {pred.shape}, {gt.shape} and '
                            f'{mask.shape}')
    return pred, gt, mask.astype(bool)


def calc_distances(preds: np.ndarray, targets: np.ndarray, mask: np.ndarray,
                   normalize: np.ndarray) -> np.ndarray:
    """Normalised distances between predictions and targets.

    Args:
        preds (np.ndarray[N, K, D]): Predicted locations.
        targets (np.ndarray[N, K, D]): Ground-truth locations.
        mask (np.ndarray[N, K]): Visibility; invisible joints are ignored.
        normalize (np.ndarray[N, D]): Per-sample normaliser; a sample with a
            zero entry is ignored, non-positive entries are read as 1e6.

    Returns:
        np.ndarray[K, N]: Distances (float32), -1 where ignored.
    """
    preds, targets, mask = _check_pred_gt_mask(preds, targets, mask)
    N, K, D = preds.shape
    normalize = check_array('normalize', normalize, ndim=2,
                            expected=f'[{N}, {D}]').astype(np.float64)
    if normalize.shape != (N, D):
        raise ArgumentError(
            f'normalize should have shape [N, D] = [{N}, {D}], '
            f'got {normalize.shape}')
    valid = mask & ~(normalize == 0).any(axis=1)[:, None]
    normalize = np.where(normalize <= 0, 1e6, normalize)
    distances = np.full((N, K), -1, dtype=np.float32)
    distances[valid] = np.linalg.norm(
        ((preds - targets) / normalize[:, None, :])[valid], axis=-1)
    return distances.T


def distance_acc(distances: np.ndarray, thr: float = 0.5) -> np.ndarray:
    """Fraction of valid distances below ``thr``, per row.

    Args:
        distances (np.ndarray[K, N]): Distances, -1 where invalid.
        thr (float): Threshold.

    Returns:
        np.ndarray[K]: Accuracy per row, -1 for rows without valid entries.
    """
    distances = np.atleast_2d(distances)
    valid = distances != -1
    num_valid = valid.sum(axis=1)
    hits = (valid & (distances < thr)).sum(axis=1)
    acc = np.full(len(distances), -1.0)
    np.divide(hits, num_valid, out=acc, where=num_valid > 0)
    return acc


def keypoint_pck_accuracy(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray,
                          thr: float, normalize: np.ndarray
                          ) -> Tuple[np.ndarray, float, int]:
    """PCK of each keypoint and on average, from coordinates.

    The distance of each prediction to its ground truth is divided by
    ``normalize`` per axis; a keypoint is correct when it is below ``thr``.

    Args:
        pred (np.ndarray[N, K, 2]): Predicted locations.
        gt (np.ndarray[N, K, 2]): Ground-truth locations.
        mask (np.ndarray[N, K]): Visibility; invisible joints are ignored.
        thr (float): Threshold of the normalised distance.
        normalize (np.ndarray[N, 2]): Normalisation factor per sample.

    Returns:
        tuple: ``acc`` (np.ndarray[K], -1 for keypoints never visible),
        ``avg_acc`` (float, mean over keypoints with a valid accuracy) and
        ``cnt`` (int, number of such keypoints).
    """
    distances = calc_distances(pred, gt, mask, normalize)
    acc = distance_acc(distances, thr)
    valid_acc = acc[acc >= 0]
    cnt = len(valid_acc)
    avg_acc = valid_acc.mean() if cnt > 0 else 0
    return acc, avg_acc, cnt


def pose_pck_accuracy(output: np.ndarray,
                      target: np.ndarray,
                      mask: np.ndarray,
                      thr: float = 0.05,
                      normalize: Optional[np.ndarray] = None
                      ) -> Tuple[np.ndarray, float, int]:
    """PCK of each keypoint and on average, from heatmaps (argmax).

    Args:
        output (np.ndarray[N, K, H, W]): Predicted heatmaps.
        target (np.ndarray[N, K, H, W]): Ground-truth heatmaps.
        mask (np.ndarray[N, K]): Visibility; invisible joints are ignored.
        thr (float): Threshold. Default: 0.05.
        normalize (np.ndarray[N, 2], optional): Normalisation factor.
            Default: [H, W] for every sample (as in MMPose 0.x).

    Returns:
        tuple: ``(acc (np.ndarray[K]), avg_acc (float), cnt (int))``.
    """
    output = check_array('output', output, ndim=4, expected='[N, K, H, W]')
    target = check_array('target', target, ndim=4, expected='[N, K, H, W]')
    if output.shape != target.shape:
        raise ArgumentError(f'output and target should both be [N, K, H, W], '
                            f'got {output.shape} and {target.shape}')
    N, K, H, W = output.shape
    if K == 0:
        return None, 0, 0
    if normalize is None:
        normalize = np.tile(np.array([[H, W]]), (N, 1))
    pred, _ = get_max_preds(output)
    gt, _ = get_max_preds(target)
    return keypoint_pck_accuracy(pred, gt, mask, thr, normalize)


def keypoint_auc(pred: np.ndarray,
                 gt: np.ndarray,
                 mask: np.ndarray,
                 normalize: float,
                 num_step: int = 20) -> float:
    """Area under the PCK curve for thresholds 0, 1/num_step, ... < 1.

    Args:
        pred (np.ndarray[N, K, 2]): Predicted locations.
        gt (np.ndarray[N, K, 2]): Ground-truth locations.
        mask (np.ndarray[N, K]): Visibility; invisible joints are ignored.
        normalize (float): Normalisation factor (e.g. box size in pixels).
        num_step (int): Number of thresholds. Default: 20.

    Returns:
        float: Area under the curve.
    """
    pred, gt, mask = _check_pred_gt_mask(pred, gt, mask)
    nor = np.tile(np.array([[normalize, normalize]]), (pred.shape[0], 1))
    distances = calc_distances(pred, gt, mask, nor)
    valid = distances != -1
    num_valid = valid.sum(axis=1)
    thresholds = np.arange(num_step) / num_step
    # hits[t, k]: valid distances of keypoint k below threshold t.
    hits = (valid[None] & (distances[None] < thresholds[:, None, None]))
    hits = hits.sum(axis=2)
    has_valid = num_valid > 0
    if not has_valid.any():
        return 0.0
    acc = hits[:, has_valid] / num_valid[has_valid]
    return float(np.sum(acc.mean(axis=1) / num_step))


def keypoint_epe(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray) -> float:
    """Mean end-point error (Euclidean distance) over visible keypoints.

    Args:
        pred (np.ndarray[N, K, 2]): Predicted locations.
        gt (np.ndarray[N, K, 2]): Ground-truth locations.
        mask (np.ndarray[N, K]): Visibility; invisible joints are ignored.

    Returns:
        float: Average end-point error.
    """
    pred = check_array('pred', pred, ndim=3, expected='[N, K, D]')
    ones = np.ones((pred.shape[0], pred.shape[2]), dtype=np.float32)
    return keypoint_nme(pred, gt, mask, ones)


def keypoint_nme(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray,
                 normalize_factor: np.ndarray) -> float:
    """Normalised mean error over visible keypoints (e.g. face NME with the
    inter-ocular distance).

    Args:
        pred (np.ndarray[N, K, 2]): Predicted locations.
        gt (np.ndarray[N, K, 2]): Ground-truth locations.
        mask (np.ndarray[N, K]): Visibility; invisible joints are ignored.
        normalize_factor (np.ndarray[N, 2]): Normalisation factor per sample.

    Returns:
        float: Mean normalised error.
    """
    distances = calc_distances(pred, gt, mask, normalize_factor)
    valid = distances[distances != -1]
    # float32 sum, as in 0.x, so the golden numbers are matched exactly.
    return float(valid.sum()) / max(1, len(valid))


def multilabel_classification_accuracy(pred: np.ndarray,
                                       gt: np.ndarray,
                                       mask: np.ndarray,
                                       thr: float = 0.5) -> float:
    """Fraction of samples whose labels are all on the right side of
    ``thr``, among the samples whose labels are all reliable.

    Note:
        batch size: N, number of labels: L

    Args:
        pred (np.ndarray[N, L]): Predicted label scores.
        gt (np.ndarray[N, L]): Ground-truth labels.
        mask (np.ndarray[N] | np.ndarray[N, 1] | np.ndarray[N, L]):
            Reliability of the labels; a sample counts only if all are > 0.
        thr (float): Decision threshold. Default: 0.5.

    Returns:
        float: The accuracy, 0 when no sample counts.
    """
    pred, gt, mask = np.asarray(pred), np.asarray(gt), np.asarray(mask)
    if pred.shape != gt.shape or len(mask) != len(pred):
        raise ArgumentError(f'pred and gt [N, L] and mask [N(, L)] should '
                            f'agree, got {pred.shape}, {gt.shape} and '
                            f'{mask.shape}')
    valid = (mask > 0).reshape(len(mask), -1).all(axis=1)
    if not valid.any():
        return 0.0
    correct = ((pred[valid] - thr) * (gt[valid] - thr) > 0)
    return float(correct.reshape(int(valid.sum()), -1).all(axis=1).mean())
