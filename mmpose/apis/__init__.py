"""User-facing APIs: model building and inference, visualisation, pose
tracking, and (from the runtime modules) training and testing."""
import importlib.util

from .inference import (inference_bottom_up_pose_model,
                        inference_top_down_pose_model, init_pose_model,
                        vis_pose_result)
from .inference_tracking import get_track_id, vis_pose_tracking_result

__all__ = [
    'init_pose_model', 'inference_top_down_pose_model',
    'inference_bottom_up_pose_model', 'vis_pose_result', 'get_track_id',
    'vis_pose_tracking_result'
]

# The training/testing entry points live in their own modules; they are
# exported whenever those modules are part of the package.
if importlib.util.find_spec(f'{__name__}.train') is not None:
    from .train import train_model  # noqa: E402
    __all__.append('train_model')
if importlib.util.find_spec(f'{__name__}.test') is not None:
    from .test import multi_gpu_test, single_gpu_test  # noqa: E402
    __all__ += ['single_gpu_test', 'multi_gpu_test']
