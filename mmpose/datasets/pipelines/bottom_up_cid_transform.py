"""Training targets of CID (contextual instance decoupling, Wang et al.,
CVPR 2022; MMPose 0.29): a multi-person keypoint + center heatmap and,
per instance, its center cell and its own keypoint heatmaps.

Peaks are CornerNet Gaussians whose radius follows each person's box.

Note:
    number of people: M
    number of keypoints: K
    heatmap height, width: H, W
"""
import math
from typing import Tuple

import numpy as np

from mmpose.errors import ArgumentError
from ..builder import PIPELINES
from .bottom_up_transform import _size_wh

__all__ = ['CIDGenerateTarget', 'gaussian_radius']


def gaussian_radius(height: float, width: float,
                    min_overlap: float = 0.7) -> float:
    """Largest corner displacement keeping a box's IoU above
    ``min_overlap`` (CornerNet's three cases; the smallest root)."""
    roots = []
    for a, b, c in ((1, height + width,
                     width * height * (1 - min_overlap) / (1 + min_overlap)),
                    (4, 2 * (height + width),
                     (1 - min_overlap) * width * height),
                    (4 * min_overlap, -2 * min_overlap * (height + width),
                     (min_overlap - 1) * width * height)):
        roots.append((b + math.sqrt(b**2 - 4 * a * c)) / 2)
    return min(roots)


def _gaussian_patch(radius: int) -> np.ndarray:
    """(2r+1)^2 Gaussian with sigma (2r+1)/6, negligible values zeroed."""
    d = np.arange(-radius, radius + 1, dtype=np.float64)
    sigma = (2 * radius + 1) / 6
    patch = np.exp(-(d[None]**2 + d[:, None]**2) / (2 * sigma * sigma))
    patch[patch < np.finfo(patch.dtype).eps * patch.max()] = 0
    return patch


