"""EvalHook / DistEvalHook: evaluation interval, best-checkpoint keeping,
rule inference, and result collection across processes."""
import logging
import os
import os.path as osp

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.utils.data import DataLoader, Dataset

from mmpose.apis.test import (collect_results_cpu, collect_results_gpu,
                              multi_gpu_test, single_gpu_test)
from mmpose.core.evaluation.eval_hooks import (DistEvalHook, EvalHook,
                                               infer_rule)
from mmpose.core.utils import AtomicEpochBasedRunner, init_dist
from mmpose.datasets import build_dataloader
from .helpers import free_port


class ScoredDataset(Dataset):
    """Items 0..n-1; ``evaluate`` reports the next score of a schedule and
    remembers which items it saw."""

    def __init__(self, n=4, scores=(0.5, 0.7, 0.6), key='AP'):
        self.n = n
        self.scores = list(scores)
        self.key = key
        self.calls = []

    def __len__(self):
        return self.n

    def __getitem__(self, idx):
        return dict(x=torch.tensor([float(idx)]))

    def evaluate(self, results, res_folder, metric='mAP', **kwargs):
        seen = sorted(int(v) for batch in results for v in batch)
        self.calls.append(dict(seen=seen, metric=metric, kwargs=kwargs,
                               res_folder=res_folder))
        return {self.key: self.scores[len(self.calls) - 1], 'other': 1.0}


