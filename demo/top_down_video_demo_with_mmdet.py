"""Top-down pose estimation on a video, with people detected in each frame
by an MMDetection 2.x model (mmdet must be installed).

    python demo/top_down_video_demo_with_mmdet.py DET_CONFIG DET_CHECKPOINT \
        POSE_CONFIG POSE_CHECKPOINT --video-path VIDEO \
        --out-video-root vis_results
"""
from argparse import ArgumentParser

import cv2
from demo_utils import (dataset_of, frames, process_mmdet_results,
                        read_video, require_mmdet, require_output,
                        video_writer)

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('det_config', help='Config file for detection')
    parser.add_argument('det_checkpoint', help='Checkpoint file for detection')
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    parser.add_argument('--video-path', type=str, help='Video path')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show visualizations.')
    parser.add_argument('--out-video-root', default='',
                        help='Root of the output video file. Default not '
                        'saving the visualization video.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--det-cat-id', type=int, default=1,
                        help='Category id for bounding box detection model')
    parser.add_argument('--bbox-thr', type=float, default=0.3,
                        help='Bounding box score threshold')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    init_detector, inference_detector = require_mmdet()
    cap, fps, size = read_video(args.video_path)
    device = args.device.lower()
    det_model = init_detector(args.det_config, args.det_checkpoint,
                              device=device)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=device)
    dataset = dataset_of(pose_model)
    writer = video_writer(args.video_path, args.out_video_root, fps, size)
    count = 0
    for frame in frames(cap):
        mmdet_results = inference_detector(det_model, frame)
        person_results = process_mmdet_results(mmdet_results,
                                               args.det_cat_id)
        pose_results, _ = inference_top_down_pose_model(
            pose_model, frame, person_results, bbox_thr=args.bbox_thr,
            format='xyxy', dataset=dataset)
        vis_img = vis_pose_result(pose_model, frame, pose_results,
                                  kpt_score_thr=args.kpt_thr,
                                  dataset=dataset, show=False)
        if args.show:
            cv2.imshow('Image', vis_img)
            if cv2.waitKey(1) & 0xFF == ord('q'):
                break
        if writer is not None:
            writer.write(vis_img)
        count += 1
    cap.release()
    if writer is not None:
        writer.release()
        print(f'{count} frames written to {args.out_video_root}')
    if args.show:
        cv2.destroyAllWindows()


if __name__ == '__main__':
    main()
