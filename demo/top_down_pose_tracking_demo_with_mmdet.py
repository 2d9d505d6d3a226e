"""Top-down pose tracking on a video: people detected in each frame by an
MMDetection 2.x model (mmdet must be installed), their poses estimated and
linked across frames with ``get_track_id``.

    python demo/top_down_pose_tracking_demo_with_mmdet.py \
        DET_CONFIG DET_CHECKPOINT POSE_CONFIG POSE_CHECKPOINT \
        --video-path VIDEO --out-video-root vis_results \
        [--use-oks-tracking --tracking-thr 0.3 --euro] \
        [--use-multi-frames [--online]] [--smooth]
"""
from demo_utils import (PoseTracker, add_multi_frame_args, add_tracking_args,
                        dataset_of, detect_and_estimate,
                        init_det_and_pose_models, pose_input, read_video,
                        require_mmdet, require_output, video_arg_parser,
                        visualize_video)

from mmpose.apis import vis_pose_tracking_result


def parse_args(argv=None):
    parser = video_arg_parser(__doc__.splitlines()[0], with_detector=True)
    add_tracking_args(parser)
    add_multi_frame_args(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    init_detector, inference_detector = require_mmdet()
    video = read_video(args.video_path)
    det_model, pose_model = init_det_and_pose_models(args, init_detector)
    dataset = dataset_of(pose_model)
    tracker = PoseTracker(args, fps=video[1])
    pose_frames = pose_input(args, pose_model)

    def estimate(frame):
        return tracker(
            detect_and_estimate(inference_detector, det_model, pose_model,
                                frame, args, dataset, pose_frames(frame)))

    visualize_video(video, args, pose_model, dataset, estimate,
                    draw=vis_pose_tracking_result)


if __name__ == '__main__':
    main()
