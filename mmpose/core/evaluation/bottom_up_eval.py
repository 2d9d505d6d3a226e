"""Bottom-up inference helpers: multi-stage / flip aggregation of heatmaps
and tags, multi-scale aggregation and mapping grouped people to the image.

Note:
    batch size: N, keypoints: K, heatmap height: H, heatmap width: W
"""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from mmpose.core.post_processing.post_transforms import (
    get_warp_matrix, transform_preds_batch, warp_affine_joints)
from mmpose.errors import ArgumentError, UnknownNameError

__all__ = [
    'get_multi_stage_outputs', 'aggregate_results', 'get_group_preds',
    'flip_feature_maps', 'aggregate_stage_flip', 'aggregate_scale',
    'split_ae_outputs'
]


def _resize(x: torch.Tensor, size_hw: Sequence[int],
            align_corners: bool) -> torch.Tensor:
    """Bilinear resize of x (torch.Tensor[N, C, H, W]) to (h, w)."""
    return F.interpolate(
        x, size=tuple(size_hw), mode='bilinear', align_corners=align_corners)


def _average_stages(outputs: Sequence[torch.Tensor], num_joints: int,
                    with_heatmaps: Sequence[bool], with_ae: Sequence[bool],
                    align_corners: bool, flip_index: Optional[list],
                    tag_per_joint: bool
                    ) -> Tuple[List[torch.Tensor], Optional[torch.Tensor],
                               List[torch.Tensor]]:
    """Resize every stage to the last one, average the heatmaps and collect
    the tags; with ``flip_index`` the outputs are flipped back.

    Returns:
        tuple: (the resized (and flipped) outputs, averaged heatmaps or None,
        tag maps).
    """
    last_hw = outputs[-1].shape[2:]
    resized, tags = [], []
    heatmap_sum, num_heatmaps = 0, 0
    for i, output in enumerate(outputs):
        if i != len(outputs) - 1:
            output = _resize(output, last_hw, align_corners)
        if flip_index is not None:
            output = torch.flip(output, [3])
        resized.append(output)
        offset_feat = num_joints if with_heatmaps[i] else 0
        if with_heatmaps[i]:
            heatmap = output[:, :num_joints]
            if flip_index is not None:
                heatmap = heatmap[:, flip_index]
            heatmap_sum = heatmap_sum + heatmap
            num_heatmaps += 1
        if with_ae[i]:
            tag = output[:, offset_feat:]
            if flip_index is not None and tag_per_joint:
                tag = tag[:, flip_index]
            tags.append(tag)
    heatmaps = heatmap_sum / num_heatmaps if num_heatmaps > 0 else None
    return resized, heatmaps, tags


def split_ae_outputs(outputs: Sequence[torch.Tensor], num_joints: int,
                     with_heatmaps: Sequence[bool], with_ae: Sequence[bool],
                     select_output_index: Sequence[int]
                     ) -> Tuple[List[torch.Tensor], List[torch.Tensor]]:
    """Heatmaps and tag maps of the selected stages of an associative
    embedding head (0.29).

    A stage's output holds the K heatmaps first (when ``with_heatmaps``)
    and then its tag maps (when ``with_ae``).

    Args:
        outputs (list[torch.Tensor[N, C, H, W]]): Outputs of every stage.
        num_joints (int): K.
        with_heatmaps (list[bool]): Whether each stage has heatmaps.
        with_ae (list[bool]): Whether each stage has tag maps.
        select_output_index (list[int]): The stages to take.

    Returns:
        tuple: heatmaps ([N, K, H, W] per stage that has them) and tags
        ([N, C', H, W] per stage that has them), in stage order.
    """
    heatmaps, tags = [], []
    for i, output in enumerate(outputs):
        if i not in select_output_index:
            continue
        if with_heatmaps[i]:
            heatmaps.append(output[:, :num_joints])
        if with_ae[i]:
            tags.append(output[:, num_joints if with_heatmaps[i] else 0:])
    return heatmaps, tags


