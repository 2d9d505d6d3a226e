"""Time one training iteration (forward, loss, backward, SGD step) of a
top-down model: plain fp32 NCHW against fp32 channels-last, side by side.

Both start from the same random weights and batch; the losses and updated
weights are checked to agree up to float rounding before the times are
compared. Times are medians of ``--repeat`` iterations after a warm-up.
On the CPU it also prints the arithmetic rate of the iteration (its FLOPs,
forward and backward, over its time) next to this core's rate on one large
float32 matrix product.

    python tools/benchmark_training.py [--batch-size 8] [--threads 1 2] \
        [--device cuda]
"""
import argparse
import copy
import os
import os.path as osp
import statistics
import sys
import time

import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIG = osp.join(REPO_ROOT,
                          'configs/top_down/resnet/coco/res50_coco_256x192.py')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG)
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--threads', type=int, nargs='+', default=None,
                        help='CPU thread counts (default: 1 and all cores)')
    parser.add_argument('--device', default='cpu', help="'cpu' or 'cuda'")
    return parser.parse_args(argv)


def make_batch(cfg, batch_size: int, device: str) -> dict:
    """Random crops [B, 3, h, w], target heatmaps [B, K, H, W] and unit
    target weights [B, K, 1]."""
    gen = torch.Generator().manual_seed(0)
    width, height = cfg.data_cfg.image_size
    hm_width, hm_height = cfg.data_cfg.heatmap_size
    joints = cfg.data_cfg.num_output_channels
    return dict(
        img=torch.randn(batch_size, 3, height, width, generator=gen),
        target=torch.rand(batch_size, joints, hm_height, hm_width,
                          generator=gen),
        target_weight=torch.ones(batch_size, joints, 1),
        img_metas=[{} for _ in range(batch_size)])


def to_device(batch: dict, device: str, channels_last: bool) -> dict:
    out = dict(batch)
    for key in ('img', 'target', 'target_weight'):
        out[key] = batch[key].to(device)
    if channels_last:
        out['img'] = out['img'].contiguous(memory_format=torch.channels_last)
    return out


def train_step(model, optimizer, batch: dict) -> float:
    """One iteration; returns the loss."""
    losses = model(return_loss=True, **batch)
    loss = sum(v for k, v in losses.items() if 'loss' in k)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return float(loss.detach())


def timed_steps(model, batch: dict, repeat: int, device: str):
    """(median seconds per iteration, first loss, weights after one step)."""
    sync = torch.cuda.synchronize if device.startswith('cuda') else (
        lambda: None)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    first_loss = train_step(model, optimizer, batch)
    after_one = [p.detach().clone() for p in model.parameters()]
    times = []
    for _ in range(repeat):
        sync()
        start = time.perf_counter()
        train_step(model, optimizer, batch)
        sync()
        times.append(time.perf_counter() - start)
    return statistics.median(times), first_loss, after_one


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, REPO_ROOT)
    import mmcv

    from mmpose.models import build_posenet
    cfg = mmcv.Config.fromfile(args.config)
    cfg.model.pretrained = None
    torch.manual_seed(0)
    model = build_posenet(cfg.model).to(args.device).train()
    batch = make_batch(cfg, args.batch_size, args.device)
    cuda = args.device.startswith('cuda')
    threads = args.threads or sorted({1, os.cpu_count() or 1})
    for n in ([torch.get_num_threads()] if cuda else threads):
        torch.set_num_threads(n)
        plain = copy.deepcopy(model)
        fast = copy.deepcopy(model).to(memory_format=torch.channels_last)
        t_plain, loss_plain, w_plain = timed_steps(
            plain, to_device(batch, args.device, False), args.repeat,
            args.device)
        t_fast, loss_fast, w_fast = timed_steps(
            fast, to_device(batch, args.device, True), args.repeat,
            args.device)
        # same numbers up to float rounding before comparing times
        torch.testing.assert_close(loss_fast, loss_plain, rtol=1e-4,
                                   atol=1e-6)
        for a, b in zip(w_fast, w_plain):
            torch.testing.assert_close(a, b, rtol=1e-3, atol=1e-5)
        print(f'{osp.relpath(args.config, REPO_ROOT)}: one training '
              f'iteration, batch {args.batch_size}, {args.device}, {n} '
              f'thread(s), median of {args.repeat}')
        print(f'baseline, fp32 NCHW:      {t_plain:.3f} s')
        print(f'fast, fp32 channels-last: {t_fast:.3f} s, speed-up: '
              f'{t_plain / t_fast:.2f}x (loss {loss_fast:.6g} vs '
              f'{loss_plain:.6g})')
        if not cuda:
            report_rate(plain, to_device(batch, args.device, False), t_plain,
                        args.device)


def report_rate(model, batch: dict, seconds: float, device: str) -> None:
    """The iteration's FLOP/s against a large matrix product's."""
    from benchmark_inference import call_flops, print_rate
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
    flops = call_flops(lambda: train_step(model, optimizer, batch))
    print_rate('baseline', flops, seconds, device)


if __name__ == '__main__':
    main()
