"""3D human pose in a video in two stages: people found by an MMDetection
2.x model, their 2D poses (tracked across frames), then each person's 2D
pose sequence lifted to 3D (MMPose 0.29's demo; mmdet must be installed).

    python demo/body3d_two_stage_video_demo.py DET_CONFIG DET_CHECKPOINT \
        POSE_CONFIG POSE_CHECKPOINT LIFTER_CONFIG LIFTER_CHECKPOINT \
        --video-path VIDEO --out-video-root vis_results
"""
import copy
from argparse import ArgumentParser

import cv2
import mmcv
from body3d_demo_utils import (convert_keypoint_definition, rebase_height,
                               sequence_settings)
from demo_utils import (REPO_ROOT, add_multi_frame_args, dataset_of,
                        pose_input, process_mmdet_results, require_mmdet,
                        require_output, video_writer)

from mmpose.apis import (extract_pose_sequence, get_track_id,
                         inference_pose_lifter_model,
                         inference_top_down_pose_model, init_pose_model,
                         vis_3d_pose_result)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('det_config', help='Config file for detection')
    parser.add_argument('det_checkpoint', help='Checkpoint file for detection')
    parser.add_argument('pose_detector_config', type=str, default=None,
                        help='Config file for the 1st stage 2D pose '
                        'detector')
    parser.add_argument('pose_detector_checkpoint', type=str, default=None,
                        help='Checkpoint file for the 1st stage 2D pose '
                        'detector')
    parser.add_argument('pose_lifter_config',
                        help='Config file for the 2nd stage pose lifter '
                        'model')
    parser.add_argument('pose_lifter_checkpoint',
                        help='Checkpoint file for the 2nd stage pose lifter '
                        'model')
    parser.add_argument('--video-path', type=str, default='',
                        help='Video path')
    parser.add_argument('--rebase-keypoint-height', action='store_true',
                        help='Put the lowest keypoint of each 3D pose at '
                        'height 0 (for models without global position)')
    parser.add_argument('--norm-pose-2d', action='store_true',
                        help='Move and scale each box (and its 2D pose) to '
                        'the average box of the lifter\'s dataset')
    parser.add_argument('--num-instances', type=int, default=-1,
                        help='Number of 3D poses drawn per frame (< 0: the '
                        'number of people in the first frame)')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show visualizations.')
    parser.add_argument('--out-video-root', type=str, default=None,
                        help='Root of the output video file. '
                        'Default not saving the visualization video.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device for inference')
    parser.add_argument('--det-cat-id', type=int, default=1,
                        help='Category id for bounding box detection model')
    parser.add_argument('--bbox-thr', type=float, default=0.9,
                        help='Bounding box score threshold')
    parser.add_argument('--kpt-thr', type=float, default=0.3)
    parser.add_argument('--use-oks-tracking', action='store_true',
                        help='Using OKS tracking')
    parser.add_argument('--tracking-thr', type=float, default=0.3,
                        help='Tracking threshold')
    parser.add_argument('--radius', type=int, default=8,
                        help='Keypoint radius for visualization')
    parser.add_argument('--thickness', type=int, default=2,
                        help='Link thickness for visualization')
    parser.add_argument('--smooth', action='store_true',
                        help='Smooth the 2D poses over time (see '
                        '--smooth-filter-cfg)')
    parser.add_argument('--smooth-filter-cfg', type=str,
                        default=f'{REPO_ROOT}/configs/_base_/filters/'
                        'one_euro.py',
                        help='Config file of the temporal filter')
    add_multi_frame_args(parser)
    return parser.parse_args(argv)


