"""Benchmark the data pipelines on the COCO sample images (one worker, one
thread).

Reports samples/s of the COCO top-down training pipeline (256x192: flip,
half-body, scale/rotation, affine, target) and of the bottom-up training
pipeline (512, two output scales), and times ``TopDownGenerateTarget`` for
17 joints at 64x48 against a straightforward per-joint loop measured in the
same run (per-sample time and speed-up). Every number is the best of
``--repeats`` runs, as wall time and as thread CPU time (the latter is
steadier on a shared machine); the load average is printed first.

Usage:
    OMP_NUM_THREADS=1 python tools/benchmark_pipelines.py \
        [--data tests/data/coco] [--n 200] [--repeats 5]
"""
import argparse
import json
import os
import os.path as osp
import time

import cv2
import numpy as np
import torch

from mmpose.datasets.pipelines import Compose, TopDownGenerateTarget

COCO_FLIP_PAIRS = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12],
                   [13, 14], [15, 16]]
COCO_FLIP_INDEX = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]

TOP_DOWN_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownRandomFlip', flip_prob=0.5),
    dict(type='TopDownHalfBodyTransform', num_joints_half_body=8,
         prob_half_body=0.3),
    dict(type='TopDownGetRandomScaleRotation', rot_factor=40,
         scale_factor=0.5),
    dict(type='TopDownAffine'),
    dict(type='ToTensor'),
    dict(type='NormalizeTensor', mean=MEAN, std=STD),
    dict(type='TopDownGenerateTarget', sigma=2),
    dict(type='Collect', keys=['img', 'target', 'target_weight'],
         meta_keys=['image_file', 'joints_3d', 'joints_3d_visible', 'center',
                    'scale', 'rotation', 'bbox_score', 'flip_pairs']),
]

BOTTOM_UP_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='BottomUpRandomAffine', rot_factor=30, scale_factor=[0.75, 1.5],
         scale_type='short', trans_factor=40),
    dict(type='BottomUpRandomFlip', flip_prob=0.5),
    dict(type='ToTensor'),
    dict(type='NormalizeTensor', mean=MEAN, std=STD),
    dict(type='BottomUpGenerateTarget', sigma=2, max_num_people=30),
    dict(type='Collect', keys=['img', 'joints', 'targets', 'masks'],
         meta_keys=[]),
]


def load_coco(data_dir):
    with open(osp.join(data_dir, 'test_coco.json')) as f:
        coco = json.load(f)
    images = {im['id']: im for im in coco['images']}
    anns = {}
    for a in coco['annotations']:
        anns.setdefault(a['image_id'], []).append(a)
    return images, anns


def top_down_samples(data_dir, images, anns):
    """One results dict per annotated person (COCO box -> center/scale)."""
    image_size = np.array([192, 256])
    aspect = image_size[0] / image_size[1]
    ann_info = dict(image_size=image_size, heatmap_size=np.array([48, 64]),
                    num_joints=17, flip_pairs=COCO_FLIP_PAIRS,
                    upper_body_ids=tuple(range(11)),
                    lower_body_ids=tuple(range(11, 17)),
                    joint_weights=np.ones((17, 1), np.float32),
                    use_different_joint_weights=False)
    samples = []
    for img_id, people in anns.items():
        for a in people:
            if a.get('num_keypoints', 0) == 0:
                continue
            kpts = np.array(a['keypoints'], np.float32).reshape(17, 3)
            joints = np.zeros((17, 3), np.float32)
            joints[:, :2] = kpts[:, :2]
            vis = np.zeros((17, 3), np.float32)
            vis[:, :2] = np.minimum(1, kpts[:, 2:3])
            x, y, w, h = a['bbox']
            center = np.array([x + w * 0.5, y + h * 0.5])
            if w > aspect * h:
                h = w / aspect
            else:
                w = h * aspect
            scale = np.array([w / 200.0, h / 200.0]) * 1.25
            samples.append(dict(
                image_file=osp.join(data_dir, images[img_id]['file_name']),
                center=center, scale=scale, rotation=0, bbox_score=1,
                joints_3d=joints, joints_3d_visible=vis, ann_info=ann_info))
    return samples


def bottom_up_samples(data_dir, images, anns):
    ann_info = dict(image_size=512, heatmap_size=[128, 256], num_joints=17,
                    num_scales=2, flip_index=COCO_FLIP_INDEX,
                    scale_aware_sigma=False)
    samples = []
    for img_id, im in images.items():
        people = [a for a in anns.get(img_id, [])
                  if a.get('num_keypoints', 0) > 0]
        joints = np.array([a['keypoints'] for a in people],
                          np.float32).reshape(-1, 17, 3)
        mask = np.ones((im['height'], im['width']), np.float32)
        samples.append(dict(
            image_file=osp.join(data_dir, im['file_name']),
            mask=[mask, mask], joints=[joints, joints], ann_info=ann_info))
    return samples


def _fresh(sample):
    """Per-iteration copy, like a dataset's deepcopy of its record."""
    out = dict(sample)
    out['ann_info'] = dict(sample['ann_info'])
    for k in ('joints_3d', 'joints_3d_visible', 'center', 'scale'):
        if k in out:
            out[k] = out[k].copy()
    for k in ('mask', 'joints'):
        if k in out:
            out[k] = [v.copy() for v in out[k]]
    return out


def best_of(fn, n, repeats):
    """Best per-call wall and thread-CPU seconds of ``fn(i)`` over
    ``repeats`` runs of ``n`` calls (best-of-N against machine noise)."""
    wall = cpu = np.inf
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.thread_time()
        for i in range(n):
            fn(i)
        wall = min(wall, (time.perf_counter() - w0) / n)
        cpu = min(cpu, (time.thread_time() - c0) / n)
    return wall, cpu


