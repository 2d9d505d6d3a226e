"""Decoding of the one-stage bottom-up models of MMPose 0.29: DEKR (center
heatmap + per-pixel keypoint offsets; Geng et al., CVPR 2021) and CID
(center heatmap + one keypoint heatmap set per instance; Wang et al., CVPR
2022), and the nearby-joints pose NMS that DEKR applies.

All functions decode one image.

Note:
    number of keypoints: K
    number of poses / instances: P
    heatmap height, width: H, W
"""
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from mmpose.errors import ArgumentError

__all__ = [
    'heatmap_peaks', 'dekr_pose_maps', 'dekr_decode', 'dekr_refine_score',
    'flip_dekr_outputs', 'nearby_joints_nms', 'cid_center_pool_kernel',
    'cid_detect_centers', 'cid_keypoints'
]


def heatmap_peaks(heatmap: torch.Tensor, pool_kernel: int, max_num: int,
                  threshold: float) -> Tuple[torch.Tensor, torch.Tensor]:
    """The strongest local maxima of one map.

    A pixel is a local maximum when it equals the max over the
    ``pool_kernel`` square around it; the ``max_num`` highest maxima scoring
    more than ``threshold`` are kept.

    Args:
        heatmap (torch.Tensor[H, W]): The map.
        pool_kernel (int): Odd window size of the max filter.
        max_num (int): Most peaks returned.
        threshold (float): Scores must exceed it.

    Returns:
        tuple: flat indexes ``y * W + x`` (torch.Tensor[P]) and scores
        (torch.Tensor[P]), highest first.
    """
    if heatmap.dim() != 2:
        raise ArgumentError('heatmap_peaks: heatmap must be [H, W], got '
                            f'{tuple(heatmap.shape)}')
    pooled = F.max_pool2d(heatmap[None], pool_kernel, 1, pool_kernel // 2)[0]
    peaks = (heatmap * (heatmap == pooled)).flatten()
    scores, index = peaks.topk(min(max_num, peaks.numel()))
    keep = scores > threshold
    return index[keep], scores[keep]


def dekr_pose_maps(offsets: torch.Tensor) -> torch.Tensor:
    """Per-pixel keypoint positions from DEKR offsets (``position -
    offset``).

    Args:
        offsets (torch.Tensor[2K, H, W]): (x, y) offsets per keypoint.

    Returns:
        torch.Tensor[K, 2, H, W]: (x, y) of each keypoint regressed at each
        pixel.
    """
    h, w = offsets.shape[-2:]
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=offsets.dtype, device=offsets.device),
        torch.arange(w, dtype=offsets.dtype, device=offsets.device),
        indexing='ij')
    return torch.stack([xs, ys]) - offsets.reshape(-1, 2, h, w)


def dekr_decode(heatmaps: torch.Tensor, offsets: torch.Tensor,
                pool_kernel: int, max_num_people: int,
                keypoint_threshold: float) -> torch.Tensor:
    """Poses regressed at the peaks of DEKR's center heatmap.

    Args:
        heatmaps (torch.Tensor[1, 1 + K, H, W]): Center, then keypoint
            heatmaps.
        offsets (torch.Tensor[1, 2K, H, W]): Offsets.
        pool_kernel (int): Max-filter size of the center peaks.
        max_num_people (int): Most poses.
        keypoint_threshold (float): Center scores must exceed it.

    Returns:
        torch.Tensor[P, K, 4]: x, y (heatmap pixels) and the center score
        twice (the last column becomes the keypoint score in
        :func:`dekr_refine_score`).
    """
    if heatmaps.dim() != 4 or heatmaps.shape[0] != 1 or offsets.shape[
            0] != 1 or offsets.shape[1] != 2 * (heatmaps.shape[1] - 1):
        raise ArgumentError(
            'dekr_decode: expects heatmaps [1, 1 + K, H, W] and offsets '
            f'[1, 2K, H, W], got {tuple(heatmaps.shape)} and '
            f'{tuple(offsets.shape)}')
    index, scores = heatmap_peaks(heatmaps[0, 0], pool_kernel,
                                  max_num_people, keypoint_threshold)
    pose_maps = dekr_pose_maps(offsets[0])
    poses = pose_maps.flatten(2)[..., index].permute(2, 0, 1)  # [P, K, 2]
    scores = scores[:, None, None].expand_as(poses)
    return torch.cat([poses, scores], dim=2)


