"""Drawing of multi-person 3D poses in a shared world space (VoxelPose,
0.29's ``imshow_multiview_keypoints_3d``)."""
from typing import Optional, Sequence

import numpy as np

from .image_3d import _draw_instance, _figure_to_bgr, _links_and_colors

__all__ = ['imshow_multiview_keypoints_3d']


def imshow_multiview_keypoints_3d(
        pose_result: Sequence[np.ndarray],
        skeleton: Optional[Sequence[Sequence[int]]] = None,
        pose_kpt_color: Optional[np.ndarray] = None,
        pose_link_color: Optional[np.ndarray] = None,
        space_size: Sequence[float] = [8000, 8000, 2000],
        space_center: Sequence[float] = [0, -500, 800],
        kpt_score_thr: float = 0.0) -> np.ndarray:
    """Draw every person into one 3D plot of the space.

    Args:
        pose_result (Sequence[np.ndarray[K, 4]]): Poses, x, y, z, score per
            keypoint (world mm).
        skeleton (Sequence[Sequence[int]] | None): Links as 0-based keypoint
            pairs ([L, 2]).
        pose_kpt_color (np.ndarray[K, 3] | None): Keypoint colours (BGR);
            None draws no keypoints.
        pose_link_color (np.ndarray[L, 3] | None): Link colours (BGR); None
            draws no links.
        space_size (Sequence[float]): Plotted box size (x, y, z).
        space_center (Sequence[float]): Plotted box centre.
        kpt_score_thr (float): Keypoints scoring at or below are skipped.

    Returns:
        np.ndarray[H, W, 3]: The drawn image (BGR).
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    links, kpt_colors, link_colors = _links_and_colors(
        skeleton, pose_kpt_color, pose_link_color)
    fig = plt.figure()
    try:
        ax = fig.add_subplot(projection='3d')
        for kpts in pose_result:
            _draw_instance(ax, np.asarray(kpts, dtype=np.float64), links,
                           kpt_colors, link_colors, kpt_score_thr, 0.)
        # the whole space, whatever the instances set
        for setter, c, s in zip((ax.set_xlim3d, ax.set_ylim3d,
                                 ax.set_zlim3d), space_center, space_size):
            setter([c - s / 2, c + s / 2])
        return _figure_to_bgr(fig)
    finally:
        plt.close(fig)
