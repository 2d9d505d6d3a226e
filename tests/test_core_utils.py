"""Weight-norm clipping, gradient all-reduce, process-group setup and the
runner's atomic checkpoints."""
import os
import os.path as osp

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

from mmpose.core.utils import (AtomicEpochBasedRunner, WeightNormClipHook,
                               allreduce_grads, check_state_dict_compatible,
                               init_dist, update_link_atomically)
from .helpers import free_port


def test_weight_norm_clip_rescales_large_weights_before_forward():
    conv = nn.Conv1d(2, 2, 1, bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[[3.]], [[0.]]]).expand(2, 2, 1))
    # norm = sqrt(2 * 9) > 1
    hook = WeightNormClipHook(max_norm=1.0)
    assert hook.hook_type == 'forward_pre'
    hook.register(conv)
    conv(torch.zeros(1, 2, 3))
    assert conv.weight.norm().item() == pytest.approx(1.0, abs=1e-5)


def test_weight_norm_clip_keeps_small_weights():
    linear = nn.Linear(2, 1)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[0.3, 0.4]]))
        linear.bias.fill_(5.)
    WeightNormClipHook(1.0, ['weight', 'bias']).register(linear)
    linear(torch.zeros(1, 2))
    assert linear.weight[0].tolist() == pytest.approx([0.3, 0.4])
    assert linear.bias.item() == pytest.approx(1.0, abs=1e-5)


def test_weight_norm_clip_remove_and_errors():
    linear = nn.Linear(2, 1)
    hook = WeightNormClipHook(0.01)
    hook.register(linear)
    hook.remove()
    before = linear.weight.clone()
    linear(torch.zeros(1, 2))
    assert torch.equal(before, linear.weight)
    with pytest.raises(AttributeError, match='gamma'):
        WeightNormClipHook(1.0, 'gamma').hook(linear, None)
    with pytest.raises(ValueError, match='max_norm'):
        WeightNormClipHook(0.)


def test_allreduce_grads_without_process_group_is_a_no_op():
    param = nn.Parameter(torch.ones(2))
    param.grad = torch.full((2, ), 3.)
    allreduce_grads([param])
    assert param.grad.tolist() == [3., 3.]


def _allreduce_worker(rank, world_size, port, out_dir):
    os.environ.update(
        MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), RANK=str(rank),
        WORLD_SIZE=str(world_size), LOCAL_RANK=str(rank))
    init_dist('pytorch', backend='nccl')  # falls back to gloo without GPU
    results = {'backend': dist.get_backend()}
    for name, kwargs in [('coalesced', {}), ('plain', dict(coalesce=False)),
                         ('bucketed', dict(bucket_size_mb=1))]:
        a = nn.Parameter(torch.zeros(2))
        b = nn.Parameter(torch.zeros(1, dtype=torch.float64))
        frozen = nn.Parameter(torch.zeros(1), requires_grad=False)
        a.grad = torch.tensor([1., 2.]) * (rank + 1)
        b.grad = torch.tensor([10.], dtype=torch.float64) * (rank + 1)
        frozen.grad = torch.tensor([float(rank)])
        allreduce_grads([a, b, frozen], **kwargs)
        results[name] = (a.grad.tolist(), b.grad.tolist(),
                         frozen.grad.tolist())
    torch.save(results, osp.join(out_dir, f'rank{rank}.pt'))
    dist.destroy_process_group()


@pytest.mark.slow
def test_allreduce_grads_averages_over_two_gloo_processes(tmp_path):
    mp.spawn(_allreduce_worker, args=(2, free_port(), str(tmp_path)),
             nprocs=2)
    for rank in range(2):
        results = torch.load(tmp_path / f'rank{rank}.pt')
        assert results['backend'] == 'gloo'
        for name in ('coalesced', 'plain', 'bucketed'):
            a, b, frozen = results[name]
            assert a == [1.5, 3.0] and b == [15.0]
            assert frozen == [float(rank)]


def test_init_dist_rejects_unknown_launcher():
    with pytest.raises(ValueError, match='launcher'):
        init_dist('kubernetes')


