"""Top-down pose estimation on an image, with people detected by an
MMDetection 2.x model (mmdet must be installed).

    python demo/top_down_img_demo_with_mmdet.py DET_CONFIG DET_CHECKPOINT \
        POSE_CONFIG POSE_CHECKPOINT --img-root DIR --img IMG \
        --out-img-root vis_results
"""
import os.path as osp

from demo_utils import (add_common_args, add_threshold_args, dataset_of,
                        detect_and_estimate, init_det_and_pose_models,
                        pose_arg_parser, require_mmdet, require_output,
                        visualize_image)


def parse_args(argv=None):
    parser = pose_arg_parser(__doc__.splitlines()[0], with_detector=True)
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--img', type=str, default='', help='Image file')
    add_common_args(parser, 'img',
                    out_help='root of the output img file. Default not '
                    'saving the visualization images.')
    add_threshold_args(parser, with_detector=True)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    init_detector, inference_detector = require_mmdet()
    image_name = osp.join(args.img_root, args.img)
    if not osp.isfile(image_name):
        raise SystemExit(f'error: image not found: {image_name!r}')
    det_model, pose_model = init_det_and_pose_models(args, init_detector)
    dataset = dataset_of(pose_model)

    pose_results = detect_and_estimate(inference_detector, det_model,
                                       pose_model, image_name, args, dataset)
    visualize_image(pose_model, image_name, pose_results, args, dataset,
                    f'vis_{osp.basename(args.img)}')


if __name__ == '__main__':
    main()
