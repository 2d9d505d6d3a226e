"""Top-down pose estimation on images, with the person boxes taken from a
COCO-format annotation file.

    python demo/top_down_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --img-root tests/data/demo --json-file tests/data/demo/test_coco.json \
        --out-img-root vis_results
"""
import os.path as osp
from argparse import ArgumentParser

from demo_utils import (coco_person_results, dataset_of, load_coco,
                        out_path, require_output)

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--json-file', type=str, default='',
                        help='Json file containing image info.')
    parser.add_argument('--img', type=str, default='',
                        help='Only process this image (file name as in the '
                        'json file)')
    parser.add_argument('--min-keypoints', type=int, default=0,
                        help='Only use annotated people with at least this '
                        'many labelled keypoints (default: every box)')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show img')
    parser.add_argument('--out-img-root', type=str, default='',
                        help='Root of the output img file. Default not '
                        'saving the visualization images.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    coco = load_coco(args.json_file)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower())
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
        out_file = out_path(args.out_img_root, f'vis_{i}.jpg')
        vis_pose_result(pose_model, image_name, pose_results,
                        kpt_score_thr=args.kpt_thr, dataset=dataset,
                        show=args.show, out_file=out_file)
        if out_file:
            print(f'{image_name}: {len(pose_results)} people -> {out_file}')


if __name__ == '__main__':
    main()
