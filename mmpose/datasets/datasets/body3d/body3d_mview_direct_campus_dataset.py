"""Campus for multi-view 3D pose (VoxelPose).

Belagiannis et al., "3D Pictorial Structures for Multiple Human Pose
Estimation", CVPR 2014.
"""
import os.path as osp

import numpy as np

from ...builder import DATASETS
from .body3d_mview_direct_actors_base import (_COCO_TO_ACTORS,
                                              Body3DMviewDirectActorsDataset)

__all__ = ['Body3DMviewDirectCampusDataset']


@DATASETS.register_module()
class Body3DMviewDirectCampusDataset(Body3DMviewDirectActorsDataset):
    """Campus (3 views, 360x288, 3 actors) for direct multi-view 3D pose
    estimation; see :class:`Body3DMviewDirectActorsDataset` for the files
    and samples. Images: ``Camera<id>/campus4-c<id>-<frame:05d>.png``.
    Training persons are placed where at least 2 views see them.

    Args:
        ann_file (str | None): Unused (the files come from ``data_cfg``).
        img_prefix (str): The data root.
        data_cfg (dict): As :class:`Body3DMviewDirectShelfDataset`.
        pipeline (list[dict | callable]): Data transforms.
        dataset_info (dict | None): The ``campus`` table.
        test_mode (bool): Default: False.
    """
    DATASET_INFO = 'campus'
    NAME = 'campus'
    DEFAULT_SIZE = (360, 288)
    DEFAULT_MAX_NPOSES = 10
    CENTER_RANGE = ((-2500.0, 8500.0), (-1000.0, 10000.0))
    MIN_VIEWS = 2

    def image_file(self, cam_id: str, frame: int) -> str:
        return osp.join(self.img_prefix, f'Camera{cam_id}',
                        f'campus4-c{cam_id}-{frame:05d}.png')

    @staticmethod
    def coco_to_dataset(coco_poses: np.ndarray) -> np.ndarray:
        """COCO poses [P, 17, 3] -> Campus poses [P, 14, 3] (head joints
        from shoulders and ears)."""
        poses = np.zeros((len(coco_poses), 14, 3))
        poses[:, :12] = coco_poses[:, _COCO_TO_ACTORS]
        poses[:, 12], poses[:, 13] = \
            Body3DMviewDirectActorsDataset._head_points(coco_poses)
        return poses
