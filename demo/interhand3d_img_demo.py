"""3D hand pose estimation (InterNet, InterHand2.6M) on images, with the
hand boxes taken from an InterHand2.6M-style COCO json (MMPose 0.29's
demo/interhand3d_img_demo.py).

Each image entry of the json names its ``capture``, ``camera`` and
``frame_idx``. With ``--camera-param-file`` and ``--gt-joints-file`` (the
dataset's camera and 3D joint jsons) the predicted keypoints move from
pixels with root-relative depth (mm) to camera space, with the depth of
the ground-truth hand roots; otherwise they are drawn in pixel space.

    python demo/interhand3d_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --json-file tests/data/interhand2.6m/test_interhand2.6m_data.json \
        --img-root tests/data/interhand2.6m \
        --camera-param-file \
            tests/data/interhand2.6m/test_interhand2.6m_camera.json \
        --gt-joints-file \
            tests/data/interhand2.6m/test_interhand2.6m_joint_3d.json \
        --out-img-root vis_results --rebase-keypoint-height
"""
import os.path as osp
from argparse import ArgumentParser
from typing import List, Optional

import mmcv
import numpy as np
from demo_utils import dataset_of, load_coco, out_path, require_output

from mmpose.apis import (inference_interhand_3d_model, init_pose_model,
                         vis_3d_pose_result)
from mmpose.core import SimpleCamera

NUM_HAND_KEYPOINTS = 21
#: index of the root (wrist) of the right and of the left hand
HAND_ROOTS = (20, 41)
#: turns camera coordinates (y down, z forward) so that z is the height
VIS_ROTATION = np.array([[1, 0, 0], [0, 0, -1], [0, 1, 0]])


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pose_config', help='Config file for pose network')
    parser.add_argument('pose_checkpoint', help='Checkpoint file')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--json-file', type=str, default='',
                        help='Json file containing image info.')
    parser.add_argument(
        '--camera-param-file', type=str, default=None,
        help='Camera parameter file for converting 3D pose predictions from '
        'the pixel space to camera space. If None, keypoints in pixel space '
        'will be visualized')
    parser.add_argument(
        '--gt-joints-file', type=str, default=None,
        help='Optional argument. Ground truth 3D keypoint parameter file. '
        'If None, gt keypoints will not be shown and keypoints in pixel '
        'space will be visualized.')
    parser.add_argument(
        '--rebase-keypoint-height', action='store_true',
        help='Rebase the predicted 3D pose so its lowest keypoint has a '
        'height of 0 (landing on the ground). This is useful for '
        'visualization when the model do not predict the global position '
        'of the 3D pose.')
    parser.add_argument(
        '--show-ground-truth', action='store_true',
        help='If True, show ground truth keypoint if it is available.')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show img')
    parser.add_argument(
        '--out-img-root', type=str, default=None,
        help='Root of the output visualization images. '
        'Default not saving the visualization images.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device for inference')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    parser.add_argument('--radius', type=int, default=4,
                        help='Keypoint radius for visualization')
    parser.add_argument('--thickness', type=int, default=1,
                        help='Link thickness for visualization')
    return parser.parse_args(argv)


def simple_camera_param(interhand_param: dict) -> dict:
    """InterHand2.6M camera parameters (``camrot`` world-to-camera
    rotation, ``campos`` camera position, ``focal``, ``princpt``) as
    :class:`SimpleCamera` takes them (camera-to-world ``R`` and ``T``,
    ``f``, ``c``)."""
    return {
        'R': np.array(interhand_param['camrot']).T,
        'T': np.array(interhand_param['campos'])[:, None],
        'f': np.array(interhand_param['focal'])[:, None],
        'c': np.array(interhand_param['princpt'])[:, None],
    }


def hand_boxes(coco, image: dict, img_root: str,
               camera_params: Optional[dict],
               gt_joints: Optional[dict]) -> List[dict]:
    """One detection per annotated hand box of ``image`` (xywh), with its
    camera (or None) and its ground-truth joints [42, 4] (world
    coordinates and validity, or None)."""
    capture, camera = str(image['capture']), image['camera']
    camera_param = None
    if camera_params is not None:
        cameras = camera_params[capture]
        camera_param = simple_camera_param(
            {key: values[camera] for key, values in cameras.items()})
    gt_joint = None
    if gt_joints is not None:
        joints = gt_joints[capture][str(image['frame_idx'])]
        gt_joint = np.concatenate([
            np.array(joints['world_coord']),
            np.array(joints['joint_valid']).reshape(-1, 1)
        ], axis=-1)
    image_name = osp.join(img_root, image['file_name'])
    return [
        dict(image_name=image_name, bbox=ann['bbox'],
             camera_param=camera_param,
             keypoints_3d_gt=None if gt_joint is None else gt_joint.copy())
        for ann in coco.loadAnns(coco.getAnnIds(imgIds=[image['id']]))
    ]


