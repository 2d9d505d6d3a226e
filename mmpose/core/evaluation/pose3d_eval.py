"""3D keypoint metrics: MPJPE with optional alignment, 3D PCK and AUC.

Note:
    batch_size: N, num_keypoints: K, keypoint dims: C
"""
import numpy as np

from mmpose.errors import ArgumentError, UnknownNameError
from .accuracy import _check_pred_gt_mask
from .mesh_eval import batch_similarity_transform

__all__ = ['keypoint_mpjpe', 'keypoint_3d_pck', 'keypoint_3d_auc']

_ALIGNMENTS = ('none', 'scale', 'procrustes')


def _align(pred: np.ndarray, gt: np.ndarray, alignment: str) -> np.ndarray:
    """Align ``pred`` (np.ndarray[N, K, C]) to ``gt`` using all keypoints.

    'none': unchanged; 'scale': least-squares scale; 'procrustes':
    least-squares scale, rotation and translation.
    """
    if alignment == 'none':
        return pred
    if alignment == 'procrustes':
        return batch_similarity_transform(pred, gt)
    if alignment == 'scale':
        pred_dot_pred = np.einsum('nkc,nkc->n', pred, pred)
        pred_dot_gt = np.einsum('nkc,nkc->n', pred, gt)
        return pred * (pred_dot_gt / pred_dot_pred)[:, None, None]
    raise UnknownNameError(f'Invalid value for alignment: {alignment!r}, '
                           f'expected one of {_ALIGNMENTS}')


def _joint_errors(pred, gt, mask, alignment: str):
    """Per-joint Euclidean errors [N, K] after alignment, and the mask.

    Computed in float64 whatever the input dtype (as 0.x did with its
    float64 annotations), so a perfect prediction has an error of 0.
    """
    pred, gt, mask = _check_pred_gt_mask(pred, gt, mask)
    if not mask.any():
        raise ArgumentError(f'mask [N, K] should mark at least one visible '
                            f'keypoint to evaluate, got none of '
                            f'{mask.size}')
    pred, gt = pred.astype(np.float64), gt.astype(np.float64)
    pred = _align(pred, gt, alignment)
    return np.linalg.norm(pred - gt, ord=2, axis=-1), mask


def keypoint_mpjpe(pred: np.ndarray,
                   gt: np.ndarray,
                   mask: np.ndarray,
                   alignment: str = 'none') -> float:
    """Mean per-joint position error, optionally after alignment (P-MPJPE
    with 'procrustes', N-MPJPE with 'scale').

    Args:
        pred (np.ndarray[N, K, C]): Predicted keypoints.
        gt (np.ndarray[N, K, C]): Ground-truth keypoints.
        mask (np.ndarray[N, K]): Visibility; invisible joints are ignored
            by the error (the alignment uses all joints, as in 0.x).
        alignment (str): 'none', 'scale' or 'procrustes'.

    Returns:
        float: The mean error over visible joints.
    """
    errors, mask = _joint_errors(pred, gt, mask, alignment)
    return errors[mask].mean()


def keypoint_3d_pck(pred: np.ndarray,
                    gt: np.ndarray,
                    mask: np.ndarray,
                    alignment: str = 'none',
                    threshold: float = 0.15) -> float:
    """Percentage of visible joints whose 3D error is below ``threshold``
    (same unit as the keypoints), in [0, 100].

    Args:
        pred (np.ndarray[N, K, C]): Predicted keypoints.
        gt (np.ndarray[N, K, C]): Ground-truth keypoints.
        mask (np.ndarray[N, K]): Visibility.
        alignment (str): 'none', 'scale' or 'procrustes'.
        threshold (float): Error threshold. Default: 0.15.
    """
    errors, mask = _joint_errors(pred, gt, mask, alignment)
    return (errors < threshold)[mask].mean() * 100


def keypoint_3d_auc(pred: np.ndarray,
                    gt: np.ndarray,
                    mask: np.ndarray,
                    alignment: str = 'none') -> float:
    """Area under the 3D PCK curve, in [0, 100]: the mean 3D PCK over 31
    thresholds evenly spaced from 0 to 0.15 (as MMPose 0.29; the first,
    0, counts no joint, so a perfect prediction scores 30 / 31 * 100).

    Args:
        pred (np.ndarray[N, K, C]): Predicted keypoints.
        gt (np.ndarray[N, K, C]): Ground-truth keypoints.
        mask (np.ndarray[N, K]): Visibility.
        alignment (str): 'none', 'scale' or 'procrustes'.
    """
    errors, mask = _joint_errors(pred, gt, mask, alignment)
    thresholds = np.linspace(0., 0.15, 31)
    pck = (errors[mask][None] < thresholds[:, None]).mean(axis=1)
    return pck.mean() * 100
