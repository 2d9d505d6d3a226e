"""Top-down decoding and metrics under their MMPose 0.x import path
(``mmpose.core.evaluation.top_down_eval``), including the private helpers
0.x defined in this module and that user code imports directly."""
import numpy as np

from mmpose.core.post_processing import transform_preds
from .accuracy import (calc_distances, distance_acc, keypoint_auc,
                       keypoint_epe, keypoint_nme, keypoint_pck_accuracy,
                       multilabel_classification_accuracy, pose_pck_accuracy)
from .heatmap_decode import (_gaussian_blur, _taylor, get_max_preds,
                             get_max_preds_3d, keypoints_from_heatmaps,
                             keypoints_from_heatmaps3d,
                             keypoints_from_regression, post_dark_udp)

_get_max_preds = get_max_preds
_get_max_preds_3d = get_max_preds_3d
_calc_distances = calc_distances


def _distance_acc(distances: np.ndarray, thr: float = 0.5) -> float:
    """Fraction of the valid distances below ``thr`` (0.x helper).

    Args:
        distances (np.ndarray[N, ]): Normalised distances, -1 where invalid.
        thr (float): Threshold. Default: 0.5.

    Returns:
        float: The fraction, or -1 when no distance is valid.
    """
    return float(distance_acc(np.reshape(distances, (1, -1)), thr)[0])


__all__ = [
    'keypoint_pck_accuracy', 'keypoint_auc', 'keypoint_epe', 'keypoint_nme',
    'pose_pck_accuracy', 'keypoints_from_heatmaps',
    'keypoints_from_regression', 'post_dark_udp', 'get_max_preds',
    'get_max_preds_3d', 'calc_distances', 'distance_acc', 'transform_preds',
    'keypoints_from_heatmaps3d', 'multilabel_classification_accuracy',
    '_calc_distances', '_distance_acc', '_get_max_preds',
    '_get_max_preds_3d', '_taylor', '_gaussian_blur'
]
