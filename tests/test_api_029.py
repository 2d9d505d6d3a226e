"""Both public APIs, MMPose 0.14 and 0.29, in one install: every name of
the reference lists at its module path with a call-compatible signature,
every registry member registered; and the 0.29 additions to
``mmpose.utils`` and ``mmpose.core.optimizers`` at work.

Names that belong to work not done yet are listed below; the lists may
only shrink: a listed name that appears fails the test until it is removed
from the list.
"""
import ast
import importlib
import inspect
import os
from typing import List, Tuple

import pytest
import torch
from mmcv import Config
from torch import nn

from mmpose.core.optimizers import (OPTIMIZER_BUILDERS,
                                    build_optimizer_constructor,
                                    build_optimizers)
from mmpose.errors import ArgumentError, UnknownNameError
from mmpose.utils import StopWatch, setup_multi_processes
from mmpose.utils import setup_env as setup_env_module
from mmpose.utils import timer as timer_module

from .reference import packed_api

VERSIONS = ('0.14', '0.29')

# 0.29 names of model families, datasets, tools and APIs not implemented yet
EXPECTED_MISSING = set()


# datasets that keep the 0.14 order with dataset_info last (0.29
# positional calls adapted by mmpose.datasets.dialects)
DATASETS_014_ORDER = {
    'mmpose.datasets.AnimalATRWDataset',
    'mmpose.datasets.AnimalFlyDataset',
    'mmpose.datasets.AnimalHorse10Dataset',
    'mmpose.datasets.AnimalLocustDataset',
    'mmpose.datasets.AnimalMacaqueDataset',
    'mmpose.datasets.AnimalPoseDataset',
    'mmpose.datasets.AnimalZebraDataset',
    'mmpose.datasets.Body3DH36MDataset',
    'mmpose.datasets.BottomUpAicDataset',
    'mmpose.datasets.BottomUpCocoDataset',
    'mmpose.datasets.BottomUpCrowdPoseDataset',
    'mmpose.datasets.BottomUpMhpDataset',
    'mmpose.datasets.Face300WDataset',
    'mmpose.datasets.FaceAFLWDataset',
    'mmpose.datasets.FaceCOFWDataset',
    'mmpose.datasets.FaceWFLWDataset',
    'mmpose.datasets.FreiHandDataset',
    'mmpose.datasets.InterHand2DDataset',
    'mmpose.datasets.InterHand3DDataset',
    'mmpose.datasets.OneHand10KDataset',
    'mmpose.datasets.PanopticDataset',
    'mmpose.datasets.TopDownAicDataset',
    'mmpose.datasets.TopDownCocoDataset',
    'mmpose.datasets.TopDownCocoWholeBodyDataset',
    'mmpose.datasets.TopDownCrowdPoseDataset',
    'mmpose.datasets.TopDownJhmdbDataset',
    'mmpose.datasets.TopDownMhpDataset',
    'mmpose.datasets.TopDownMpiiDataset',
    'mmpose.datasets.TopDownMpiiTrbDataset',
    'mmpose.datasets.TopDownOCHumanDataset',
    'mmpose.datasets.TopDownPoseTrack18Dataset',
    'mmpose.datasets.datasets.AnimalATRWDataset',
    'mmpose.datasets.datasets.AnimalFlyDataset',
    'mmpose.datasets.datasets.AnimalHorse10Dataset',
    'mmpose.datasets.datasets.AnimalLocustDataset',
    'mmpose.datasets.datasets.AnimalMacaqueDataset',
    'mmpose.datasets.datasets.AnimalPoseDataset',
    'mmpose.datasets.datasets.AnimalZebraDataset',
    'mmpose.datasets.datasets.Body3DH36MDataset',
    'mmpose.datasets.datasets.BottomUpAicDataset',
    'mmpose.datasets.datasets.BottomUpCocoDataset',
    'mmpose.datasets.datasets.BottomUpCrowdPoseDataset',
    'mmpose.datasets.datasets.BottomUpMhpDataset',
    'mmpose.datasets.datasets.Face300WDataset',
    'mmpose.datasets.datasets.FaceAFLWDataset',
    'mmpose.datasets.datasets.FaceCOFWDataset',
    'mmpose.datasets.datasets.FaceWFLWDataset',
    'mmpose.datasets.datasets.FreiHandDataset',
    'mmpose.datasets.datasets.InterHand2DDataset',
    'mmpose.datasets.datasets.InterHand3DDataset',
    'mmpose.datasets.datasets.OneHand10KDataset',
    'mmpose.datasets.datasets.PanopticDataset',
    'mmpose.datasets.datasets.TopDownAicDataset',
    'mmpose.datasets.datasets.TopDownCocoDataset',
    'mmpose.datasets.datasets.TopDownCocoWholeBodyDataset',
    'mmpose.datasets.datasets.TopDownCrowdPoseDataset',
    'mmpose.datasets.datasets.TopDownJhmdbDataset',
    'mmpose.datasets.datasets.TopDownMhpDataset',
    'mmpose.datasets.datasets.TopDownMpiiDataset',
    'mmpose.datasets.datasets.TopDownMpiiTrbDataset',
    'mmpose.datasets.datasets.TopDownOCHumanDataset',
    'mmpose.datasets.datasets.TopDownPoseTrack18Dataset',
    'mmpose.datasets.datasets.animal.AnimalATRWDataset',
    'mmpose.datasets.datasets.animal.AnimalFlyDataset',
    'mmpose.datasets.datasets.animal.AnimalHorse10Dataset',
    'mmpose.datasets.datasets.animal.AnimalLocustDataset',
    'mmpose.datasets.datasets.animal.AnimalMacaqueDataset',
    'mmpose.datasets.datasets.animal.AnimalPoseDataset',
    'mmpose.datasets.datasets.animal.AnimalZebraDataset',
    'mmpose.datasets.datasets.body3d.Body3DH36MDataset',
    'mmpose.datasets.datasets.bottom_up.BottomUpAicDataset',
    'mmpose.datasets.datasets.bottom_up.BottomUpCocoDataset',
    'mmpose.datasets.datasets.bottom_up.BottomUpCrowdPoseDataset',
    'mmpose.datasets.datasets.bottom_up.BottomUpMhpDataset',
    'mmpose.datasets.datasets.face.Face300WDataset',
    'mmpose.datasets.datasets.face.FaceAFLWDataset',
    'mmpose.datasets.datasets.face.FaceCOFWDataset',
    'mmpose.datasets.datasets.face.FaceWFLWDataset',
    'mmpose.datasets.datasets.hand.FreiHandDataset',
    'mmpose.datasets.datasets.hand.InterHand2DDataset',
    'mmpose.datasets.datasets.hand.InterHand3DDataset',
    'mmpose.datasets.datasets.hand.OneHand10KDataset',
    'mmpose.datasets.datasets.hand.PanopticDataset',
    'mmpose.datasets.datasets.hand.Rhd2DDataset',
    'mmpose.datasets.datasets.top_down.TopDownAicDataset',
    'mmpose.datasets.datasets.top_down.TopDownCocoDataset',
    'mmpose.datasets.datasets.top_down.TopDownCocoWholeBodyDataset',
    'mmpose.datasets.datasets.top_down.TopDownCrowdPoseDataset',
    'mmpose.datasets.datasets.top_down.TopDownJhmdbDataset',
    'mmpose.datasets.datasets.top_down.TopDownMhpDataset',
    'mmpose.datasets.datasets.top_down.TopDownMpiiDataset',
    'mmpose.datasets.datasets.top_down.TopDownMpiiTrbDataset',
    'mmpose.datasets.datasets.top_down.TopDownOCHumanDataset',
    'mmpose.datasets.datasets.top_down.TopDownPoseTrack18Dataset',
}

