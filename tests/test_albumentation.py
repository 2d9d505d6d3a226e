"""Albumentation with the real albumentations package (1.x API as the 0.29
configs write it): CoarseDropout and GridDropout at fixed seeds."""
import random
import sys

import numpy as np
import pytest

from mmpose.datasets.pipelines import Compose
from mmpose.datasets.registry import PIPELINES

pytest.importorskip('albumentations')

H, W = 40, 40


def _results():
    joints = np.array([[3., 4., 0.], [30., 20., 0.]], np.float32)
    return dict(img=np.full((H, W, 3), 200, np.uint8),
                joints_3d=joints.copy(),
                joints_3d_visible=np.ones_like(joints))


def _zero_mask(img):
    return (img == 0).all(-1)


def _coarse(**kw):
    # One hole of exactly 5 (rows) x 7 (columns) pixels.
    return dict(type='Albumentation', transforms=[dict(
        type='CoarseDropout', max_holes=1, min_holes=1, max_height=5,
        min_height=5, max_width=7, min_width=7, p=1.0)], **kw)


def test_coarse_dropout_drops_one_hole_of_the_configured_size():
    out = PIPELINES.build(_coarse(seed=3))(_results())
    rows, cols = np.nonzero(_zero_mask(out['img']))
    assert rows.size == 5 * 7
    # one solid 5 x 7 rectangle, everything else untouched
    assert rows.max() - rows.min() + 1 == 5
    assert cols.max() - cols.min() + 1 == 7
    assert (out['img'][~_zero_mask(out['img'])] == 200).all()


def test_keypoints_are_untouched():
    out = PIPELINES.build(_coarse(seed=0))(_results())
    np.testing.assert_array_equal(out['joints_3d'], _results()['joints_3d'])
    np.testing.assert_array_equal(out['joints_3d_visible'],
                                  _results()['joints_3d_visible'])


def test_grid_dropout_area_is_the_hand_computed_grid():
    # unit size drawn from [10, 11) = 10 -> a 4 x 4 grid of 10-pixel cells,
    # ratio 0.5 -> one 5 x 5 hole per cell: 16 * 25 = 400 zeros.
    transform = PIPELINES.build(dict(type='Albumentation', transforms=[dict(
        type='GridDropout', unit_size_min=10, unit_size_max=11, ratio=0.5,
        random_offset=True, p=1.0)], seed=1))
    mask = _zero_mask(transform(_results())['img'])
    assert mask.sum() == 400
    # exactly one 25-pixel hole inside each 10 x 10 cell
    per_cell = mask.reshape(4, 10, 4, 10).sum(axis=(1, 3))
    np.testing.assert_array_equal(per_cell, np.full((4, 4), 25))


def test_global_random_state_replays_the_same_holes():
    transform = PIPELINES.build(_coarse())
    random.seed(7)
    first = transform(_results())['img']
    random.seed(7)
    again = transform(_results())['img']
    np.testing.assert_array_equal(first, again)
    moved = [_zero_mask(transform(_results())['img']) for _ in range(5)]
    assert any((m != _zero_mask(first)).any() for m in moved)


def test_zero_probability_leaves_the_image_alone():
    cfg = _coarse(seed=0)
    cfg['transforms'][0]['p'] = 0.0
    out = PIPELINES.build(cfg)(_results())
    assert (out['img'] == 200).all()


def test_0_29_config_steps_build_and_run():
    pipeline = Compose([
        dict(type='Albumentation', transforms=[dict(
            type='CoarseDropout', max_holes=8, max_height=40, max_width=40,
            min_holes=1, min_height=10, min_width=10, p=0.5)]),
        dict(type='Albumentation', transforms=[dict(
            type='GridDropout', unit_size_min=10, unit_size_max=40,
            random_offset=True, p=0.5)]),
    ])
    out = pipeline(dict(img=np.full((256, 192, 3), 9, np.uint8)))
    assert out['img'].shape == (256, 192, 3)


def test_unknown_transform_name_is_named():
    with pytest.raises(KeyError, match='NoSuchDropout'):
        PIPELINES.build(dict(type='Albumentation',
                             transforms=[dict(type='NoSuchDropout')]))


def test_without_the_package_the_error_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, 'albumentations', None)
    with pytest.raises(RuntimeError, match='albumentations'):
        PIPELINES.build(_coarse())
