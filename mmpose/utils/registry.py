"""Registry build function whose errors name the registered types."""
from typing import Optional

from mmcv.utils import Registry
from mmcv.utils import build_from_cfg as mmcv_build_from_cfg
from mmpose.errors import ArgumentTypeError, UnknownNameError


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


def make_registry(name: str) -> Registry:
    """A ``Registry`` whose ``build`` uses :func:`build_from_cfg`."""
    return Registry(name, build_func=build_from_cfg)
