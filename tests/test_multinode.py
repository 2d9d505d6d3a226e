"""Training and testing on several machines, as in MMPose 0.29:
``tools/dist_train.sh`` / ``dist_test.sh`` read ``NNODES``, ``NODE_RANK``,
``MASTER_ADDR`` and ``PORT`` from the environment, ``tools/slurm_train.sh``
/ ``slurm_test.sh`` hand srun ``GPUS``, ``GPUS_PER_NODE``,
``CPUS_PER_TASK``, ``SRUN_ARGS`` and pass the remaining arguments
(``PY_ARGS``) to the tool.

The command lines are read from a stand-in ``python`` / ``srun`` that
records what it was given; then two "machines" on 127.0.0.1 train one
model together."""
import json
import os
import subprocess
import sys

import pytest
import torch

from .helpers import free_port
from .test_train_test_e2e import ENV, ROOT, write_config

# the variables the scripts read; unset unless a test sets them
SCRIPT_VARS = ('NNODES', 'NODE_RANK', 'MASTER_ADDR', 'PORT', 'PYTHON',
               'GPUS', 'GPUS_PER_NODE', 'CPUS_PER_TASK', 'SRUN_ARGS')

RECORDER = '''#!{python}
import json, os, sys
with open(os.environ['RECORD'], 'w') as f:
    json.dump(dict(argv=sys.argv[1:],
                   pythonpath=os.environ.get('PYTHONPATH', '')), f)
'''


@pytest.fixture
def recorder(tmp_path):
    """A folder holding ``python`` and ``srun`` stand-ins that write their
    arguments and ``PYTHONPATH`` as JSON to ``$RECORD``."""
    folder = tmp_path / 'bin'
    folder.mkdir()
    for name in ('python', 'srun'):
        path = folder / name
        path.write_text(RECORDER.format(python=sys.executable))
        path.chmod(0o755)
    return folder


def run_script(recorder, script, *args, **env):
    """Run ``bash tools/<script> ARGS`` from the repository root with the
    stand-ins first on ``PATH``; return what the stand-in recorded."""
    record = recorder.parent / 'record.json'
    full_env = {k: v for k, v in os.environ.items() if k not in SCRIPT_VARS}
    full_env.update(env, RECORD=str(record),
                    PATH=f"{recorder}{os.pathsep}{os.environ['PATH']}")
    subprocess.run(['bash', f'tools/{script}', *args], cwd=ROOT,
                   env=full_env, check=True, capture_output=True)
    with open(record) as f:
        return json.load(f)


def launcher(nnodes='1', node_rank='0', master_addr='127.0.0.1',
             nproc='2', port='29500'):
    """torchrun's options as 0.29's scripts write them."""
    return ['-m', 'torch.distributed.run', f'--nnodes={nnodes}',
            f'--node_rank={node_rank}', f'--master_addr={master_addr}',
            f'--nproc_per_node={nproc}', f'--master_port={port}']


# ------------------------------------------------------ dist_*.sh options
def test_dist_train_defaults_to_one_machine(recorder):
    got = run_script(recorder, 'dist_train.sh', 'cfg.py', '2')
    assert got['argv'] == launcher() + [
        'tools/train.py', 'cfg.py', '--launcher', 'pytorch']
    assert got['pythonpath'].split(os.pathsep)[0] == 'tools/..'


def test_dist_test_defaults_to_one_machine(recorder):
    got = run_script(recorder, 'dist_test.sh', 'cfg.py', 'w.pth', '4',
                     '--eval', 'mAP')
    assert got['argv'] == launcher(nproc='4') + [
        'tools/test.py', 'cfg.py', 'w.pth', '--launcher', 'pytorch',
        '--eval', 'mAP']


@pytest.mark.parametrize('script, positional, tool', [
    ('dist_train.sh', ['cfg.py'], 'tools/train.py'),
    ('dist_test.sh', ['cfg.py', 'w.pth'], 'tools/test.py'),
])
def test_dist_scripts_take_the_machine_from_the_environment(
        recorder, script, positional, tool):
    extra = ['--work-dir', 'work dir/with space']
    got = run_script(recorder, script, *positional, '8', *extra, NNODES='2',
                     NODE_RANK='1', MASTER_ADDR='10.0.0.7', PORT='29611',
                     PYTHON='python')
    assert got['argv'] == launcher('2', '1', '10.0.0.7', '8', '29611') + [
        tool, *positional, '--launcher', 'pytorch', *extra]


@pytest.mark.parametrize('script, num_args', [
    ('dist_train.sh', 2), ('dist_test.sh', 3), ('slurm_train.sh', 4),
    ('slurm_test.sh', 4)])
