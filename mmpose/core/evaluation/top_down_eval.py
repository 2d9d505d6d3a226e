"""Top-down decoding and metrics under their MMPose 0.x import path
(``mmpose.core.evaluation.top_down_eval``)."""
from .accuracy import (calc_distances, distance_acc, keypoint_auc,
                       keypoint_epe, keypoint_nme, keypoint_pck_accuracy,
                       pose_pck_accuracy)
from .heatmap_decode import (get_max_preds, keypoints_from_heatmaps,
                             keypoints_from_regression, post_dark_udp)

# 0.x private names some downstream code imports directly.
_get_max_preds = get_max_preds
_calc_distances = calc_distances
_distance_acc = distance_acc

__all__ = [
    'keypoint_pck_accuracy', 'keypoint_auc', 'keypoint_epe', 'keypoint_nme',
    'pose_pck_accuracy', 'keypoints_from_heatmaps',
    'keypoints_from_regression', 'post_dark_udp', 'get_max_preds',
    'calc_distances', 'distance_acc'
]
