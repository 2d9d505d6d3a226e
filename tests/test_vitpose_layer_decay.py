"""Layer-wise learning-rate decay as the ViTPose fork trains: the name
``LayerDecayOptimizerConstructor`` gives a model on the fork's ViT backbones
the fork's parameter groups (golden case ``layer_decay``, made by the
fork's ``mmcv_custom`` constructor), keeps MMPose 0.29's behaviour for
every other backbone, and still works when a fork checkout's own
``mmcv_custom`` package registers a constructor of that name."""
import json
import os
import os.path as osp
import subprocess
import sys
import textwrap
import warnings

import pytest
import torch
from torch import nn

from mmpose.core.optimizer import build_optimizers
from mmpose.core.optimizers import LayerDecayOptimizerConstructor
from mmpose.core.optimizers.layer_decay_optimizer_constructor import \
    uses_vitpose_grouping
from mmpose.models import build_posenet
from .helpers import TINY_CONFIGS
from .reference import REPO_ROOT, vitpose_case


def groups_by_name(optimizer) -> dict:
    """{parameter name: (lr, weight decay)} of a layer-decay optimizer."""
    return {
        name: (group['lr'], group['weight_decay'])
        for group in optimizer.param_groups
        for name in group['param_names']
    }


def test_fork_groups_of_a_vitpose_model_match_the_fork():
    case = vitpose_case('layer_decay')
    model = build_posenet(case['model_cfg'])
    with warnings.catch_warnings():
        # the fork's constructor does not warn; neither does this one
        warnings.simplefilter('error', DeprecationWarning)
        optimizer = build_optimizers(model, case['optimizer'])
    assert groups_by_name(optimizer) == case['groups']
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert set(case['groups']) == trainable


# ---------------------------------------------------- hand-derived groups


class Block(nn.Module):

    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(2)
        self.fc = nn.Linear(2, 2)


class ViTLayout(nn.Module):
    """The parameter layout of the fork's ViT in miniature."""

    def __init__(self):
        super().__init__()
        self.pos_embed = nn.Parameter(torch.zeros(1, 3, 2))
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Linear(2, 2)
        self.blocks = nn.ModuleList([Block(), Block()])
        self.last_norm = nn.LayerNorm(2)


def backbone_named(name: str, base: type = ViTLayout) -> nn.Module:
    """A ``base`` whose class is called ``name`` (the class name is what
    selects a grouping)."""
    return type(name, (base, ), {})()


class Model(nn.Module):

    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone
        self.keypoint_head = nn.Linear(2, 2)


def build(model, **paramwise):
    return build_optimizers(
        model,
        dict(type='SGD', lr=1.0, weight_decay=0.05,
             constructor='LayerDecayOptimizerConstructor',
             paramwise_cfg=dict(num_layers=2, layer_decay_rate=0.5,
                                **paramwise)))


# num_layers 2 -> L = 4 ids; lr = 0.5 ** (3 - id).
FORK_GROUPS = {
    # embeddings: id 0; pos_embed (3-D) has no decay in the fork
    'backbone.pos_embed': (0.125, 0.),
    'backbone.patch_embed.proj.weight': (0.125, 0.05),
    'backbone.patch_embed.proj.bias': (0.125, 0.),
    # backbone.blocks.i: id i + 1; 1-D parameters have no decay
    'backbone.blocks.0.norm1.weight': (0.25, 0.),
    'backbone.blocks.0.norm1.bias': (0.25, 0.),
    'backbone.blocks.0.fc.weight': (0.25, 0.05),
    'backbone.blocks.0.fc.bias': (0.25, 0.),
    'backbone.blocks.1.norm1.weight': (0.5, 0.),
    'backbone.blocks.1.norm1.bias': (0.5, 0.),
    'backbone.blocks.1.fc.weight': (0.5, 0.05),
    'backbone.blocks.1.fc.bias': (0.5, 0.),
    # the rest: id 3
    'backbone.last_norm.weight': (1.0, 0.),
    'backbone.last_norm.bias': (1.0, 0.),
    'keypoint_head.weight': (1.0, 0.05),
    'keypoint_head.bias': (1.0, 0.),
}


