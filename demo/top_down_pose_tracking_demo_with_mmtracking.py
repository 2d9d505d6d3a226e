"""Top-down pose estimation on a video, with people detected and tracked by
an MMTracking 0.14 multi-object tracker; the track ids come from the
tracker. The tracking config names its detector and re-identification
weights (`demo/mmtracking_cfg/`: Tracktor, DeepSORT), which mmtrack loads
when it builds the model; mmtrack is installed by tools/setup_env.sh
(requirements/mmtrack.txt).

    python demo/top_down_pose_tracking_demo_with_mmtracking.py \
        demo/mmtracking_cfg/tracktor_faster-rcnn_r50_fpn_4e_mot17-private.py \
        POSE_CONFIG POSE_CHECKPOINT \
        --video-path VIDEO --out-video-root vis_results
"""
from argparse import ArgumentParser
from itertools import count

from demo_utils import (add_common_args, dataset_of,
                        process_mmtracking_results, read_video,
                        require_mmtrack, require_output, visualize_video)

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         vis_pose_tracking_result)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('tracking_config', help='Config file for tracking')
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    parser.add_argument('--video-path', type=str, help='Video path')
    add_common_args(parser, 'video')
    parser.add_argument('--bbox-thr', type=float, default=0.3,
                        help='Bounding box score threshold')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    init_tracking_model, inference_mot = require_mmtrack()
    video = read_video(args.video_path)
    device = args.device.lower()
    tracking_model = init_tracking_model(args.tracking_config, None,
                                         device=device)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=device,
                                 precision=args.precision)
    dataset = dataset_of(pose_model)
    frame_ids = count()

    def estimate(frame):
        tracks = inference_mot(tracking_model, frame,
                               frame_id=next(frame_ids))
        pose_results, _ = inference_top_down_pose_model(
            pose_model, frame, process_mmtracking_results(tracks),
            bbox_thr=args.bbox_thr, format='xyxy', dataset=dataset)
        return pose_results

    visualize_video(video, args, pose_model, dataset, estimate,
                    draw=vis_pose_tracking_result)


if __name__ == '__main__':
    main()