def dekr_refine_score(heatmaps: torch.Tensor,
                      poses: torch.Tensor) -> torch.Tensor:
    """Read each keypoint's heatmap value at its (bilinearly sampled,
    border-clamped) position: column 3 becomes that value and column 2 is
    multiplied by it.

    Args:
        heatmaps (torch.Tensor[1, 1 + K, H, W]): Center and keypoint
            heatmaps, in the pixel frame of ``poses``.
        poses (torch.Tensor[P, K, 4]): From :func:`dekr_decode`.

    Returns:
        torch.Tensor[P, K, 4]: ``poses`` (modified in place).
    """
    _, channels, h, w = heatmaps.shape
    # normalised as 0.29 does ((W - 1) spans [-1, 1]), sampled with
    # align_corners=False like it
    grid = torch.stack([
        poses[..., 0] / (w - 1) * 2 - 1, poses[..., 1] / (h - 1) * 2 - 1
    ], dim=-1).transpose(0, 1)[:, None]  # [K, 1, P, 2]
    kpt_scores = F.grid_sample(
        heatmaps[0, 1:, None],
        grid.to(heatmaps.dtype),
        padding_mode='border',
        align_corners=False)[:, 0, 0].transpose(0, 1)  # [P, K]
    poses[..., 3] = kpt_scores
    poses[..., 2] = poses[..., 2] * kpt_scores
    return poses


