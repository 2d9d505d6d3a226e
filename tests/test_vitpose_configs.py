"""The ViTPose fork's configs (ViTAE-Transformer/ViTPose, a fork of MMPose
0.24): the 43 ``ViTPose_*`` / ``vitPose+_*`` files under ``configs/``
merge to the fork's configs and build the fork's models, and a config of a
fork checkout, passed by path with the checkout's own 0.24-style
``_base_`` files (as HaMeR does), loads with ``init_pose_model``.

Expected values come from the packed ``configs-vitpose`` reference: each
config as the fork merges it and the ``state_dict`` names and shapes of the
model it builds (``pretrained=None``).
"""
import json

import pytest
import torch

from mmpose.apis import init_pose_model
from .reference import REPO_ROOT, packed_manifests, state_dict_problems
from .test_configs import differences, plain
from .test_configs_029 import built_state, merged, pipeline_problem

MANIFESTS = packed_manifests('vitpose')
FORK_PREFIXES = ('ViTPose_', 'vitPose+_')


def ids(paths):
    return [p[:-len('.json')].split('/')[-1] for p in paths]


def by_size(paths):
    """ViTPose-S configs run in the fast set, the bigger ones (ViT-B/L/H
    built on the meta device) in the slow one."""
    return [
        path if '_small_' in path else pytest.param(
            path, marks=pytest.mark.slow) for path in paths
    ]


def test_tree_holds_exactly_the_fork_configs():
    found = {
        p.relative_to(REPO_ROOT).as_posix()
        for p in (REPO_ROOT / 'configs').glob('*/2d_*/**/*.py')
        if p.name.startswith(FORK_PREFIXES)
    }
    expected = {m['config'] for m in MANIFESTS.values()}
    assert len(expected) == 43
    assert found == expected


@pytest.mark.parametrize('path', sorted(MANIFESTS), ids=ids(sorted(MANIFESTS)))
def test_merged_config_matches_the_fork(path):
    manifest = MANIFESTS[path]
    diff = differences(merged(manifest['config']), manifest['cfg'])
    assert not diff, f"{manifest['config']} differs at: {diff}"


@pytest.mark.parametrize('path', by_size(sorted(MANIFESTS)),
                         ids=ids(sorted(MANIFESTS)))
def test_model_matches_the_fork_state_dict(path):
    manifest = MANIFESTS[path]
    cfg = dict(merged(manifest['config'])['model'], pretrained=None)
    state = built_state(json.dumps(cfg, sort_keys=True))
    assert not isinstance(state, str), state
    problems = state_dict_problems(manifest['state_dict'], state)
    assert not problems, '\n'.join(problems)
    num_params = sum(torch.Size(shape).numel()
                     for name, (shape, _) in state.items()
                     if not name.endswith(('running_mean', 'running_var',
                                           'num_batches_tracked')))
    assert num_params == manifest['num_params']


def test_pipelines_of_every_fork_config_build(tmp_path):
    problems = {
        path: problem
        for path, manifest in sorted(MANIFESTS.items())
        if (problem := pipeline_problem(merged(manifest['config']), tmp_path,
                                        has_albu=False))
    }
    assert not problems


# ------------------------------------------- a fork checkout, by path

WHOLEBODY_S = ('configs/wholebody/2d_kpt_sview_rgb_img/topdown_heatmap/'
               'coco-wholebody/ViTPose_small_wholebody_256x192.py')
RUNTIME_KEYS = ('checkpoint_config', 'log_config', 'log_level', 'load_from',
                'resume_from', 'dist_params', 'workflow',
                'opencv_num_threads', 'mp_start_method')


def int_keys(table: dict) -> dict:
    """A ``dataset_info`` table as its file writes it (JSON turned the
    integer keys of ``keypoint_info``/``skeleton_info`` into strings)."""
    return {
        key: ({int(k): v for k, v in value.items()}
              if key in ('keypoint_info', 'skeleton_info') else value)
        for key, value in table.items()
    }


def write_fork_checkout(root, manifest) -> str:
    """A ViTPose checkout in miniature: its 0.24-style
    ``configs/_base_/default_runtime.py`` and dataset table (written from
    the fork's merged config) and the config itself; returns the config's
    path."""
    cfg = manifest['cfg']
    base = root / 'configs' / '_base_'
    (base / 'datasets').mkdir(parents=True)
    (base / 'default_runtime.py').write_text(''.join(
        f'{key} = {cfg[key]!r}\n' for key in RUNTIME_KEYS))
    table = cfg['dataset_info']['dataset_name']
    (base / 'datasets' / f'{table}.py').write_text(
        f"dataset_info = {int_keys(cfg['dataset_info'])!r}\n")
    config = root / manifest['config']
    config.parent.mkdir(parents=True)
    config.write_text((REPO_ROOT / manifest['config']).read_text())
    return str(config)


def test_a_fork_checkout_config_loads_by_path(tmp_path):
    manifest = MANIFESTS[WHOLEBODY_S[len('configs/'):-3] + '.json']
    config = write_fork_checkout(tmp_path / 'ViTPose', manifest)
    model = init_pose_model(config, None, device='cpu')
    diff = differences(plain(model.cfg._cfg_dict.to_dict()), manifest['cfg'])
    assert not diff, diff
    assert type(model.backbone).__name__ == 'ViT'
    assert model.keypoint_head.final_layer.out_channels == 133
    num_params = sum(p.numel() for p in model.parameters())
    assert num_params == manifest['num_params']
