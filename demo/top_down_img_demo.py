"""Top-down pose estimation on images, with the person boxes taken from a
COCO-format annotation file.

    python demo/top_down_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --img-root tests/data/demo --json-file tests/data/demo/test_coco.json \
        --out-img-root vis_results
"""
import os.path as osp

from demo_utils import (add_common_args, add_threshold_args,
                        coco_person_results, dataset_of, load_coco,
                        pose_arg_parser, require_output, visualize_image)

from mmpose.apis import inference_top_down_pose_model, init_pose_model


def parse_args(argv=None):
    parser = pose_arg_parser(__doc__.splitlines()[0])
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--json-file', type=str, default='',
                        help='Json file containing image info.')
    parser.add_argument('--img', type=str, default='',
                        help='Only process this image (file name as in the '
                        'json file)')
    parser.add_argument('--min-keypoints', type=int, default=0,
                        help='Only use annotated people with at least this '
                        'many labelled keypoints (default: every box)')
    add_common_args(parser, 'img')
    add_threshold_args(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    coco = load_coco(args.json_file)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower(),
                                 precision=args.precision)
    dataset = dataset_of(pose_model)

    img_keys = sorted(coco.imgs)
    if args.img:
        img_keys = [k for k in img_keys
                    if coco.imgs[k]['file_name'] == args.img]
        if not img_keys:
            raise SystemExit(f'error: {args.img!r} is not in '
                             f'{args.json_file}')
    for i, image_id in enumerate(img_keys):
        image = coco.loadImgs(image_id)[0]
        image_name = osp.join(args.img_root, image['file_name'])
        person_results = coco_person_results(coco, image_id,
                                             args.min_keypoints)
        pose_results, _ = inference_top_down_pose_model(
            pose_model, image_name, person_results, format='xywh',
            dataset=dataset)
        visualize_image(pose_model, image_name, pose_results, args, dataset,
                        f'vis_{i}.jpg')


if __name__ == '__main__':
    main()
