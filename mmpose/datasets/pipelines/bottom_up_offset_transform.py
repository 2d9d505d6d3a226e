"""Targets of the disentangled keypoint regression (DEKR, Geng et al.,
CVPR 2021; 0.29): instance centers and areas, and per-joint offset maps
from each center.

Note:
    number of people: M
    number of keypoints: K
    heatmap height / width: H / W
"""
from typing import List, Tuple

import numpy as np

from mmpose.errors import ArgumentError
from ..builder import PIPELINES
from .bottom_up_transform import _size_wh


@PIPELINES.register_module()
class GetKeypointCenterArea:
    """Center and area of each person from its labelled keypoints.

    The center is the mean of the labelled keypoints, the area the squared
    diagonal of their bounding box (``w**2 + h**2``). People with no
    labelled keypoint, or an area below ``minimal_area``, get a center with
    visibility 0.

    Required key: 'joints' (per scale, ``[M, K, 3+]``). Modifies keys:
    'center' (per scale, ``float32[M, 1, 3]``) and 'area' (per scale,
    ``float32[M]``).

    Args:
        minimal_area (float): Smallest area used in training. Default: 32.
    """

    def __init__(self, minimal_area: float = 32):
        self.minimal_area = minimal_area

    def _center_area(self, joints: np.ndarray
                     ) -> Tuple[np.ndarray, np.ndarray]:
        joints = np.asarray(joints, dtype=np.float32)
        labelled = joints[..., 2] > 0  # [M, K]
        count = labelled.sum(axis=1)
        xy = joints[..., :2]
        mean = (xy * labelled[..., None]).sum(axis=1) / np.maximum(
            count, 1)[:, None]
        low = np.where(labelled[..., None], xy, np.inf).min(axis=1)
        high = np.where(labelled[..., None], xy, -np.inf).max(axis=1)
        area = np.where(count > 0, ((high - low)**2).sum(axis=1), 0)
        center = np.zeros((len(joints), 1, 3), dtype=np.float32)
        center[:, 0, :2] = np.where(count[:, None] > 0, mean, 0)
        center[:, 0, 2] = (count > 0) & (area >= self.minimal_area)
        return center, area.astype(np.float32)

    def __call__(self, results: dict) -> dict:
        pairs = [self._center_area(j) for j in results['joints']]
        results['center'] = [c for c, _ in pairs]
        results['area'] = [a for _, a in pairs]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(minimal_area={self.minimal_area})'


def offset_maps(size: Tuple[int, int], num_joints: int, radius: int,
                center: np.ndarray, joints: np.ndarray,
                area: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Offset maps and their weights of one output scale.

    Around each visible center (a ``2 * radius`` square window), the map of
    joint k holds ``position - joint k`` for every labelled joint inside the
    map, weighted by ``1 / sqrt(area)``. Where people overlap, a pixel
    already holding an offset keeps it when it came from a smaller person
    (smaller area); once one joint of a person is written at a pixel, the
    person's other joints are written there too.

    Args:
        size (tuple[int, int]): (W, H).
        num_joints (int): K.
        radius (int): Half size of the window around each center.
        center (np.ndarray[M, 1, 3]): Centers with visibility.
        joints (np.ndarray[M, K, 3+]): Keypoints with visibility.
        area (np.ndarray[M]): Areas.

    Returns:
        tuple: offsets ``float32[2K, H, W]`` (x, y per joint) and weights
        ``float32[2K, H, W]``.
    """
    width, height = size
    joints = np.asarray(joints, dtype=np.float32)
    if joints.ndim != 3 or joints.shape[1] != num_joints:
        raise ArgumentError(f'joints must have shape [M, {num_joints}, 3+], '
                            f'got {joints.shape}')
    offsets = np.zeros((num_joints, 2, height, width), dtype=np.float32)
    weights = np.zeros((num_joints, 2, height, width), dtype=np.float32)
    area_map = np.zeros((height, width), dtype=np.float32)
    # People in order (later ones may overwrite earlier ones); joints and
    # window pixels are vectorised.
    for person in range(len(center)):
        cx, cy, visible = center[person, 0]
        if visible < 1 or not (0 <= cx < width and 0 <= cy < height):
            continue
        xy, flag = joints[person, :, :2], joints[person, :, 2]
        use = (flag >= 1) & (xy[:, 0] >= 0) & (xy[:, 1] >= 0) & (
            xy[:, 0] < width) & (xy[:, 1] < height)
        if not use.any():
            continue
        x0, y0 = max(int(cx - radius), 0), max(int(cy - radius), 0)
        x1, y1 = min(int(cx + radius), width), min(int(cy + radius), height)
        if x0 >= x1 or y0 >= y1:
            continue
        ids = np.flatnonzero(use)
        window = (slice(y0, y1), slice(x0, x1))
        held = (offsets[ids][(..., ) + window] != 0).any(axis=1)
        keep_old = held & (area_map[window] < area[person])
        write = np.logical_or.accumulate(~keep_old, axis=0)  # [J, h, w]
        px = np.arange(x0, x1, dtype=np.float32)[None, None, :]
        py = np.arange(y0, y1, dtype=np.float32)[None, :, None]
        new = np.stack([
            np.broadcast_to(px - xy[ids, 0, None, None], write.shape),
            np.broadcast_to(py - xy[ids, 1, None, None], write.shape)
        ], axis=1)
        block = offsets[ids][(..., ) + window]
        block = np.where(write[:, None], new, block)
        offsets[(ids, slice(None)) + window] = block
        wblock = weights[ids][(..., ) + window]
        wblock = np.where(write[:, None], 1.0 / np.sqrt(area[person]), wblock)
        weights[(ids, slice(None)) + window] = wblock
        area_map[window] = np.where(write.any(axis=0), area[person],
                                    area_map[window])
    return (offsets.reshape(num_joints * 2, height, width),
            weights.reshape(num_joints * 2, height, width))


@PIPELINES.register_module()
class BottomUpGenerateOffsetTarget:
    """Multi-scale DEKR offset targets.

    Required keys: 'joints', 'center', 'area' (see
    :class:`GetKeypointCenterArea`) and 'ann_info'. Modifies keys:
    'offsets' and 'offset_weights' (per scale, ``float32[2K, H, W]``).

    Args:
        radius (int): Half size of the window around each center where
            offsets are regressed. Default: 4.
    """

    def __init__(self, radius: int = 4):
        self.radius = radius

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        maps: List[Tuple[np.ndarray, np.ndarray]] = [
            offset_maps(_size_wh(size), cfg['num_joints'], self.radius,
                        results['center'][i], results['joints'][i],
                        results['area'][i])
            for i, size in enumerate(cfg['heatmap_size'][:cfg['num_scales']])
        ]
        results['offsets'] = [o for o, _ in maps]
        results['offset_weights'] = [w for _, w in maps]
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(radius={self.radius})'
