"""Video loading transform (MMPose 0.29's ``LoadVideoFromFile``)."""
from typing import Optional

import mmcv
import numpy as np

from mmpose.errors import ArgumentTypeError, UnknownNameError, UnsupportedError
from ..builder import PIPELINES

__all__ = ['LoadVideoFromFile', 'read_video']


def read_video(path: str) -> dict:
    """Decode every frame of a video file.

    Args:
        path (str): Video file path.

    Returns:
        dict: ``video`` (np.ndarray[T, H, W, 3], uint8, BGR), ``num_frames``
        (T), ``height``, ``width`` and ``fps`` (int).

    Raises:
        FileNotFoundError: ``path`` does not exist.
        OSError: no frame could be decoded.
    """
    reader = mmcv.VideoReader(path)
    frames = [reader.read() for _ in range(reader.frame_cnt)]
    frames = [f for f in frames if f is not None]
    if not frames:
        raise OSError(f'no frame could be decoded from video file {path}')
    video = np.stack(frames)
    return dict(
        video=video,
        num_frames=len(frames),
        height=video.shape[1],
        width=video.shape[2],
        fps=int(reader.fps))


@PIPELINES.register_module()
class LoadVideoFromFile:
    """Load the video(s) at ``results['video_file']`` (a path, or one path
    per modality) into per-modality lists ``video``, ``num_frames``,
    ``height``, ``width`` and ``fps``.

    Without ``video_file``, ``results['video']`` (an array ``[T, H, W, C]``
    or a list of them, BGR like decoded frames) is used as given and its
    ``num_frames``, ``height`` and ``width`` are filled in.

    Args:
        to_float32 (bool): Cast decoded videos to float32. Default: False
            (uint8).
        file_client_args (dict): Only the default ``dict(backend='disk')``
            is supported: videos are decoded from local files.
    """

    def __init__(self,
                 to_float32: bool = False,
                 file_client_args: Optional[dict] = None):
        file_client_args = dict(file_client_args or dict(backend='disk'))
        if file_client_args.get('backend') != 'disk':
            raise UnsupportedError(
                'LoadVideoFromFile decodes local files only; '
                f'file_client_args={file_client_args} is not supported')
        self.to_float32 = to_float32
        self.file_client_args = file_client_args

    def __call__(self, results: dict) -> dict:
        paths = results.get('video_file')
        if paths is None:
            return self._describe_given(results)
        if isinstance(paths, str):
            paths = [paths]
        for path in paths:
            loaded = read_video(path)
            if self.to_float32:
                loaded['video'] = loaded['video'].astype(np.float32)
            for key, value in loaded.items():
                results.setdefault(key, []).append(value)
        return results

    @staticmethod
    def _describe_given(results: dict) -> dict:
        if 'video' not in results:
            raise UnknownNameError('LoadVideoFromFile needs "video_file" or '
                                   '"video" in the results; available keys: '
                                   f'{sorted(results)}')
        videos = results['video']
        if isinstance(videos, np.ndarray):
            videos = [videos]
        if not (isinstance(videos, (list, tuple)) and videos and all(
                isinstance(v, np.ndarray) and v.ndim >= 3 for v in videos)):
            raise ArgumentTypeError(
                'results["video"] must be an np.ndarray[T, H, W(, C)] or a '
                f'list of them, got {type(results["video"]).__name__}')
        results['video'] = list(videos)
        results['num_frames'] = [v.shape[0] for v in videos]
        results['height'] = [v.shape[1] for v in videos]
        results['width'] = [v.shape[2] for v in videos]
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(to_float32={self.to_float32}, '
                f'file_client_args={self.file_client_args})')
