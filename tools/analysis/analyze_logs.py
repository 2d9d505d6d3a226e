"""Plot training curves or compute the iteration time from ``.log.json``
files written by mmcv's TextLoggerHook.

    python tools/analysis/analyze_logs.py plot_curve LOG.json \
        --keys loss acc_pose --out curves.png
    python tools/analysis/analyze_logs.py cal_train_time LOG.json
"""
import argparse
import json
import os.path as osp
from collections import defaultdict
from typing import Dict, List

import numpy as np


def load_json_logs(json_logs: List[str]) -> List[Dict[int, dict]]:
    """Per log: epoch -> {key: [values]} over its lines (the first line,
    the environment info, has no 'epoch' and is skipped)."""
    log_dicts = []
    for json_log in json_logs:
        if not osp.isfile(json_log):
            raise SystemExit(f'error: log file not found: {json_log}')
        log_dict = defaultdict(lambda: defaultdict(list))
        with open(json_log) as f:
            for number, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    log = json.loads(line)
                except json.JSONDecodeError as err:
                    raise SystemExit(f'error: {json_log}:{number} is not '
                                     f'JSON ({err})') from None
                if 'epoch' not in log:
                    continue
                epoch = log.pop('epoch')
                for k, v in log.items():
                    log_dict[epoch][k].append(v)
        log_dicts.append(log_dict)
    return log_dicts


def cal_train_time(log_dicts, args) -> None:
    for i, log_dict in enumerate(log_dicts):
        print(f'{"-" * 5}Analyze train time of {args.json_logs[i]}'
              f'{"-" * 5}')
        # The first iteration of an epoch includes data-loader start-up.
        skip = 0 if args.include_outliers else 1
        all_times = [
            np.array(log_dict[ep]['time'][skip:]) for ep in log_dict
            if len(log_dict[ep].get('time', [])) > skip
        ]
        if not all_times:
            print('no "time" entries in this log')
            continue
        epoch_ave = np.array([t.mean() for t in all_times if t.size])
        slowest, fastest = int(epoch_ave.argmax()), int(epoch_ave.argmin())
        print(f'slowest epoch {slowest + 1}, average time is '
              f'{epoch_ave[slowest]:.4f}')
        print(f'fastest epoch {fastest + 1}, average time is '
              f'{epoch_ave[fastest]:.4f}')
        print(f'time std over epochs is {epoch_ave.std():.4f}')
        print(f'average iter time: {np.concatenate(all_times).mean():.4f} '
              's/iter')


def plot_curve(log_dicts, args) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    if args.backend is not None:
        plt.switch_backend(args.backend)
    legend = args.legend or [
        f'{osp.basename(log)}_{key}' for log in args.json_logs
        for key in args.keys
    ]
    if len(legend) != len(args.json_logs) * len(args.keys):
        raise SystemExit(f'error: {len(legend)} legends for '
                         f'{len(args.json_logs) * len(args.keys)} curves')
    plt.figure(figsize=(8, 5))
    for i, log_dict in enumerate(log_dicts):
        epochs = sorted(log_dict)
        for j, key in enumerate(args.keys):
            print(f'plot curve of {args.json_logs[i]}, metric is {key}')
            xs, ys = [], []
            for epoch in epochs:
                values = log_dict[epoch].get(key, [])
                modes = log_dict[epoch].get('mode', ['train'] * len(values))
                iters = log_dict[epoch].get('iter', [0] * len(values))
                for value, mode, it in zip(values, modes, iters):
                    if key in ('loss', ) or 'loss' in key or 'acc' in key:
                        if mode != 'train':
                            continue
                        # x: fractional epoch of the logged iteration
                        xs.append(epoch - 1 + it / max(iters[-1], 1))
                    else:
                        xs.append(epoch)
                    ys.append(value)
            if not ys:
                raise SystemExit(f'error: {args.json_logs[i]} has no '
                                 f'metric {key!r}')
            plt.plot(xs, ys, label=legend[i * len(args.keys) + j],
                     linewidth=0.8)
    plt.xlabel('epoch')
    plt.legend()
    if args.title is not None:
        plt.title(args.title)
    if args.out is None:
        plt.show()
    else:
        print(f'save curve to: {args.out}')
        plt.savefig(args.out)
    plt.close()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Analyze Json Log')
    subparsers = parser.add_subparsers(dest='task', help='task parser')
    plot = subparsers.add_parser('plot_curve',
                                 help='parser for plotting curves')
    plot.add_argument('json_logs', nargs='+',
                      help='path of train log in json format')
    plot.add_argument('--keys', nargs='+', default=['top1_acc'],
                      help='the metric that you want to plot')
    plot.add_argument('--title', type=str, help='title of figure')
    plot.add_argument('--legend', nargs='+', default=None,
                      help='legend of each plot')
    plot.add_argument('--backend', type=str, default=None,
                      help='backend of plt')
    plot.add_argument('--style', type=str, default='dark',
                      help='style of plt (kept for compatibility)')
    plot.add_argument('--out', type=str, default=None)
    train_time = subparsers.add_parser(
        'cal_train_time', help='parser for computing the average time per '
        'training iteration')
    train_time.add_argument('json_logs', nargs='+',
                            help='path of train log in json format')
    train_time.add_argument('--include-outliers', action='store_true',
                            help='include the first value of every epoch '
                            'when computing the average time')
    args = parser.parse_args(argv)
    if args.task is None:
        parser.error('choose a task: plot_curve or cal_train_time')
    return args


def main(argv=None):
    args = parse_args(argv)
    log_dicts = load_json_logs(args.json_logs)
    {'plot_curve': plot_curve, 'cal_train_time': cal_train_time}[args.task](
        log_dicts, args)


if __name__ == '__main__':
    main()