def test_a_vit_backbone_gets_the_fork_grouping_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter('error', DeprecationWarning)
        optimizer = build(Model(backbone_named('ViT')))
    assert groups_by_name(optimizer) == FORK_GROUPS


def test_custom_keys_of_the_fork_configs_are_ignored_as_the_fork_does():
    custom_keys = {'bias': dict(decay_multi=0.), 'norm': dict(decay_mult=0.),
                   'pos_embed': dict(decay_mult=0.)}
    optimizer = build(Model(backbone_named('ViTMoE')), custom_keys=custom_keys)
    assert groups_by_name(optimizer) == FORK_GROUPS


def test_subclasses_of_the_fork_backbones_get_the_fork_grouping():
    moe = type(backbone_named('ViTMoE'))
    assert uses_vitpose_grouping(backbone_named('MyViTMoE', moe))
    assert not uses_vitpose_grouping(backbone_named('MyViT'))
    assert not uses_vitpose_grouping(nn.Linear(1, 1))


def test_other_backbones_keep_the_029_form_which_warns():
    # 0.29: only ``backbone.layers.i`` are blocks and only a parameter
    # named exactly ``pos_embed`` escapes weight decay
    with pytest.warns(DeprecationWarning, match='LayerDecayOptimizer'):
        optimizer = build(Model(backbone_named('BEiT')))
    groups = groups_by_name(optimizer)
    # blocks are not "layers": id L - 1 = 3, lr 1.0 (fork: 0.25, 0.5)
    assert groups['backbone.blocks.0.fc.weight'] == (1.0, 0.05)
    assert groups['backbone.blocks.1.fc.weight'] == (1.0, 0.05)
    assert groups['keypoint_head.weight'] == (1.0, 0.05)
    # backbone.pos_embed is decayed (fork: no decay)
    assert groups['backbone.pos_embed'] == (0.125, 0.05)


def test_the_constructor_still_needs_layer_decay_rate():
    with pytest.raises(KeyError, match='layer_decay_rate'):
        LayerDecayOptimizerConstructor(dict(type='SGD', lr=1.0),
                                       dict(num_layers=2))


# ----------------------------------------- a training run, fork checkout

# A fork checkout's mmcv_custom, as the fork writes it: its own constructor
# registered by name into mmcv's registry (the name this package has too).
FORK_MMCV_CUSTOM = '''
from mmcv.runner import (OPTIMIZER_BUILDERS, DefaultOptimizerConstructor,
                         get_dist_info)


def layer_of(name, top):
    if name in ('backbone.cls_token', 'backbone.mask_token',
                'backbone.pos_embed') or name.startswith(
                    'backbone.patch_embed'):
        return 0
    if name.startswith('backbone.blocks'):
        return int(name.split('.')[2]) + 1
    return top - 1


@OPTIMIZER_BUILDERS.register_module()
class LayerDecayOptimizerConstructor(DefaultOptimizerConstructor):

    def add_params(self, params, module, prefix='', is_dcn_module=None):
        print('fork mmcv_custom constructor builds the groups')
        top = self.paramwise_cfg.get('num_layers') + 2
        rate = self.paramwise_cfg.get('layer_decay_rate')
        groups = {}
        for name, param in module.named_parameters():
            if not param.requires_grad:
                continue
            plain = (len(param.shape) == 1 or name.endswith('.bias')
                     or 'pos_embed' in name)
            layer = layer_of(name, top)
            key = 'layer_%d_%s' % (layer, 'no_decay' if plain else 'decay')
            if key not in groups:
                scale = rate ** (top - layer - 1)
                groups[key] = dict(
                    weight_decay=0. if plain else self.base_wd, params=[],
                    param_names=[], lr_scale=scale, group_name=key,
                    lr=scale * self.base_lr)
            groups[key]['params'].append(param)
            groups[key]['param_names'].append(name)
        params.extend(groups.values())
'''