# (version, name) -> 'keyword' or 'none' where a name is not 'full'y
# call-compatible (see compatibility()): mostly names at the same path in
# both versions whose parameter orders conflict, so one version's order is
# kept and the other's parameters work by keyword
EXPECTED_LEVELS = {
    # 0.29's order kept; 0.14 calls adapted by mmpose.apis.dialect
    ('0.14', 'mmpose.apis.inference_bottom_up_pose_model'): 'keyword',
    ('0.14', 'mmpose.apis.inference_top_down_pose_model'): 'none',
    ('0.14', 'mmpose.apis.vis_pose_result'): 'keyword',
    ('0.14', 'mmpose.apis.vis_pose_tracking_result'): 'keyword',
    # 0.14 EvalHook kept (0.29's save_best=<metric> adapted)
    ('0.29', 'mmpose.core.evaluation.DistEvalHook'): 'none',
    ('0.29', 'mmpose.core.evaluation.EvalHook'): 'none',
    # 0.14's out_indices=(10,) kept (0.29: (-1,)): the same last layer for
    # the default arch='small'; only arch='big' without out_indices differs
    ('0.29', 'mmpose.models.backbones.MobileNetV3'): 'none',
    # 0.14 order kept, 0.29's groups after it
    ('0.29', 'mmpose.models.backbones.utils.InvertedResidual'): 'keyword',
    # 0.14 order kept, 0.29's traj_* after it
    ('0.29', 'mmpose.models.detectors.PoseLifter'): 'keyword',
    **{('0.29', name): 'keyword' for name in DATASETS_014_ORDER},
    # 0.14 order (subset third) kept; 0.29 positional calls adapted by
    # mmpose.datasets.dialects.split_deepfashion_args
    **{('0.29', f'mmpose.datasets.{module}DeepFashionDataset'): 'keyword'
       for module in ('', 'datasets.', 'datasets.fashion.')},
}

