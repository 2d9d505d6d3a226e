"""MMPose 0.14 behaviour of the training hooks: ``best.json`` of the
evaluation hooks, and TensorBoard logging from a config's ``log_config``."""
import glob
import logging
import os
import os.path as osp
import subprocess
import sys

import mmcv
import pytest
import torch
from mmcv.runner import EpochBasedRunner
from torch import nn
from torch.utils.data import DataLoader, Dataset

import mmpose.apis
from mmpose.core.evaluation import DistEvalHook, EvalHook

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TINY = osp.join(ROOT, 'tests', 'data', 'tiny_configs')


class EpochScoredDataset(Dataset):
    """Two items; ``evaluate`` reports ``acc`` from a fixed schedule."""

    def __init__(self, scores):
        self.scores = list(scores)
        self.calls = 0

    def __len__(self):
        return 2

    def __getitem__(self, idx):
        return dict(x=torch.tensor([float(idx)]))

    def evaluate(self, results, res_folder, **kwargs):
        self.calls += 1
        return dict(acc=self.scores[self.calls - 1])


class Echo(nn.Module):
    """Returns its input at test time; trains a dummy weight."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.zeros(1))

    def forward(self, x, return_loss=True):
        return (self.w * x).sum() if return_loss else x.view(-1).tolist()

    def train_step(self, data, optimizer):
        loss = self(**data)
        return dict(loss=loss, log_vars=dict(loss=loss.item()),
                    num_samples=len(data['x']))


def train(work_dir, scores, epochs, resume=False, hook_cls=EvalHook):
    model = Echo()
    runner = EpochBasedRunner(
        model, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        work_dir=str(work_dir), logger=logging.getLogger('compat014'),
        max_epochs=epochs)
    runner.register_checkpoint_hook(dict(interval=1))
    runner.register_hook(
        hook_cls(DataLoader(EpochScoredDataset(scores)), key_indicator='acc'))
    if resume:
        runner.resume(osp.join(work_dir, 'latest.pth'))
    data = DataLoader(EpochScoredDataset(scores), batch_size=1)
    runner.run([data], [('train', 1)])


@pytest.mark.parametrize('hook_cls', [EvalHook, DistEvalHook])
def test_best_json_names_the_best_epoch_checkpoint(tmp_path, monkeypatch,
                                                   hook_cls):
    # a single process: the distributed hook's collection is stubbed
    monkeypatch.setattr(mmpose.apis, 'multi_gpu_test',
                        lambda model, data_loader, **kwargs: [])
    train(tmp_path, [1, 5, 3, 7, 2], epochs=5, hook_cls=hook_cls)
    best = mmcv.load(osp.join(tmp_path, 'best.json'))
    assert best == dict(best_score=7,
                        best_ckpt=osp.join(str(tmp_path), 'epoch_4.pth'),
                        key_indicator='acc')
    assert osp.isfile(best['best_ckpt'])
    # the hook's own copy of the best model is kept beside it
    assert osp.isfile(osp.join(tmp_path, 'best_acc.pth'))


def test_resumed_run_continues_from_best_json(tmp_path):
    train(tmp_path, [1, 6], epochs=2)
    # only epoch 3 runs; it scores 4 < 6, so the record of epoch 2 stays
    train(tmp_path, [4, 8], epochs=3, resume=True)
    best = mmcv.load(osp.join(tmp_path, 'best.json'))
    assert best['best_score'] == 6
    assert best['best_ckpt'] == osp.join(str(tmp_path), 'epoch_2.pth')


def test_eval_hook_tests_through_mmpose_apis(tmp_path, monkeypatch):
    """0.14 code patches ``mmpose.apis.single_gpu_test`` to stub testing."""
    calls = []

    def fake_test(model, data_loader):
        calls.append(len(data_loader.dataset))
        return []

    monkeypatch.setattr(mmpose.apis, 'single_gpu_test', fake_test)
    train(tmp_path, [1, 2], epochs=2)
    assert calls == [2, 2]


def test_dataset_evaluate_gets_the_runner_logger(tmp_path):
    dataset = EpochScoredDataset([1])
    seen = []
    dataset.evaluate = lambda results, res_folder, **kwargs: (
        seen.append(kwargs.get('logger')) or dict(acc=1))
    model = Echo()
    runner = EpochBasedRunner(
        model, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        work_dir=str(tmp_path), logger=logging.getLogger('compat014'),
        max_epochs=1)
    runner.register_hook(EvalHook(DataLoader(dataset), key_indicator='acc'))
    runner.run([DataLoader(EpochScoredDataset([1]))], [('train', 1)])
    assert seen == [runner.logger]


@pytest.mark.slow
def test_tensorboard_logger_hook_writes_events(tmp_path):
    sys.path.insert(0, TINY)
    try:
        from synthetic_coco import write_tiny_coco
    finally:
        sys.path.remove(TINY)
    data_root = tmp_path / 'coco'
    write_tiny_coco(str(data_root))
    paths = (f"dict(ann_file='{data_root}/annotations.json', "
             f"img_prefix='{data_root}/images/')")
    config = tmp_path / 'tiny_tb.py'
    config.write_text(
        f"_base_ = ['{TINY}/tiny_topdown_coco.py']\n"
        f'data = dict(train={paths}, val={paths}, test={paths})\n'
        'total_epochs = 1\n'
        "log_config = dict(interval=1, hooks=[dict(type='TextLoggerHook'), "
        "dict(type='TensorboardLoggerHook')])\n")
    work_dir = tmp_path / 'work'
    env = dict(os.environ, OMP_NUM_THREADS='1')
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', str(config), '--work-dir',
         str(work_dir)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout
    events = glob.glob(osp.join(work_dir, 'tf_logs', 'events.out.tfevents.*'))
    assert events and os.path.getsize(events[0]) > 0
