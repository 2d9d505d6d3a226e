"""Top-down pose estimation on a video, using the whole frame as the person
box (for videos showing one person, e.g. a face or a hand, close up).

    python demo/top_down_video_demo_full_frame_without_det.py POSE_CONFIG \
        POSE_CHECKPOINT --video-path VIDEO --out-video-root vis_results
"""
from argparse import ArgumentParser

import cv2
import numpy as np
from demo_utils import (dataset_of, frames, read_video, require_output,
                        video_writer)

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
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
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    cap, fps, size = read_video(args.video_path)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower())
    dataset = dataset_of(pose_model)
    writer = video_writer(args.video_path, args.out_video_root, fps, size)
    # The whole frame is the person box (x, y, w, h).
    person_results = [{'bbox': np.array([0, 0, size[0], size[1]])}]
    count = 0
    for frame in frames(cap):
        pose_results, _ = inference_top_down_pose_model(
            pose_model, frame, person_results, format='xywh',
            dataset=dataset)
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
