"""Process-wide settings of a training or testing run, read from its
config."""
import multiprocessing as mp
import os
import platform
import warnings

import cv2

__all__ = ['setup_multi_processes']

# environment variables of the thread pools that data workers multiply
_THREAD_VARS = ('OMP_NUM_THREADS', 'MKL_NUM_THREADS')


def setup_multi_processes(cfg) -> None:
    """Set the multiprocessing start method, OpenCV's threads and the
    OpenMP/MKL threads of a run.

    Config keys read: ``mp_start_method`` (default 'fork'; not on Windows),
    ``opencv_num_threads`` (default 0: OpenCV runs single-threaded inside
    the data workers) and ``data.workers_per_gpu`` /
    ``data.train_dataloader.workers_per_gpu`` (more than one worker sets
    ``OMP_NUM_THREADS`` and ``MKL_NUM_THREADS`` to 1 unless already set, so
    that workers do not oversubscribe the CPUs).

    Args:
        cfg (mmcv.Config | dict): The run's config.
    """
    if platform.system() != 'Windows':
        method = cfg.get('mp_start_method', 'fork')
        current = mp.get_start_method(allow_none=True)
        if current is not None and current != method:
            warnings.warn(f'multiprocessing start method {current!r} is '
                          f'replaced by {method!r} (mp_start_method of the '
                          f'config)')
        mp.set_start_method(method, force=True)

    cv2.setNumThreads(cfg.get('opencv_num_threads', 0))

    data = cfg.get('data', None) or {}
    workers = data.get('workers_per_gpu', 1)
    train_loader = data.get('train_dataloader', None) or {}
    workers = max(workers, train_loader.get('workers_per_gpu', 1))
    if workers > 1:
        for var in _THREAD_VARS:
            if var not in os.environ:
                warnings.warn(f'{var} is set to 1 for the {workers} data '
                              f'workers per GPU; set it yourself to tune '
                              f'the speed')
                os.environ[var] = '1'
