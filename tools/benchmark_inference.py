"""Time end-to-end inference: the straightforward baseline against the fast
path (and reduced precision), side by side in one run.

For each model (random weights, no download, unless ``--checkpoint``) and
each thread count:

- top-down (ResNet-50, HRNet-w32 and ViTPose-B 256x192, N person boxes of
  a sample photo, flip test): baseline = one
  ``inference_top_down_pose_model`` call per box on the plain model
  (``fast=False``); fast = one batched call with BatchNorm folded into the
  convolutions and, for ViTPose, the attention run by PyTorch's fused
  ``scaled_dot_product_attention`` (``fast=True``, exact);
- bottom-up (HigherHRNet-w32 512x512, flip test): baseline = the plain
  model, fast = the folded copy;
- reduced: the fast path under autocast (bf16 on CPU, fp16 on CUDA), with
  the mean keypoint difference to fp32 in pixels.

Times are medians of ``--repeat`` runs after a warm-up; the fast path is
checked against the baseline before timing. On the CPU each case also
prints the arithmetic rate of the fast fp32 path (the FLOPs of the call,
counted by ``torch.utils.flop_counter``, over its time) next to this core's
rate on one large float32 matrix product: how much headroom an exact fp32
path has left.

    python tools/benchmark_inference.py [--threads 1 2] [--device cuda]
    # a trained model: keypoint differences that mean something
    python tools/benchmark_inference.py \
        --config demo/configs/demo_res18_coco_128x96.py \
        --checkpoint work_dirs/demo/demo_res18_coco_128x96.pth
"""
import argparse
import json
import os
import os.path as osp
import statistics
import sys
import time
from typing import Callable, List, Optional

import numpy as np
import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIGS = [
    'configs/top_down/resnet/coco/res50_coco_256x192.py',
    'configs/top_down/hrnet/coco/hrnet_w32_coco_256x192.py',
    'configs/body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/'
    'ViTPose_base_coco_256x192.py',
    'configs/bottom_up/higherhrnet/coco/higher_hrnet32_coco_512x512.py',
]
DEFAULT_IMG = osp.join(REPO_ROOT, 'tests/data/demo/000000196141.jpg')
DEFAULT_ANN = osp.join(REPO_ROOT, 'tests/data/demo/test_coco.json')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', nargs='+', default=None,
                        help='config(s) to time (default: ResNet-50, '
                        'HRNet-w32, ViTPose-B and HigherHRNet-w32)')
    parser.add_argument('--checkpoint', default=None,
                        help='weights for a single --config (default: '
                        'random weights)')
    parser.add_argument('--img', default=DEFAULT_IMG)
    parser.add_argument('--ann-file', default=DEFAULT_ANN,
                        help='COCO annotations with the boxes of --img')
    parser.add_argument('--num-boxes', type=int, default=5)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--threads', type=int, nargs='+', default=None,
                        help='CPU thread counts (default: 1 and all cores)')
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
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


def timeit(fn: Callable[[], object], repeat: int, device: str) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs after one warm-up."""
    sync = torch.cuda.synchronize if device.startswith('cuda') else (
        lambda: None)
    fn()
    times = []
    for _ in range(repeat):
        sync()
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_models(config: str, device: str, reduced: str,
                 checkpoint: Optional[str] = None) -> dict:
    """Plain, fast and reduced-precision models with the same weights
    (``checkpoint``'s, or random ones)."""
    from mmpose.apis import init_pose_model
    torch.manual_seed(0)
    plain = init_pose_model(config, checkpoint, device=device, fast=False)
    models = {'plain': plain}
    for name, kwargs in (('fast', {}), ('reduced', dict(precision=reduced))):
        model = init_pose_model(config, device=device, **kwargs)
        model.load_state_dict(plain.state_dict())
        models[name] = model
    return models


def call_flops(fn: Callable[[], object]) -> int:
    """Floating-point operations of one call of ``fn`` (convolutions and
    matrix products; elementwise work is not counted)."""
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False)
    with counter:
        fn()
    return counter.get_total_flops()


def matmul_rate(device: str, size: int = 2048) -> float:
    """FLOP/s of a float32 [size, size] matrix product on ``device``
    with the current thread count (median of 3 after a warm-up)."""
    a = torch.randn(size, size, device=device)
    b = torch.randn(size, size, device=device)
    seconds = timeit(lambda: a @ b, 3, device)
    return 2 * size**3 / seconds


def print_rate(label: str, flops: int, seconds: float, device: str) -> None:
    """``flops`` done in ``seconds`` as GFLOP/s and as a share of
    :func:`matmul_rate`."""
    rate, peak = flops / seconds, matmul_rate(device)
    print(f'{label} arithmetic rate: {rate / 1e9:.0f} GFLOP/s = '
          f'{rate / peak:.0%} of a 2048x2048 fp32 matrix product '
          f'({peak / 1e9:.0f} GFLOP/s)')


def keypoints(results) -> np.ndarray:
    return np.stack([r['keypoints'] for r in results])