def detect_2d(args, video, pose_model, mmdet_apis) -> list:
    """Stage 1: per frame, the tracked 2D pose results of the people the
    detector finds (each with ``track_id``); ``mmdet_apis`` are mmdet's
    ``(init_detector, inference_detector)``."""
    init_detector, inference_detector = mmdet_apis
    det_model = init_detector(args.det_config, args.det_checkpoint,
                              device=args.device.lower())
    dataset = dataset_of(pose_model)
    frames_of = pose_input(args, pose_model)
    smoother = None
    if args.smooth:
        from mmpose.core import Smoother
        smoother = Smoother(args.smooth_filter_cfg, keypoint_dim=2)
    results, last, next_id = [], [], 0
    for frame in mmcv.track_iter_progress(video):
        people = process_mmdet_results(
            inference_detector(det_model, frame), args.det_cat_id)
        poses, _ = inference_top_down_pose_model(
            pose_model, frames_of(frame), people, bbox_thr=args.bbox_thr,
            format='xyxy', dataset=dataset)
        poses, next_id = get_track_id(poses, last, next_id,
                                      use_oks=args.use_oks_tracking,
                                      tracking_thr=args.tracking_thr)
        if smoother is not None:
            poses = smoother.smooth(poses)
        last = poses
        results.append(copy.deepcopy(poses))
    return results


def to_plot_axes(keypoints_3d):
    """Poses [K, C >= 3] from camera axes (x right, y down, z forward) to
    the plot's (x left, y forward, z up), as the 0.29 demo draws them."""
    plotted = keypoints_3d.copy()  # [K, 4], the score kept
    plotted[..., 1:3] = keypoints_3d[..., [2, 1]]
    plotted[..., [0, 2]] *= -1
    return plotted


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    mmdet_apis = require_mmdet()
    video = mmcv.VideoReader(args.video_path)
    if not video.opened:
        raise SystemExit(f'error: cannot read video {args.video_path!r}')
    device = args.device.lower()

    print('Stage 1: 2D pose detection.')
    pose_model = init_pose_model(args.pose_detector_config,
                                 args.pose_detector_checkpoint,
                                 device=device)
    if pose_model.cfg.model.type != 'TopDown':
        raise SystemExit('error: the 1st stage needs a "TopDown" model, got '
                         f'{pose_model.cfg.model.type!r}')
    poses_2d = detect_2d(args, video, pose_model, mmdet_apis)

    print('Stage 2: 2D-to-3D pose lifting.')
    lifter = init_pose_model(args.pose_lifter_config,
                             args.pose_lifter_checkpoint, device=device)
    if lifter.cfg.model.type != 'PoseLifter':
        raise SystemExit('error: the 2nd stage needs a "PoseLifter" model, '
                         f'got {lifter.cfg.model.type!r}')
    lift_dataset = dataset_of(lifter, 'Body3DH36MDataset')
    det_dataset = dataset_of(pose_model)
    for frame_results in poses_2d:
        for res in frame_results:
            res['keypoints'] = convert_keypoint_definition(
                res['keypoints'], det_dataset, lift_dataset)
    causal, seq_len, step = sequence_settings(lifter.cfg)

    writer = None
    num_instances = args.num_instances
    for i, pose_det_results in enumerate(mmcv.track_iter_progress(poses_2d)):
        lifted = inference_pose_lifter_model(
            lifter,
            pose_results_2d=extract_pose_sequence(
                poses_2d, frame_idx=i, causal=causal, seq_len=seq_len,
                step=step),
            dataset=lift_dataset, with_track_id=True,
            image_size=video.resolution, norm_pose_2d=args.norm_pose_2d)
        by_track = {det['track_id']: det for det in pose_det_results}
        for res in lifted:
            keypoints_3d = to_plot_axes(res['keypoints_3d'])
            if args.rebase_keypoint_height:
                keypoints_3d = rebase_height(keypoints_3d)
            det = by_track[res['track_id']]
            # draw the target frame's 2D pose and box
            res.update(keypoints_3d=keypoints_3d, keypoints=det['keypoints'],
                       bbox=det['bbox'],
                       title=f'Prediction ({res["track_id"]})')
        if num_instances < 0:
            num_instances = len(lifted)
        drawing = vis_3d_pose_result(
            lifter, result=lifted, img=video[i], dataset=lift_dataset,
            radius=args.radius, thickness=args.thickness,
            num_instances=num_instances)
        if args.show:
            cv2.imshow('Image', drawing)
            if cv2.waitKey(1) & 0xFF == ord('q'):
                break
        if args.out_video_root:
            if writer is None:
                writer = video_writer(args.video_path, args.out_video_root,
                                      video.fps,
                                      (drawing.shape[1], drawing.shape[0]))
            writer.write(drawing)
    if writer is not None:
        writer.release()
    if args.show:
        cv2.destroyAllWindows()


if __name__ == '__main__':
    main()