class Echo(nn.Module):
    """Predicts its input; trains a dummy parameter."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(1))

    def forward(self, x, return_loss=True):
        return x.view(-1).tolist() if not return_loss else (self.w * x).sum()

    def train_step(self, data, optimizer):
        loss = self(**data)
        return dict(loss=loss, log_vars=dict(loss=loss.item()),
                    num_samples=len(data['x']))


def loader(dataset, batch_size=1):
    return DataLoader(dataset, batch_size=batch_size, shuffle=False)


def make_runner(work_dir, max_epochs=3, meta=None):
    model = Echo()
    return AtomicEpochBasedRunner(
        model,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        work_dir=str(work_dir),
        logger=logging.getLogger('test_eval_hooks'),
        meta={} if meta is None else meta,
        max_epochs=max_epochs)


@pytest.mark.parametrize('key,rule', [('AP', 'greater'), ('AR', 'greater'),
                                      ('PCK', 'greater'), ('AUC', 'greater'),
                                      ('acc_pose', 'greater'),
                                      ('PCKh', 'greater'), ('EPE', 'less'),
                                      ('NME', 'less'), ('MPJPE', 'less'),
                                      ('p-mpjpe', 'less'), ('loss', 'less')])
def test_rule_is_inferred_from_the_metric_name(key, rule):
    assert infer_rule(key) == rule


def test_unknown_metric_needs_an_explicit_rule():
    with pytest.raises(ValueError, match='rule'):
        EvalHook(loader(ScoredDataset()), key_indicator='score')
    hook = EvalHook(loader(ScoredDataset()), key_indicator='score',
                    rule='less')
    assert hook.rule == 'less'


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match='DataLoader'):
        EvalHook([1, 2])
    with pytest.raises(ValueError, match='key_indicator'):
        EvalHook(loader(ScoredDataset()), key_indicator=None)
    with pytest.raises(KeyError, match='rule'):
        EvalHook(loader(ScoredDataset()), rule='bigger')
    with pytest.raises(ValueError, match='interval'):
        EvalHook(loader(ScoredDataset()), interval=0)


def train(runner, hook, epochs_data=4):
    runner.register_hook(hook, priority='ABOVE_NORMAL')
    runner.register_hook_from_cfg(dict(type='CheckpointHook', interval=1))
    runner.run([loader(ScoredDataset(n=epochs_data), 2)], [('train', 1)])


def test_eval_hook_keeps_the_best_checkpoint(tmp_path):
    dataset = ScoredDataset(scores=(0.5, 0.7, 0.6))
    runner = make_runner(tmp_path)
    hook = EvalHook(loader(dataset), metric='mAP', key_indicator='AP')
    train(runner, hook)
    assert [c['seen'] for c in dataset.calls] == [[0, 1, 2, 3]] * 3
    assert dataset.calls[0]['metric'] == 'mAP'
    assert dataset.calls[0]['res_folder'] == str(tmp_path)
    assert hook.best_score == 0.7
    assert runner.meta['hook_msgs']['best_score'] == 0.7
    assert runner.meta['hook_msgs']['best_epoch'] == 2
    best = torch.load(tmp_path / 'best_AP.pth', weights_only=False)
    assert best['meta']['epoch'] == 2
    assert best['meta']['hook_msgs']['best_score'] == 0.7
    # epoch checkpoints are written after evaluation and carry the score
    last = torch.load(tmp_path / 'epoch_3.pth', weights_only=False)
    assert last['meta']['hook_msgs']['best_score'] == 0.7
    assert runner.log_buffer.output['AP'] == 0.6


def test_less_is_better_for_errors(tmp_path):
    dataset = ScoredDataset(scores=(3.0, 1.0, 2.0), key='EPE')
    runner = make_runner(tmp_path)
    hook = EvalHook(loader(dataset), key_indicator='EPE', metric='EPE')
    train(runner, hook)
    assert hook.rule == 'less' and hook.best_score == 1.0
    best = torch.load(tmp_path / 'best_EPE.pth', weights_only=False)
    assert best['meta']['epoch'] == 2


def test_interval_and_no_save_best(tmp_path):
    dataset = ScoredDataset(scores=(0.1, 0.2))
    runner = make_runner(tmp_path, max_epochs=3)
    hook = EvalHook(loader(dataset), interval=2, save_best=False)
    train(runner, hook)
    assert len(dataset.calls) == 1
    assert not any(name.startswith('best_') for name in os.listdir(tmp_path))


def test_missing_key_indicator_lists_the_results(tmp_path):
    runner = make_runner(tmp_path, max_epochs=1)
    hook = EvalHook(loader(ScoredDataset(key='PCK')), key_indicator='AP')
    with pytest.raises(KeyError, match=r"'AP'.*PCK, other"):
        train(runner, hook)


def test_resumed_run_continues_the_comparison(tmp_path):
    dataset = ScoredDataset(scores=(0.6, ))
    runner = make_runner(
        tmp_path, max_epochs=1, meta=dict(hook_msgs=dict(best_score=0.9)))
    hook = EvalHook(loader(dataset))
    train(runner, hook)
    assert hook.best_score == 0.9
    assert not osp.exists(tmp_path / 'best_AP.pth')


def test_single_gpu_test_returns_one_entry_per_batch():
    results = single_gpu_test(Echo(), loader(ScoredDataset(n=5), 2))
    assert results == [[0., 1.], [2., 3.], [4.]]


def _dist_worker(rank, world_size, port, work_dir):
    os.environ.update(
        MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), RANK=str(rank),
        WORLD_SIZE=str(world_size), LOCAL_RANK=str(rank))
    init_dist('pytorch', backend='nccl')
    os.chdir(work_dir)  # the automatic tmpdir lives under ./.dist_test
    out = {}
    # rank r holds items r, r + 2, ... of a 5-item data set (padded to 6)
    part = [f'item{i}' for i in range(rank, 6, world_size)]
    out['cpu'] = collect_results_cpu(part, 5,
                                     osp.join(work_dir, 'collect'))
    out['cpu_auto_tmpdir'] = collect_results_cpu(part, 5)
    out['gpu'] = collect_results_gpu(part, 5)
    dataset = ScoredDataset(n=5)
    data_loader = build_dataloader(
        dataset, 1, 0, dist=True, shuffle=False, drop_last=False,
        pin_memory=False)
    out['multi_gpu_test'] = multi_gpu_test(
        Echo(), data_loader, gpu_collect=True)
    for mode in (False, True):
        dataset = ScoredDataset(n=5, scores=(0.3, ))
        data_loader = build_dataloader(
            dataset, 1, 0, dist=True, shuffle=False, drop_last=False,
            pin_memory=False)
        runner = make_runner(osp.join(work_dir, f'gpu{mode}'), max_epochs=1)
        hook = DistEvalHook(data_loader, gpu_collect=mode)
        runner.register_hook(hook)
        runner.run([loader(ScoredDataset(n=2))], [('train', 1)])
        out[f'hook_gpu_collect={mode}'] = dataset.calls
    torch.save(out, osp.join(work_dir, f'rank{rank}.pt'))
    dist.destroy_process_group()


@pytest.mark.slow
def test_results_are_collected_from_both_ranks(tmp_path):
    mp.spawn(_dist_worker, args=(2, free_port(), str(tmp_path)), nprocs=2)
    rank0 = torch.load(tmp_path / 'rank0.pt', weights_only=False)
    rank1 = torch.load(tmp_path / 'rank1.pt', weights_only=False)
    expected = [f'item{i}' for i in range(5)]
    for mode in ('cpu', 'cpu_auto_tmpdir', 'gpu'):
        assert rank0[mode] == expected
        assert rank1[mode] is None
    assert rank0['multi_gpu_test'] == [[0.], [1.], [2.], [3.], [4.]]
    for mode in (False, True):
        calls = rank0[f'hook_gpu_collect={mode}']
        assert [c['seen'] for c in calls] == [[0, 1, 2, 3, 4]]
        assert rank1[f'hook_gpu_collect={mode}'] == []
    assert osp.isfile(tmp_path / 'gpuTrue' / 'best_AP.pth')
    assert not osp.exists(tmp_path / 'collect')