def top_down_case(models: dict, img: str, people: List[dict]) -> dict:
    """Callables returning keypoints [N, K, 3] for each variant."""
    from mmpose.apis import inference_top_down_pose_model as infer
    return {
        'baseline': lambda: np.concatenate([
            keypoints(infer(models['plain'], img, [p])[0]) for p in people
        ]),
        'fast': lambda: keypoints(infer(models['fast'], img, people)[0]),
        'reduced': lambda: keypoints(infer(models['reduced'], img,
                                           people)[0]),
    }


def bottom_up_case(models: dict, img: str) -> dict:
    """Callables returning the aggregated heatmaps for each variant (the
    grouping of random-weight outputs is not comparable)."""
    from mmpose.apis import inference_bottom_up_pose_model as infer

    def heatmap(model):
        return infer(model, img, return_heatmap=True)[1][0]['heatmap']

    return {name: (lambda m=models[key]: heatmap(m))
            for name, key in (('baseline', 'plain'), ('fast', 'fast'),
                              ('reduced', 'reduced'))}


def run_case(config: str, args, threads: int, reduced: str) -> None:
    from mmpose.apis.inference import TOP_DOWN_TYPES
    models = build_models(config, args.device, reduced, args.checkpoint)
    cfg = models['plain'].cfg
    top_down = cfg.model.type in TOP_DOWN_TYPES
    if top_down:
        people = person_boxes(args.ann_file, args.img, args.num_boxes)
        case = top_down_case(models, args.img, people)
        what = f'{args.num_boxes} boxes'
    else:
        case = bottom_up_case(models, args.img)
        what = 'whole image'
    flip = cfg.model.test_cfg.get('flip_test', True)
    print(f'\n== {osp.relpath(config, REPO_ROOT)}: {what}, flip_test={flip}, '
          f'{args.device}, {threads} thread(s), median of {args.repeat}')

    base, fast = case['baseline'](), case['fast']()
    # the paths must agree before their times are compared
    if top_down:
        check_keypoints_agree(fast, base)
    else:
        np.testing.assert_allclose(fast, base, rtol=1e-3,
                                   atol=1e-4 * np.abs(base).max())
    times = {k: timeit(fn, args.repeat, args.device) for k, fn in
             case.items() if k != 'reduced'}
    label = ('one inference_top_down_pose_model call per box'
             if top_down else 'plain model')
    print(f'baseline, {label}, fp32: {times["baseline"]:.3f} s')
    name = ('batched inference_top_down_pose_model'
            if top_down else 'inference_bottom_up_pose_model')
    print(f'{name}: fast fp32: {times["fast"]:.3f} s, speed-up: '
          f'{times["baseline"] / times["fast"]:.2f}x')
    if args.device == 'cpu':
        print_rate('fast fp32', call_flops(case['baseline']), times['fast'],
                   args.device)
    reduced_out = _try(case['reduced'])
    if reduced_out is None:
        print(f'{reduced}: not supported here')
        return
    t_reduced = timeit(case['reduced'], args.repeat, args.device)
    diff = (np.linalg.norm(reduced_out[..., :2] - fast[..., :2], axis=-1)
            .mean() if top_down else
            np.abs(reduced_out - fast).max() / np.abs(fast).max())
    weights = 'checkpoint weights' if args.checkpoint else 'random weights'
    unit = 'px mean keypoint difference' if top_down else (
        'max heatmap difference relative to the peak')
    print(f'{name}: fast {reduced}: {t_reduced:.3f} s, speed-up: '
          f'{times["baseline"] / t_reduced:.2f}x ({diff:.3g} {unit} '
          f'from fp32, {weights})')


def check_keypoints_agree(fast: np.ndarray, base: np.ndarray) -> None:
    """Fail unless the fast keypoints [N, K, 3] are within 1e-3 px of the
    baseline's, except for one or under 0.1% of them (where two nearly equal
    heatmap neighbours swap order under float rounding, the default
    decoding's quarter-pixel shift turns the other way)."""
    dist = np.linalg.norm(fast[..., :2] - base[..., :2], axis=-1)
    moved = dist > 1e-3
    if moved.sum() > 1 and moved.mean() >= 1e-3:
        raise SystemExit(f'error: the fast path moved {moved.sum()} of '
                         f'{moved.size} keypoints (max {dist.max():.4f} px)')
    if moved.any():
        print(f'{moved.sum()} of {moved.size} keypoints moved by more '
              f'than 1e-3 px (max {dist.max():.3f} px)')


def _try(fn: Callable[[], np.ndarray]) -> Optional[np.ndarray]:
    try:
        return fn()
    except RuntimeError as error:  # e.g. no bf16 kernels on this CPU
        print(f'(reduced precision failed: {error})')
        return None


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, REPO_ROOT)
    configs = args.config or [osp.join(REPO_ROOT, c) for c in DEFAULT_CONFIGS]
    if args.checkpoint and len(configs) != 1:
        raise SystemExit('error: --checkpoint needs exactly one --config')
    cuda = args.device.startswith('cuda')
    reduced = 'fp16' if cuda else 'bf16'
    threads = args.threads or sorted({1, os.cpu_count() or 1})
    for n in ([torch.get_num_threads()] if cuda else threads):
        torch.set_num_threads(n)
        for config in configs:
            run_case(config, args, n, reduced)


if __name__ == '__main__':
    main()
