"""Drawing of 3D keypoints with matplotlib (0.29's ``imshow_keypoints_3d``).

Colours are BGR triples as in the dataset tables (converted to RGB for
matplotlib); skeleton links are 0-based keypoint pairs, as 0.29's
``DatasetInfo.skeleton``.

Note:
    number of instances: N
    number of keypoints: K
    number of links: L
"""
from typing import Optional, Sequence, Tuple

import mmcv
import numpy as np

from mmpose.errors import ArgumentError

__all__ = ['imshow_keypoints_3d']


def _keypoints_3d(result: dict, links: np.ndarray) -> np.ndarray:
    """``result['keypoints_3d']`` as np.ndarray[K, 4], checked against
    the links."""
    kpts = np.asarray(result['keypoints_3d'], dtype=np.float64)
    if kpts.ndim != 2 or kpts.shape[1] != 4:
        raise ArgumentError('keypoints_3d must be [K, 4] (x, y, z, score), '
                            f'got {kpts.shape}')
    if links.size and links.max() >= len(kpts):
        raise ArgumentError('skeleton refers to keypoints outside '
                            f'0..{len(kpts) - 1}')
    return kpts


def _links_and_colors(
    skeleton: Optional[Sequence[Sequence[int]]],
    pose_kpt_color: Optional[np.ndarray],
    pose_link_color: Optional[np.ndarray]
) -> Tuple[np.ndarray, Optional[np.ndarray], Optional[np.ndarray]]:
    """Links as int np.ndarray[L, 2] and the colours as float
    np.ndarray[K, 3] / [L, 3] (None stays None)."""
    links = np.asarray(skeleton if skeleton is not None else [],
                       dtype=np.int64).reshape(-1, 2)
    kpt_colors = (None if pose_kpt_color is None else np.asarray(
        pose_kpt_color, dtype=np.float64).reshape(-1, 3))
    link_colors = (None if pose_link_color is None else np.asarray(
        pose_link_color, dtype=np.float64).reshape(-1, 3))
    return links, kpt_colors, link_colors


def _figure_to_bgr(fig) -> np.ndarray:
    """Lay out and render a matplotlib figure; np.ndarray[H, W, 3] BGR."""
    fig.tight_layout()
    fig.canvas.draw()
    drawn = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    return mmcv.rgb2bgr(np.ascontiguousarray(drawn))


def _draw_instance(ax, kpts: np.ndarray, skeleton: np.ndarray,
                   kpt_colors: Optional[np.ndarray],
                   link_colors: Optional[np.ndarray], kpt_score_thr: float,
                   axis_limit: float) -> None:
    """Scatter the keypoints ([K, 4]: x, y, z, score) scoring above
    ``kpt_score_thr`` and the links between two of them on a 3D axes
    centred on them."""
    visible = kpts[:, 3] > kpt_score_thr
    if visible.any():
        center = kpts[visible, :3].mean(axis=0)
        for setter, c in zip((ax.set_xlim3d, ax.set_ylim3d, ax.set_zlim3d),
                             center):
            setter([c - axis_limit / 2, c + axis_limit / 2])
    if kpt_colors is not None and visible.any():
        ax.scatter(kpts[visible, 0], kpts[visible, 1], kpts[visible, 2],
                   c=kpt_colors[visible, ::-1] / 255.)
    if link_colors is None or not len(skeleton):
        return
    drawn = visible[skeleton].all(axis=1)
    for (a, b), color in zip(skeleton[drawn], link_colors[drawn]):
        ends = kpts[[a, b], :3]
        ax.plot(ends[:, 0], ends[:, 1], ends[:, 2], c=color[::-1] / 255.)


def imshow_keypoints_3d(pose_result: Sequence[dict],
                        img: Optional[np.ndarray] = None,
                        skeleton: Optional[Sequence[Sequence[int]]] = None,
                        pose_kpt_color: Optional[np.ndarray] = None,
                        pose_link_color: Optional[np.ndarray] = None,
                        vis_height: int = 400,
                        kpt_score_thr: float = 0.3,
                        num_instances: int = -1,
                        *,
                        axis_azimuth: float = 70,
                        axis_limit: float = 1.7,
                        axis_dist: float = 10.0,
                        axis_elev: float = 15.0) -> np.ndarray:
    """Draw 3D poses, one square 3D plot per instance, after the image.

    Args:
        pose_result (Sequence[dict]): Per instance 'keypoints_3d'
            (np.ndarray[K, 4]: x, y, z, score) and optionally 'title'.
        img (np.ndarray[H, W, 3] | None): Image (BGR) shown first, rescaled
            to ``vis_height``.
        skeleton (Sequence[Sequence[int]] | None): Links as 0-based keypoint
            pairs ([L, 2]).
        pose_kpt_color (np.ndarray[K, 3] | None): Keypoint colours (BGR);
            None draws no keypoints.
        pose_link_color (np.ndarray[L, 3] | None): Link colours (BGR); None
            draws no links.
        vis_height (int): Height (and width of each plot) in pixels.
        kpt_score_thr (float): Keypoints scoring at or below are skipped.
        num_instances (int): Number of plots; results are cut or padded
            with empty plots. -1: one per result.
        axis_azimuth (float): Azimuth of the view, in degrees.
        axis_limit (float): Side of the plotted cube, in keypoint units.
        axis_dist (float): Distance of the view (matplotlib's zoom is set
            to ``10 / axis_dist``).
        axis_elev (float): Elevation of the view, in degrees.

    Returns:
        np.ndarray[vis_height, W, 3]: The drawn image (BGR).
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    if num_instances < 0:
        num_instances = len(pose_result)
    results = list(pose_result[:num_instances])
    results += [{}] * (num_instances - len(results))
    num_axes = num_instances + (img is not None)
    links, kpt_colors, link_colors = _links_and_colors(
        skeleton, pose_kpt_color, pose_link_color)
    if link_colors is not None and len(link_colors) != len(links):
        raise ArgumentError(f'pose_link_color has {len(link_colors)} '
                            f'colours for {len(links)} links')

    fig = plt.figure(figsize=(vis_height * num_axes * 0.01,
                              vis_height * 0.01), dpi=100)
    try:
        if img is not None:
            img = mmcv.imrescale(img, scale=vis_height / img.shape[0])
            ax = fig.add_subplot(1, num_axes, 1)
            ax.axis('off')
            ax.imshow(mmcv.bgr2rgb(img), aspect='equal')
        for i, result in enumerate(results):
            ax = fig.add_subplot(1, num_axes, i + 1 + (img is not None),
                                 projection='3d')
            ax.view_init(elev=axis_elev, azim=axis_azimuth)
            ax.set_box_aspect(None, zoom=10. / axis_dist)
            ax.set_xticklabels([])
            ax.set_yticklabels([])
            ax.set_zticklabels([])
            if 'keypoints_3d' in result:
                _draw_instance(ax, _keypoints_3d(result, links), links,
                               kpt_colors, link_colors, kpt_score_thr,
                               axis_limit)
            ax.set_title(result.get('title', ''))
        return _figure_to_bgr(fig)
    finally:
        plt.close(fig)
