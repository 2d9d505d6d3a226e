"""End to end: tools/train.py, tools/test.py and tools/dist_train.sh on tiny
top-down and bottom-up models and a synthetic COCO data set (2 images, 4
people)."""
import importlib.util
import json
import os
import os.path as osp
import re
import signal
import subprocess
import sys

import pytest
import torch
from torch import nn

from .helpers import TINY_CONFIGS, free_port

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TINY = str(TINY_CONFIGS)

ENV = dict(
    os.environ,
    OMP_NUM_THREADS='1',
    PYTHONPATH=os.pathsep.join([ROOT, TINY, os.environ.get('PYTHONPATH', '')]),
    PYTHON=sys.executable)


def run(args, timeout=300):
    """Run a command from the repository root; return (rc, output)."""
    proc = subprocess.run(
        args, cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=timeout)
    return proc.returncode, proc.stdout


def write_config(path, data_root, extra='', base='tiny_topdown_coco.py'):
    paths = (f"dict(ann_file='{data_root}/annotations.json', "
             f"img_prefix='{data_root}/images/')")
    path.write_text(
        f"_base_ = ['{TINY}/{base}']\n"
        f'data = dict(train={paths}, val={paths}, test={paths})\n' + extra)
    return str(path)


@pytest.fixture(scope='module')
def data_root(tiny_coco):
    return str(tiny_coco)


@pytest.fixture(scope='module')
def trained(tmp_path_factory, data_root):
    """One 2-epoch training run with validation."""
    tmp = tmp_path_factory.mktemp('train')
    config = write_config(tmp / 'tiny.py', data_root)
    work_dir = tmp / 'work'
    rc, out = run([sys.executable, 'tools/train.py', config, '--work-dir',
                   str(work_dir), '--seed', '0'])
    assert rc == 0, out
    return config, work_dir


def train_log(work_dir):
    (json_log, ) = [f for f in os.listdir(work_dir)
                    if f.endswith('.log.json')]
    with open(osp.join(work_dir, json_log)) as f:
        return [json.loads(line) for line in f][1:]


def check_work_dir(work_dir, arch='TopDown', config_name='tiny.py'):
    names = os.listdir(work_dir)
    assert config_name in names
    assert {'epoch_1.pth', 'epoch_2.pth', 'latest.pth',
            'best_AP.pth'} <= set(names)
    assert any(re.fullmatch(r'\d{8}_\d{6}\.log', n) for n in names)
    assert any(re.fullmatch(r'\d{8}_\d{6}\.log\.json', n) for n in names)
    assert os.readlink(osp.join(work_dir, 'latest.pth')) == 'epoch_2.pth'
    ckpt = torch.load(osp.join(work_dir, 'latest.pth'), weights_only=False)
    assert ckpt['meta']['epoch'] == 2
    assert f"type='{arch}'" in ckpt['meta']['config']
    assert 'keypoint_head.deconv_layers.0.weight' in ckpt['state_dict']


@pytest.mark.slow
def test_train_writes_the_work_dir_and_the_loss_goes_down(trained):
    _, work_dir = trained
    check_work_dir(work_dir)
    log = train_log(work_dir)
    losses = [r['loss'] for r in log if r['mode'] == 'train']
    assert len(losses) == 4  # 2 epochs x 2 iterations of 2 people
    assert losses[-1] < losses[0]
    val = [r for r in log if r['mode'] == 'val']
    assert [r['epoch'] for r in val] == [1, 2]
    assert all('AP' in r and 'AR' in r for r in val)


@pytest.mark.slow
def test_test_script_prints_the_metrics(trained, tmp_path):
    config, work_dir = trained
    out_file = tmp_path / 'results.pkl'
    rc, out = run([sys.executable, 'tools/test.py', config,
                   str(work_dir / 'latest.pth'), '--eval', 'mAP', '--out',
                   str(out_file), '--work-dir', str(tmp_path)])
    assert rc == 0, out
    assert re.search(r'^AP: [0-9.]+$', out, re.M), out
    assert re.search(r'^AR: [0-9.]+$', out, re.M), out
    assert out_file.is_file()
    with open(tmp_path / 'result_keypoints.json') as f:
        assert len(json.load(f)) == 4


@pytest.mark.slow
def test_killed_run_resumes_without_losing_checkpoints(data_root, tmp_path):
    marker = tmp_path / 'killed'
    config = write_config(
        tmp_path / 'tiny.py', data_root,
        "custom_imports = dict(imports=['kill_hook'])\n"
        f"custom_hooks = [dict(type='KillOnceHook', epoch=2, iter=1, "
        f"marker='{marker}')]\n")
    work_dir = tmp_path / 'work'
    cmd = [sys.executable, 'tools/train.py', config, '--work-dir',
           str(work_dir), '--no-validate']
    rc, out = run(cmd)
    assert rc == -signal.SIGKILL, out
    assert marker.exists()
    assert os.readlink(work_dir / 'latest.pth') == 'epoch_1.pth'
    assert not (work_dir / 'epoch_2.pth').exists()
    ckpt = torch.load(work_dir / 'latest.pth', weights_only=False)
    assert ckpt['meta']['epoch'] == 1

    rc, out = run(cmd + ['--resume-from', str(work_dir / 'latest.pth')])
    assert rc == 0, out
    assert 'resumed epoch 1, iter 2' in out
    assert 'Epoch [1]' not in out.split('resumed epoch')[1]
    ckpt = torch.load(work_dir / 'latest.pth', weights_only=False)
    assert ckpt['meta']['epoch'] == 2 and ckpt['meta']['iter'] == 4
    assert not [n for n in os.listdir(work_dir) if n.endswith('.tmp')]