class Tiny(nn.Module):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 2)

    def train_step(self, data, optimizer):
        loss = self.linear(data).sum()
        return dict(loss=loss, log_vars=dict(loss=loss.item()),
                    num_samples=1)


def make_runner(work_dir):
    import logging
    model = Tiny()
    return AtomicEpochBasedRunner(
        model,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        work_dir=str(work_dir),
        logger=logging.getLogger('test_core_utils'),
        meta=dict(note='kept'),
        max_epochs=2)


def test_runner_writes_epoch_file_and_latest_link(tmp_path):
    runner = make_runner(tmp_path)
    runner.save_checkpoint(str(tmp_path))
    assert osp.islink(tmp_path / 'latest.pth')
    assert os.readlink(tmp_path / 'latest.pth') == 'epoch_1.pth'
    ckpt = torch.load(tmp_path / 'latest.pth', weights_only=False)
    assert ckpt['meta']['epoch'] == 1 and ckpt['meta']['note'] == 'kept'
    assert 'optimizer' in ckpt
    runner._epoch = 1
    runner.save_checkpoint(str(tmp_path))
    assert os.readlink(tmp_path / 'latest.pth') == 'epoch_2.pth'


def test_failed_save_leaves_previous_checkpoints_intact(tmp_path,
                                                        monkeypatch):
    runner = make_runner(tmp_path)
    runner.save_checkpoint(str(tmp_path))
    runner._epoch = 1

    def broken_save(obj, f, *args, **kwargs):
        if hasattr(f, 'write'):
            f.write(b'partial')
        else:
            with open(f, 'wb') as fh:
                fh.write(b'partial')
        raise KeyboardInterrupt('killed while writing')

    monkeypatch.setattr(torch, 'save', broken_save)
    with pytest.raises(KeyboardInterrupt):
        runner.save_checkpoint(str(tmp_path))
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ['epoch_1.pth', 'latest.pth']
    ckpt = torch.load(tmp_path / 'latest.pth', weights_only=False)
    assert ckpt['meta']['epoch'] == 1


def test_update_link_atomically_replaces_a_file(tmp_path):
    (tmp_path / 'a.pth').write_bytes(b'a')
    (tmp_path / 'latest.pth').write_bytes(b'old copy')
    update_link_atomically('a.pth', str(tmp_path / 'latest.pth'))
    assert (tmp_path / 'latest.pth').read_bytes() == b'a'
    assert sorted(os.listdir(tmp_path)) == ['a.pth', 'latest.pth']


def test_runner_resume_restores_epoch_and_refuses_other_models(tmp_path):
    runner = make_runner(tmp_path)
    runner.save_checkpoint(str(tmp_path))
    fresh = make_runner(tmp_path)
    fresh.resume(str(tmp_path / 'latest.pth'))
    assert fresh.epoch == 1
    torch.save({'state_dict': nn.Conv2d(1, 1, 1).state_dict()},
               tmp_path / 'conv.pth')
    with pytest.raises(RuntimeError, match='another architecture'):
        fresh.resume(str(tmp_path / 'conv.pth'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        fresh.resume(str(tmp_path / 'missing.pth'))


def test_check_state_dict_compatible():
    model = Tiny()
    good = model.state_dict()
    check_state_dict_compatible(model, good, 'good.pth', strict=True)
    with pytest.raises(RuntimeError, match=r'other.pth.*another arch'):
        check_state_dict_compatible(model, {'conv.weight': torch.ones(1)},
                                    'other.pth')
    with pytest.raises(RuntimeError, match=r'linear.weight.*\(3, 2\)'):
        check_state_dict_compatible(
            model, dict(good, **{'linear.weight': torch.ones(3, 2)}))
    partial = {'linear.weight': good['linear.weight']}
    with pytest.warns(UserWarning, match='linear.bias'):
        check_state_dict_compatible(model, partial)
    with pytest.raises(RuntimeError, match='linear.bias'):
        check_state_dict_compatible(model, partial, strict=True)
