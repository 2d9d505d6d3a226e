"""Transforms of multi-modal gesture videos (MMPose 0.29's MTUT pipeline).

The results hold one clip per modality, aligned in time and space:

- ``video`` (list[np.ndarray[T, H, W, C]]): the clips, in the order of
  ``modality`` (list[str]: 'rgb', 'depth' or 'flow'); after
  :class:`MultiModalVideoToTensor` they are ``torch.Tensor[C, T, H, W]``.
- ``num_frames``, ``height``, ``width``, ``fps``: per-modality lists as
  :class:`LoadVideoFromFile` sets them (``num_frames`` becomes one int once
  the clips are cut to a common length).
- optional ``valid_frames`` (per modality ``[start, end)``), ``bbox`` (per
  frame a list of ``{'bbox': [x1, y1, x2, y2]}``), ``label`` and
  ``ann_info['flip_pairs']`` (pairs of mirrored gesture classes).

Note:
    - frames: T; height, width: H, W; channels: C.
"""
from typing import Callable, Sequence, Tuple, Union

import mmcv
import numpy as np
import torch

from mmpose.core.bbox import bbox_xywh2xyxy, bbox_xyxy2xywh
from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import PIPELINES

__all__ = [
    'CropValidClip', 'TemporalPooling', 'ResizeGivenShortEdge',
    'MultiFrameBBoxMerge', 'ResizedCropByBBox', 'GestureRandomFlip',
    'VideoColorJitter', 'RandomAlignedSpatialCrop', 'CenterSpatialCrop',
    'ModalWiseChannelProcess', 'MultiModalVideoToTensor',
    'VideoNormalizeTensor'
]

# OpenCV image functions take at most this many channels at once.
_CV_MAX_CHANNELS = 512  # CV_CN_MAX


