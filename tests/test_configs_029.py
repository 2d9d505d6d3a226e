"""The MMPose v0.29 config tree and the dataset metadata tables.

Expected values come from the packed ``configs-0.29`` reference (merged
configs with ``dataset_info`` expanded, and the original ``state_dict`` of
each model built with ``pretrained=None``) and from the keypoint counts of
the datasets' own definitions (table below).
"""
import copy
import functools
import json
import os
import os.path as osp
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import torch
from mmcv import Config

import mmpose
from mmpose.core.post_processing.temporal_filters import build_filter
from mmpose.datasets import PIPELINES
from mmpose.datasets.metadata import (METADATA_DIR, available_datasets,
                                      load_dataset_info)
from mmpose.datasets.pipelines import Compose
from mmpose.errors import UnknownNameError
from .helpers import MEAN_PARAMS, write_synthetic_smpl
from .reference import REPO_ROOT, packed_manifests, state_dict_problems
from .test_configs import differences, plain
from .test_pipelines_configs import _with_norm_files

MANIFESTS = packed_manifests('0.29')
# Models that build with this package's registered types and match the
# reference state_dict (at least; the number only grows).
COVERED_AT_LEAST = 416
# Configs whose every pipeline builds (at least; the number only grows).
PIPELINES_COVERED_AT_LEAST = 416

# 0.29's _base_/datasets tables: file name -> (keypoints, skeleton links,
# OKS sigmas given). Sizes of the datasets' published keypoint definitions.
TABLES = {
    '300w': (68, 0, False), 'aflw': (19, 0, False), 'aic': (14, 14, True),
    'animalpose': (20, 20, True), 'ap10k': (17, 17, True),
    'atrw': (15, 14, True), 'campus': (14, 14, True), 'coco': (17, 19, True),
    'coco_wholebody': (133, 65, True), 'coco_wholebody_face': (68, 0, True),
    'coco_wholebody_hand': (21, 20, True), 'cofw': (29, 0, False),
    'crowdpose': (14, 15, True), 'deepfashion_full': (8, 0, False),
    'deepfashion_lower': (4, 0, False), 'deepfashion_upper': (6, 0, False),
    'fly': (32, 25, False), 'freihand2d': (21, 20, False),
    'h36m': (17, 16, False), 'halpe': (136, 67, True),
    'horse10': (22, 18, False), 'interhand2d': (21, 20, False),
    'interhand3d': (42, 40, False), 'jhmdb': (15, 14, True),
    'locust': (35, 26, False), 'macaque': (17, 19, True),
    'mhp': (16, 15, True), 'mpi_inf_3dhp': (17, 16, False),
    'mpii': (16, 15, True), 'mpii_trb': (40, 27, False),
    'ochuman': (17, 19, True), 'onehand10k': (21, 20, False),
    'panoptic_body3d': (19, 14, True), 'panoptic_hand2d': (21, 20, False),
    'posetrack18': (17, 16, True), 'rhd2d': (21, 20, False),
    'shelf': (14, 14, True), 'wflw': (98, 0, False), 'zebra': (9, 8, False),
}
# nvgesture describes 25 gesture classes instead of keypoints.
GESTURE_TABLES = {'nvgesture': 25}
# dataset_name -> table file name where they differ.
TABLE_FILE = {'freihand': 'freihand2d', 'panoptic_pose_3d': 'panoptic_body3d'}

FILTERS = {
    'gaussian': 'GaussianFilter', 'one_euro': 'OneEuroFilter',
    'savizky_golay': 'SavizkyGolayFilter',
    'smoothnet_t8_h36m': 'SmoothNetFilter',
    'smoothnet_t16_h36m': 'SmoothNetFilter',
    'smoothnet_t32_h36m': 'SmoothNetFilter',
    'smoothnet_t64_h36m': 'SmoothNetFilter',
}
# The setting folders of the 0.29 tree, beside the 0.14 tree's folders.
TREE_029 = ('*/2d_*/**/*.py', '*/3d_*/**/*.py', '*/gesture_*/**/*.py')


@functools.lru_cache(maxsize=None)
def merged(config: str) -> dict:
    """The merged config at ``config`` (repository-relative) as plain data."""
    return plain(Config.fromfile(str(REPO_ROOT / config))._cfg_dict.to_dict())


def table_file(dataset_info: dict) -> str:
    name = dataset_info['dataset_name']
    return TABLE_FILE.get(name, name)


# ---------------------------------------------------------------- tables


def test_every_029_table_is_shipped():
    assert available_datasets() == sorted([*TABLES, *GESTURE_TABLES])


def test_tables_live_in_the_package_and_configs_link_to_them():
    package = Path(osp.dirname(mmpose.__file__))
    assert Path(METADATA_DIR).resolve() == \
        (package / 'configs' / '_base_' / 'datasets').resolve()
    # A relative link, so the tree works wherever the repository lives.
    linked = REPO_ROOT / 'configs' / '_base_' / 'datasets'
    assert linked.is_symlink() and not osp.isabs(os.readlink(linked))
    assert linked.resolve() == Path(METADATA_DIR).resolve()


