"""Time end-to-end ``inference_top_down_pose_model`` on a sample photo.

The model (random weights, no download) runs on N person boxes of the photo
in one batched call; the baseline, measured in the same run, is one call per
box (one forward pass per box, as before batching). Times are the median of
``--repeat`` runs after a warm-up.

    OMP_NUM_THREADS=1 python tools/benchmark_inference.py [--threads 1]
"""
import argparse
import json
import os.path as osp
import statistics
import sys
import time
from typing import Callable, List

import numpy as np
import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIG = osp.join(REPO_ROOT,
                          'configs/top_down/resnet/coco/res50_coco_256x192.py')
DEFAULT_IMG = osp.join(REPO_ROOT, 'tests/data/demo/000000196141.jpg')
DEFAULT_ANN = osp.join(REPO_ROOT, 'tests/data/demo/test_coco.json')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG)
    parser.add_argument('--img', default=DEFAULT_IMG)
    parser.add_argument('--ann-file', default=DEFAULT_ANN,
                        help='COCO annotations with the boxes of --img')
    parser.add_argument('--num-boxes', type=int, default=5)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--target', type=float, default=1.2,
                        help='target seconds for the batched call')
    return parser.parse_args(argv)


def person_boxes(ann_file: str, img: str, num_boxes: int) -> List[dict]:
    """``num_boxes`` person results (xywh + score) of ``img``: its annotated
    boxes, repeated and shifted when there are fewer."""
    with open(ann_file) as f:
        coco = json.load(f)
    name = osp.basename(img)
    ids = [im['id'] for im in coco['images'] if im['file_name'] == name]
    boxes = [a['bbox'] for a in coco['annotations'] if a['image_id'] in ids]
    if not boxes:
        raise SystemExit(f'error: no box of {name} in {ann_file}')
    people = []
    for i in range(num_boxes):
        x, y, w, h = boxes[i % len(boxes)]
        shift = 5.0 * (i // len(boxes))
        people.append({'bbox': np.array([x + shift, y + shift, w, h, 1.0])})
    return people


def timeit(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    sys.path.insert(0, REPO_ROOT)
    from mmpose.apis import inference_top_down_pose_model, init_pose_model
    torch.manual_seed(0)
    model = init_pose_model(args.config, device='cpu')
    people = person_boxes(args.ann_file, args.img, args.num_boxes)

    def batched():
        return inference_top_down_pose_model(model, args.img, people)

    def per_box():
        return [
            inference_top_down_pose_model(model, args.img, [p])
            for p in people
        ]

    # Both paths must agree before their times are compared.
    a = np.stack([r['keypoints'] for r in batched()[0]])
    b = np.stack([r[0][0]['keypoints'] for r in per_box()])
    np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3)

    t_batched = timeit(batched, args.repeat)
    t_per_box = timeit(per_box, args.repeat)
    flip = model.cfg.model.test_cfg.get('flip_test', True)
    print(f'config: {osp.relpath(args.config, REPO_ROOT)} (random weights, '
          f'flip_test={flip})')
    print(f'image: {osp.relpath(args.img, REPO_ROOT)}, '
          f'{args.num_boxes} boxes, {args.threads} thread(s), median of '
          f'{args.repeat}')
    print(f'batched inference_top_down_pose_model: {t_batched:.3f} s')
    print(f'baseline, one call per box:            {t_per_box:.3f} s')
    print(f'speed-up: {t_per_box / t_batched:.2f}x; target <= '
          f'{args.target:.2f} s: '
          f'{"met" if t_batched <= args.target else "NOT met"}')


if __name__ == '__main__':
    main()
