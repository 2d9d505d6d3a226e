"""Reading InterHand2.6M: COCO-style image/annotation file plus camera and
world-joint files, projected into each view with
:class:`mmpose.core.camera.SimpleCamera`."""
import os.path as osp
from typing import Any, Iterator, NamedTuple, Optional, Sequence, Union

import numpy as np

from mmpose.core.camera import SimpleCamera
from mmpose.errors import ArgumentError, UnknownNameError
from ..base import TopDownBaseDataset, load_json

#: Wrist (root) joint of the right and the left hand in the 42-joint layout.
RIGHT_ROOT, LEFT_ROOT = 20, 41


class InterHandFrame(NamedTuple):
    """One annotated view of InterHand2.6M.

    ``joints_cam`` (42, 3) and ``joints_img`` (42, 2) are in the camera
    frame (mm) and in pixels; ``joint_valid`` (42,) is 0/1.
    """
    img_id: Any
    img_info: dict
    ann: dict
    image_file: str
    joints_cam: np.ndarray
    joints_img: np.ndarray
    joint_valid: np.ndarray
    focal: np.ndarray
    princpt: np.ndarray


class InterHandBaseDataset(TopDownBaseDataset):
    """Shared reader of the InterHand2.6M 2D and 3D datasets.

    Args:
        ann_file (str): Path to the ``*_data.json`` annotation file.
        camera_file (str): Path to the ``*_camera.json`` file (per capture:
            ``campos``, ``camrot``, ``focal``, ``princpt`` per camera).
        joint_file (str): Path to the ``*_joint_3d.json`` file (per capture
            and frame: ``world_coord`` (42, 3)).
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
        dataset_info (dict | None): 0.29 ``dataset_info`` table replacing
            the class's own.
    """

    def __init__(self,
                 ann_file: str,
                 camera_file: str,
                 joint_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 test_mode: bool = False,
                 dataset_info: Optional[dict] = None):
        # read before the base constructor, which calls ``_get_db``
        self.camera_file = camera_file
        self.joint_file = joint_file
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                         dataset_info)

    def _iter_frames(self) -> Iterator[InterHandFrame]:
        """Annotated views in image order, joints projected to the camera.

        Raises:
            KeyError: an image refers to a capture, camera or frame missing
                from the camera / joint file.
            ValueError: wrong number of joints.
        """
        cameras = load_json(self.camera_file, 'camera file')
        joints = load_json(self.joint_file, 'joint file')
        # One pass over the JSON records: parsing is inherently per record.
        for img_id in self.img_ids:
            img = self.coco.loadImgs(img_id)[0]
            ann_ids = self.coco.getAnnIds(imgIds=img_id, iscrowd=False)
            if not ann_ids:
                continue
            ann = self.coco.loadAnns(ann_ids)[0]
            capture, cam, frame = (str(img['capture']), str(img['camera']),
                                   str(img['frame_idx']))
            try:
                cam_param = cameras[capture]
                param = {
                    'R': np.asarray(cam_param['camrot'][cam]).T,
                    'T': cam_param['campos'][cam],
                    'f': cam_param['focal'][cam],
                    'c': cam_param['princpt'][cam],
                }
            except KeyError as err:
                raise UnknownNameError(f'{self.camera_file}: no camera {err} '
                                       f'for image {img_id} '
                                       f'({img["file_name"]}) of '
                                       f'{self.ann_file}') from err
            try:
                world = np.asarray(
                    joints[capture][frame]['world_coord'], dtype=np.float32)
            except KeyError as err:
                raise UnknownNameError(f'{self.joint_file}: no joints {err} '
                                       f'for image {img_id} '
                                       f'({img["file_name"]}) of '
                                       f'{self.ann_file}') from err
            valid = np.asarray(ann['joint_valid'], np.float32).reshape(-1)
            if world.shape != (42, 3) or valid.shape != (42, ):
                raise ArgumentError(f'{self.ann_file} / {self.joint_file}: '
                                    f'image {img_id} ({img["file_name"]}) has '
                                    f'joints {world.shape} and joint_valid '
                                    f'{valid.shape}, expected (42, 3) and '
                                    '(42,)')
            camera = SimpleCamera(param)
            joints_cam = camera.world_to_camera(world)
            yield InterHandFrame(
                img_id=img_id,
                img_info=img,
                ann=ann,
                image_file=osp.join(self.img_prefix, self.id2name[img_id]),
                joints_cam=joints_cam,
                joints_img=camera.camera_to_pixel(joints_cam)[:, :2],
                joint_valid=valid,
                focal=np.asarray(param['f'], np.float32).reshape(2),
                princpt=np.asarray(param['c'], np.float32).reshape(2))

    @staticmethod
    def _pixel2cam(uvd: np.ndarray, focal: np.ndarray,
                   princpt: np.ndarray) -> np.ndarray:
        """Pixels with depth ``[..., 3]`` (u, v, z) to camera ``[..., 3]``.

        Args:
            uvd (np.ndarray[..., 3]): Pixel coordinates and depth (mm).
            focal (np.ndarray[..., 2]): Focal lengths (broadcast).
            princpt (np.ndarray[..., 2]): Principal points (broadcast).
        """
        out = np.array(uvd, dtype=np.float32, copy=True)
        out[..., :2] = (uvd[..., :2] - princpt) / focal * uvd[..., 2:3]
        return out