def get_multi_stage_outputs(outputs: List[torch.Tensor],
                            outputs_flip: Optional[List[torch.Tensor]],
                            num_joints: int,
                            with_heatmaps: Sequence[bool],
                            with_ae: Sequence[bool],
                            tag_per_joint: bool = True,
                            flip_index: Optional[list] = None,
                            project2image: bool = True,
                            size_projected: Optional[Sequence[int]] = None,
                            align_corners: bool = False):
    """Average multi-stage heatmaps, collect tags, optionally add the flip
    test, and resize them to the base size.

    Args:
        outputs (list(torch.Tensor[N, C, H, W])): Outputs of each stage.
        outputs_flip (list(torch.Tensor) | None): Outputs on the flipped
            image.
        num_joints (int): Number of joints K.
        with_heatmaps (list[bool]): Whether each stage outputs heatmaps.
        with_ae (list[bool]): Whether each stage outputs tags.
        tag_per_joint (bool): One tag map per joint.
        flip_index (list[int]): Keypoint flip index.
        project2image (bool): Resize to ``size_projected``.
        size_projected ([w, h]): Base size of heatmaps.
        align_corners (bool): Align corners when interpolating.

    Returns:
        tuple: ``outputs`` (the stage outputs followed by the flipped-back
        flip outputs; the input list is not modified), ``heatmaps``
        (list(torch.Tensor[N, K, H, W]): averaged heatmaps, then flipped
        ones) and ``tags`` (list(torch.Tensor)).
    """
    if len(with_heatmaps) < len(outputs) or len(with_ae) < len(outputs):
        raise ArgumentError(
            f'with_heatmaps and with_ae need one flag per stage '
            f'({len(outputs)}), got {len(with_heatmaps)} and '
            f'{len(with_ae)}')
    _, heatmap, tags = _average_stages(outputs, num_joints, with_heatmaps,
                                       with_ae, align_corners, None,
                                       tag_per_joint)
    all_outputs = list(outputs)
    heatmaps = [heatmap] if heatmap is not None else []

    if outputs_flip is not None and flip_index:
        flipped, heatmap_flip, tags_flip = _average_stages(
            outputs_flip, num_joints, with_heatmaps, with_ae, align_corners,
            list(flip_index), tag_per_joint)
        all_outputs.extend(flipped)
        if heatmap_flip is not None:
            heatmaps.append(heatmap_flip)
        tags.extend(tags_flip)

    if project2image and size_projected:
        size_hw = (size_projected[1], size_projected[0])
        heatmaps = [_resize(h, size_hw, align_corners) for h in heatmaps]
        tags = [_resize(t, size_hw, align_corners) for t in tags]
    return all_outputs, heatmaps, tags


def aggregate_results(scale: float,
                      aggregated_heatmaps: Optional[torch.Tensor],
                      tags_list: List[torch.Tensor],
                      heatmaps: List[torch.Tensor],
                      tags: List[torch.Tensor],
                      test_scale_factor: Sequence[float],
                      project2image: bool,
                      flip_test: bool,
                      align_corners: bool = False
                      ) -> Tuple[torch.Tensor, List[torch.Tensor]]:
    """Accumulate the heatmaps and tags of one test scale.

    Args:
        scale (int): Current scale.
        aggregated_heatmaps (torch.Tensor[N, K, H, W] | None): Sum so far.
        tags_list (list(torch.Tensor[N, K, H, W, 1])): Tags so far; extended
            in place with this scale's tags (base scale only).
        heatmaps (list(torch.Tensor[N, K, H, W])): Heatmaps of this scale
            (plain, then flipped when ``flip_test``).
        tags (list(torch.Tensor[N, K, H, W])): Tag maps of this scale.
        test_scale_factor (list(int)): All test scales.
        project2image (bool): Heatmaps are already at the base size.
        flip_test (bool): Average the plain and flipped heatmaps.
        align_corners (bool): Align corners when interpolating.

    Returns:
        tuple: ``(aggregated_heatmaps, tags_list)``.
    """
    if scale == 1 or len(test_scale_factor) == 1:
        if aggregated_heatmaps is not None and not project2image:
            size_hw = aggregated_heatmaps.shape[2:]
            tags = [_resize(t, size_hw, align_corners) for t in tags]
        tags_list.extend(torch.unsqueeze(t, dim=4) for t in tags)

    heatmaps_avg = ((heatmaps[0] + heatmaps[1]) / 2.0
                    if flip_test else heatmaps[0])
    if aggregated_heatmaps is None:
        aggregated_heatmaps = heatmaps_avg
    elif project2image:
        aggregated_heatmaps += heatmaps_avg
    else:
        aggregated_heatmaps += _resize(heatmaps_avg,
                                       aggregated_heatmaps.shape[2:],
                                       align_corners)
    return aggregated_heatmaps, tags_list


def get_group_preds(grouped_joints: List[np.ndarray],
                    center: np.ndarray,
                    scale: np.ndarray,
                    heatmap_size: Sequence[int],
                    use_udp: bool = False) -> List[np.ndarray]:
    """Map the grouped people of the first image back to the image.

    Args:
        grouped_joints (list(np.ndarray[P, K, D])): Grouped people per image
            (only the first image is used).
        center (np.ndarray[2, ]): Centre of the image box (x, y).
        scale (np.ndarray[2, ]): Scale of the image box wrt [width, height]
            (in pixels for UDP, as given by the bottom-up pipeline).
        heatmap_size (np.ndarray[2, ]): Heatmap size [w, h].
        use_udp (bool): Unbiased data processing.

    Returns:
        list(np.ndarray[K, D]): One array per person.
    """
    people = np.asarray(grouped_joints[0])
    if use_udp:
        people = people.copy()
        if people.shape[0] > 0:
            size_t = np.array(heatmap_size, dtype=np.float32) - 1.0
            trans = get_warp_matrix(
                theta=0, size_input=size_t, size_dst=scale,
                size_target=size_t)
            people[..., :2] = warp_affine_joints(people[..., :2], trans)
        return list(people)
    if people.ndim != 3 or people.shape[2] not in (2, 4, 5):
        raise ArgumentError(
            f'grouped_joints[0] should have shape [P, K, 2|4|5],'
            f' got {people.shape}')
    num_people = len(people)
    centers = np.broadcast_to(np.asarray(center), (num_people, 2))
    scales = np.broadcast_to(np.asarray(scale), (num_people, 2))
    return list(
        transform_preds_batch(people, centers, scales, heatmap_size))


