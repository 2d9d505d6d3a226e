"""Similarity (Procrustes) alignment of 3D point sets, used by the mesh and
3D pose metrics."""
import numpy as np

from mmpose.core.post_processing._checks import check_array
from mmpose.errors import ArgumentError

__all__ = ['compute_similarity_transform', 'batch_similarity_transform']


def batch_similarity_transform(source_points: np.ndarray,
                               target_points: np.ndarray) -> np.ndarray:
    """Align each source point set to its target with the least-squares
    similarity transform (scale, rotation, translation).

    Solves the orthogonal Procrustes problem with an SVD and forces a proper
    rotation (det(R) = 1).

    Args:
        source_points (np.ndarray[B, N, C]): Source point sets.
        target_points (np.ndarray[B, N, C]): Target point sets.

    Returns:
        np.ndarray[B, N, C]: The aligned source point sets (float64).
    """
    source_points = check_array('source_points', source_points, ndim=3,
                                expected='[B, N, C]')
    target_points = check_array('target_points', target_points, ndim=3,
                                expected='[B, N, C]')
    if source_points.shape != target_points.shape:
        raise ArgumentError(f'source_points and target_points should have '
                            f'the same shape [B, N, C], got '
                            f'{source_points.shape} and '
                            f'{target_points.shape}')
    source_points = source_points.astype(np.float64)
    target_points = target_points.astype(np.float64)
    mu1 = source_points.mean(axis=1, keepdims=True)
    mu2 = target_points.mean(axis=1, keepdims=True)
    x1 = source_points - mu1
    x2 = target_points - mu2
    var1 = np.sum(x1**2, axis=(1, 2))
    # Cross-covariance K = X1^T X2 per set, [B, C, C].
    cov = np.einsum('bnc,bnd->bcd', x1, x2)
    u, _, vh = np.linalg.svd(cov)
    v = np.swapaxes(vh, 1, 2)
    z = np.broadcast_to(np.eye(u.shape[1]), u.shape).copy()
    z[:, -1, -1] = np.sign(np.linalg.det(u @ vh))
    rot = v @ z @ np.swapaxes(u, 1, 2)
    scale = np.trace(rot @ cov, axis1=1, axis2=2) / var1
    trans = mu2 - scale[:, None, None] * (mu1 @ np.swapaxes(rot, 1, 2))
    aligned = (scale[:, None, None] * (source_points @ np.swapaxes(rot, 1, 2))
               + trans)
    # A set equal to its target is aligned by the identity: return it exactly
    # rather than with the SVD's rounding, so a perfect prediction scores 0.
    same = (source_points == target_points).all(axis=(1, 2))
    aligned[same] = source_points[same]
    return aligned


def compute_similarity_transform(source_points: np.ndarray,
                                 target_points: np.ndarray) -> np.ndarray:
    """Apply to ``source_points`` the similarity transform (sR, t) that brings
    them closest to ``target_points`` (orthogonal Procrustes).

    Note:
        Points number: N

    Args:
        source_points (np.ndarray[N, 3]): Source point set.
        target_points (np.ndarray[N, 3]): Target point set.

    Returns:
        np.ndarray[N, 3]: Transformed source point set.
    """
    source_points = check_array('source_points', source_points, ndim=2,
                                last_dims=(3, ), expected='[N, 3]')
    target_points = check_array('target_points', target_points, ndim=2,
                                last_dims=(3, ), expected='[N, 3]')
    return batch_similarity_transform(source_points[None],
                                      target_points[None])[0]
