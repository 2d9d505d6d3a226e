"""Drawing of bounding boxes, keypoints and limbs with OpenCV.

Colours are used as given (the palettes are passed straight to OpenCV).
Skeleton links use 0-based keypoint indices, as 0.29's ``imshow_keypoints``
and ``DatasetInfo.skeleton`` (``[[15, 13], [13, 11], ...]`` for COCO); the
0.14 drawing methods (``show_result``) take 1-based links and convert them
with :func:`links_from_1based`.

Note:
    number of instances: N
    number of keypoints: K
    number of links: L
"""
import math
from typing import Optional, Sequence, Tuple, Union

import cv2
import mmcv
import numpy as np

from mmpose.errors import ArgumentError

__all__ = ['imshow_bboxes', 'imshow_keypoints', 'links_from_1based']

ColorType = Union[str, Tuple[int, int, int]]


def _as_color(color: ColorType) -> Tuple[int, int, int]:
    """A colour name, mmcv ``Color`` or integer triple as an int triple."""
    if isinstance(color, (str, mmcv.Color)):
        return tuple(int(c) for c in mmcv.color_val(color))
    color = tuple(int(c) for c in color)
    if len(color) != 3:
        raise ArgumentError(f'a colour needs 3 channels, got {color}')
    return color


def imshow_bboxes(img: Union[str, np.ndarray],
                  bboxes: Union[np.ndarray, Sequence[np.ndarray]],
                  labels: Optional[Sequence[str]] = None,
                  colors: Union[ColorType, Sequence[ColorType]] = 'green',
                  text_color: ColorType = 'white',
                  thickness: int = 1,
                  font_scale: float = 0.5,
                  show: bool = True,
                  win_name: str = '',
                  wait_time: int = 0,
                  out_file: Optional[str] = None) -> np.ndarray:
    """Draw boxes (and optional labels) on an image, in place.

    Args:
        img (str | np.ndarray[H, W, 3]): Image (BGR) or its path.
        bboxes (np.ndarray[N, 4 or 5]): Boxes ``x1, y1, x2, y2[, score]``.
        labels (Sequence[str] | None): A text per box.
        colors: One colour for all boxes, or one per box.
        text_color: Colour of the label text.
        thickness (int): Line thickness.
        font_scale (float): Label font scale.
        show (bool): Show the image in a window (0.29's default: True).
        win_name (str): Window name.
        wait_time (int): ``cv2.waitKey`` delay when showing.
        out_file (str | None): Write the image there.

    Returns:
        np.ndarray[H, W, 3]: The drawn image.
    """
    img = mmcv.imread(img)
    bboxes = np.asarray(bboxes, dtype=np.float32)
    if bboxes.size == 0:
        bboxes = bboxes.reshape(0, 4)
    elif bboxes.ndim == 1:
        bboxes = bboxes[None]
    if bboxes.shape[1] not in (4, 5):
        raise ArgumentError(f'bboxes must be [N, 4] or [N, 5], got '
                            f'{bboxes.shape}')
    if labels is not None and len(labels) != len(bboxes):
        raise ArgumentError(f'{len(labels)} labels for {len(bboxes)} bboxes')
    single = isinstance(colors, (str, mmcv.Color)) or (
        len(colors) == 3 and isinstance(colors[0], (int, float, np.number)))
    if single:
        colors = [colors] * len(bboxes)
    if len(colors) != len(bboxes):
        raise ArgumentError(f'{len(colors)} colours for {len(bboxes)} bboxes')
    text_color = _as_color(text_color)
    corners = np.round(bboxes[:, :4]).astype(np.int64)
    for i, (x1, y1, x2, y2) in enumerate(corners):
        color = _as_color(colors[i])
        cv2.rectangle(img, (int(x1), int(y1)), (int(x2), int(y2)), color,
                      thickness)
        if labels is not None:
            (tw, th), base = cv2.getTextSize(labels[i],
                                             cv2.FONT_HERSHEY_DUPLEX,
                                             font_scale, 1)
            top = max(int(y1) - th - base, 0)
            cv2.rectangle(img, (int(x1), top), (int(x1) + tw, top + th + base),
                          color, cv2.FILLED)
            cv2.putText(img, labels[i], (int(x1), top + th),
                        cv2.FONT_HERSHEY_DUPLEX, font_scale, text_color, 1)
    if show:
        mmcv.imshow(img, win_name, wait_time)
    if out_file is not None:
        mmcv.imwrite(img, out_file)
    return img


def _blend(img: np.ndarray, drawn: np.ndarray, alpha: float) -> None:
    """``img = alpha * drawn + (1 - alpha) * img`` in place."""
    alpha = float(max(0., min(1., alpha)))
    cv2.addWeighted(drawn, alpha, img, 1 - alpha, 0, dst=img)


def _has_color(colors: Sequence) -> np.ndarray:
    """np.ndarray[N] of bool: which entries of a colour list are not None
    (0.29 tables may leave a keypoint or link uncoloured: not drawn)."""
    if isinstance(colors, np.ndarray) and colors.dtype != object:
        return np.ones(len(colors), dtype=bool)
    return np.array([color is not None for color in colors], dtype=bool)


