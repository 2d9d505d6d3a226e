from .collect_env import collect_env
from .logger import get_root_logger
from .setup_env import setup_multi_processes
from .timer import StopWatch

__all__ = ['get_root_logger', 'collect_env', 'StopWatch',
           'setup_multi_processes']