# ---------------------------------------------------------------------------
# 0.29's aggregation helpers of the one-stage models (DEKR): any feature
# maps (heatmaps, tags, offsets), flip test and stages/scales combined by
# name.
# ---------------------------------------------------------------------------


def flip_feature_maps(feature_maps: List[torch.Tensor],
                      flip_index: Optional[Sequence[int]] = None
                      ) -> List[torch.Tensor]:
    """Mirror each map (torch.Tensor[N, C, H, W]) horizontally and, with
    ``flip_index``, reorder its channels (channel c takes flip_index[c])."""
    flipped = [torch.flip(m, [3]) for m in feature_maps]
    if flip_index is None:
        return flipped
    return [m[:, list(flip_index)] for m in flipped]


def _resized(feature_maps: List[torch.Tensor], align_corners: bool,
             index: int, resize_size: Optional[Sequence[int]]
             ) -> List[torch.Tensor]:
    """The maps resized to ``resize_size`` (h, w), by default the size of
    ``feature_maps[index]``."""
    if resize_size is None:
        resize_size = feature_maps[index].shape[2:]
    return [
        m if tuple(m.shape[2:]) == tuple(resize_size) else _resize(
            m, resize_size, align_corners) for m in feature_maps
    ]


def _average(maps: List[torch.Tensor]) -> torch.Tensor:
    return sum(maps) / len(maps)


_STAGE_AGGREGATES = {'average': lambda maps: [_average(maps)],
                     'concat': lambda maps: maps}
_SCALE_AGGREGATES = {'average': _average,
                     'unsqueeze_concat': lambda maps: torch.stack(maps, -1)}


def _aggregate(name: str, value: str, table: dict):
    if value not in table:
        raise UnknownNameError(f'{name} must be one of {sorted(table)}, got '
                               f'{value!r}')
    return table[value]


def _projected_size(project2image: bool,
                    size_projected: Optional[Sequence[int]]):
    """(h, w) of ``size_projected`` ([w, h]) when projecting, else None."""
    if project2image and size_projected:
        return int(size_projected[1]), int(size_projected[0])
    return None


def aggregate_stage_flip(feature_maps: List[torch.Tensor],
                         feature_maps_flip: Optional[List[torch.Tensor]],
                         index: int = -1,
                         project2image: bool = True,
                         size_projected: Optional[Sequence[int]] = None,
                         align_corners: bool = False,
                         aggregate_stage: str = 'concat',
                         aggregate_flip: str = 'average'
                         ) -> List[torch.Tensor]:
    """Combine the stage outputs, and the flipped-back outputs, of one scale.

    The stages are resized to the base size ``size_projected`` ([w, h])
    when ``project2image``, else to the size of stage ``index``; then
    ``aggregate_stage`` ('average' or 'concat') joins them and
    ``aggregate_flip`` ('average', 'concat', or 'none'; 'none' whenever
    ``feature_maps_flip`` is None) joins the plain and flipped results.

    Returns:
        list[torch.Tensor[N, C, H, W]]: Aggregated maps.
    """
    join_stages = _aggregate('aggregate_stage', aggregate_stage,
                             _STAGE_AGGREGATES)
    if feature_maps_flip is None:
        aggregate_flip = 'none'
    if aggregate_flip not in ('average', 'concat', 'none'):
        raise UnknownNameError("aggregate_flip must be 'average', 'concat' "
                               f"or 'none', got {aggregate_flip!r}")
    size = _projected_size(project2image, size_projected)
    plain = join_stages(_resized(feature_maps, align_corners, index, size))
    if aggregate_flip == 'none':
        return plain
    flipped = join_stages(
        _resized(feature_maps_flip, align_corners, index, size))
    if aggregate_flip == 'concat':
        return plain + flipped
    return [(p + f) / 2.0 for p, f in zip(plain, flipped)]


def aggregate_scale(feature_maps_list: List[torch.Tensor],
                    align_corners: bool = False,
                    project2image: bool = True,
                    size_projected: Optional[Sequence[int]] = None,
                    aggregate_scale: str = 'average') -> torch.Tensor:
    """Combine the maps of several test scales, resized to the base size
    ``size_projected`` ([w, h]) when ``project2image``, else to the first
    one's: 'average' (torch.Tensor[N, C, H, W]) or 'unsqueeze_concat'
    (stacked on a new last dim, torch.Tensor[N, C, H, W, S])."""
    join = _aggregate('aggregate_scale', aggregate_scale, _SCALE_AGGREGATES)
    return join(
        _resized(feature_maps_list, align_corners, 0,
                 _projected_size(project2image, size_projected)))