RECORD_LR_HOOK = '''
import json

from mmcv.runner import HOOKS, Hook


@HOOKS.register_module()
class RecordLrHook(Hook):
    """Write {parameter name: [lr, weight decay]} when training starts."""

    def __init__(self, out_file):
        self.out_file = out_file

    def before_run(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        names = {id(p): n for n, p in model.named_parameters()}
        groups = {names[id(p)]: [g['lr'], g['weight_decay']]
                  for g in runner.optimizer.param_groups for p in g['params']}
        with open(self.out_file, 'w') as f:
            json.dump(groups, f)
'''


def write_tiny_vitpose_config(path, data_root, out_file) -> str:
    """The golden case's ViT model (17 heatmaps) and the fork's optimizer
    on the tiny COCO set, for one epoch."""
    case = vitpose_case('layer_decay')
    model = dict(case['model_cfg'], _delete_=True)
    model['keypoint_head']['out_channels'] = 17
    optimizer = dict(case['optimizer'], _delete_=True)
    files = (f"dict(ann_file='{data_root}/annotations.json', "
             f"img_prefix='{data_root}/images/')")
    path.write_text(textwrap.dedent(f'''\
        _base_ = ['{TINY_CONFIGS}/tiny_topdown_coco.py']
        model = {model!r}
        optimizer = {optimizer!r}
        total_epochs = 1
        custom_imports = dict(imports=['record_lr_hook'],
                              allow_failed_imports=False)
        custom_hooks = [dict(type='RecordLrHook', out_file='{out_file}')]
        data = dict(train={files}, val={files}, test={files})
        '''))
    return str(path)


@pytest.mark.slow  # two tools/train.py runs in subprocesses: ~30 s
@pytest.mark.parametrize('with_mmcv_custom', [False, True],
                         ids=['package', 'fork_mmcv_custom'])
def test_training_a_tiny_vitpose_uses_the_fork_groups(tmp_path, tiny_coco,
                                                      with_mmcv_custom):
    fork = tmp_path / 'fork'
    (fork / 'mmcv_custom').mkdir(parents=True)
    (fork / 'mmcv_custom' / '__init__.py').write_text(
        'from .layer_decay_optimizer_constructor import '
        'LayerDecayOptimizerConstructor  # noqa: F401\n')
    (fork / 'mmcv_custom' / 'layer_decay_optimizer_constructor.py'
     ).write_text(FORK_MMCV_CUSTOM)
    (fork / 'record_lr_hook.py').write_text(RECORD_LR_HOOK)
    out_file = tmp_path / 'groups.json'
    config = write_tiny_vitpose_config(tmp_path / 'vitpose_tiny.py',
                                       tiny_coco, out_file)
    # the fork's tools/train.py: the package's imports, then mmcv_custom
    imports = 'import mmpose.apis; ' + (
        'import mmcv_custom; ' if with_mmcv_custom else '')
    argv = [osp.join(REPO_ROOT, 'tools', 'train.py'), config, '--work-dir',
            str(tmp_path / 'work'), '--no-validate', '--seed', '0']
    code = (imports + 'import runpy, sys; '
            f'sys.argv = {argv!r}; '
            f'runpy.run_path({argv[0]!r}, run_name="__main__")')
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=os.pathsep.join(
        [str(fork), str(REPO_ROOT), os.environ.get('PYTHONPATH', '')]))
    proc = subprocess.run([sys.executable, '-c', code], cwd=REPO_ROOT,
                          env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert 'already registered' not in proc.stdout
    ran_fork_code = 'fork mmcv_custom constructor' in proc.stdout
    assert ran_fork_code == with_mmcv_custom
    with open(out_file) as f:
        groups = {name: tuple(v) for name, v in json.load(f).items()}
    assert groups == vitpose_case('layer_decay')['groups']
