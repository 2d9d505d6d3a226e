"""Every public name of MMPose 0.14 (the packed ``api-0.14.json``) exists
here, under the same import path, with the same parameters and defaults."""
import ast
import importlib
import inspect

import pytest

from .reference import packed_api

VAR_KINDS = ('VAR_POSITIONAL', 'VAR_KEYWORD')
# Functions whose parameter lists differ between 0.14 and 0.29: they carry
# 0.29's, and ``mmpose.apis.dialect`` turns 0.14 calls into 0.29 ones
# (tested in test_apis_dialects.py). Here every 0.14 parameter must still be
# accepted by name: 0.14 name -> 0.29 name where it was renamed.
BRIDGED = {
    'mmpose.apis.inference_top_down_pose_model': {
        'img_or_path': 'imgs_or_paths'},
    'mmpose.apis.inference_bottom_up_pose_model': {},
    'mmpose.apis.vis_pose_result': {},
    'mmpose.apis.vis_pose_tracking_result': {},
}
# Parameters required in 0.14 that got a default so that 0.29's calls (which
# leave them out) fit too; 0.14 calls are unaffected.
DEFAULTS_ADDED = {
    f'mmpose.datasets.{module}DeepFashionDataset':
    {'subset', 'data_cfg', 'pipeline'}
    for module in ('', 'datasets.', 'datasets.fashion.')
}
API = packed_api('0.14')['api']
ENTRIES = sorted(API.items())


def reference_parameters(signature: list) -> list:
    """[(name, default source or None, kind)] from the packed signature."""
    return [(name, None if kind in VAR_KINDS else default,
             'var' if kind in VAR_KINDS else 'plain')
            for name, kind, default in signature]


def resolve(dotted: str):
    module_name, _, attr = dotted.rpartition('.')
    return getattr(importlib.import_module(module_name), attr)


def our_parameters(obj) -> list:
    target = obj.__init__ if inspect.isclass(obj) else obj
    params = []
    for p in inspect.signature(target).parameters.values():
        if p.name == 'self':
            continue
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            params.append((p.name, None, 'var'))
        else:
            default = None if p.default is p.empty else repr(p.default)
            params.append((p.name, default, 'plain'))
    return params


def same_default(ours, documented) -> bool:
    if ours is None or documented is None:
        return ours is documented
    try:
        ours_value = ast.literal_eval(ours)
        documented_value = ast.literal_eval(documented)
    except (ValueError, SyntaxError):
        return ours.replace(' ', '') == documented.replace(' ', '')
    return ours_value == documented_value


def test_reference_lists_the_api():
    kinds = [entry['kind'] for entry in API.values()]
    assert (kinds.count('class'), kinds.count('function'),
            kinds.count('Registry')) == (170, 51, 8)


@pytest.mark.parametrize('dotted,entry', ENTRIES, ids=[e[0] for e in ENTRIES])
def test_reference_name_exists_with_same_signature(dotted, entry):
    obj = resolve(dotted)
    if entry['signature'] is None:
        return  # a registry: existence is what the reference records
    documented_all = reference_parameters(entry['signature'])
    ours_all = our_parameters(obj)
    documented = [p for p in documented_all if p[2] == 'plain']
    ours = [p for p in ours_all if p[2] == 'plain']
    doc_names = [name for name, _, _ in documented]
    our_names = [name for name, _, _ in ours]
    if dotted in BRIDGED:
        renamed = BRIDGED[dotted]
        missing = {renamed.get(n, n) for n in doc_names} - set(our_names)
        assert not missing, f'{dotted}: 0.14 parameters {missing} are gone'
        return
    # Extra trailing keyword parameters with defaults are allowed.
    assert our_names[:len(doc_names)] == doc_names, (
        f'{dotted}: parameters {our_names}, reference {doc_names}')
    # A reference of only (*args, **kwargs) (``nn.Module.__init__`` of a
    # class without its own, or a deprecated name forwarding everything)
    # fixes no parameter list; explicit parameters may replace it.
    if documented:
        assert {p[0] for p in documented_all if p[2] == 'var'} <= {
            p[0] for p in ours_all if p[2] == 'var'}, (
                f'{dotted}: *args/**kwargs differ from {entry["signature"]}')
    extra = ours[len(doc_names):]
    assert all(default is not None or kind == 'var'
               for _, default, kind in extra), (
                   f'{dotted}: extra parameters without defaults: {extra}')
    wrong = [(name, ours_default, doc_default)
             for (name, doc_default, _), (_, ours_default, _) in zip(
                 documented, ours)
             if not same_default(ours_default, doc_default) and not (
                 doc_default is None
                 and name in DEFAULTS_ADDED.get(dotted, ()))]
    assert not wrong, f'{dotted}: defaults differ (name, ours, reference): ' \
        f'{wrong}'


REGISTRIES = sorted(packed_api('0.14')['registries'].items())


@pytest.mark.parametrize('dotted,registry', REGISTRIES,
                         ids=[r[0] for r in REGISTRIES])
def test_registry_holds_the_reference_members(dotted, registry):
    """Each 0.14 registry is one object at its public paths and holds (at
    least) the members it had."""
    public = {dotted} | {path for path in registry['paths'] if path in API}
    objects = {path: resolve(path) for path in public}
    assert len({id(obj) for obj in objects.values()}) == 1, objects
    registry_obj = objects[dotted]
    missing = set(registry['members']) - set(registry_obj.module_dict)
    assert not missing, f'{dotted} lacks {sorted(missing)}'
