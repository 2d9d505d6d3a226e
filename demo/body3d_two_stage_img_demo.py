"""3D human pose on images in two stages: 2D poses of the people boxed in a
COCO-format annotation file (or the 2D poses stored there, with
``--only-second-stage``), then each lifted to 3D (MMPose 0.29's demo).

    python demo/body3d_two_stage_img_demo.py LIFTER_CONFIG LIFTER_CHECKPOINT \
        --pose-detector-config POSE_CONFIG \
        --pose-detector-checkpoint POSE_CHECKPOINT \
        --json-file ANNOTATIONS.json --img-root IMAGES \
        --out-img-root vis_results
"""
import os.path as osp
from argparse import ArgumentParser

import mmcv
import numpy as np
from body3d_demo_utils import convert_keypoint_definition, rebase_height
from demo_utils import (coco_person_results, dataset_of, load_coco, out_path,
                        require_output)

from mmpose.apis import (inference_pose_lifter_model,
                         inference_top_down_pose_model, init_pose_model,
                         vis_3d_pose_result)
from mmpose.core import SimpleCamera
from mmpose.core.bbox import bbox_xywh2xyxy
from mmpose.datasets.datasets.body3d import Body3DH36MDataset
from mmpose.errors import UnsupportedError


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pose_lifter_config',
                        help='Config file for the 2nd stage pose lifter '
                        'model')
    parser.add_argument('pose_lifter_checkpoint',
                        help='Checkpoint file for the 2nd stage pose lifter '
                        'model')
    # 0.29 spelled this option '--pose-detector-conifig'; both work
    parser.add_argument('--pose-detector-config', '--pose-detector-conifig',
                        dest='pose_detector_config', type=str, default=None,
                        help='Config file for the 1st stage 2D pose '
                        'detector')
    parser.add_argument('--pose-detector-checkpoint', type=str, default=None,
                        help='Checkpoint file for the 1st stage 2D pose '
                        'detector')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--json-file', type=str, default=None,
                        help='Json file with the images and person boxes '
                        '(and, for --only-second-stage, their 2D poses)')
    parser.add_argument('--camera-param-file', type=str, default=None,
                        help='Camera parameter file to move the 3D poses '
                        'from the camera to the world space (none: no '
                        'conversion)')
    parser.add_argument('--only-second-stage', action='store_true',
                        help='Take the 2D poses ("keypoints") from the json '
                        'file and skip the 2D pose detector')
    parser.add_argument('--rebase-keypoint-height', action='store_true',
                        help='Put the lowest keypoint of each 3D pose at '
                        'height 0 (for models without global position)')
    parser.add_argument('--show-ground-truth', action='store_true',
                        help='Also draw the "keypoints_3d" of the json '
                        'annotations when present')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show img')
    parser.add_argument('--out-img-root', type=str, default=None,
                        help='Root of the output visualization images. '
                        'Default not saving the visualization images.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device for inference')
    parser.add_argument('--kpt-thr', type=float, default=0.3)
    return parser.parse_args(argv)


def annotated_poses(coco, image_id: int, image_name: str) -> list:
    """The 2D (and 3D) poses annotated for one image, with visibility as
    0/1 scores."""
    results = []
    for ann in coco.loadAnns(coco.getAnnIds(imgIds=[image_id])):
        keypoints = np.array(ann['keypoints'], np.float32).reshape(-1, 3)
        keypoints[:, 2] = keypoints[:, 2] >= 1
        result = dict(image_name=image_name, keypoints=keypoints,
                      bbox=bbox_xywh2xyxy(np.array(ann['bbox'],
                                                   np.float32)[None])[0])
        if 'keypoints_3d' in ann:
            keypoints_3d = np.array(ann['keypoints_3d'],
                                    np.float32).reshape(-1, 4)
            keypoints_3d[:, 3] = keypoints_3d[:, 3] >= 1
            result['keypoints_3d'] = keypoints_3d
        results.append(result)
    return results


