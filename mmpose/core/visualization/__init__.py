from .image import imshow_bboxes, imshow_keypoints, links_from_1based
from .image_3d import imshow_keypoints_3d

__all__ = [
    'imshow_bboxes', 'imshow_keypoints', 'imshow_keypoints_3d',
    'links_from_1based'
]

# MMPose 0.29: mesh rendering
from .mesh_3d import imshow_mesh_3d  # noqa: E402

__all__ += ['imshow_mesh_3d']

# MMPose 0.29: multi-person 3D poses in a world space (VoxelPose)
from .image_multiview_3d import imshow_multiview_keypoints_3d  # noqa: E402

__all__ += ['imshow_multiview_keypoints_3d']
