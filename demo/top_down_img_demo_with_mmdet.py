"""Top-down pose estimation on an image, with people detected by an
MMDetection 2.x model (mmdet must be installed).

    python demo/top_down_img_demo_with_mmdet.py DET_CONFIG DET_CHECKPOINT \
        POSE_CONFIG POSE_CHECKPOINT --img-root DIR --img IMG \
        --out-img-root vis_results
"""
import os.path as osp
from argparse import ArgumentParser

from demo_utils import (dataset_of, out_path, process_mmdet_results,
                        require_mmdet, require_output)

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)


def parse_args(argv=None):
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('det_config', help='Config file for detection')
    parser.add_argument('det_checkpoint', help='Checkpoint file for detection')
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file for pose')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument('--img', type=str, default='', help='Image file')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show img')
    parser.add_argument('--out-img-root', type=str, default='',
                        help='root of the output img file. Default not '
                        'saving the visualization images.')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--det-cat-id', type=int, default=1,
                        help='Category id for bounding box detection model')
    parser.add_argument('--bbox-thr', type=float, default=0.3,
                        help='Bounding box score threshold')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    require_output(args.show, [args.out_img_root])
    init_detector, inference_detector = require_mmdet()
    image_name = osp.join(args.img_root, args.img)
    if not osp.isfile(image_name):
        raise SystemExit(f'error: image not found: {image_name!r}')
    device = args.device.lower()
    det_model = init_detector(args.det_config, args.det_checkpoint,
                              device=device)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=device)
    dataset = dataset_of(pose_model)

    mmdet_results = inference_detector(det_model, image_name)
    person_results = process_mmdet_results(mmdet_results, args.det_cat_id)
    pose_results, _ = inference_top_down_pose_model(
        pose_model, image_name, person_results, bbox_thr=args.bbox_thr,
        format='xyxy', dataset=dataset)
    out_file = out_path(args.out_img_root, f'vis_{osp.basename(args.img)}')
    vis_pose_result(pose_model, image_name, pose_results,
                    kpt_score_thr=args.kpt_thr, dataset=dataset,
                    show=args.show, out_file=out_file)
    if out_file:
        print(f'{image_name}: {len(pose_results)} people -> {out_file}')


if __name__ == '__main__':
    main()
