"""Convert Human3.6M annotations in MMPose's npz layout (``imgname``,
``part`` [N, 17, 3], ``S`` [N, 17, 4] in camera space, ``center`` [N, 2],
``scale`` [N]) into a COCO-style json (MMPose 0.29's
tools/dataset/h36m_to_coco.py): one image and one person per frame, with
the 2D keypoints, the box of the frame's center/scale (200 px per unit of
scale) and the 3D keypoints in world space under ``keypoints_3d``.

Keypoint names and skeleton come from the package's h36m ``dataset_info``
table. Frames whose image is missing under ``--img-root`` are left out.

    python tools/dataset/h36m_to_coco.py \
        --ann-file data/h36m/annotation_body3d/fps50/h36m_train.npz \
        --camera-param-file data/h36m/annotation_body3d/cameras.pkl \
        --img-root data/h36m/images --out-file data/h36m/h36m_train_coco.json
"""
import argparse
import os.path as osp
from typing import List, Optional, Sequence

import mmcv
import numpy as np
from PIL import Image

from mmpose.core.camera import SimpleCamera
from mmpose.datasets.dataset_info import table_dataset_info
from mmpose.datasets.datasets.body3d.body3d_h36m_dataset import \
    Body3DH36MDataset

BOX_UNIT = 200  # pixels per unit of scale


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert Human3.6M npz annotations to COCO json')
    parser.add_argument('--ann-file', type=str,
                        default='tests/data/h36m/test_h36m_body3d.npz')
    parser.add_argument('--camera-param-file', type=str,
                        default='tests/data/h36m/cameras.pkl')
    parser.add_argument('--img-root', type=str, default='tests/data/h36m')
    parser.add_argument('--out-file', type=str,
                        default='tests/data/h36m/h36m_coco.json')
    parser.add_argument('--full-img-name', action='store_true',
                        help='keep the image paths of the npz (default: '
                        'their file names)')
    return parser.parse_args(argv)


def image_info(image_id: int, file_name: str,
               img_root: str) -> Optional[dict]:
    """The COCO image entry, or None when the image cannot be read."""
    try:
        with Image.open(osp.join(img_root, file_name)) as img:
            width, height = img.size
    except OSError:
        return None
    return dict(file_name=file_name, height=height, width=width,
                id=image_id)


def camera_to_world(keypoints: np.ndarray, imgnames: Sequence[str],
                    camera_params: dict) -> np.ndarray:
    """Keypoints [N, K, 4] (x, y, z, visibility) from the camera space of
    each frame's (subject, camera) to the world space."""
    cameras = [
        (subject, camera) for subject, _, camera in
        map(Body3DH36MDataset._parse_h36m_imgname, imgnames)
    ]
    world = keypoints.copy()
    # one transform per camera, over all of its frames
    for key in sorted(set(cameras)):
        if key not in camera_params:
            raise KeyError(f'no camera parameters for {key} (subject, '
                           'camera) in the camera parameter file')
        frames = [i for i, cam in enumerate(cameras) if cam == key]
        world[frames, :, :3] = SimpleCamera(
            camera_params[key]).camera_to_world(keypoints[frames, :, :3])
    return world


def h36m_category() -> List[dict]:
    info = table_dataset_info('h36m')
    return [
        dict(supercategory='person', id=1, name='person',
             keypoints=[info.keypoint_id2name[i]
                        for i in range(info.keypoint_num)],
             skeleton=info.skeleton)
    ]


def convert(ann: dict, camera_params: dict, img_root: str,
            full_img_name: bool = False) -> dict:
    """The COCO dict of the frames of ``ann`` (the npz arrays)."""
    imgnames = [str(name) for name in ann['imgname']]
    file_names = imgnames if full_img_name else [
        osp.basename(name) for name in imgnames
    ]
    images = [image_info(i + 1, name, img_root)
              for i, name in enumerate(file_names)]
    sizes = BOX_UNIT * np.asarray(ann['scale'], dtype=np.float64)
    corners = np.asarray(ann['center'], dtype=np.float64) - sizes[:, None] / 2
    kpts_2d = np.asarray(ann['part'], dtype=np.float64)
    kpts_3d = camera_to_world(
        np.asarray(ann['S'], dtype=np.float64), imgnames, camera_params)
    annotations = [
        dict(id=i + 1, category_id=1, image_id=i + 1, iscrowd=0,
             bbox=[corners[i, 0], corners[i, 1], sizes[i], sizes[i]],
             area=sizes[i]**2, num_keypoints=kpts_2d.shape[1],
             keypoints=kpts_2d[i].reshape(-1).tolist(),
             keypoints_3d=kpts_3d[i].reshape(-1).tolist())
        for i, img in enumerate(images) if img is not None
    ]
    return dict(categories=h36m_category(),
                images=[img for img in images if img is not None],
                annotations=annotations)


def main(argv=None):
    args = parse_args(argv)
    ann = np.load(args.ann_file)
    coco = convert(ann, mmcv.load(args.camera_param_file), args.img_root,
                   args.full_img_name)
    mmcv.dump(coco, args.out_file)
    print(f'{len(coco["images"])} of {len(ann["imgname"])} frames written '
          f'to {args.out_file}')


if __name__ == '__main__':
    main()
