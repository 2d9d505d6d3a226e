"""Buffers, events, messages and helpers of the webcam API."""
from .buffer import BufferManager
from .event import EventManager
from .message import FrameMessage, Message, VideoEndingMessage

__all__ = ['BufferManager', 'EventManager', 'FrameMessage', 'Message',
           'VideoEndingMessage']

from .image_capture import ImageCapture  # noqa: E402

__all__ += ['ImageCapture']

# misc/pose helpers (engineer B) are added below.
from .misc import (copy_and_paste, expand_and_clamp,  # noqa: E402
                   get_cached_file_path, get_config_path, is_image_file,
                   limit_max_fps, load_image_from_disk_or_url, screen_matting)
from .pose import (get_eye_keypoint_ids, get_face_keypoint_ids,  # noqa: E402
                   get_hand_keypoint_ids, get_mouth_keypoint_ids,
                   get_wrist_keypoint_ids)

__all__ += [
    'copy_and_paste', 'expand_and_clamp', 'get_cached_file_path',
    'get_config_path', 'is_image_file', 'limit_max_fps',
    'load_image_from_disk_or_url', 'screen_matting', 'get_eye_keypoint_ids',
    'get_face_keypoint_ids', 'get_hand_keypoint_ids',
    'get_mouth_keypoint_ids', 'get_wrist_keypoint_ids'
]