def detected_poses(pose_model, coco, image_id: int, image_name: str,
                   pose_lift_dataset: str) -> list:
    """2D poses of the annotated boxes of one image, in the lifter's
    keypoint definition."""
    det_dataset = dataset_of(pose_model)
    results, _ = inference_top_down_pose_model(
        pose_model, image_name, coco_person_results(coco, image_id),
        format='xywh', dataset=det_dataset)
    for res in results:
        res['image_name'] = image_name
        res['keypoints'] = convert_keypoint_definition(
            res['keypoints'], det_dataset, pose_lift_dataset)
    return results


def camera_to_world(keypoints_3d: np.ndarray, camera_params: dict,
                    image_name: str, dataset: str) -> np.ndarray:
    """3D keypoints [K, C >= 3] moved from the camera of ``image_name`` to
    the world space (Human3.6M: camera key ``(subject, camera id)``)."""
    if dataset != 'Body3DH36MDataset':
        raise UnsupportedError(f'--camera-param-file supports '
                               f'Body3DH36MDataset lifters, not {dataset!r}')
    subject, _, camera = Body3DH36MDataset._parse_h36m_imgname(image_name)
    world = keypoints_3d.copy()
    world[..., :3] = SimpleCamera(
        camera_params[(subject, camera)]).camera_to_world(
            keypoints_3d[..., :3])
    return world


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    coco = load_coco(args.json_file)
    device = args.device.lower()
    lifter = init_pose_model(args.pose_lifter_config,
                             args.pose_lifter_checkpoint, device=device)
    if lifter.cfg.model.type != 'PoseLifter':
        raise SystemExit('error: the 2nd stage needs a "PoseLifter" model, '
                         f'got {lifter.cfg.model.type!r}')
    lift_dataset = dataset_of(lifter, 'Body3DH36MDataset')

    # First stage: 2D poses, per image
    if args.only_second_stage:
        print('Stage 1: load 2D pose results from Json file.')
    else:
        print('Stage 1: 2D pose detection.')
        pose_model = init_pose_model(args.pose_detector_config,
                                     args.pose_detector_checkpoint,
                                     device=device)
        if pose_model.cfg.model.type != 'TopDown':
            raise SystemExit('error: the 1st stage needs a "TopDown" model, '
                             f'got {pose_model.cfg.model.type!r}')
    poses_2d = []
    for image_id in sorted(coco.imgs):
        image_name = osp.join(args.img_root,
                              coco.imgs[image_id]['file_name'])
        poses_2d.append(
            annotated_poses(coco, image_id, image_name)
            if args.only_second_stage else detected_poses(
                pose_model, coco, image_id, image_name, lift_dataset))

    # Second stage: each image is a one-frame sequence
    print('Stage 2: 2D-to-3D pose lifting.')
    camera_params = (mmcv.load(args.camera_param_file)
                     if args.camera_param_file else None)
    for i, pose_det_results in enumerate(poses_2d):
        if not pose_det_results:
            continue
        image_name = pose_det_results[0]['image_name']
        lifted = inference_pose_lifter_model(
            lifter, pose_results_2d=[pose_det_results],
            dataset=lift_dataset, with_track_id=False)
        to_draw = []
        for idx, (res, det) in enumerate(zip(lifted, pose_det_results)):
            keypoints_3d = res['keypoints_3d']
            if camera_params is not None:
                keypoints_3d = camera_to_world(keypoints_3d, camera_params,
                                               image_name, lift_dataset)
            if args.rebase_keypoint_height:
                keypoints_3d = rebase_height(keypoints_3d)
            instance_id = det.get('track_id', idx)
            res.update(keypoints_3d=keypoints_3d,
                       keypoints=det['keypoints'],
                       title=f'Prediction ({instance_id})')
            to_draw.append(res)
            if args.show_ground_truth:
                if 'keypoints_3d' not in det:
                    print('Fail to show ground truth: the json annotations '
                          'have no "keypoints_3d".')
                else:
                    to_draw.append(
                        dict(res, keypoints_3d=det['keypoints_3d'],
                             title=f'Ground truth ({instance_id})'))
        vis_3d_pose_result(lifter, result=to_draw, img=image_name,
                           dataset=lift_dataset, kpt_score_thr=args.kpt_thr,
                           show=args.show,
                           out_file=out_path(args.out_img_root or '',
                                             f'vis_{i}.jpg'))


if __name__ == '__main__':
    main()