def rebased(keypoints_3d: np.ndarray) -> np.ndarray:
    """Keypoints [K, 4] shifted in height so that the lowest valid one
    (score > 0) is at 0."""
    valid = keypoints_3d[:, 3] > 0
    if valid.any():
        keypoints_3d[:, 2] -= keypoints_3d[valid, 2].min()
    return keypoints_3d


def to_drawing(result: dict, rebase: bool) -> dict:
    """Prepare one result of :func:`inference_interhand_3d_model` for
    drawing: scores in [0, 1], the 2D keypoints in the image, 3D
    keypoints (and ground truth) in camera space when both the camera and
    the ground truth are known, turned so that z is the height."""
    keypoints_3d = np.array(result['keypoints_3d'], dtype=np.float64)
    if keypoints_3d[:, 3].max() > 1:  # heatmap maxima: 0..255
        keypoints_3d[:, 3] /= 255
    result['keypoints'] = keypoints_3d[:, [0, 1, 3]]
    camera_param = result['camera_param']
    gt = result['keypoints_3d_gt']
    if camera_param is not None and gt is not None:
        camera = SimpleCamera(camera_param)
        gt[:, :3] = camera.world_to_camera(gt[:, :3])
        # depths are relative to each hand's root: add the roots' depth
        right, left = HAND_ROOTS
        keypoints_3d[:NUM_HAND_KEYPOINTS, 2] += gt[right, 2]
        keypoints_3d[NUM_HAND_KEYPOINTS:, 2] += gt[left, 2]
        keypoints_3d[:, :3] = camera.pixel_to_camera(keypoints_3d[:, :3])
    keypoints_3d[:, :3] = keypoints_3d[:, :3] @ VIS_ROTATION
    if gt is not None:
        gt[:, :3] = gt[:, :3] @ VIS_ROTATION
    if rebase:
        rebased(keypoints_3d)
    result['keypoints_3d'] = keypoints_3d
    result['keypoints_3d_gt'] = gt
    return result


def drawn_results(pose_results: List[dict], args) -> List[dict]:
    """The results to draw: each prediction, followed by its ground truth
    with ``--show-ground-truth``."""
    drawn = []
    for idx, result in enumerate(pose_results):
        result = to_drawing(result, args.rebase_keypoint_height)
        instance_id = result.get('track_id', idx)
        result['title'] = f'Prediction ({instance_id})'
        drawn.append(result)
        if not args.show_ground_truth:
            continue
        gt = result['keypoints_3d_gt']
        if gt is None:
            print('Fail to show ground truth. Please make sure that '
                  'gt-joints-file is provided.')
            continue
        drawn.append(dict(
            result, keypoints_3d=rebased(gt) if args.rebase_keypoint_height
            else gt, title=f'Ground truth ({instance_id})'))
    return drawn


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    coco = load_coco(args.json_file)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower())
    dataset = dataset_of(pose_model, 'InterHand3DDataset')
    camera_params = (None if args.camera_param_file is None else
                     mmcv.load(args.camera_param_file))
    gt_joints = (None if args.gt_joints_file is None else
                 mmcv.load(args.gt_joints_file))

    images = [coco.imgs[image_id] for image_id in coco.imgs]
    for i, image in enumerate(mmcv.track_iter_progress(images)):
        det_results = hand_boxes(coco, image, args.img_root, camera_params,
                                 gt_joints)
        if not det_results:
            continue
        image_name = det_results[0]['image_name']
        pose_results = inference_interhand_3d_model(
            pose_model, image_name, det_results, dataset=dataset)
        vis_3d_pose_result(
            pose_model,
            result=drawn_results(pose_results, args),
            img=image_name,
            dataset=dataset,
            kpt_score_thr=args.kpt_thr,
            radius=args.radius,
            thickness=args.thickness,
            show=args.show,
            out_file=out_path(args.out_img_root or '', f'vis_{i}.jpg'))


if __name__ == '__main__':
    main()
