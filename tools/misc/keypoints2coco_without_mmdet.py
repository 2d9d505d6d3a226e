"""Pseudo-label images with a top-down pose model (MMPose 0.29's
tools/misc/keypoints2coco_without_mmdet.py): the person boxes of a
COCO-format json go through the model and the predicted keypoints are
written as a COCO keypoint json.

Keypoints scoring below ``--kpt-thr`` are written as unlabelled (0, 0, 0),
the others as visible (x, y, 2); ``num_keypoints`` counts the visible ones.
Every image of the input is listed, with or without people.

    python tools/misc/keypoints2coco_without_mmdet.py POSE_CONFIG \
        POSE_CHECKPOINT --img-root data/images --json-file boxes.json \
        --out-json-file pseudo_labels.json
"""
import os.path as osp
from argparse import ArgumentParser
from typing import List

import mmcv
import numpy as np
from xtcocotools.coco import COCO

from mmpose.apis import inference_top_down_pose_model, init_pose_model


def parse_args(argv=None):
    parser = ArgumentParser(description='Pseudo-label keypoints in COCO '
                            'format from annotated person boxes')
    parser.add_argument('pose_config', help='Config file for pose')
    parser.add_argument('pose_checkpoint', help='Checkpoint file')
    parser.add_argument('--img-root', type=str, default='', help='Image root')
    parser.add_argument(
        '--json-file',
        type=str,
        default='',
        help='Json file containing image person bboxes in COCO format.')
    parser.add_argument(
        '--out-json-file',
        type=str,
        default='',
        help='Output json contains pseudolabeled annotation')
    parser.add_argument('--show', action='store_true', default=False,
                        help='whether to show img')
    parser.add_argument('--device', default='cuda:0',
                        help='Device used for inference')
    parser.add_argument('--kpt-thr', type=float, default=0.3,
                        help='Keypoint score threshold')
    return parser.parse_args(argv)


def pose_annotations(pose_results: List[dict], image_id: int,
                     first_id: int, kpt_thr: float) -> List[dict]:
    """COCO annotations (ids from ``first_id``) of the pose results of one
    image: the input box (``'bbox_xywh'``), keypoints thresholded by
    score."""
    if not pose_results:
        return []
    kpts = np.stack([r['keypoints'] for r in pose_results])  # [N, K, 3]
    boxes = np.stack([np.asarray(r['bbox_xywh'], dtype=np.float64)
                      for r in pose_results])
    visible = kpts[..., 2] >= kpt_thr
    labelled = np.where(
        visible[..., None],
        np.concatenate([kpts[..., :2], np.full_like(kpts[..., :1], 2)], -1),
        0)
    return [
        dict(id=first_id + i, image_id=image_id, category_id=1, iscrowd=0,
             bbox=box.tolist(), area=float(box[2] * box[3]),
             keypoints=kpt.reshape(-1).tolist(),
             num_keypoints=int(vis.sum()))
        for i, (box, kpt, vis) in enumerate(zip(boxes, labelled, visible))
    ]


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.json_file):
        raise SystemExit(f'error: box file not found: {args.json_file!r}')
    if not args.out_json_file:
        raise SystemExit('error: pass --out-json-file')
    coco = COCO(args.json_file)
    pose_model = init_pose_model(args.pose_config, args.pose_checkpoint,
                                 device=args.device.lower())
    dataset = pose_model.cfg.data['test']['type']

    images, annotations = [], []
    for image_id in mmcv.track_iter_progress(sorted(coco.imgs)):
        info = coco.imgs[image_id]
        image_name = osp.join(args.img_root, info['file_name'])
        img = mmcv.imread(image_name)
        if img is None:
            raise SystemExit(f'error: cannot read image {image_name!r}')
        # each result keeps its annotated box as 'bbox_xywh'
        person_results = [{
            'bbox': ann['bbox'],
            'bbox_xywh': ann['bbox']
        } for ann in coco.loadAnns(coco.getAnnIds(imgIds=[image_id]))]
        pose_results, _ = inference_top_down_pose_model(
            pose_model, img, person_results, format='xywh', dataset=dataset)
        if args.show:
            pose_model.show_result(img, pose_results, show=True)
        images.append(dict(file_name=osp.basename(info['file_name']),
                           height=img.shape[0], width=img.shape[1],
                           id=int(image_id)))
        annotations += pose_annotations(pose_results, int(image_id),
                                        len(annotations) + 1, args.kpt_thr)
    mmcv.dump(
        dict(images=images, annotations=annotations,
             categories=[dict(id=1, name='person')]),
        args.out_json_file, indent=2)
    print(f'{len(annotations)} people in {len(images)} images written to '
          f'{args.out_json_file}')


if __name__ == '__main__':
    main()
