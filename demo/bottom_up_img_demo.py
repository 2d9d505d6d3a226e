"""Bottom-up pose estimation on images (all people at once, no boxes).

    python demo/bottom_up_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --img-path IMAGE_OR_FOLDER --out-img-root vis_results
    python demo/bottom_up_img_demo.py POSE_CONFIG POSE_CHECKPOINT \
        --img-root IMG_ROOT --json-file COCO_JSON --out-img-root vis_results
"""
import os.path as osp
from argparse import ArgumentParser

from demo_utils import (dataset_of, list_images, load_coco, out_path,
                        require_output)

from mmpose.apis import (inference_bottom_up_pose_model, init_pose_model,
                         vis_pose_result)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    parser.add_argument('--img-path', type=str, default='',
                        help='An image file or a folder of images')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--json-file', type=str, default='',
                        help='Json file listing the images (instead of '
                        '--img-path)')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show img')
    parser.add_argument('--out-img-root', type=str, default='',
                        help='Root of the output img file. Default not '
                        'saving the visualization images.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    parser.add_argument('--pose-nms-thr', type=float, default=0.9,
                        help='OKS threshold for pose NMS')
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
                                 device=args.device.lower())
    dataset = dataset_of(pose_model, 'BottomUpCocoDataset')
    for i, image_name in enumerate(images):
        pose_results, _ = inference_bottom_up_pose_model(
            pose_model, image_name, pose_nms_thr=args.pose_nms_thr)
        out_file = out_path(args.out_img_root, f'vis_{i}.jpg')
        vis_pose_result(pose_model, image_name, pose_results,
                        kpt_score_thr=args.kpt_thr, dataset=dataset,
                        show=args.show, out_file=out_file)
        if out_file:
            print(f'{image_name}: {len(pose_results)} people -> {out_file}')


if __name__ == '__main__':
    main()
