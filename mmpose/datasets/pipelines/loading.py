"""Image loading transform."""
import os.path as osp

import cv2
import numpy as np

from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

from ..builder import PIPELINES

_IMREAD_FLAGS = {
    'color': cv2.IMREAD_COLOR,
    'grayscale': cv2.IMREAD_GRAYSCALE,
    'unchanged': cv2.IMREAD_UNCHANGED,
}


def read_image(path: str, color_type: str = 'color',
               channel_order: str = 'rgb') -> np.ndarray:
    """Decode an image file into ``np.ndarray[H, W, C]`` (``[H, W]`` for
    grayscale), raising errors that name the file.

    Args:
        path (str): image file path.
        color_type (str): 'color', 'grayscale' or 'unchanged'.
        channel_order (str): 'rgb' or 'bgr' (colour images only).
    """
    if color_type not in _IMREAD_FLAGS:
        raise ArgumentError('color_type must be one of '
                            f'{sorted(_IMREAD_FLAGS)}, got {color_type!r}')
    if channel_order not in ('rgb', 'bgr'):
        raise ArgumentError("channel_order must be 'rgb' or 'bgr', got "
                            f'{channel_order!r}')
    if not osp.isfile(path):
        raise FileNotFoundError(f'image file does not exist: {path}')
    with open(path, 'rb') as f:
        buf = np.frombuffer(f.read(), dtype=np.uint8)
    img = cv2.imdecode(buf, _IMREAD_FLAGS[color_type]) if buf.size else None
    if img is None:
        raise OSError(f'failed to decode image file (corrupt or unsupported '
                      f'format): {path}')
    if channel_order == 'rgb' and img.ndim == 3 and img.shape[2] >= 3:
        code = cv2.COLOR_BGRA2RGBA if img.shape[2] == 4 else cv2.COLOR_BGR2RGB
        img = cv2.cvtColor(img, code, dst=img)
    return img


def bgr_to_rgb(img: np.ndarray) -> np.ndarray:
    """Reverse the channel order of a BGR image ``[H, W, 3]`` or of a stack
    of frames ``[N, H, W, 3]`` (RGB <-> BGR)."""
    if img.ndim not in (3, 4) or img.shape[-1] != 3:
        raise ArgumentError('results["img"] must be an image [H, W, 3] or '
                            f'frames [N, H, W, 3], got shape {img.shape}')
    return np.ascontiguousarray(img[..., ::-1])


@PIPELINES.register_module()
class LoadImageFromFile:
    """Load the image at ``results["image_file"]`` (or the frames at a list
    of paths) into ``results["img"]`` (an image, or a list of them).

    Without ``image_file`` (or with ``image_file=None``) the image is taken
    from ``results["img"]`` as 0.29 does: an array ``[H, W, 3]``, frames
    ``[N, H, W, 3]`` or a list of them, assumed BGR (as OpenCV reads them)
    and turned into RGB when ``color_type='color'`` and
    ``channel_order='rgb'``; ``image_file`` is then set to None.

    Args:
        to_float32 (bool): cast the image read from a file to float32.
            Default: False (uint8).
        color_type (str): 'color', 'grayscale' or 'unchanged'.
            Default: 'color'.
        channel_order (str): 'rgb' or 'bgr'. Default: 'rgb'.
    """

    def __init__(self,
                 to_float32: bool = False,
                 color_type: str = 'color',
                 channel_order: str = 'rgb'):
        self.to_float32 = to_float32
        self.color_type = color_type
        self.channel_order = channel_order

    def __call__(self, results: dict) -> dict:
        paths = results.get('image_file')
        if paths is None:
            return self._format_given(results)
        if isinstance(paths, (list, tuple)):
            # The frames of a multi-frame sample (0.29's video datasets).
            results['img'] = [self._read(path) for path in paths]
        else:
            results['img'] = self._read(paths)
        return results

    def _format_given(self, results: dict) -> dict:
        """``results["img"]`` set by the caller, in the asked channel
        order."""
        if 'img' not in results:
            raise UnknownNameError('LoadImageFromFile needs '
                                   'results["image_file"] or results["img"]; '
                                   f'got keys {sorted(results)}')
        img = results['img']
        images = img if isinstance(img, (list, tuple)) else [img]
        for image in images:
            if not isinstance(image, np.ndarray):
                raise ArgumentTypeError(
                    'results["img"] must be an np.ndarray or a list of '
                    f'them, got {type(image).__name__}')
        if self.color_type == 'color' and self.channel_order == 'rgb':
            converted = [bgr_to_rgb(image) for image in images]
            results['img'] = converted if isinstance(
                img, (list, tuple)) else converted[0]
        results['image_file'] = None
        return results

    def _read(self, path: str) -> np.ndarray:
        img = read_image(path, self.color_type, self.channel_order)
        return img.astype(np.float32) if self.to_float32 else img

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(to_float32={self.to_float32}, '
                f"color_type='{self.color_type}', "
                f"channel_order='{self.channel_order}')")
