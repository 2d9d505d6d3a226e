"""What differs between the 0.14 and 0.29 calls of :mod:`mmpose.apis`.

Every public function of the package has 0.29's parameter list (0.29's
parameters first, in 0.29's order, with 0.29's defaults). A call written for
0.14 still means what it meant in 0.14: the decorator :func:`accepts_014_call`
looks at the raw call once, before Python binds it, and turns a 0.14 call
into the equivalent 0.29 keyword call. The differences it bridges:

==============================  ===========================================
function                        0.14 call -> 0.29 call
==============================  ===========================================
inference_top_down_pose_model   keyword ``img_or_path=`` is ``imgs_or_paths``;
                                a bool as 7th positional argument is 0.14's
                                ``return_heatmap`` (0.29's 7th is
                                ``dataset_info``), the 8th then ``outputs``
inference_bottom_up_pose_model  a number as 3rd positional argument is 0.14's
                                ``pose_nms_thr`` (0.29's 3rd is the
                                ``dataset`` name), then ``return_heatmap``,
                                ``outputs``
vis_pose_result                 a float as 4th positional argument (0.29's 4th
                                is the int ``radius``) or a str as 5th (0.29's
                                5th is the int ``thickness``) makes the call a
                                0.14 one: ``kpt_score_thr, dataset, show,
                                out_file``
vis_pose_tracking_result        as ``vis_pose_result``
==============================  ===========================================

The rule is the type of the argument, so an int 4th argument of
``vis_pose_result`` (without a str 5th) is 0.29's ``radius``: 0.14 code
passing the threshold as an int 0 or 1 alone must write
``kpt_score_thr=``.

Other differences, handled where they occur:

- ``dataset_info`` (0.29) is taken from the argument, else the top-level
  ``model.cfg.dataset_info`` (``data.test.dataset_info`` alone is not read,
  as in 0.29), else the 0.14 dataset name with 0.29's
  ``DeprecationWarning`` (see
  :func:`mmpose.apis.dataset_meta.resolve_dataset_meta`); either way the
  metadata comes from the package's dataset_info tables, so drawing uses
  0.29's colours. An unknown name raises ``NotImplementedError`` as in
  0.14 and 0.29.
- ``imshow_keypoints`` skips a keypoint or link whose colour is ``None``
  (0.29).
- Config paths written relative to the repository root (``configs/...``)
  are found from any working directory
  (:func:`mmpose.utils.config_paths.find_config_file`), as 0.29's demos
  expect.
- ``person_results=None`` (0.29) is one box covering the whole image; a
  list of frames (0.29) feeds a multi-frame model.
- ``get_track_id(..., sigmas)`` (0.29) sets the OKS sigmas; its
  ``use_one_euro`` warns that it is deprecated, as in 0.29.
- Drawing: :func:`mmpose.core.visualization.imshow_keypoints` is 0.29's
  (0-based links, ``pose_link_color``); the models' ``show_result`` keep
  0.14's 1-based links and ``pose_limb_color``.
- Not bridged: boxes keep 0.14's inclusive pixel convention (``w = x2 - x1
  + 1``) in the inference APIs, where 0.29 dropped the ``+ 1``.
"""
import functools
from typing import Callable, Dict, Sequence, Tuple

import numpy as np

from mmpose.errors import ArgumentTypeError

__all__ = ['accepts_014_call', 'to_029_call']

Args = Tuple[tuple, dict]


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(
        value, (bool, np.bool_))


def _is_float(value) -> bool:
    return isinstance(value, (float, np.floating))


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


#: Per function: the 0.14 parameters after the ones both versions share in
#: place, the test telling a 0.14 positional call from a 0.29 one (given the
#: positional arguments) and 0.14 keywords renamed in 0.29.
_LEGACY: Dict[str, Tuple[int, Sequence[str], Callable[[tuple], bool],
                         Dict[str, str]]] = {
    'inference_top_down_pose_model':
    (6, ('return_heatmap', 'outputs'),
     lambda args: len(args) > 6 and _is_bool(args[6]),
     {'img_or_path': 'imgs_or_paths'}),
    'inference_bottom_up_pose_model':
    (2, ('pose_nms_thr', 'return_heatmap', 'outputs'),
     lambda args: len(args) > 2 and _is_number(args[2]), {}),
    'vis_pose_result':
    (3, ('kpt_score_thr', 'dataset', 'show', 'out_file'),
     lambda args: (len(args) > 3 and _is_float(args[3])) or
     (len(args) > 4 and isinstance(args[4], str)), {}),
}
_LEGACY['vis_pose_tracking_result'] = _LEGACY['vis_pose_result']


def to_029_call(name: str, args: tuple, kwargs: dict) -> Args:
    """The 0.29 form ``(args, kwargs)`` of a call of ``name``.

    Args:
        name (str): One of the functions listed in this module's docstring.
        args (tuple): Positional arguments as given.
        kwargs (dict): Keyword arguments as given.

    Returns:
        tuple: positional arguments and keyword arguments for the 0.29
        signature (unchanged when the call is already a 0.29 one).
    """
    shared, legacy_names, is_legacy, renamed = _LEGACY[name]
    kwargs = dict(kwargs)
    for old, new in renamed.items():
        if old in kwargs:
            if new in kwargs:
                raise ArgumentTypeError(
                    f'{name}() got both {old}= (0.14 name) and {new}= (0.29 '
                    'name); pass one of them')
            kwargs[new] = kwargs.pop(old)
    if not is_legacy(args):
        return args, kwargs
    extra = args[shared:]
    if len(extra) > len(legacy_names):
        raise ArgumentTypeError(
            f'{name}() takes at most {shared + len(legacy_names)} positional '
            f'arguments in a 0.14 call ({", ".join(legacy_names)} after the '
            f'first {shared}), got {len(args)}')
    for param, value in zip(legacy_names, extra):
        if param in kwargs:
            raise ArgumentTypeError(
                f'{name}() got multiple values for argument {param!r}')
        kwargs[param] = value
    return args[:shared], kwargs


def accepts_014_call(func: Callable) -> Callable:
    """Let ``func`` (0.29 signature) also take the 0.14 calls listed in this
    module's docstring; ``inspect.signature`` still shows ``func``'s."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        args, kwargs = to_029_call(func.__name__, args, kwargs)
        return func(*args, **kwargs)

    return wrapper