# registries of 0.29 not created yet
EXPECTED_MISSING_REGISTRIES = set()

# module paths of the model registry in 0.29 families not implemented yet
EXPECTED_MISSING_PATHS = set()

# (registry, member) of the 0.29 registries not registered yet
EXPECTED_MISSING_MEMBERS = set()

_MISSING = object()

# default reprs that behave the same (target types compare without case)
EQUIVALENT_DEFAULTS = {("'GaussianHeatMap'", "'GaussianHeatmap'")}


def resolve(dotted: str):
    """The object at ``dotted`` (a module attribute path), or _MISSING."""
    parts = dotted.split('.')
    for split in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module('.'.join(parts[:split]))
        except ImportError:
            continue
        for attr in parts[split:]:
            obj = getattr(obj, attr, _MISSING)
            if obj is _MISSING:
                return _MISSING
        return obj
    return _MISSING


def same_default(ours: inspect.Parameter, reference: str) -> bool:
    """Whether our default equals the reference's default repr."""
    if reference is None:  # required there: a default here breaks nothing
        return True
    if ours.default is inspect.Parameter.empty:
        return False
    if (repr(ours.default), reference) in EQUIVALENT_DEFAULTS:
        return True
    try:
        return ours.default == ast.literal_eval(reference)
    except (ValueError, SyntaxError):
        return repr(ours.default).replace(' ', '') == reference.replace(
            ' ', '')


