"""Environment report for bug reports and logs."""
from mmcv.utils import collect_env as collect_mmcv_env
from mmcv.utils import get_git_hash

import mmpose


def collect_env() -> dict:
    """mmcv's environment report plus the mmpose version (and git hash)."""
    env_info = collect_mmcv_env()
    env_info['MMPose'] = f'{mmpose.__version__}+{get_git_hash(digits=7)}'
    return env_info


if __name__ == '__main__':
    for name, value in collect_env().items():
        print(f'{name}: {value}')