def flip_dekr_outputs(heatmaps: torch.Tensor, offsets: torch.Tensor,
                      flip_index: Sequence[int]
                      ) -> Tuple[torch.Tensor, torch.Tensor]:
    """DEKR outputs of a horizontally flipped image brought back to the
    original one: maps mirrored, keypoints swapped by ``flip_index`` and
    the x offsets negated (as 0.29: ``-x - 1``).

    Args:
        heatmaps (torch.Tensor[N, 1 + K, H, W]): Center, keypoint heatmaps.
        offsets (torch.Tensor[N, 2K, H, W]): (x, y) offsets per keypoint.
        flip_index (Sequence[int]): Keypoint k's mirror is flip_index[k].

    Returns:
        tuple: heatmaps and offsets, shapes unchanged.
    """
    n, k2, h, w = offsets.shape
    index = torch.as_tensor(list(flip_index), device=heatmaps.device)
    heatmaps = torch.cat([heatmaps[:, :1], heatmaps[:, 1:][:, index]],
                         dim=1).flip(3)
    offsets = offsets.reshape(n, k2 // 2, 2, h, w)[:, index].flip(4)
    offsets = torch.stack([-offsets[:, :, 0] - 1, offsets[:, :, 1]], dim=2)
    return heatmaps, offsets.reshape(n, k2, h, w)


def nearby_joints_nms(kpts_db: List[dict],
                      dist_thr: float,
                      num_nearby_joints_thr: Optional[int] = None,
                      score_per_joint: bool = False,
                      max_dets: int = -1) -> List[int]:
    """Greedy pose NMS: two poses are duplicates when more than
    ``num_nearby_joints_thr`` of their keypoints lie closer than
    ``dist_thr`` times the first pose's bounding-box diagonal.

    Args:
        kpts_db (list[dict]): Per pose ``keypoints`` (np.ndarray[K, 2]) and
            ``score`` (float, or np.ndarray[K] with ``score_per_joint``).
        dist_thr (float): Relative distance of close keypoints (> 0).
        num_nearby_joints_thr (int | None): How many close keypoints make a
            duplicate (fewer than K). Default: K // 2.
        score_per_joint (bool): Scores are per keypoint (their mean is
            used).
        max_dets (int): Most poses kept (the best ones); <= 0 keeps all.

    Returns:
        list[int]: Indexes of the kept poses.
    """
    if not dist_thr > 0:
        raise ArgumentError(
            f'nearby_joints_nms: dist_thr must be > 0, got {dist_thr}')
    if len(kpts_db) == 0:
        return []
    scores = np.array([np.mean(k['score']) if score_per_joint else k['score']
                       for k in kpts_db])
    kpts = np.array([k['keypoints'] for k in kpts_db])
    num_joints = kpts.shape[1]
    if num_nearby_joints_thr is None:
        num_nearby_joints_thr = num_joints // 2
    if num_nearby_joints_thr >= num_joints:
        raise ArgumentError(
            'nearby_joints_nms: num_nearby_joints_thr must be less than the '
            f'{num_joints} keypoints, got {num_nearby_joints_thr}')
    diagonal = np.linalg.norm(kpts.max(axis=1) - kpts.min(axis=1), axis=1)
    dist = np.linalg.norm(kpts[:, None] - kpts[None], axis=3)  # [P, P, K]
    close = ((dist < diagonal[:, None, None] * dist_thr).sum(axis=2) >
             num_nearby_joints_thr)
    # a pose always groups with itself (also a degenerate, zero-size one)
    np.fill_diagonal(close, True)
    suppressed = np.zeros(len(kpts), dtype=bool)
    keep: List[int] = []
    # greedy: each step depends on what earlier (better) poses suppressed
    for i in np.argsort(scores)[::-1]:
        if suppressed[i]:
            continue
        group = np.flatnonzero(close[i])
        best = group[np.argmax(scores[group])]
        if not suppressed[best]:
            keep.append(int(best))
            suppressed[group] = True
    if 0 < max_dets < len(keep):
        order = np.argsort(scores[keep])[::-1][:max_dets]
        keep = [keep[i] for i in order]
    return keep


def cid_center_pool_kernel(height: int, width: int) -> int:
    """Max-filter size of CID's center peaks: larger for larger maps."""
    size = (height + width) / 2.0
    return 7 if size > 300 else 5 if size > 200 else 3


def _scaled_smooth(maps: torch.Tensor, kernel: int) -> torch.Tensor:
    """``2 * kernel**2`` times the mean of ``maps`` ([..., H, W]) and their
    zero-padded box average (``avg_pool2d`` with ``count_include_pad``).

    Separable shifted sums, updated in place and left unnormalised: this
    memory-bound step is several times faster than ``avg_pool2d`` on CPU.
    """
    h, w = maps.shape[-2:]
    r = (kernel - 1) // 2
    padded = F.pad(maps, (r, r, r, r))
    rows = padded[..., :w].clone()
    for i in range(1, kernel):
        rows += padded[..., i:i + w]
    box = rows[..., :h, :].clone()
    for j in range(1, kernel):
        box += rows[..., j:j + h, :]
    return box.add_(maps, alpha=kernel**2)


def _scaled_smooth_cv2(maps: np.ndarray, kernel: int) -> np.ndarray:
    """:func:`_scaled_smooth` of float32/64 ``maps`` ([N, H, W]) by OpenCV.

    One SIMD pass over the batch seen as a single tall image, with the box
    kernel whose centre weighs ``kernel**2`` more; the ``kernel // 2`` rows
    at each map edge, whose windows reached into the neighbouring map, are
    then redone from zero-separated copies of the edge bands.
    """
    n, h, w = maps.shape
    r = kernel // 2
    weights = np.ones((kernel, kernel), dtype=maps.dtype)
    weights[r, r] += kernel**2

    def separated(parts):  # [M, R, W], r zero rows between the parts
        m, rows, _ = parts.shape
        tall = np.zeros((m, rows + r, w), dtype=maps.dtype)
        tall[:, :rows] = parts
        return cv2.filter2D(
            tall.reshape(-1, w), -1, weights,
            borderType=cv2.BORDER_CONSTANT).reshape(m, rows + r, w)[:, :rows]

    if h <= 2 * r:
        return separated(maps)
    out = cv2.filter2D(
        np.ascontiguousarray(maps).reshape(-1, w), -1, weights,
        borderType=cv2.BORDER_CONSTANT).reshape(n, h, w)
    if n > 1 and r > 0:
        # the top r rows read map rows [0, 2r), the bottom r rows [h - 2r, h)
        edges = separated(
            np.concatenate([maps[:, :2 * r], maps[:, h - 2 * r:]]))
        out[:, :r] = edges[:n, :r]
        out[:, h - r:] = edges[n:, r:]
    return out


def _smooth(maps: torch.Tensor, kernel: int) -> torch.Tensor:
    """Mean of ``maps`` and their box average (see :func:`_scaled_smooth`).
    """
    return _scaled_smooth(maps, kernel) / (2 * kernel**2)


def cid_detect_centers(center_heatmap: torch.Tensor, pool_kernel: int,
                       max_num_people: int, threshold: float
                       ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Instance centers of CID: peaks of the box-smoothed center heatmap.

    Args:
        center_heatmap (torch.Tensor[H, W]): Center heatmap (probabilities).
        pool_kernel (int): Box size of the smoothing (``center_pool_kernel``).
        max_num_people (int): Most instances.
        threshold (float): Scores must exceed it (``detection_threshold``).

    Returns:
        tuple: coordinates ``(y, x)`` (torch.LongTensor[P, 2]) and scores
        (torch.Tensor[P]).
    """
    h, w = center_heatmap.shape
    smoothed = _smooth(center_heatmap[None], pool_kernel)[0]
    index, scores = heatmap_peaks(smoothed, cid_center_pool_kernel(h, w),
                                  max_num_people, threshold)
    return torch.stack([index // w, index % w], dim=1), scores


def cid_keypoints(instance_heatmaps: torch.Tensor,
                  instance_scores: torch.Tensor, pool_kernel: int,
                  stride: int = 4) -> torch.Tensor:
    """Keypoints of each CID instance from its own heatmaps.

    Each smoothed heatmap's maximum, moved a quarter pixel along x and y
    towards the higher neighbour (not at the map border), is mapped to the
    input image as ``stride * p + stride / 2``; its score is the heatmap
    value times the instance score.

    Args:
        instance_heatmaps (torch.Tensor[P, K, H, W]): Instance heatmaps.
        instance_scores (torch.Tensor[P]): Center scores.
        pool_kernel (int): Box size of the smoothing.
        stride (int): Input pixels per heatmap pixel. Default: 4.

    Returns:
        torch.Tensor[P, K, 3]: x, y (input image pixels) and score.
    """
    num, k, h, w = instance_heatmaps.shape
    # argmax and neighbour comparisons do not need the scale; on CPU OpenCV
    # and NumPy smooth and search the whole batch several times faster
    # than PyTorch's elementwise kernels
    if instance_heatmaps.device.type == 'cpu':
        dtype = (torch.float64 if instance_heatmaps.dtype == torch.float64
                 else torch.float32)
        smoothed = _scaled_smooth_cv2(
            instance_heatmaps.detach().reshape(-1, h, w).to(dtype).numpy(),
            pool_kernel)
        index = torch.from_numpy(smoothed.reshape(num, k, -1).argmax(axis=2))
        maps = torch.from_numpy(smoothed).reshape(num, k, h, w)
        vals = maps.flatten(2).gather(2, index[..., None])[..., 0]
    else:
        maps = _scaled_smooth(instance_heatmaps, pool_kernel)
        vals, index = maps.flatten(2).max(dim=2)
    vals = vals / (2 * pool_kernel**2)
    x, y = index % w, index // w
    n_idx = torch.arange(num, device=maps.device)[:, None]
    k_idx = torch.arange(k, device=maps.device)[None]

    def quarter(ahead, behind, pos, limit):
        # +-0.25 towards the higher neighbour; 0 on the border
        step = torch.sign(maps[n_idx, k_idx, ahead[0], ahead[1]] -
                          maps[n_idx, k_idx, behind[0], behind[1]])
        inside = (pos > 0) & (pos < limit - 1)
        return step * 0.25 * inside

    x_r, x_l = (x + 1).clamp(max=w - 1), (x - 1).clamp(min=0)
    y_b, y_t = (y + 1).clamp(max=h - 1), (y - 1).clamp(min=0)
    fx = x.to(maps.dtype) + quarter((y, x_r), (y, x_l), x, w)
    fy = y.to(maps.dtype) + quarter((y_b, x), (y_t, x), y, h)
    poses = torch.stack([fx, fy, vals * instance_scores[:, None]], dim=2)
    poses[..., :2] = poses[..., :2] * stride + stride / 2
    return poses.to(instance_heatmaps.dtype)