@pytest.mark.parametrize('name', sorted(TABLES))
def test_table_sizes(name):
    num_keypoints, num_links, has_sigmas = TABLES[name]
    info = load_dataset_info(name)
    assert len(info['keypoint_info']) == num_keypoints
    assert len(info['skeleton_info']) == num_links
    assert len(info['joint_weights']) == num_keypoints
    assert len(info['sigmas']) == (num_keypoints if has_sigmas else 0)
    assert list(info['keypoint_info']) == list(range(num_keypoints))
    assert list(info['skeleton_info']) == list(range(num_links))
    # Flip partners and skeleton ends are keypoint names.
    names = {kpt['name'] for kpt in info['keypoint_info'].values()}
    assert len(names) == num_keypoints
    assert {kpt['swap'] for kpt in info['keypoint_info'].values()} <= \
        names | {''}
    for link in info['skeleton_info'].values():
        assert set(link['link']) <= names, link


# Entries whose ``id`` field differs from their key in 0.29's tables
# (kept as 0.29 shipped them; DatasetInfo indexes entries by key).
ID_QUIRKS_029 = {
    ('ap10k', 'skeleton_info'): {k: k - 1 for k in range(7, 17)},
    ('coco_wholebody_face', 'keypoint_info'): {51: 52},
    ('deepfashion_full', 'keypoint_info'): {4: 0, 5: 1, 6: 2, 7: 3},
}


def test_id_fields_follow_keys_except_029_quirks():
    quirks = {}
    for name in TABLES:
        info = load_dataset_info(name)
        for part in ('keypoint_info', 'skeleton_info'):
            odd = {k: e['id'] for k, e in info[part].items() if e['id'] != k}
            if odd:
                quirks[(name, part)] = odd
    assert quirks == ID_QUIRKS_029


def test_gesture_table():
    info = load_dataset_info('nvgesture')
    assert len(info['category_info']) == GESTURE_TABLES['nvgesture']
    assert info['flip_pairs'] == [(0, 1), (4, 5), (19, 20)]


def test_tables_equal_every_reference_config_using_them():
    tables = {name: plain(load_dataset_info(name))
              for name in available_datasets()}
    compared = defaultdict(int)
    for path, manifest in sorted(MANIFESTS.items()):
        info = manifest['cfg'].get('dataset_info')
        if info is None:
            continue
        name = table_file(info)
        assert tables[name] == info, f'{name} vs {path}'
        compared[name] += 1
    assert set(compared) == set(TABLES) | set(GESTURE_TABLES)
    assert sum(compared.values()) == 415  # every config but HMR's


def test_unknown_table_names_the_available_ones():
    with pytest.raises(UnknownNameError, match="'cocoo'.*coco_wholebody"):
        load_dataset_info('cocoo')
    # 0.x code caught KeyError around dataset lookups.
    with pytest.raises(KeyError):
        load_dataset_info('cocoo')


# ---------------------------------------------------------------- runtime


def test_default_runtime_is_029_and_014_variant_lacks_its_additions():
    base = REPO_ROOT / 'configs' / '_base_'
    v029 = Config.fromfile(str(base / 'default_runtime.py'))
    v014 = Config.fromfile(str(base / 'default_runtime_v014.py'))
    assert v029.opencv_num_threads == 0 and v029.mp_start_method == 'fork'
    assert 'opencv_num_threads' not in v014 and 'mp_start_method' not in v014
    added = ('opencv_num_threads', 'mp_start_method')
    assert {k: v for k, v in v029.items() if k not in added} == dict(v014)


@pytest.mark.parametrize('name', sorted(FILTERS))
def test_filter_configs_build(name):
    cfg = Config.fromfile(
        str(REPO_ROOT / 'configs' / '_base_' / 'filters' / f'{name}.py'))
    filter_cfg = cfg.filter_cfg.to_dict()
    assert filter_cfg['type'] == FILTERS[name]
    filter_cfg.pop('checkpoint', None)  # SmoothNet weights are a download
    assert type(build_filter(filter_cfg)).__name__ == FILTERS[name]


# ---------------------------------------------------------------- configs


def test_tree_holds_exactly_the_029_configs():
    configs = REPO_ROOT / 'configs'
    found = {p.relative_to(REPO_ROOT).as_posix()
             for pattern in TREE_029 for p in configs.glob(pattern)}
    expected = {m['config'] for m in MANIFESTS.values()}
    assert len(expected) == 416
    # The ViTPose fork's configs share the tree (tests/test_vitpose_configs)
    expected |= {m['config'] for m in packed_manifests('vitpose').values()}
    assert found == expected, (sorted(expected - found)[:5],
                               sorted(found - expected)[:5])


@pytest.mark.parametrize('path', sorted(MANIFESTS),
                         ids=[p[:-len('.json')] for p in sorted(MANIFESTS)])
def test_merged_config_matches_v029(path):
    manifest = MANIFESTS[path]
    diff = differences(merged(manifest['config']), manifest['cfg'])
    assert not diff, f"{manifest['config']} differs at: {diff}"


