"""Small helpers of the webcam applications: frame-rate limiting, image and
config file lookup, colour-key matting and box geometry.

Note:
    image height and width: H, W
"""
import os
import os.path as osp
import sys
import time
from contextlib import contextmanager
from typing import Iterator, List, Optional, Sequence, Tuple
from urllib.parse import urlparse
from urllib.request import urlopen

import cv2
import numpy as np

from mmpose.errors import ArgumentError, UnsupportedError
from mmpose.utils.config_paths import find_config_file

__all__ = [
    'copy_and_paste', 'expand_and_clamp', 'get_cached_file_path',
    'get_config_path', 'is_image_file', 'limit_max_fps',
    'load_image_from_disk_or_url', 'screen_matting'
]

#: File name endings read as still images (case-insensitive).
IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.tiff', '.bmp')

#: ``screen_matting`` colour names -> (lowest, highest) BGR of the key.
MATTING_COLORS = {
    'green': ((0, 200, 0), (60, 255, 60)),
    'blue': ((230, 0, 0), (255, 40, 40)),
    'black': ((0, 0, 0), (40, 40, 40)),
    'white': ((230, 230, 230), (255, 255, 255)),
}
_COLOR_ABBREVIATIONS = {'g': 'green', 'b': 'blue', 'k': 'black', 'w': 'white'}


@contextmanager
def limit_max_fps(fps: Optional[float]) -> Iterator[None]:
    """Make each pass through the ``with`` block last at least ``1 / fps``
    seconds, sleeping at its end when the body was quicker.

    Args:
        fps (float | None): Highest rate at which the block is entered;
            None: no limit.

    Example::
        >>> while True:
        ...     with limit_max_fps(20):
        ...         show(frame)  # at most 20 frames a second
    """
    start = time.time()
    try:
        yield
    finally:
        if fps is not None:
            remaining = 1.0 / fps - (time.time() - start)
            if remaining > 0:
                time.sleep(remaining)


def _is_url(filename: str) -> bool:
    return filename.startswith(('http://', 'https://'))


def load_image_from_disk_or_url(filename: str,
                                readFlag: int = cv2.IMREAD_COLOR
                                ) -> np.ndarray:
    """Read an image from a local file or an http(s) address.

    Args:
        filename (str): Path or URL.
        readFlag (int): OpenCV ``imread`` flag. Default: ``IMREAD_COLOR``.

    Returns:
        np.ndarray[H, W, 3]: The image (BGR for the default flag).

    Raises:
        FileNotFoundError: A local file that does not exist or cannot be
            decoded as an image.
    """
    if _is_url(filename):
        with urlopen(filename) as response:
            data = np.frombuffer(response.read(), dtype=np.uint8)
        image = cv2.imdecode(data, readFlag)
    else:
        if not osp.isfile(filename):
            raise FileNotFoundError(f'image file {filename!r} does not exist')
        image = cv2.imread(filename, readFlag)
    if image is None:
        raise FileNotFoundError(f'{filename!r} could not be read as an image')
    return image


def get_cached_file_path(url: str,
                         save_dir: Optional[str] = None,
                         progress: bool = True,
                         check_hash: bool = False,
                         file_name: Optional[str] = None) -> str:
    """Local copy of the file at ``url``, downloaded on first use.

    Args:
        url (str): Address of the file.
        save_dir (str, optional): Folder of the copies. Default:
            ``'webcam_resources'`` (relative to the working directory).
        progress (bool): Show a download progress bar. Default: True.
        check_hash (bool): Check the download against the SHA-256 prefix
            in its name (``name-<sha256>.ext``, torch.hub's convention).
            Default: False.
        file_name (str, optional): Name of the copy. Default: the last part
            of the URL's path.

    Returns:
        str: Path of the local copy (reused when it exists already).
    """
    save_dir = 'webcam_resources' if save_dir is None else save_dir
    os.makedirs(save_dir, exist_ok=True)
    if file_name is None:
        file_name = osp.basename(urlparse(url).path)
    cached_file = osp.join(save_dir, file_name)
    if not osp.exists(cached_file):
        from torch.hub import HASH_REGEX, download_url_to_file
        sys.stderr.write(f'Downloading: "{url}" to {cached_file}\n')
        match = HASH_REGEX.search(file_name) if check_hash else None
        download_url_to_file(url, cached_file,
                             match.group(1) if match else None,
                             progress=progress)
    return cached_file


def screen_matting(img: np.ndarray,
                   color_low: Optional[Tuple[int, int, int]] = None,
                   color_high: Optional[Tuple[int, int, int]] = None,
                   color: Optional[str] = None) -> np.ndarray:
    """Mask of the pixels outside a key colour range (a green screen).

    Args:
        img (np.ndarray[H, W, 3]): BGR image.
        color_low (tuple, optional): Lowest (b, g, r) of the key.
        color_high (tuple, optional): Highest (b, g, r) of the key.
        color (str, optional): Key by name, used when ``color_low`` or
            ``color_high`` is missing: ``'green'``/``'g'``, ``'blue'``/``'b'``,
            ``'black'``/``'k'`` or ``'white'``/``'w'``.

    Returns:
        np.ndarray[H, W]: uint8, 0 where the pixel is in the key range and
        1 elsewhere.

    Raises:
        ArgumentError: Neither both limits nor ``color`` given.
        UnsupportedError: ``color`` is not one of the names above.
    """
    if color_low is None or color_high is None:
        if color is None:
            raise ArgumentError(
                'screen_matting needs color_low and color_high, or color')
        name = _COLOR_ABBREVIATIONS.get(color.lower(), color.lower())
        if name not in MATTING_COLORS:
            raise UnsupportedError(
                f'screen_matting color {color!r} is not supported; use one '
                f'of {sorted(MATTING_COLORS)} or their first letters '
                "('k' for black)")
        color_low, color_high = MATTING_COLORS[name]
    in_key = cv2.inRange(img, np.array(color_low), np.array(color_high))
    return (in_key == 0).astype(np.uint8)


