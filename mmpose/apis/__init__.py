"""User-facing APIs: model building and inference, visualisation, pose
tracking, and (from the runtime modules) training and testing."""
import importlib.util

from .inference import (collect_multi_frames, inference_bottom_up_pose_model,
                        inference_top_down_pose_model, init_pose_model,
                        process_mmdet_results, vis_pose_result)
from .inference_3d import (extract_pose_sequence, inference_pose_lifter_model,
                           vis_3d_pose_result)
from .inference_gesture import inference_gesture_model
from .inference_tracking import get_track_id, vis_pose_tracking_result

__all__ = [
    'init_pose_model', 'inference_top_down_pose_model',
    'inference_bottom_up_pose_model', 'vis_pose_result', 'get_track_id',
    'vis_pose_tracking_result', 'process_mmdet_results',
    'collect_multi_frames', 'extract_pose_sequence',
    'inference_pose_lifter_model', 'vis_3d_pose_result',
    'inference_gesture_model'
]

# The training/testing entry points live in their own modules; they are
# exported whenever those modules are part of the package.
if importlib.util.find_spec(f'{__name__}.train') is not None:
    from .train import init_random_seed, train_model  # noqa: E402
    __all__ += ['train_model', 'init_random_seed']
if importlib.util.find_spec(f'{__name__}.test') is not None:
    from .test import multi_gpu_test, single_gpu_test  # noqa: E402
    __all__ += ['single_gpu_test', 'multi_gpu_test']

# MMPose 0.29: 3D inference on box crops (hands, meshes)
from .inference_crops_3d import (  # noqa: E402
    inference_interhand_3d_model, inference_mesh_model, vis_3d_mesh_result)

__all__ += [
    'inference_interhand_3d_model', 'inference_mesh_model',
    'vis_3d_mesh_result'
]
