"""The package logger."""
import logging
from typing import Optional

from mmcv.utils import get_logger


def get_root_logger(log_file: Optional[str] = None,
                    log_level: int = logging.INFO) -> logging.Logger:
    """Get the ``mmpose`` logger, adding a file handler on first call.

    Args:
        log_file (str | None): The log filename. If specified, a FileHandler
            will be added to the logger (rank 0 only in distributed runs).
        log_level (int): The root logger level. Note that only the process of
            rank 0 is affected, while other processes will set the level to
            "Error" and be silent most of the time.

    Returns:
        logging.Logger: The ``mmpose`` logger.
    """
    return get_logger(__name__.split('.')[0], log_file, log_level)