def _map_frames(video: np.ndarray,
                fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Apply the image function ``fn`` (same size change for every image)
    to all frames of ``video[T, H, W, C]`` at once, as one image whose
    channels are the frames' channels (in chunks OpenCV accepts)."""
    num_frames, height, width, channels = video.shape
    stacked = video.transpose(1, 2, 0, 3).reshape(height, width, -1)
    step = max(_CV_MAX_CHANNELS // channels, 1) * channels
    chunks = [
        fn(np.ascontiguousarray(stacked[..., i:i + step]))
        for i in range(0, stacked.shape[2], step)
    ]
    # cv2 drops a trailing axis of size 1; put it back.
    chunks = [c[..., None] if c.ndim == 2 else c for c in chunks]
    out = np.concatenate(chunks, axis=2)
    return out.reshape(out.shape[0], out.shape[1], num_frames,
                       channels).transpose(2, 0, 1, 3)


def _crop(video: np.ndarray, x: int, y: int, width: int,
          height: int) -> np.ndarray:
    """``video[T, H, W, C]`` cut to the window at ``(x, y)`` of the given
    size."""
    return video[:, y:y + height, x:x + width]


def _set_size(results: dict, index: int, video: np.ndarray) -> None:
    """Store clip ``index`` and its height and width."""
    results['video'][index] = video
    results['height'][index], results['width'][index] = video.shape[1:3]


@PIPELINES.register_module()
class CropValidClip:
    """Cut every clip to its ``valid_frames`` window, all of the common
    length ``min(end - start)``; per-frame ``bbox`` lists follow the last
    modality's window.

    Without ``valid_frames`` the window of a clip of n frames is
    ``[0, n - 1]``, so (as in MMPose 0.29) its last frame is dropped.

    Required keys: 'video', 'modality', 'num_frames'. Modified keys:
    'video', 'num_frames' (one int), 'bbox'; removes 'valid_frames'.
    """

    def __call__(self, results: dict) -> dict:
        windows = results.pop(
            'valid_frames', [[0, n - 1] for n in results['num_frames']])
        length = min(end - start for start, end in windows)
        for i, (start, _) in enumerate(windows):
            results['video'][i] = results['video'][i][start:start + length]
        results['num_frames'] = length
        if 'bbox' in results:
            results['bbox'] = results['bbox'][start:start + length]
        return results


@PIPELINES.register_module()
class TemporalPooling:
    """Take every ``stride``-th frame, from a random start when the clip is
    longer than needed, edge-padding clips that are too short.

    Args:
        length (int): Output frames; -1 pools the whole clip.
            Default: -1.
        stride (int): Frame step; -1 to derive it from ``ref_fps`` (or 1
            when neither is set). Default: -1.
        ref_fps (int): Wanted frame rate: the step is
            ``results['fps'][0] // ref_fps``. Default: -1 (unused).

    Required keys: 'video', 'modality', 'num_frames' (and 'fps' with
    ``ref_fps``). Modified keys: 'video', 'num_frames', 'bbox'.
    """

    def __init__(self, length: int = -1, stride: int = -1, ref_fps: int = -1):
        if stride != -1 and ref_fps != -1:
            raise ArgumentError(
                f'TemporalPooling takes stride ({stride}) or ref_fps '
                f'({ref_fps}), not both: they may disagree')
        self.length = length
        self.stride = 1 if stride == -1 and ref_fps == -1 else stride
        self.ref_fps = ref_fps

    def _stride(self, results: dict) -> int:
        if self.ref_fps <= 0:
            return self.stride
        fps = results.get('fps')
        if not fps or any(f is None for f in fps):
            raise UnknownNameError(
                f'TemporalPooling(ref_fps={self.ref_fps}) needs the videos\' '
                f'"fps" in the results, got {fps!r}')
        if len(set(fps)) != 1:
            raise ArgumentError(f'the modalities have different frame rates '
                                f'{fps}; pooled clips would be misaligned')
        stride = int(fps[0]) // self.ref_fps
        if stride < 1:
            raise ArgumentError(f'ref_fps ({self.ref_fps}) must not exceed '
                                f'the video fps ({fps[0]})')
        return stride

    def __call__(self, results: dict) -> dict:
        stride = self._stride(results)
        num_frames = results['num_frames']
        if self.length < 0:
            span, out_frames = num_frames, (num_frames - 1) // stride + 1
        else:
            span, out_frames = (self.length - 1) * stride + 1, self.length
        pad = span - num_frames
        start = np.random.randint(max(1 - pad, 1))
        for i, video in enumerate(results['video']):
            if pad > 0:
                widths = ((pad // 2, pad - pad // 2), ) + ((0, 0), ) * (
                    video.ndim - 1)
                video = np.pad(video, widths, 'edge')
            results['video'][i] = video[start:start + span:stride]
        results['num_frames'] = out_frames
        if 'bbox' in results:
            results['bbox'] = results['bbox'][start:start + span:stride]
        return results


@PIPELINES.register_module()
class ResizeGivenShortEdge:
    """Resize every clip (bilinear) so that its short edge is ``length``,
    keeping the aspect ratio (the long edge is truncated to an int).

    Args:
        length (int): Short edge after resizing. Default: 256.

    Required keys: 'video', 'modality', 'width', 'height'. Modified keys:
    'video', 'width', 'height'.
    """

    def __init__(self, length: int = 256):
        self.length = length

    def __call__(self, results: dict) -> dict:
        for i, video in enumerate(results['video']):
            height, width = results['height'][i], results['width'][i]
            if width < height:
                size = (self.length, int(self.length * height / width))
            else:
                size = (int(self.length * width / height), self.length)
            _set_size(results, i,
                      _map_frames(video, lambda img: mmcv.imresize(img, size)))
        return results


@PIPELINES.register_module()
class MultiFrameBBoxMerge:
    """Replace the per-frame boxes by their union ``[x1, y1, x2, y2]``
    (the first box of each frame that has one; the whole frame when none
    has).

    Required keys: 'bbox' (else a no-op), 'width', 'height'. Modified key:
    'bbox'.
    """

    def __call__(self, results: dict) -> dict:
        if 'bbox' not in results:
            return results
        boxes = [frame[0]['bbox'] for frame in results['bbox'] if len(frame)]
        if not boxes:
            results['bbox'] = np.array(
                (0, 0, results['width'][0] - 1, results['height'][0] - 1))
            return results
        boxes = np.asarray(boxes)
        results['bbox'] = np.concatenate(
            (boxes[:, :2].min(axis=0), boxes[:, 2:4].max(axis=0)))
        return results


@PIPELINES.register_module()
class ResizedCropByBBox:
    """Crop a randomly jittered square-ish window around ``bbox`` from every
    clip and resize it to ``size``.

    The window side is the box's long side times ``U(scale)``; its top-left
    corner is the box's, shifted by ``U(-shift, shift)`` times the side;
    its height is the side times ``U(ratio)``. It is clipped to the frame
    and its corners truncated to ints.

    Args:
        size (int | tuple[int]): Output ``(width, height)``, or one side.
        scale (tuple[float]): Range of the side's scale. Default: (1, 1).
        ratio (tuple[float]): Range of height / width. Default: (1, 1).
        shift (float): Largest shift, relative to the side. Default: 0.

    Required keys: 'video', 'bbox' (merged, ``[x1, y1, x2, y2]``), 'width',
    'height'. Modified keys: 'video', 'width', 'height'.
    """

    def __init__(self,
                 size: Union[int, Tuple[int, int]],
                 scale: Sequence[float] = (1, 1),
                 ratio: Sequence[float] = (1, 1),
                 shift: float = 0):
        self.size = tuple(size) if isinstance(size,
                                              (tuple, list)) else (size, size)
        self.scale = scale
        self.ratio = ratio
        self.shift = shift

    def _window(self, results: dict) -> np.ndarray:
        """The crop window ``[x1, y1, x2, y2]`` (int32, inclusive)."""
        x, y, w, h = bbox_xyxy2xywh(
            np.asarray(results['bbox'], dtype=np.float64)[None, :4])[0]
        side = max(w, h) * np.random.uniform(*self.scale)
        x += np.random.uniform(-self.shift, self.shift) * side
        y += np.random.uniform(-self.shift, self.shift) * side
        height = side * np.random.uniform(*self.ratio)
        window = bbox_xywh2xyxy(np.array([[x, y, side, height]]))[0]
        window = window.clip(min=0)
        window[2] = min(window[2], results['width'][0])
        window[3] = min(window[3], results['height'][0])
        return window.astype(np.int32)

    def __call__(self, results: dict) -> dict:
        window = self._window(results)
        for i, video in enumerate(results['video']):
            frame_h, frame_w = video.shape[1:3]
            x1, y1 = min(window[0], frame_w - 1), min(window[1], frame_h - 1)
            x2, y2 = min(window[2], frame_w - 1), min(window[3], frame_h - 1)
            video = _crop(video, x1, y1, x2 - x1 + 1, y2 - y1 + 1)
            _set_size(
                results, i,
                _map_frames(video, lambda img: mmcv.imresize(img, self.size)))
        return results


@PIPELINES.register_module()
class GestureRandomFlip:
    """Mirror every clip horizontally with probability ``prob``, swapping
    the label with its partner in ``ann_info['flip_pairs']``.

    Args:
        prob (float): Flip probability. Default: 0.5.

    Required keys: 'video', 'label', 'ann_info'. Modified keys: 'video',
    'label'. Added key: 'flipped'.
    """

    def __init__(self, prob: float = 0.5):
        self.flip_prob = prob

    def __call__(self, results: dict) -> dict:
        flip = np.random.rand() < self.flip_prob
        if flip:
            results['video'] = [v[:, :, ::-1] for v in results['video']]
            for pair in results['ann_info']['flip_pairs']:
                if results['label'] in pair:
                    results['label'] = sum(pair) - results['label']
                    break
        results['flipped'] = flip
        return results


@PIPELINES.register_module()
class VideoColorJitter:
    """Scale the brightness, then the contrast, of the RGB clips by random
    factors from ``[max(0, 1 - x), 1 + x]`` (one pair per clip), with
    :func:`mmcv.adjust_brightness` and :func:`mmcv.adjust_contrast` (the
    contrast pivots on the grey mean of the whole clip).

    Args:
        brightness (float): Brightness jitter. Default: 0.
        contrast (float): Contrast jitter. Default: 0.

    Required keys: 'video' (uint8), 'modality'. Modified key: 'video'.
    """

    def __init__(self, brightness: float = 0, contrast: float = 0):
        self.brightness = brightness
        self.contrast = contrast

    def __call__(self, results: dict) -> dict:
        for i, modal in enumerate(results['modality']):
            if modal != 'rgb':
                continue
            video = results['video'][i]
            bright = np.random.uniform(
                max(0, 1 - self.brightness), 1 + self.brightness)
            contrast = np.random.uniform(
                max(0, 1 - self.contrast), 1 + self.contrast)
            video = mmcv.adjust_brightness(video.astype(np.int32), bright)
            num_frames, height, width, _ = video.shape
            # All frames as one tall image: one contrast mean for the clip.
            video = video.astype(np.uint8).reshape(-1, width, 3)
            results['video'][i] = mmcv.adjust_contrast(video, contrast)\
                .reshape(num_frames, height, width, 3)
        return results


def _check_square_crop(results: dict, length: int) -> Tuple[int, int]:
    """The common ``(height, width)`` of the clips, checked to hold a
    ``length`` square."""
    heights, widths = set(results['height']), set(results['width'])
    if len(heights) != 1 or len(widths) != 1:
        raise ArgumentError(
            f'the clips must share one size to be cropped alike, got heights '
            f'{results["height"]} and widths {results["width"]}')
    height, width = heights.pop(), widths.pop()
    if min(height, width) < length:
        raise ArgumentError(f'crop length {length} exceeds the clip size '
                            f'{width}x{height} (width x height)')
    return height, width


@PIPELINES.register_module()
class RandomAlignedSpatialCrop:
    """Crop the same random ``length`` square from every clip (one window
    for all modalities, so they stay aligned; 0.29 drew one per modality).

    Args:
        length (int): Side of the crop. Default: 224.

    Required keys: 'video', 'modality', 'width', 'height'. Modified keys:
    'video', 'width', 'height'.
    """

    def __init__(self, length: int = 224):
        self.length = length

    def __call__(self, results: dict) -> dict:
        height, width = _check_square_crop(results, self.length)
        y = np.random.randint(height - self.length + 1)
        x = np.random.randint(width - self.length + 1)
        for i, video in enumerate(results['video']):
            _set_size(results, i,
                      _crop(video, x, y, self.length, self.length))
        return results


@PIPELINES.register_module()
class CenterSpatialCrop:
    """Crop the central ``length`` square (top-left at
    ``((W - length) // 2, (H - length) // 2)``) from every clip.

    Args:
        length (int): Side of the crop. Default: 224.

    Required keys: 'video', 'modality', 'width', 'height'. Modified keys:
    'video', 'width', 'height'.
    """

    def __init__(self, length: int = 224):
        self.length = length

    def __call__(self, results: dict) -> dict:
        for i, video in enumerate(results['video']):
            height, width = results['height'][i], results['width'][i]
            x, y = (width - self.length) // 2, (height - self.length) // 2
            _set_size(results, i,
                      _crop(video, x, y, self.length, self.length))
        return results


# Channels each modality keeps from a decoded (BGR) video.
_MODALITY_CHANNELS = {
    'rgb': lambda v: v[..., ::-1],
    'depth': lambda v: v[..., :1] if v.ndim == 4 else v[..., None],
    'flow': lambda v: v[..., :2],
}


@PIPELINES.register_module()
class ModalWiseChannelProcess:
    """Give each clip its modality's channels: 'rgb' BGR -> RGB, 'depth'
    the first channel (or a channel axis for ``[T, H, W]``), 'flow' the
    first two.

    Required keys: 'video', 'modality'. Modified key: 'video'.
    """

    def __call__(self, results: dict) -> dict:
        for i, modal in enumerate(results['modality']):
            if modal not in _MODALITY_CHANNELS:
                raise ArgumentError(
                    f'modality {modal!r} is invalid; expected one of '
                    f'{sorted(_MODALITY_CHANNELS)}')
            results['video'][i] = _MODALITY_CHANNELS[modal](
                results['video'][i])
        return results


@PIPELINES.register_module()
class MultiModalVideoToTensor:
    """Clips ``np.ndarray[T, H, W, C]`` in [0, 255] -> float
    ``torch.Tensor[C, T, H, W]`` in [0, 1].

    Required keys: 'video', 'modality'. Modified key: 'video'.
    """

    def __call__(self, results: dict) -> dict:
        results['video'] = [
            torch.from_numpy(np.ascontiguousarray(
                v.transpose(3, 0, 1, 2))).float() / 255.0
            for v in results['video']
        ]
        return results


@PIPELINES.register_module()
class VideoNormalizeTensor:
    """``(clip - mean) / std`` per channel, for the RGB clips only.

    Args:
        mean (Sequence[float]): Mean of the 3 channels.
        std (Sequence[float]): Standard deviation of the 3 channels.

    Required keys: 'video' (``torch.Tensor[3, T, H, W]``), 'modality'.
    Modified key: 'video'.
    """

    def __init__(self, mean: Sequence[float], std: Sequence[float]):
        self.mean = torch.tensor(mean)
        self.std = torch.tensor(std)

    def __call__(self, results: dict) -> dict:
        for i, modal in enumerate(results['modality']):
            if modal == 'rgb':
                video = results['video'][i]
                shape = (3, ) + (1, ) * (video.ndim - 1)
                results['video'][i] = (video - self.mean.view(shape)) \
                    / self.std.view(shape)
        return results
