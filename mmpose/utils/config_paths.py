"""Finding the config files that MMPose 0.x code names relative to the
repository root.

0.x scripts, demos and webcam configs pass paths such as
``configs/_base_/filters/one_euro.py`` or
``configs/body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/
res50_coco_256x192.py`` and expect to run from the repository root. Here a
relative path that does not exist from the working directory is looked up
in the configs a package ships, in this order:

1. the source checkout the package was installed from in editable mode
   (the folder holding the package and a ``setup.py``): its ``configs/``
   tree has every config;
2. ``<package>/.mim/`` (how ``mim`` installs ship ``configs/``);
3. the package folder itself: mmpose ships ``configs/_base_/datasets`` and
   ``configs/_base_/filters`` there (``package_data`` of ``setup.py``).
"""
import importlib
import os
import os.path as osp
from pathlib import Path
from typing import List, Union

from mmcv import Config

__all__ = ['config_search_dirs', 'find_config_file', 'load_config']

PathLike = Union[str, Path]


def config_search_dirs(package: str = 'mmpose') -> List[str]:
    """The folders a relative config path of ``package`` is looked up in,
    after the working directory (see the module note).

    Args:
        package (str): An importable package, e.g. 'mmpose' or 'mmdet'.

    Returns:
        list[str]: Existing folders, in search order.
    """
    package_dir = osp.dirname(
        osp.abspath(importlib.import_module(package).__file__))
    checkout = osp.dirname(package_dir)
    dirs = []
    if osp.isfile(osp.join(checkout, 'setup.py')):
        dirs.append(checkout)
    dirs += [osp.join(package_dir, '.mim'), package_dir]
    return [d for d in dirs if osp.isdir(d)]


def find_config_file(path: PathLike, package: str = 'mmpose') -> str:
    """The file a config path names.

    Args:
        path (str | Path): A config path; absolute, relative to the working
            directory, or relative to a root of ``package``'s configs (e.g.
            ``configs/_base_/filters/one_euro.py``).
        package (str): Whose configs to search. Default: 'mmpose'.

    Returns:
        str: ``path`` itself when it is a file, else the file found.

    Raises:
        FileNotFoundError: No such file anywhere (the message names the
            path and the places searched).
    """
    path = str(path)
    if osp.isfile(path):
        return path
    searched = [osp.abspath(path)]
    if not osp.isabs(path):
        for folder in config_search_dirs(package):
            candidate = osp.join(folder, path)
            if osp.isfile(candidate):
                return candidate
            searched.append(candidate)
    raise FileNotFoundError(
        f'config file {path!r} not found (working directory '
        f'{os.getcwd()}); looked at: {", ".join(searched)}')


def load_config(path: PathLike, package: str = 'mmpose') -> Config:
    """``mmcv.Config.fromfile`` of :func:`find_config_file`'s file (its
    ``_base_`` files are found relative to it, as usual)."""
    return Config.fromfile(find_config_file(path, package))
