"""Access to mmcv-full's compiled operators with a clear error without them.

MMPose itself imports with plain ``mmcv`` 1.x; only features built on
``mmcv.ops`` (e.g. the detectors of the ``*_with_mmdet`` demos) need
mmcv-full.
"""
import importlib
from types import ModuleType

from mmpose.errors import MissingDependencyError


def import_mmcv_ops(feature: str) -> ModuleType:
    """Return ``mmcv.ops`` or explain which feature needs mmcv-full.

    Args:
        feature (str): What needs the compiled operators, for the message.

    Raises:
        MissingDependencyError: mmcv-full (with compiled ops) is not
            installed (an ``ImportError``).
    """
    try:
        return importlib.import_module('mmcv.ops')
    except ImportError as err:
        raise MissingDependencyError(
            f'{feature} needs the compiled operators of mmcv-full (mmcv.ops), '
            f'which are not available ({err}). Install mmcv-full==1.7.2, '
            'for example with `bash tools/setup_env.sh`.') from err
