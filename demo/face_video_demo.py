"""Face landmark detection (top-down) on a video.

Face boxes come from ``--bbox x y w h`` when given, otherwise from the
``face_recognition`` package in each frame when it is installed; else the
whole frame is taken as one face (a notice says so).

    python demo/face_video_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --video-path VIDEO --out-video-root vis_results
"""
from demo_utils import (dataset_of, face_detector, read_video,
                        require_output, video_arg_parser, visualize_video)

from mmpose.apis import inference_top_down_pose_model, init_pose_model


def parse_args(argv=None):
    parser = video_arg_parser(__doc__.splitlines()[0])
    parser.add_argument('--bbox', type=float, nargs=4, default=None,
                        metavar=('X', 'Y', 'W', 'H'),
                        help='Face box to use instead of detecting faces')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    video = read_video(args.video_path)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower(),
                                 precision=args.precision)
    dataset = dataset_of(pose_model, 'FaceAFLWDataset')
    detect_faces = face_detector(args.bbox)

    def estimate(frame):
        pose_results, _ = inference_top_down_pose_model(
            pose_model, frame, detect_faces(frame), format='xywh',
            dataset=dataset)
        return pose_results

    visualize_video(video, args, pose_model, dataset, estimate)


if __name__ == '__main__':
    main()