# ------------------------------------------------- models and pipelines


@pytest.fixture(scope='module')
def smpl_dir(tmp_path_factory):
    """Synthetic SMPL files of the three genders and a joints regressor
    (the reference was built with a one-face synthetic model)."""
    folder, regressor = write_synthetic_smpl(
        tmp_path_factory.mktemp('smpl'), num_faces=1)
    for gender in ('MALE', 'FEMALE'):
        shutil.copy(osp.join(folder, 'SMPL_NEUTRAL.pkl'),
                    osp.join(folder, f'SMPL_{gender}.pkl'))
    return folder, regressor


def model_config(manifest: dict, smpl_files) -> dict:
    """The config's model with ``pretrained=None`` and local SMPL files."""
    cfg = copy.deepcopy(merged(manifest['config'])['model'])
    cfg['pretrained'] = None
    if 'smpl' in cfg:
        cfg['smpl'].update(smpl_path=smpl_files[0],
                           joints_regressor=smpl_files[1])
    if 'smpl_mean_params' in cfg.get('mesh_head', {}):
        cfg['mesh_head']['smpl_mean_params'] = str(MEAN_PARAMS)
    return cfg


@functools.lru_cache(maxsize=None)
def built_state(cfg_json: str):
    """name -> [shape, dtype] of the model built on the meta device, or
    the reason it does not build."""
    from mmpose.models import build_posenet
    try:
        with torch.device('meta'):
            model = build_posenet(json.loads(cfg_json))
    except Exception as err:  # noqa: BLE001  reported in the summary
        missing = re.search(r"'(\w+)\\*' is not registered", str(err))
        if missing:
            return f'missing type {missing.group(1)}'
        return f'{type(err).__name__}: {str(err)[:160]}'
    return {name: [list(t.shape), str(t.dtype)]
            for name, t in model.state_dict().items()}


def covered_models(smpl_files):
    """(covered paths, {path: why not covered}, [state differences])."""
    covered, uncovered, wrong = [], {}, []
    for path, manifest in sorted(MANIFESTS.items()):
        cfg = model_config(manifest, smpl_files)
        state = built_state(json.dumps(cfg, sort_keys=True))
        if isinstance(state, str):
            uncovered[path] = state
            continue
        problems = state_dict_problems(manifest['state_dict'], state)
        if problems:
            wrong.append(f"{path}: {'; '.join(problems)}")
        else:
            covered.append(path)
    return covered, uncovered, wrong


def summary(uncovered: dict) -> str:
    by_reason = defaultdict(list)
    for path, reason in uncovered.items():
        by_reason[reason].append(path)
    return '\n'.join(f'{len(paths):4d} x {reason}  (e.g. {paths[0]})'
                     for reason, paths in sorted(
                         by_reason.items(), key=lambda kv: -len(kv[1])))


@pytest.mark.slow  # builds ~270 distinct models (meta device): ~40 s
def test_state_dicts_match_v029(smpl_dir):
    covered, uncovered, wrong = covered_models(smpl_dir)
    print(f'\n{len(covered)} of {len(MANIFESTS)} models covered; not built:'
          f'\n{summary(uncovered)}')
    assert not wrong, '\n'.join(wrong)
    assert len(covered) >= COVERED_AT_LEAST


def _types(steps):
    """Transform types of ``steps`` and of pipelines nested in them
    (Albumentation's own transforms are not registry types)."""
    for step in steps:
        yield step['type']
        for key in ('pipeline', 'transforms'):
            nested = step.get(key)
            if isinstance(nested, list) and step['type'] != 'Albumentation':
                yield from _types(nested)


def pipeline_problem(cfg: dict, tmp_path, has_albu: bool):
    """Why a config's ``*_pipeline`` lists do not build, or None."""
    for name, steps in cfg.items():
        if not (name.endswith('_pipeline') and isinstance(steps, list)):
            continue
        unknown = sorted(t for t in set(_types(steps))
                         if PIPELINES.get(t) is None)
        if unknown:
            return f"missing type {', '.join(unknown)}"
        if not has_albu:
            steps = [t for t in steps if t['type'] != 'Albumentation']
        try:
            Compose(_with_norm_files(steps, tmp_path))
        except Exception as err:  # noqa: BLE001  reported in the summary
            return f'{type(err).__name__}: {str(err)[:160]}'
    return None


def test_pipelines_build(tmp_path):
    try:
        import albumentations  # noqa: F401
        has_albu = True
    except ImportError:
        has_albu = False
    problems = {}
    for path, manifest in sorted(MANIFESTS.items()):
        problem = pipeline_problem(merged(manifest['config']), tmp_path,
                                   has_albu)
        if problem:
            problems[path] = problem
    built = len(MANIFESTS) - len(problems)
    print(f'\npipelines of {built} of {len(MANIFESTS)} configs build; '
          f'not built:\n{summary(problems)}')
    assert built >= PIPELINES_COVERED_AT_LEAST