def imshow_keypoints(img: Union[str, np.ndarray],
                     pose_result: Sequence[np.ndarray],
                     skeleton: Optional[Sequence[Sequence[int]]] = None,
                     kpt_score_thr: float = 0.3,
                     pose_kpt_color: Optional[np.ndarray] = None,
                     pose_link_color: Optional[np.ndarray] = None,
                     radius: int = 4,
                     thickness: int = 1,
                     show_keypoint_weight: bool = False) -> np.ndarray:
    """Draw keypoints and links of several instances, in place.

    Args:
        img (str | np.ndarray[H, W, 3]): Image (BGR) or its path.
        pose_result (Sequence[np.ndarray[K, 3]]): ``x, y, score`` per
            keypoint for each instance.
        skeleton (Sequence[Sequence[int]] | None): Links as pairs of
            0-based keypoint indices ([L, 2]).
        kpt_score_thr (float): Keypoints scoring at or below are skipped.
        pose_kpt_color (np.ndarray[K, 3] | Sequence | None): Keypoint
            colours; None draws no keypoints, and a None entry (0.29) skips
            that keypoint.
        pose_link_color (np.ndarray[L, 3] | Sequence | None): Link colours;
            None draws no links, and a None entry (0.29) skips that link.
        radius (int): Keypoint circle radius.
        thickness (int): Link line thickness.
        show_keypoint_weight (bool): Blend each mark with the image using
            its score as opacity.

    Returns:
        np.ndarray[H, W, 3]: The drawn image.
    """
    img = mmcv.imread(img)
    img_h, img_w = img.shape[:2]
    if skeleton is not None and pose_link_color is not None:
        if len(pose_link_color) != len(skeleton):
            raise ArgumentError(f'pose_link_color has {len(pose_link_color)} '
                                f'colours for {len(skeleton)} links')
        links = np.asarray(skeleton, dtype=np.int64).reshape(-1, 2)
    else:
        links = None
    for kpts in pose_result:
        kpts = np.asarray(kpts, dtype=np.float32)
        if kpts.ndim != 2 or kpts.shape[1] < 3:
            raise ArgumentError(f'keypoints must be [K, 3] (x, y, score), got '
                                f'{kpts.shape}')
        num_kpts = kpts.shape[0]
        if pose_kpt_color is not None:
            if len(pose_kpt_color) != num_kpts:
                raise ArgumentError(
                    f'pose_kpt_color has {len(pose_kpt_color)} '
                    f'colours for {num_kpts} keypoints')
            visible = np.nonzero((kpts[:, 2] > kpt_score_thr)
                                 & _has_color(pose_kpt_color))[0]
            for kid in visible:
                center = (int(kpts[kid, 0]), int(kpts[kid, 1]))
                color = _as_color(pose_kpt_color[kid])
                if show_keypoint_weight:
                    drawn = img.copy()
                    cv2.circle(drawn, center, radius, color, -1)
                    _blend(img, drawn, kpts[kid, 2])
                else:
                    cv2.circle(img, center, radius, color, -1)
        if links is None:
            continue
        if links.size and (links.min() < 0 or links.max() >= num_kpts):
            raise ArgumentError(f'skeleton refers to keypoints outside 0..'
                                f'{num_kpts - 1}: '
                                f'{np.asarray(skeleton).tolist()}')
        # Links whose both ends lie strictly inside the image and score
        # above the threshold (checked for all links at once).
        ends = kpts[links]  # [L, 2, 3]
        pos = ends[..., :2].astype(np.int64)
        inside = ((pos[..., 0] > 0) & (pos[..., 0] < img_w) &
                  (pos[..., 1] > 0) & (pos[..., 1] < img_h) &
                  (ends[..., 2] > kpt_score_thr)).all(axis=1)
        inside &= _has_color(pose_link_color)
        for lid in np.nonzero(inside)[0]:
            (x1, y1), (x2, y2) = pos[lid].tolist()
            color = _as_color(pose_link_color[lid])
            if show_keypoint_weight:
                drawn = img.copy()
                length = math.hypot(x1 - x2, y1 - y2)
                angle = math.degrees(math.atan2(y1 - y2, x1 - x2))
                polygon = cv2.ellipse2Poly(
                    (int((x1 + x2) / 2), int((y1 + y2) / 2)),
                    (int(length / 2), 2), int(angle), 0, 360, 1)
                cv2.fillConvexPoly(drawn, polygon, color)
                _blend(img, drawn, 0.5 * (ends[lid, 0, 2] + ends[lid, 1, 2]))
            else:
                cv2.line(img, (x1, y1), (x2, y2), color, thickness=thickness)
    return img


def links_from_1based(
        skeleton: Optional[Sequence[Sequence[int]]]) -> Optional[list]:
    """0.14's 1-based skeleton links ([L, 2]) as 0-based ones (None stays
    None)."""
    if skeleton is None:
        return None
    return (np.asarray(skeleton, dtype=np.int64).reshape(-1, 2) - 1).tolist()