def expand_and_clamp(box: Sequence[float],
                     im_shape: Tuple[int, ...],
                     scale: float = 1.25) -> List[int]:
    """Scale a box about its centre, then clip it into the image.

    Coordinates are truncated to integers before clipping to
    ``[0, W - 1]`` and ``[0, H - 1]``.

    Args:
        box (Sequence[float]): ``x1, y1, x2, y2[, ...]`` (extra entries are
            ignored).
        im_shape (tuple): Image shape ``(H, W[, C])``.
        scale (float): Side-length factor. Default: 1.25.

    Returns:
        list[int]: ``[x1, y1, x2, y2]``.
    """
    x1, y1, x2, y2 = np.asarray(box[:4], dtype=np.float64)
    half_growth = np.array([x2 - x1, y2 - y1]) * (scale - 1) / 2
    corners = np.array([x1, y1, x2, y2]) + np.tile(half_growth, 2) * [
        -1, -1, 1, 1
    ]
    img_h, img_w = im_shape[:2]
    upper = np.array([img_w, img_h, img_w, img_h]) - 1
    return np.clip(np.trunc(corners), 0, upper).astype(int).tolist()


def _find_bbox(mask: np.ndarray) -> List[int]:
    """Tightest ``[x1, y1, x2, y2]`` (inclusive) around the non-zero pixels
    of ``mask`` (np.ndarray[H, W] or [H, W, 1]); ``[0, 0, 0, 0]`` if none."""
    if mask.ndim == 3:
        if mask.shape[-1] != 1:
            raise ArgumentError(
                f'mask must have one channel, got shape {mask.shape}')
        mask = mask[..., 0]
    elif mask.ndim != 2:
        raise ArgumentError(f'mask must be [H, W] or [H, W, 1], got shape '
                            f'{mask.shape}')
    cols = np.flatnonzero(mask.any(axis=0))
    rows = np.flatnonzero(mask.any(axis=1))
    if cols.size == 0:
        return [0, 0, 0, 0]
    return [int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1])]


def copy_and_paste(img: np.ndarray,
                   background_img: np.ndarray,
                   mask: np.ndarray,
                   bbox: Optional[Sequence[float]] = None,
                   effect_region: Tuple[float, float, float,
                                        float] = (0.2, 0.2, 0.8, 0.8),
                   min_size: Tuple[int, int] = (20, 20)) -> np.ndarray:
    """Cut an instance out of ``img`` and paste it onto a background.

    The instance (the pixels of ``mask`` equal to 1 inside ``bbox``) is
    resized, keeping its aspect ratio, to fill ``effect_region`` of the
    background as far as it can, and pasted with its top-left corner at the
    region's. Instances not larger than ``min_size`` are left out.

    Args:
        img (np.ndarray[H, W, 3]): Image holding the instance.
        background_img (np.ndarray[H', W', 3]): Background (not modified).
        mask (np.ndarray[H, W]): Instance mask of 0s and 1s.
        bbox (Sequence[float], optional): Instance box ``x1, y1, x2, y2``.
            Default: the tightest box around the mask.
        effect_region (tuple): Target region ``x1, y1, x2, y2`` as fractions
            of the background's width and height.
        min_size (tuple): ``(w, h)`` in pixels the box must exceed.

    Returns:
        np.ndarray[H', W', 3]: A copy of the background with the instance.
    """
    result = background_img.copy()
    bg_h, bg_w = result.shape[:2]
    region_w = (effect_region[2] - effect_region[0]) * bg_w
    region_h = (effect_region[3] - effect_region[1]) * bg_h
    if bbox is None:
        bbox = _find_bbox(mask)
    x1, y1, x2, y2 = (int(v) for v in bbox[:4])
    inst_w, inst_h = x2 - x1, y2 - y1
    if inst_w <= min_size[0] or inst_h <= min_size[1]:
        return result

    # the side that meets the region's border first sets the factor
    rate = min(region_w / inst_w, region_h / inst_h)
    size = (int(rate * inst_w), int(rate * inst_h))
    inst = cv2.resize(img[y1:y2, x1:x2].astype(np.float32), size)
    inst_mask = cv2.resize(mask[y1:y2, x1:x2].astype(np.float32), size,
                           interpolation=cv2.INTER_NEAREST) == 1
    rows, cols = np.nonzero(inst_mask)
    result[rows + int(effect_region[1] * bg_h),
           cols + int(effect_region[0] * bg_w)] = inst[rows, cols].astype(
               result.dtype)
    return result


def is_image_file(path: str) -> bool:
    """Whether ``path`` is a string ending in an image extension
    (:data:`IMAGE_EXTENSIONS`)."""
    return isinstance(path, str) and path.lower().endswith(IMAGE_EXTENSIONS)


def get_config_path(path: str, module_name: str) -> str:
    """Find a config file of an OpenMMLab code base.

    ``path`` itself when it is a file; else the same relative path in the
    source checkout of an editable install of ``module_name``, in its
    ``.mim`` folder (how mim installs ship ``configs/``), then in the
    package folder itself (see :mod:`mmpose.utils.config_paths`).

    Args:
        path (str): Config path, e.g. ``'configs/_base_/filters/
            one_euro.py'``.
        module_name (str): Package to search, e.g. ``'mmpose'``, ``'mmdet'``.

    Returns:
        str: Path of an existing file.

    Raises:
        FileNotFoundError: None of the places has the file (the message
            lists them).
    """
    return find_config_file(path, module_name)
