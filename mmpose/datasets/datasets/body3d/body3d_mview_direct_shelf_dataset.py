"""Shelf for multi-view 3D pose (VoxelPose).

Belagiannis et al., "3D Pictorial Structures for Multiple Human Pose
Estimation", CVPR 2014.
"""
import functools
import os.path as osp

import numpy as np

from ...builder import DATASETS
from .body3d_mview_direct_actors_base import (_COCO_TO_ACTORS,
                                              Body3DMviewDirectActorsDataset)

__all__ = ['Body3DMviewDirectShelfDataset']


@DATASETS.register_module()
class Body3DMviewDirectShelfDataset(Body3DMviewDirectActorsDataset):
    """Shelf (5 views, 1032x776, 4 actors) for direct multi-view 3D pose
    estimation; see :class:`Body3DMviewDirectActorsDataset` for the files
    and samples. Images: ``Camera<id>/img_<frame:06d>.png``.

    Args:
        ann_file (str | None): Unused (the files come from ``data_cfg``).
        img_prefix (str): The data root.
        data_cfg (dict): ``num_joints``, ``cam_list``, ``num_cameras``,
            ``frame_range``, the voxel space and optional file paths,
            ``width``/``height``, ``root_id``, ``min_nposes``,
            ``max_nposes``, ``num_train_samples``, ``maximum_person``.
        pipeline (list[dict | callable]): Data transforms.
        dataset_info (dict | None): The ``shelf`` table.
        test_mode (bool): Default: False.
    """
    DATASET_INFO = 'shelf'
    NAME = 'shelf'
    DEFAULT_SIZE = (1032, 776)
    DEFAULT_MAX_NPOSES = 6
    CENTER_RANGE = ((-1000.0, 2000.0), (-1600.0, 1600.0))
    MIN_VIEWS = 0

    def evaluate(self,
                 results,
                 res_folder=None,
                 metric='pcp',
                 recall_threshold=500,
                 alpha_error=0.5,
                 alpha_head=0.75,
                 **kwargs):
        """PCP as :meth:`Body3DMviewDirectActorsDataset.evaluate`, the
        predicted head joints blended with weight ``alpha_head`` (see
        :meth:`coco_to_dataset`)."""
        return self._evaluate_pcp(
            results, res_folder, metric, alpha_error,
            functools.partial(self.coco_to_dataset, alpha=alpha_head))

    def image_file(self, cam_id: str, frame: int) -> str:
        return osp.join(self.img_prefix, f'Camera{cam_id}',
                        f'img_{frame:06d}.png')

    @staticmethod
    def coco_to_dataset(coco_poses: np.ndarray,
                        alpha: float = 0.75) -> np.ndarray:
        """COCO poses [P, 17, 3] -> Shelf poses [P, 14, 3]; the head joints
        blend (weight ``alpha``) a guess from shoulders and nose with the
        ears' head points."""
        poses = np.zeros((len(coco_poses), 14, 3))
        poses[:, :12] = coco_poses[:, _COCO_TO_ACTORS]
        head_bottom, head_top = Body3DMviewDirectActorsDataset._head_points(
            coco_poses)
        mid_shoulder = poses[:, [8, 9]].mean(1)
        nose = coco_poses[:, 0]
        top = mid_shoulder + (nose - mid_shoulder) * [0.75, 0.75, 1.5]
        bottom = mid_shoulder + (nose - mid_shoulder) * 0.5
        poses[:, 12] = bottom * alpha + head_bottom * (1 - alpha)
        poses[:, 13] = top * alpha + head_top * (1 - alpha)
        return poses
