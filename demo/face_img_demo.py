"""Face landmark detection (top-down) on images.

Face boxes come from ``--bbox x y w h`` when given, otherwise from the
``face_recognition`` package when it is installed; else the whole image is
taken as one face (a notice says so).

    python demo/face_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --img-root DIR --img face.jpg --out-img-root vis_results
"""
import os.path as osp

import mmcv
from demo_utils import (add_common_args, add_threshold_args, dataset_of,
                        face_detector, pose_arg_parser, require_output,
                        visualize_image)

from mmpose.apis import inference_top_down_pose_model, init_pose_model


def parse_args(argv=None):
    parser = pose_arg_parser(__doc__.splitlines()[0])
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--img', type=str, default='', help='Image file')
    parser.add_argument('--bbox', type=float, nargs=4, default=None,
                        metavar=('X', 'Y', 'W', 'H'),
                        help='Face box to use instead of detecting faces')
    add_common_args(parser, 'img')
    add_threshold_args(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    image_name = osp.join(args.img_root, args.img)
    if not osp.isfile(image_name):
        raise SystemExit(f'error: image not found: {image_name!r}')
    img = mmcv.imread(image_name)
    if img is None:
        raise SystemExit(f'error: cannot decode image {image_name!r}')
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower(),
                                 precision=args.precision)
    dataset = dataset_of(pose_model, 'FaceAFLWDataset')
    face_results = face_detector(args.bbox)(img)
    pose_results, _ = inference_top_down_pose_model(
        pose_model, img, face_results, format='xywh', dataset=dataset)
    visualize_image(pose_model, img, pose_results, args, dataset,
                    f'vis_{osp.basename(args.img)}', image_name, noun='faces')


if __name__ == '__main__':
    main()