@pytest.mark.slow
def test_dist_train_runs_two_processes(data_root, tmp_path, monkeypatch):
    config = write_config(tmp_path / 'tiny.py', data_root)
    work_dir = tmp_path / 'work'
    monkeypatch.setitem(ENV, 'PORT', str(free_port()))
    rc, out = run(['bash', 'tools/dist_train.sh', config, '2', '--work-dir',
                   str(work_dir), '--seed', '0', '--cfg-options',
                   'evaluation.gpu_collect=True'])
    assert rc == 0, out
    assert 'Distributed training: True' in out
    check_work_dir(work_dir)
    log = train_log(work_dir)
    # each of the 2 processes takes 2 of the 4 people: 1 iteration/epoch
    assert [r['iter'] for r in log if r['mode'] == 'train'] == [1, 1]
    # DistEvalHook evaluated all 4 people, gathered from both ranks
    with open(work_dir / 'result_keypoints.json') as f:
        assert len(json.load(f)) == 4


def load_tool(name):
    spec = importlib.util.spec_from_file_location(
        f'tool_{name}', osp.join(ROOT, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_missing_config_is_named(tmp_path):
    missing = str(tmp_path / 'nope.py')
    with pytest.raises(FileNotFoundError, match='nope.py'):
        load_tool('train').main([missing])
    with pytest.raises(FileNotFoundError, match='nope.py'):
        load_tool('test').main([missing, 'x.pth'])


def test_config_without_train_data_is_named(tmp_path, data_root):
    config = write_config(tmp_path / 'tiny.py', data_root)
    with pytest.raises(KeyError, match='data.train'):
        load_tool('train').main(
            [config, '--work-dir', str(tmp_path), '--cfg-options',
             'data.train=None'])


def test_checkpoint_of_another_architecture_is_refused(tmp_path, data_root):
    config = write_config(tmp_path / 'tiny.py', data_root)
    ckpt = tmp_path / 'linear.pth'
    torch.save({'state_dict': nn.Linear(3, 2).state_dict()}, ckpt)
    with pytest.raises(RuntimeError, match='another architecture'):
        load_tool('test').main([config, str(ckpt), '--work-dir',
                                str(tmp_path)])


@pytest.mark.slow
def test_bottom_up_trains_and_tests(data_root, tmp_path):
    config = write_config(tmp_path / 'tiny.py', data_root,
                          base='tiny_bottomup_coco.py')
    work_dir = tmp_path / 'work'
    rc, out = run([sys.executable, 'tools/train.py', config, '--work-dir',
                   str(work_dir), '--seed', '0'])
    assert rc == 0, out
    check_work_dir(work_dir, 'BottomUp')
    log = train_log(work_dir)
    losses = [r['loss'] for r in log if r['mode'] == 'train']
    assert len(losses) == 4 and losses[-1] < losses[0]
    assert [r['epoch'] for r in log if r['mode'] == 'val'] == [1, 2]
    rc, out = run([sys.executable, 'tools/test.py', config,
                   str(work_dir / 'epoch_2.pth'), '--eval', 'mAP',
                   '--work-dir', str(tmp_path)])
    assert rc == 0, out
    assert re.search(r'^AP: [0-9.]+$', out, re.M), out


@pytest.mark.slow
def test_pose_lifter_trains_keeps_lowest_mpjpe_and_tests(tmp_path):
    config = osp.join(TINY, 'tiny_pose_lifter_h36m.py')
    work_dir = tmp_path / 'work'
    rc, out = run([sys.executable, 'tools/train.py', config, '--work-dir',
                   str(work_dir), '--seed', '0'])
    assert rc == 0, out
    log = train_log(work_dir)
    losses = [r['loss'] for r in log if r['mode'] == 'train']
    assert len(losses) == 4 and losses[-1] < losses[0]
    mpjpe = [r['MPJPE'] for r in log if r['mode'] == 'val']
    best = torch.load(work_dir / 'best_MPJPE.pth', weights_only=False)
    # lower is better for MPJPE
    assert best['meta']['hook_msgs']['best_score'] == \
        pytest.approx(min(mpjpe), abs=1e-4)
    assert best['meta']['epoch'] == 1 + mpjpe.index(min(mpjpe))
    rc, out = run([sys.executable, 'tools/test.py', config,
                   str(work_dir / 'latest.pth'), '--work-dir',
                   str(tmp_path)])
    assert rc == 0, out
    assert re.search(r'^MPJPE: [0-9.]+$', out, re.M), out
