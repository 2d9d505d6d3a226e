"""Bottom-up pose estimation on images (all people at once, no boxes).

    python demo/bottom_up_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --img-path IMAGE_OR_FOLDER --out-img-root vis_results
    python demo/bottom_up_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --img-root IMG_ROOT --json-file COCO_JSON --out-img-root vis_results
"""
import os.path as osp

from demo_utils import (add_common_args, add_threshold_args, dataset_of,
                        list_images, load_coco, pose_arg_parser,
                        require_output, visualize_image)

from mmpose.apis import inference_bottom_up_pose_model, init_pose_model


def parse_args(argv=None):
    parser = pose_arg_parser(__doc__.splitlines()[0])
    parser.add_argument('--img-path', type=str, default='',
                        help='An image file or a folder of images')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--json-file', type=str, default='',
                        help='Json file listing the images (instead of '
                        '--img-path)')
    add_common_args(parser, 'img')
    add_threshold_args(parser, pose_nms=True)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    if args.img_path:
        images = list_images(args.img_path)
    elif args.json_file:
        coco = load_coco(args.json_file)
        images = [osp.join(args.img_root, coco.imgs[k]['file_name'])
                  for k in sorted(coco.imgs)]
    else:
        raise SystemExit('error: pass --img-path, or --img-root and '
                         '--json-file')
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower(),
                                 precision=args.precision)
    dataset = dataset_of(pose_model, 'BottomUpCocoDataset')
    for i, image_name in enumerate(images):
        pose_results, _ = inference_bottom_up_pose_model(
            pose_model, image_name, pose_nms_thr=args.pose_nms_thr)
        visualize_image(pose_model, image_name, pose_results, args, dataset,
                        f'vis_{i}.jpg')


if __name__ == '__main__':
    main()
