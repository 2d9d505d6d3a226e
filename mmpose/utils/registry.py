"""The registry class of this package and its build function.

Every registry mmpose creates (``MODELS`` and its 0.14 aliases,
``DATASETS``, ``PIPELINES``, ``FILTERS``, ``CAMERAS``, the webcam
``NODES``) is a :class:`UserFirstRegistry`, and so are the mmcv registries
the package registers into (``HOOKS``, ``RUNNERS``, ``OPTIMIZERS``,
``OPTIMIZER_BUILDERS``, ``MODULE_WRAPPERS``; see
:func:`adopt_mmcv_registries`). In them a name registered by code outside
this package takes the place of the package's built-in member of that name
(third-party code written for 0.x, e.g. Lite-HRNet's or TCFormer's
repositories, registers its own ``LiteHRNet`` or ``MTA``), with a
``UserWarning`` naming both classes, where plain mmcv raised
``KeyError: 'X is already registered in models'``. Everything else is
mmcv's behaviour: two registrations of one name from outside the package
(or two from inside) still raise that ``KeyError``, and ``force=True``
replaces whatever is there.
"""
import inspect
import warnings
from typing import Iterable, List, Optional

from mmcv.utils import Registry
from mmcv.utils import build_from_cfg as mmcv_build_from_cfg

from mmpose.errors import ArgumentTypeError, UnknownNameError

__all__ = [
    'UserFirstRegistry', 'build_from_cfg', 'make_registry', 'is_builtin',
    'adopt_registry', 'adopt_mmcv_registries'
]

#: Module prefix of the package's own classes.
PACKAGE = 'mmpose'


def is_builtin(obj) -> bool:
    """Whether a class or function is defined inside this package (its
    ``__module__`` is ``mmpose`` or starts with ``mmpose.``)."""
    module = getattr(obj, '__module__', None) or ''
    return module == PACKAGE or module.startswith(PACKAGE + '.')


def _qualified_name(obj) -> str:
    """``module.QualName`` of a class or function."""
    return f'{obj.__module__}.{getattr(obj, "__qualname__", obj.__name__)}'


def _names(module, module_name) -> List[str]:
    """The names a registration asks for (mmcv: the class name by
    default, a name or a list of names)."""
    if module_name is None:
        return [module.__name__]
    if isinstance(module_name, str):
        return [module_name]
    return list(module_name)


class UserFirstRegistry(Registry):
    """mmcv's ``Registry`` in which registrations made outside mmpose win
    over the package's built-in members of the same name.

    When a name is already taken and ``force`` is False:

    - by a built-in class, and the new one comes from outside the package:
      the new one takes the name (``UserWarning`` naming both);
    - by a class from outside the package, and the new one is built in
      (a package module imported after the user's): the user's class keeps
      the name (``UserWarning`` naming both), also with ``force=True``;
    - otherwise (both from outside, or both built in): ``KeyError`` as in
      mmcv.
    """

    def _register_module(self, module, module_name=None, force=False):
        if not inspect.isclass(module) and not inspect.isfunction(module):
            raise TypeError('module must be a class or a function, '
                            f'but got {type(module)}')
        # All names are checked before any is taken, so a failed
        # registration leaves the registry as it was.
        taken = [
            name for name in _names(module, module_name)
            if self._takes_name(name, module, force)
        ]
        for name in taken:
            self._module_dict[name] = module

    def _takes_name(self, name: str, module, force: bool) -> bool:
        """Whether ``module`` gets ``name``; raises mmcv's ``KeyError`` for
        a conflict that is not between a built-in and a user's class."""
        held = self._module_dict.get(name)
        if held is None:
            return True
        user_over_builtin = is_builtin(held) and not is_builtin(module)
        builtin_over_user = is_builtin(module) and not is_builtin(held)
        if builtin_over_user:
            warnings.warn(
                f'{name!r} in the {self.name} registry stays '
                f'{_qualified_name(held)}, registered outside mmpose; the '
                f'built-in {_qualified_name(module)} is not registered '
                f'under that name', UserWarning, stacklevel=4)
            return False
        if force:
            return True
        if user_over_builtin:
            warnings.warn(
                f'{name!r} in the {self.name} registry now builds '
                f'{_qualified_name(module)} instead of the built-in '
                f'{_qualified_name(held)}', UserWarning, stacklevel=4)
            return True
        raise KeyError(f'{name} is already registered in {self.name} '
                       f'(by {_qualified_name(held)})')


def adopt_registry(registry: Registry) -> Registry:
    """Give a registry created as mmcv's plain ``Registry`` (e.g. one of
    mmcv's own) the registration rule of :class:`UserFirstRegistry`.

    Only the rule for a name taken by a built-in mmpose member changes;
    the registry object, its contents and its build function stay.

    Returns:
        Registry: ``registry`` itself.
    """
    if type(registry) is Registry:
        registry.__class__ = UserFirstRegistry
    elif not isinstance(registry, UserFirstRegistry):
        raise ArgumentTypeError(
            f'cannot adopt the {registry.name} registry: it is a '
            f'{type(registry).__name__}, not mmcv\'s Registry')
    return registry


def mmcv_registries() -> Iterable[Registry]:
    """The registries of mmcv this package registers members into (or
    exposes under its 0.x paths, as ``OPTIMIZERS``)."""
    from mmcv.parallel import MODULE_WRAPPERS
    from mmcv.runner import HOOKS, OPTIMIZER_BUILDERS, OPTIMIZERS, RUNNERS
    return (HOOKS, RUNNERS, OPTIMIZERS, OPTIMIZER_BUILDERS, MODULE_WRAPPERS)


def adopt_mmcv_registries() -> None:
    """:func:`adopt_registry` for each of :func:`mmcv_registries` (done
    once when ``mmpose`` is imported)."""
    for registry in mmcv_registries():
        adopt_registry(registry)


def build_from_cfg(cfg: dict, registry: Registry,
                   default_args: Optional[dict] = None):
    """Build ``cfg['type']`` from ``registry`` like mmcv's ``build_from_cfg``.

    An unknown type raises ``KeyError`` listing every registered name, so a
    typo in a config is answered with the spelling that exists.
    """
    if not isinstance(cfg, dict):
        raise ArgumentTypeError(f'cfg must be a dict with a "type" key, '
                                f'but got {type(cfg).__name__}: {cfg!r}')
    obj_type = cfg.get('type', (default_args or {}).get('type'))
    if obj_type is None:
        raise UnknownNameError(
            f'the config for the {registry.name} registry has no '
            f'"type" key: {dict(cfg)!r}')
    if isinstance(obj_type, str) and registry.get(obj_type) is None:
        known = ', '.join(sorted(registry.module_dict)) or '(none)'
        raise UnknownNameError(
            f"'{obj_type}' is not registered in the "
            f"{registry.name} registry. Registered types: {known}")
    return mmcv_build_from_cfg(cfg, registry, default_args)


def make_registry(name: str) -> UserFirstRegistry:
    """A :class:`UserFirstRegistry` whose ``build`` uses
    :func:`build_from_cfg`."""
    return UserFirstRegistry(name, build_func=build_from_cfg)


adopt_mmcv_registries()
