"""Top-down pose estimation on a video, using the whole frame as the person
box (for videos showing one person, e.g. a face or a hand, close up).

    python demo/top_down_video_demo_full_frame_without_det.py POSE_CONFIG \
        POSE_CHECKPOINT --video-path VIDEO --out-video-root vis_results
"""
import numpy as np
from demo_utils import (dataset_of, read_video, require_output,
                        video_arg_parser, visualize_video)

from mmpose.apis import inference_top_down_pose_model, init_pose_model


def parse_args(argv=None):
    return video_arg_parser(__doc__.splitlines()[0]).parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_video_root])
    video = read_video(args.video_path)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower(),
                                 precision=args.precision)
    dataset = dataset_of(pose_model)
    # The whole frame is the person box (x, y, w, h).
    _, _, (width, height) = video
    person_results = [{'bbox': np.array([0, 0, width, height])}]

    def estimate(frame):
        pose_results, _ = inference_top_down_pose_model(
            pose_model, frame, person_results, format='xywh',
            dataset=dataset)
        return pose_results

    visualize_video(video, args, pose_model, dataset, estimate)


if __name__ == '__main__':
    main()
