"""MMPose 0.x compatible pose estimation toolbox on mmcv 1.7 and PyTorch 2."""
import re

import mmcv

from .version import __version__, short_version, version_info

MMCV_MIN = '1.3.8'
MMCV_MAX = '1.8.0'


def digit_version(version_str: str) -> tuple:
    """Numeric tuple of a version string: '1.7.2' -> (1, 7, 2)."""
    digits = []
    for piece in version_str.split('.'):
        leading = re.match(r'\d+', piece)
        if leading is None:
            break
        digits.append(int(leading.group()))
        if leading.group() != piece:
            break
    return tuple(digits)


def check_mmcv_version(mmcv_version: str) -> None:
    """Fail clearly unless ``MMCV_MIN <= mmcv_version < MMCV_MAX``."""
    if not (digit_version(MMCV_MIN) <= digit_version(mmcv_version) <
            digit_version(MMCV_MAX)):
        raise ImportError(
            f'mmcv=={mmcv_version} is installed, but mmpose {__version__} '
            f'needs {MMCV_MIN} <= mmcv < {MMCV_MAX}. Install mmcv-full 1.7.2 '
            'with `bash tools/setup_env.sh`.')


check_mmcv_version(mmcv.__version__)

# Before any mmpose module registers into mmcv's registries: there, too, a
# user's registration wins over a built-in name (mmpose.utils.registry).
from .utils import registry as _registry  # noqa: E402,F401

__all__ = ['__version__', 'short_version', 'version_info', 'digit_version',
           'check_mmcv_version']
