"""Bottom-up pose estimation on a video.

    python demo/bottom_up_video_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --video-path VIDEO --out-video-root vis_results
"""
from demo_utils import (dataset_of, read_video, require_output,
                        video_arg_parser, visualize_video)

from mmpose.apis import inference_bottom_up_pose_model, init_pose_model


def parse_args(argv=None):
    return video_arg_parser(__doc__.splitlines()[0],
                            pose_nms=True).parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    video = read_video(args.video_path)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower(),
                                 precision=args.precision)
    dataset = dataset_of(pose_model, 'BottomUpCocoDataset')

    def estimate(frame):
        pose_results, _ = inference_bottom_up_pose_model(
            pose_model, frame, pose_nms_thr=args.pose_nms_thr)
        return pose_results

    visualize_video(video, args, pose_model, dataset, estimate)


if __name__ == '__main__':
    main()
