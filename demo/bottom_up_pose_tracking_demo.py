"""Bottom-up pose tracking on a video: all people of each frame at once,
linked across frames with ``get_track_id``.

    python demo/bottom_up_pose_tracking_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --video-path VIDEO --out-video-root vis_results \
        [--use-oks-tracking --tracking-thr 0.3 --euro]
"""
from demo_utils import (PoseTracker, add_tracking_args, dataset_of,
                        read_video, require_output, video_arg_parser,
                        visualize_video)

from mmpose.apis import (inference_bottom_up_pose_model, init_pose_model,
                         vis_pose_tracking_result)


def parse_args(argv=None):
    parser = video_arg_parser(__doc__.splitlines()[0], pose_nms=True)
    parser.set_defaults(kpt_thr=0.5)  # the 0.x default of this demo
    add_tracking_args(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    video = read_video(args.video_path)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower(),
                                 precision=args.precision)
    dataset = dataset_of(pose_model, 'BottomUpCocoDataset')
    tracker = PoseTracker(args, fps=video[1])

    def estimate(frame):
        pose_results, _ = inference_bottom_up_pose_model(
            pose_model, frame, pose_nms_thr=args.pose_nms_thr)
        return tracker(pose_results)

    visualize_video(video, args, pose_model, dataset, estimate,
                    draw=vis_pose_tracking_result)


if __name__ == '__main__':
    main()