def person_heatmaps(size: Tuple[int, int], keypoints: np.ndarray,
                    boxes: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Max-combined Gaussian heatmaps of people's keypoints.

    Each person's radius comes from its box (clipped to the map); a labelled
    keypoint inside the map draws a peak at its (truncated) cell; an
    unlabelled one zeroes that keypoint's mask.

    Args:
        size (tuple[int, int]): (W, H).
        keypoints (np.ndarray[M, J, 3]): x, y, visibility.
        boxes (np.ndarray[M, 4, 2]): Box corners; 0->1 spans the width and
            0->2 the height.

    Returns:
        tuple: heatmaps ``float32[J, H, W]`` and mask ``float32[J, 1, 1]``.
    """
    width, height = size
    num_joints = keypoints.shape[1]
    maps = np.zeros((num_joints, height, width), dtype=np.float32)
    mask = np.ones((num_joints, 1, 1), dtype=np.float32)
    # one radius per person: the loop is over people, keypoints vectorised
    for kpts, box in zip(keypoints, boxes):
        box = np.clip(box, 0, [width - 1, height - 1])
        box_h = np.linalg.norm(box[2] - box[0])
        box_w = np.linalg.norm(box[1] - box[0])
        radius = max(0, int(gaussian_radius(math.ceil(box_h),
                                            math.ceil(box_w))))
        labelled = kpts[:, 2] > 0
        mask[~labelled] = 0
        x, y = np.trunc(kpts[:, 0]), np.trunc(kpts[:, 1])
        draw = labelled & (x >= 0) & (y >= 0) & (x < width) & (y < height)
        ids = np.flatnonzero(draw)
        if not len(ids):
            continue
        d = np.arange(-radius, radius + 1)
        xs = x[ids, None, None].astype(np.int64) + d[None, None, :]
        ys = y[ids, None, None].astype(np.int64) + d[None, :, None]
        values = np.broadcast_to(_gaussian_patch(radius), xs.shape[:1] +
                                 (len(d), len(d)))
        inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
        channel = np.broadcast_to(ids[:, None, None], inside.shape)
        ch, yy = channel[inside], np.broadcast_to(ys, inside.shape)[inside]
        xx = np.broadcast_to(xs, inside.shape)[inside]
        np.maximum.at(maps, (ch, yy, xx), values[inside].astype(np.float32))
    return maps, mask


@PIPELINES.register_module()
class CIDGenerateTarget:
    """Generate the CID training targets.

    Required keys: 'joints' (first scale, ``[M, K, 3]``), 'bboxes'
    (``[M, 4, 2]`` corners, see :func:`person_heatmaps`), 'areas' (``[M]``),
    'mask' (first scale, ``[H, W]``) and 'ann_info' (``num_joints``,
    ``heatmap_size``). Added keys: 'multi_heatmap' (``float32[K + 1, H,
    W]``, the person centers last), 'multi_mask' (``[1, H, W]``), and,
    padded to ``max_num_people`` in a random order: 'instance_coord'
    (center cell (y, x), ``int[M', 2]``), 'instance_heatmap'
    (``float32[M', K, H, W]``), 'instance_mask' (``float32[M', K, 1, 1]``)
    and 'instance_valid' (``int[M']``).

    A person's center is the mean of its labelled keypoints; instances are
    taken from the smallest area up, their center cell jittered by one
    cell at random (kept inside the map), and skipped when that cell is
    already taken.

    Args:
        max_num_people (int): M', the padded number of instances.
    """

    def __init__(self, max_num_people: int):
        self.max_num_people = max_num_people

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        num_joints = cfg['num_joints']
        size = _size_wh(cfg['heatmap_size'][0])
        width, height = size
        keypoints = np.asarray(results['joints'][0], dtype=np.float64)
        boxes = np.asarray(results['bboxes'], dtype=np.float64)
        if keypoints.ndim != 3 or keypoints.shape[1] != num_joints or len(
                boxes) != len(keypoints):
            raise ArgumentError(
                f'CIDGenerateTarget: joints must be [M, {num_joints}, 3] with '
                f'one [4, 2] box per person, got {keypoints.shape} and '
                f'{boxes.shape}')
        labelled = keypoints[..., 2] > 0
        count = labelled.sum(axis=1)
        centers = np.zeros((len(keypoints), 1, 3))
        centers[:, 0, :2] = (keypoints[..., :2] * labelled[..., None]).sum(
            axis=1) / np.maximum(count, 1)[:, None]
        centers[:, 0, 2] = np.where(count > 0, 2, 0)
        results['multi_heatmap'], _ = person_heatmaps(
            size, np.concatenate([keypoints, centers], axis=1), boxes)
        results['multi_mask'] = np.asarray(results['mask'][0])[None]

        coords, people, taken = [], [], set()
        order = np.argsort(np.asarray(results['areas']).reshape(-1),
                           kind='stable')
        for i in order:  # sequential: a taken cell blocks later people
            cx, cy, visible = centers[i, 0]
            x, y = int(cx), int(cy)
            if visible < 1 or not (0 <= x < width and 0 <= y < height):
                continue
            jx, jy = x + np.random.randint(-1, 2), y + np.random.randint(-1, 2)
            if 0 <= jx < width and 0 <= jy < height:
                x, y = jx, jy
            if (y, x) in taken:
                continue
            taken.add((y, x))
            coords.append((y, x))
            people.append(i)

        slots = np.random.permutation(len(coords))[:self.max_num_people]
        instance_coord = np.zeros((self.max_num_people, 2), dtype=int)
        instance_heatmap = np.zeros(
            (self.max_num_people, num_joints, height, width),
            dtype=np.float32)
        instance_mask = np.zeros((self.max_num_people, num_joints, 1, 1),
                                 dtype=np.float32)
        instance_valid = np.zeros(self.max_num_people, dtype=int)
        for slot, idx in enumerate(slots):
            person = people[idx]
            instance_coord[slot] = coords[idx]
            instance_heatmap[slot], instance_mask[slot] = person_heatmaps(
                size, keypoints[person:person + 1],
                boxes[person:person + 1])
            instance_valid[slot] = 1
        results.update(
            instance_coord=instance_coord,
            instance_heatmap=instance_heatmap,
            instance_mask=instance_mask,
            instance_valid=instance_valid)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}'
                f'(max_num_people={self.max_num_people})')
