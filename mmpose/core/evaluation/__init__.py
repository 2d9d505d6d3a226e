from .accuracy import (calc_distances, distance_acc, keypoint_auc,
                       keypoint_epe, keypoint_nme, keypoint_pck_accuracy,
                       multilabel_classification_accuracy, pose_pck_accuracy)
from .eval_hooks import DistEvalHook, EvalHook
from .bottom_up_eval import (aggregate_results, aggregate_scale,
                             aggregate_stage_flip, flip_feature_maps,
                             get_group_preds, get_multi_stage_outputs,
                             split_ae_outputs)
from .heatmap_decode import (get_max_preds, keypoints_from_heatmaps,
                             keypoints_from_heatmaps3d,
                             keypoints_from_regression, post_dark_udp)
from .mesh_eval import compute_similarity_transform
from .pose3d_eval import keypoint_3d_auc, keypoint_3d_pck, keypoint_mpjpe

__all__ = [
    'EvalHook', 'DistEvalHook',
    'aggregate_results', 'compute_similarity_transform', 'get_group_preds',
    'get_multi_stage_outputs', 'keypoint_auc', 'keypoint_epe',
    'keypoint_mpjpe', 'keypoint_pck_accuracy', 'keypoints_from_heatmaps',
    'keypoints_from_regression', 'pose_pck_accuracy', 'post_dark_udp',
    'keypoint_nme', 'keypoint_3d_pck', 'keypoint_3d_auc', 'get_max_preds',
    'calc_distances', 'distance_acc', 'keypoints_from_heatmaps3d',
    'multilabel_classification_accuracy', 'flip_feature_maps',
    'aggregate_stage_flip', 'aggregate_scale', 'split_ae_outputs'
]