def compatibility(obj, reference: list) -> Tuple[str, List[str]]:
    """How ``obj`` can be called the way the reference parameters
    ``[[name, kind, default repr]]`` allow, and why not fully.

    Returns:
        tuple: ``'full'`` (positionally and by keyword), ``'keyword'``
        (every reference parameter by keyword with its default, but the
        positional order differs) or ``'none'``; and the problems found.
    """
    target = obj.__init__ if inspect.isclass(obj) else obj
    params = [p for p in inspect.signature(target).parameters.values()
              if p.name != 'self']
    var_kinds = {p.kind for p in params} & {
        inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}
    if [kind for _, kind, _ in reference] == ['VAR_POSITIONAL',
                                               'VAR_KEYWORD']:
        # an inherited generic __init__ (e.g. nn.Module's): the contract is
        # only that it needs no argument
        required = [p.name for p in params if p.default is p.empty
                    and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        return ('none', [f'required {required}']) if required else (
            'full', [])
    by_name = {p.name: p for p in params}
    problems = []
    for name, kind, default in reference:
        if kind in ('VAR_POSITIONAL', 'VAR_KEYWORD'):
            if getattr(inspect.Parameter, kind) not in var_kinds:
                problems.append(f'no {kind} *{name}')
        elif name not in by_name:
            problems.append(f'no parameter {name}')
        elif not same_default(by_name[name], default):
            problems.append(f'{name}: default {by_name[name].default!r} != '
                            f'{default}')
    known = {r[0] for r in reference}
    problems += [f'added parameter {p.name} has no default' for p in params
                 if p.name not in known and p.default is p.empty
                 and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if problems:
        return 'none', problems
    positional = [p.name for p in params
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    ref_positional = [r[0] for r in reference
                      if r[1] in ('POSITIONAL_ONLY', 'POSITIONAL_OR_KEYWORD')]
    if positional[:len(ref_positional)] != ref_positional:
        return 'keyword', [f'positional {positional} != {ref_positional}']
    return 'full', []


def api_entries():
    """[(version, dotted name, entry)] of both reference APIs."""
    return [(version, name, entry) for version in VERSIONS
            for name, entry in sorted(packed_api(version)['api'].items())]


API = api_entries()


def test_reference_api_lists_are_complete():
    assert len(packed_api('0.14')['api']) == 229
    assert len(packed_api('0.29')['api']) == 425


def test_missing_names_are_exactly_the_expected_ones():
    missing = {name for _, name, _ in API if resolve(name) is _MISSING}
    print('expected missing (later work):', *sorted(EXPECTED_MISSING),
          sep='\n  ')
    assert not missing - EXPECTED_MISSING, (
        f'missing: {sorted(missing - EXPECTED_MISSING)}')
    assert not EXPECTED_MISSING - missing, (
        f'now present, remove from EXPECTED_MISSING: '
        f'{sorted(EXPECTED_MISSING - missing)}')


PRESENT = [e for e in API if e[1] not in EXPECTED_MISSING
           and e[2]['signature'] is not None]


@pytest.mark.parametrize('version,name,entry', PRESENT,
                         ids=[f'{v}:{n}' for v, n, _ in PRESENT])
def test_name_is_call_compatible(version, name, entry):
    obj = resolve(name)
    assert obj is not _MISSING, f'{name} is missing'
    level, problems = compatibility(obj, entry['signature'])
    expected = EXPECTED_LEVELS.get((version, name), 'full')
    assert level == expected, (
        f'{version} {name}: {level}, expected {expected} (update '
        f'EXPECTED_LEVELS when it improved): ' + '; '.join(problems))


def registry_cases():
    return [(version, path, info) for version in VERSIONS
            for path, info in sorted(
                packed_api(version)['registries'].items())]


@pytest.mark.parametrize('version,path,info', registry_cases(),
                         ids=[f'{v}:{p}' for v, p, _ in registry_cases()])
def test_registry_members_are_registered(version, path, info):
    registry = resolve(path)
    assert (registry is _MISSING) == (path in EXPECTED_MISSING_REGISTRIES), (
        f'{path}: {"missing" if registry is _MISSING else "present"} '
        f'(update EXPECTED_MISSING_REGISTRIES)')
    if registry is _MISSING:
        return
    missing = {(path, m) for m in info['members'] if registry.get(m) is None}
    unexpected = sorted(m for _, m in missing - EXPECTED_MISSING_MEMBERS)
    assert not unexpected, f'{version} {path} lacks {unexpected}'
    listed = {(path, m) for m in info['members']} & EXPECTED_MISSING_MEMBERS
    assert listed <= missing, (
        f'now registered, remove from EXPECTED_MISSING_MEMBERS: '
        f'{sorted(listed - missing)}')


@pytest.mark.parametrize('version', VERSIONS)
def test_model_registry_paths_are_the_one_registry(version):
    models = resolve('mmpose.models.builder.MODELS')
    paths = [p for key, info in packed_api(version)['registries'].items()
             if key.startswith('mmpose.models.')
             and not key.endswith('MMCV_MODELS') for p in info['paths']]
    assert len(paths) >= 50
    found = {p: resolve(p) for p in paths}
    missing = {p for p, obj in found.items() if obj is _MISSING}
    wrong = [p for p, obj in found.items()
             if obj is not _MISSING and obj is not models]
    assert not wrong, f'not the model registry: {wrong}'
    expected = {p for p in EXPECTED_MISSING_PATHS if p in found}
    assert missing == expected, (
        f'missing {sorted(missing - expected)}; now present, remove from '
        f'EXPECTED_MISSING_PATHS: {sorted(expected - missing)}')


def test_0_29_model_registries_are_one_object():
    registries = {id(resolve(f'mmpose.models.builder.{name}'))
                  for name in ('MODELS', 'BACKBONES', 'NECKS', 'HEADS',
                               'LOSSES', 'POSENETS', 'MESH_MODELS')}
    assert len(registries) == 1
    models = resolve('mmpose.models.builder.MODELS')
    assert models.name == 'models' and models.scope == 'mmpose'
    assert models.parent is resolve('mmpose.models.builder.MMCV_MODELS')


# --- mmpose.utils.StopWatch -------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The clock of the timer module, reading ``ticks`` in order."""
    ticks = []
    monkeypatch.setattr(timer_module, 'perf_counter', lambda: ticks.pop(0))
    return ticks


def test_stopwatch_reports_milliseconds_and_fps(clock):
    watch = StopWatch(window=2)
    # frame 1: 0.0 -> 0.1 s, 'det' inside it 0.02 -> 0.05 s
    clock += [0.0, 0.02, 0.05, 0.1]
    with watch.timeit():
        with watch.timeit('det'):
            pass
    assert watch.report('det') == pytest.approx(30.)
    assert watch.report('_FPS_') == pytest.approx(10.)
    # frame 2 lasts 0.3 s: mean 0.2 s over the window of 2 -> 5 FPS
    clock += [1.0, 1.3]
    with watch.timeit():
        pass
    assert watch.report() == pytest.approx({'det': 30., '_FPS_': 5.})
    assert watch.report_strings() == ['FPS:   5.0', 'det:  30']


def test_stopwatch_window_keeps_the_latest_timings(clock):
    watch = StopWatch(window=2)
    clock += [0., .010, 0., .020, 0., .060]
    for _ in range(3):
        with watch.timeit('a'):
            pass
    assert watch.report('a') == pytest.approx(40.)  # (20 + 60) / 2
    watch.reset()
    assert watch.report() == {}


def test_stopwatch_rejects_bad_arguments():
    with pytest.raises(ArgumentError, match='window'):
        StopWatch(window=0)
    with pytest.raises(UnknownNameError, match="'nope'"):
        StopWatch().report('nope')


# --- mmpose.utils.setup_multi_processes -------------------------------------


@pytest.fixture
def recorded_setup(monkeypatch):
    """Record what setup_multi_processes sets instead of setting it."""
    calls = {}
    monkeypatch.setattr(setup_env_module.mp, 'set_start_method',
                        lambda method, force: calls.update(start=method))
    monkeypatch.setattr(setup_env_module.mp, 'get_start_method',
                        lambda allow_none: 'fork')
    monkeypatch.setattr(setup_env_module.cv2, 'setNumThreads',
                        lambda n: calls.update(cv2=n))
    for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        monkeypatch.delenv(var, raising=False)
    return calls


def test_setup_multi_processes_defaults(recorded_setup):
    setup_multi_processes(Config(dict(data=dict(workers_per_gpu=1))))
    assert recorded_setup == {'start': 'fork', 'cv2': 0}
    assert 'OMP_NUM_THREADS' not in os.environ


def test_setup_multi_processes_reads_the_config(recorded_setup,
                                                monkeypatch):
    monkeypatch.setenv('MKL_NUM_THREADS', '4')
    cfg = Config(dict(mp_start_method='spawn', opencv_num_threads=2,
                      data=dict(workers_per_gpu=1,
                                train_dataloader=dict(workers_per_gpu=3))))
    with pytest.warns(UserWarning):
        setup_multi_processes(cfg)
    assert recorded_setup == {'start': 'spawn', 'cv2': 2}
    assert os.environ['OMP_NUM_THREADS'] == '1'
    assert os.environ['MKL_NUM_THREADS'] == '4'  # set by the user: kept


# --- mmpose.core.optimizers -------------------------------------------------


def test_build_optimizer_constructor_builds_mmcv_default():
    model = nn.Linear(2, 1)
    constructor = build_optimizer_constructor(
        dict(type='DefaultOptimizerConstructor',
             optimizer_cfg=dict(type='SGD', lr=0.25)))
    optimizer = constructor(model)
    assert isinstance(optimizer, torch.optim.SGD)
    assert optimizer.param_groups[0]['lr'] == 0.25


def test_registered_constructor_is_used_by_build_optimizers():

    class HalfLrConstructor:

        def __init__(self, optimizer_cfg, paramwise_cfg=None):
            self.cfg = dict(optimizer_cfg, lr=optimizer_cfg['lr'] / 2)

        def __call__(self, model):
            return torch.optim.SGD(model.parameters(), lr=self.cfg['lr'])

    OPTIMIZER_BUILDERS.register_module(module=HalfLrConstructor)
    try:
        optimizer = build_optimizers(
            nn.Linear(2, 1),
            dict(type='SGD', lr=0.5, constructor='HalfLrConstructor'))
    finally:
        OPTIMIZER_BUILDERS.module_dict.pop('HalfLrConstructor')
    assert optimizer.param_groups[0]['lr'] == 0.25


def test_unknown_constructor_names_the_registered_ones():
    with pytest.raises(KeyError, match='DefaultOptimizerConstructor'):
        build_optimizer_constructor(dict(type='NoSuchConstructor'))
