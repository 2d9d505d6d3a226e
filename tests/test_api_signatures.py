"""Every name of the MMPose 0.14 API reference exists here, under the same
import path, with the same parameters and defaults."""
import ast
import importlib
import inspect
import re

import pytest

from .reference import SHARED, requires_shared

SPEC = SHARED / 'spec' / '003_8097137eddecb2e2.txt'
ENTRY = re.compile(r'^(?:class )?(mmpose\.[\w.]+?)(?:\((.*)\))?\[source\]$')


def documented_entries() -> list:
    """(dotted name, parameter text or None) for each documented object."""
    if not SPEC.is_file():
        return []
    entries = {}
    for line in SPEC.read_text().splitlines():
        match = ENTRY.match(line.strip())
        if match:
            entries.setdefault(match.group(1), match.group(2))
    return sorted(entries.items())


def documented_parameters(text: str) -> list:
    """[(name, default source or None, kind)] parsed from ``a, b=1, *args``."""
    tree = ast.parse(f'def f({text}): pass').body[0].args
    positional = tree.posonlyargs + tree.args
    defaults = [None] * (len(positional) - len(tree.defaults)) + [
        ast.unparse(d) for d in tree.defaults]
    params = [(a.arg, d, 'plain') for a, d in zip(positional, defaults)]
    if tree.vararg:
        params.append((tree.vararg.arg, None, 'var'))
    params += [(a.arg, None if d is None else ast.unparse(d), 'plain')
               for a, d in zip(tree.kwonlyargs, tree.kw_defaults)]
    if tree.kwarg:
        params.append((tree.kwarg.arg, None, 'var'))
    return params


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
    # The reference renders one-element tuples such as ``(3, )`` as ``3``.
    if isinstance(ours_value, tuple) and len(ours_value) == 1:
        return ours_value[0] == documented_value
    return ours_value == documented_value


ENTRIES = documented_entries()


@requires_shared
def test_reference_lists_the_api():
    assert len(ENTRIES) >= 170


@requires_shared
@pytest.mark.parametrize('dotted,text', ENTRIES, ids=[e[0] for e in ENTRIES])
def test_documented_name_exists_with_same_signature(dotted, text):
    obj = resolve(dotted)
    if text is None:
        return  # documented without a parameter list
    documented_all = documented_parameters(text)
    ours_all = our_parameters(obj)
    documented = [p for p in documented_all if p[2] == 'plain']
    ours = [p for p in ours_all if p[2] == 'plain']
    doc_names = [name for name, _, _ in documented]
    our_names = [name for name, _, _ in ours]
    # Extra trailing keyword parameters with defaults are allowed.
    assert our_names[:len(doc_names)] == doc_names, (
        f'{dotted}: parameters {our_names}, documented {doc_names}')
    assert {p[0] for p in documented_all if p[2] == 'var'} <= {
        p[0] for p in ours_all if p[2] == 'var'}, (
            f'{dotted}: *args/**kwargs differ from {text}')
    extra = ours[len(doc_names):]
    assert all(default is not None or kind == 'var'
               for _, default, kind in extra), (
                   f'{dotted}: extra parameters without defaults: {extra}')
    wrong = [(name, ours_default, doc_default)
             for (name, doc_default, _), (_, ours_default, _) in zip(
                 documented, ours)
             if not same_default(ours_default, doc_default)]
    assert not wrong, f'{dotted}: defaults differ (name, ours, documented): ' \
        f'{wrong}'