def test_scripts_print_their_usage_when_arguments_are_missing(
        recorder, script, num_args):
    proc = subprocess.run(
        ['bash', f'tools/{script}', *['x'] * (num_args - 1)], cwd=ROOT,
        env=dict(os.environ, RECORD=str(recorder / 'never.json')),
        capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f'usage: bash tools/{script} ')
    assert not (recorder / 'never.json').exists()


# ----------------------------------------------------- slurm_*.sh options
def srun_options(gpus='8', per_node='8', cpus='5'):
    return ['-p', 'part', '--job-name=job', f'--gres=gpu:{per_node}',
            f'--ntasks={gpus}', f'--ntasks-per-node={per_node}',
            f'--cpus-per-task={cpus}', '--kill-on-bad-exit=1']


def test_slurm_train_defaults_are_029s(recorder):
    got = run_script(recorder, 'slurm_train.sh', 'part', 'job', 'cfg.py',
                     'work')
    assert got['argv'] == srun_options() + [
        'python', '-u', 'tools/train.py', 'cfg.py', '--work-dir=work',
        '--launcher=slurm']
    assert got['pythonpath'].split(os.pathsep)[0] == 'tools/..'


def test_slurm_test_defaults_are_029s(recorder):
    got = run_script(recorder, 'slurm_test.sh', 'part', 'job', 'cfg.py',
                     'w.pth')
    assert got['argv'] == srun_options() + [
        'python', '-u', 'tools/test.py', 'cfg.py', 'w.pth',
        '--launcher=slurm']


@pytest.mark.parametrize('script, tool_args', [
    ('slurm_train.sh', ['tools/train.py', 'cfg.py', '--work-dir=work']),
    ('slurm_test.sh', ['tools/test.py', 'cfg.py', 'work']),
])
def test_slurm_scripts_take_029s_variables(recorder, script, tool_args):
    py_args = ['--cfg-options', 'total_epochs=1', 'a b']
    got = run_script(recorder, script, 'part', 'job', 'cfg.py', 'work',
                     *py_args, GPUS='16', GPUS_PER_NODE='4',
                     CPUS_PER_TASK='2',
                     SRUN_ARGS='--quotatype=auto --time=10',
                     PYTHON='/opt/py/bin/python')
    assert got['argv'] == srun_options('16', '4', '2') + [
        '--quotatype=auto', '--time=10', '/opt/py/bin/python', '-u',
        *tool_args, '--launcher=slurm', *py_args]


# ------------------------------------------------ two machines, one model
TWO_NODE_CONFIG = '''
total_epochs = 1
custom_imports = dict(imports=['rank_checkpoint_hook'])
custom_hooks = [dict(type='SaveRankCheckpointHook')]
'''


@pytest.mark.slow
def test_two_machines_train_one_model(tiny_coco, tmp_path):
    """Two launches of dist_train.sh, NNODES=2 and NODE_RANK 0/1, one
    process each (gloo), each with its own work directory as on separate
    machines. The gradients are averaged across the machines, so both end
    with the same weights although each trained on different people."""
    config = write_config(tmp_path / 'tiny.py', tiny_coco, TWO_NODE_CONFIG)
    port = str(free_port())
    nodes = []
    for node_rank in (0, 1):
        env = dict(ENV, NNODES='2', NODE_RANK=str(node_rank),
                   MASTER_ADDR='127.0.0.1', PORT=port)
        log = open(tmp_path / f'node{node_rank}.log', 'w')
        nodes.append(subprocess.Popen(
            ['bash', 'tools/dist_train.sh', config, '1', '--work-dir',
             str(tmp_path / f'node{node_rank}'), '--no-validate'],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        log.close()
    try:
        codes = [node.wait(timeout=240) for node in nodes]
    finally:
        for node in nodes:
            if node.poll() is None:
                node.kill()
    logs = [(tmp_path / f'node{r}.log').read_text() for r in (0, 1)]
    assert codes == [0, 0], logs

    ckpts = [torch.load(tmp_path / f'node{r}' / f'rank_{r}.pth',
                        weights_only=False) for r in (0, 1)]
    assert [(c['meta']['rank'], c['meta']['world_size'])
            for c in ckpts] == [(0, 2), (1, 2)]
    # 4 people, 2 per process and per batch: one iteration each
    assert 'Epoch [1][1/1]' in logs[0]
    first, second = (c['state_dict'] for c in ckpts)
    assert first.keys() == second.keys()
    different = [k for k in first if not torch.equal(first[k], second[k])]
    # Every parameter is the same. The BatchNorm running statistics are
    # each process's own (0.x wraps the model with broadcast_buffers=False):
    # they differ, as each process normalised different people.
    assert different == [k for k in first
                         if k.endswith(('.running_mean', '.running_var'))]
    # rank 0's usual checkpoint holds the same weights
    epoch_1 = torch.load(tmp_path / 'node0' / 'epoch_1.pth',
                         weights_only=False)['state_dict']
    assert all(torch.equal(epoch_1[k], first[k]) for k in first)