def run_pipeline(pipeline, samples, n, repeats):
    for s in samples[:2]:  # warm up
        pipeline(_fresh(s))
    return best_of(lambda i: pipeline(_fresh(samples[i % len(samples)])), n,
                   repeats)


def loop_baseline_target(joints_3d, joints_3d_visible, ann_info, sigma=2):
    """Straightforward per-joint MSRA encoding (the baseline)."""
    num_joints = ann_info['num_joints']
    W, H = ann_info['heatmap_size']
    stride = ann_info['image_size'] / np.array([W, H])
    target = np.zeros((num_joints, H, W), np.float32)
    weight = np.zeros((num_joints, 1), np.float32)
    tmp = sigma * 3
    size = 2 * tmp + 1
    x = np.arange(size, dtype=np.float32)
    y = x[:, None]
    g = np.exp(-((x - tmp)**2 + (y - tmp)**2) / (2 * sigma**2))
    for k in range(num_joints):
        weight[k] = joints_3d_visible[k, 0]
        mu_x = int(joints_3d[k, 0] / stride[0] + 0.5)
        mu_y = int(joints_3d[k, 1] / stride[1] + 0.5)
        ul = [int(mu_x - tmp), int(mu_y - tmp)]
        br = [int(mu_x + tmp + 1), int(mu_y + tmp + 1)]
        if ul[0] >= W or ul[1] >= H or br[0] < 0 or br[1] < 0:
            weight[k] = 0
        if weight[k] > 0.5:
            gx = max(0, -ul[0]), min(br[0], W) - ul[0]
            gy = max(0, -ul[1]), min(br[1], H) - ul[1]
            ix = max(0, ul[0]), min(br[0], W)
            iy = max(0, ul[1]), min(br[1], H)
            target[k, iy[0]:iy[1], ix[0]:ix[1]] = g[gy[0]:gy[1],
                                                    gx[0]:gx[1]]
    return target, weight


def bench_target(n, repeats):
    rng = np.random.RandomState(0)
    ann_info = dict(image_size=np.array([192, 256]),
                    heatmap_size=np.array([48, 64]), num_joints=17,
                    joint_weights=np.ones((17, 1), np.float32),
                    use_different_joint_weights=False)
    joints = np.zeros((17, 3), np.float32)
    joints[:, :2] = rng.uniform(0, [192, 256], (17, 2))
    vis = np.ones((17, 3), np.float32)
    vis[rng.rand(17) < 0.2] = 0
    t = TopDownGenerateTarget(sigma=2)
    res = dict(joints_3d=joints, joints_3d_visible=vis, ann_info=ann_info)
    ours = t(dict(res))
    ref = loop_baseline_target(joints, vis, ann_info)
    assert np.array_equal(ours['target'], ref[0]) and np.array_equal(
        ours['target_weight'], ref[1]), 'vectorised != loop baseline'
    vec = best_of(lambda i: t(dict(res)), n, repeats)
    loop = best_of(lambda i: loop_baseline_target(joints, vis, ann_info), n,
                   repeats)
    return vec, loop


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    here = osp.dirname(osp.dirname(osp.abspath(__file__)))
    parser.add_argument('--data', default=osp.join(here, 'tests', 'data',
                                                   'coco'))
    parser.add_argument('--n', type=int, default=200,
                        help='samples per pipeline benchmark run')
    parser.add_argument('--repeats', type=int, default=5,
                        help='runs per benchmark; the best one is reported')
    args = parser.parse_args()

    os.environ.setdefault('OMP_NUM_THREADS', '1')
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    np.random.seed(0)
    ms = 1e3

    print('load average (1/5/15 min): {:.2f} {:.2f} {:.2f}; best of {} runs,'
          ' one thread; wall (thread CPU) per sample'.format(
              *os.getloadavg(), args.repeats))
    vec, loop = bench_target(max(args.n * 5, 500), args.repeats)
    print(f'TopDownGenerateTarget 17 joints 64x48 sigma 2: '
          f'{vec[0] * ms:.4f} ms ({vec[1] * ms:.4f} ms CPU); per-joint loop '
          f'baseline {loop[0] * ms:.4f} ms ({loop[1] * ms:.4f} ms CPU); '
          f'{loop[0] / vec[0]:.2f}x faster ({loop[1] / vec[1]:.2f}x CPU)')

    images, anns = load_coco(args.data)
    td = top_down_samples(args.data, images, anns)
    wall, cpu = run_pipeline(Compose(TOP_DOWN_PIPELINE), td, args.n,
                             args.repeats)
    dec = run_pipeline(Compose(TOP_DOWN_PIPELINE[:1]), td, args.n,
                       args.repeats)
    print(f'top-down COCO 256x192 train pipeline: {1 / wall:8.1f} samples/s '
          f'({wall * ms:.2f} ms/sample, {cpu * ms:.2f} ms CPU; {len(td)} '
          f'people on {len(images)} images, incl. JPEG decoding: '
          f'LoadImageFromFile alone {dec[0] * ms:.2f} ms, '
          f'{dec[1] * ms:.2f} ms CPU)')

    bu = bottom_up_samples(args.data, images, anns)
    n_bu = max(args.n // 4, 8)
    wall, cpu = run_pipeline(Compose(BOTTOM_UP_PIPELINE), bu, n_bu,
                             args.repeats)
    print(f'bottom-up COCO 512 (2 scales) train pipeline: {1 / wall:8.1f} '
          f'samples/s ({wall * ms:.2f} ms/sample, {cpu * ms:.2f} ms CPU)')


if __name__ == '__main__':
    main()
