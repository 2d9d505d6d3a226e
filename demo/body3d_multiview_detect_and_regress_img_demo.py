"""Multi-view 3D pose with VoxelPose (``DetectAndRegress``) on calibrated
images.

``--img-root`` holds one folder per camera (named as the cameras of the
Panoptic-style ``--camera-param-file``), each with the same number of
frames, sorted by name. Every frame is cropped and resized to the model's
input (whole image, padded to its aspect ratio), the 3D poses are predicted
and drawn into ``--out-img-root`` (``vis_3d/<frame>_3d.jpg`` and, with
``--visualize-single-view``, ``<frame>_<view>_2d.jpg``).
"""
import json
import os
import os.path as osp

import cv2
import mmcv
import numpy as np
from mmcv.parallel import collate, scatter

from demo_utils import (add_common_args, drawing_kwargs, list_images,
                        pose_arg_parser)
from mmpose.apis import init_pose_model
from mmpose.core.post_processing import get_affine_transform
from mmpose.datasets.dataset_info import DatasetInfo
from mmpose.datasets.datasets.body3d.body3d_mview_direct_panoptic_dataset \
    import panoptic_camera
from mmpose.datasets.metadata import load_dataset_info
from mmpose.datasets.pipelines import Compose

PIPELINE = [
    dict(type='MultiItemProcess', pipeline=[
        dict(type='ToTensor'),
        dict(type='NormalizeTensor', mean=[0.485, 0.456, 0.406],
             std=[0.229, 0.224, 0.225]),
    ]),
    dict(type='DiscardDuplicatedItems', keys_list=['sample_id']),
    dict(type='Collect', keys=['img'],
         meta_keys=['sample_id', 'camera', 'center', 'scale', 'image_file']),
]


def read_cameras(cam_file: str, names) -> dict:
    """The cameras ``names`` of a Panoptic calibration file."""
    with open(cam_file) as f:
        cameras = {
            cam['name']: panoptic_camera(cam)
            for cam in json.load(f)['cameras'] if cam['name'] in names
        }
    missing = sorted(set(names) - set(cameras))
    if missing:
        raise KeyError(f'cameras {missing} are not in {cam_file}')
    return cameras


def frame_views(img_root: str, cameras: dict) -> list:
    """Per frame, the image files of every camera (sorted names)."""
    files = [list_images(osp.join(img_root, n)) for n in sorted(cameras)]
    if len({len(f) for f in files}) != 1:
        raise ValueError(f'camera folders of {img_root} hold different '
                         f'numbers of frames: {[len(f) for f in files]}')
    return [list(frame) for frame in zip(*files)]


def view_input(image_file: str, camera: dict, input_size,
               sample_id: int) -> dict:
    """One view: the image warped to ``input_size`` and its crop."""
    img = mmcv.imread(image_file, channel_order='rgb')
    height, width = img.shape[:2]
    center = np.array([width / 2, height / 2], np.float32)
    factor = max(width / input_size[0], height / input_size[1])
    scale = np.array(input_size, np.float32) * factor
    trans = get_affine_transform(center, scale / 200.0, 0, input_size)
    img = cv2.warpAffine(img, trans, (int(input_size[0]),
                                      int(input_size[1])))
    return dict(img=img, image_file=image_file, camera=camera,
                center=center, scale=scale, sample_id=sample_id)


def main():
    parser = pose_arg_parser('VoxelPose multi-view 3D pose demo')
    parser.add_argument('--img-root', required=True,
                        help='Folder of one image folder per camera')
    parser.add_argument('--camera-param-file', required=True,
                        help='Panoptic-style calibration (json)')
    parser.add_argument('--dataset',
                        default='Body3DMviewDirectPanopticDataset',
                        help='Only the Panoptic layout is supported')
    parser.add_argument('--visualize-single-view', action='store_true',
                        help='Also draw the poses into every view')
    add_common_args(parser, 'img')
    args = parser.parse_args()
    if args.dataset != 'Body3DMviewDirectPanopticDataset':
        raise ValueError(f'--dataset {args.dataset} is not supported; only '
                         'Body3DMviewDirectPanopticDataset')

    model = init_pose_model(args.pose_config, args.pose_checkpoint,
                            device=args.device.lower())
    device = next(model.parameters()).device
    input_size = model.cfg.model.human_detector.image_size
    names = sorted(d for d in os.listdir(args.img_root)
                   if osp.isdir(osp.join(args.img_root, d)))
    cameras = read_cameras(args.camera_param_file, names)
    pipeline = Compose(PIPELINE)
    info = DatasetInfo(load_dataset_info('panoptic_body3d'))
    for frame, files in enumerate(frame_views(args.img_root, cameras)):
        views = {
            v: view_input(f, cameras[n], input_size, frame)
            for v, (n, f) in enumerate(zip(sorted(cameras), files))
        }
        data = collate([pipeline(views)], samples_per_gpu=1)
        data = scatter(data, [device.index if device.type == 'cuda' else -1
                              ])[0]
        model.show_result(
            data['img'], data['img_metas'], dataset_info=info,
            out_dir=args.out_img_root or None, show=args.show,
            visualize_2d=args.visualize_single_view, **drawing_kwargs(args))


if __name__ == '__main__':
    main()
