"""mmpose.apis pose tracking: get_track_id (IoU / OKS matching, new ids,
one-euro smoothing) and vis_pose_tracking_result."""
import os.path as osp

import mmcv
import numpy as np
import pytest
import torch

from mmpose.apis import get_track_id, init_pose_model, vis_pose_tracking_result
from mmpose.apis.inference_tracking import _box_iou

DATA = osp.join(osp.dirname(__file__), 'data', 'demo')


def person(x, y, w=60., h=120., score=0.9, num_kpts=17):
    """A person whose 17 keypoints spread over the box (x, y, w, h)."""
    grid = np.linspace(0.1, 0.9, num_kpts)
    kpts = np.stack([x + w * grid, y + h * grid[::-1],
                     np.full(num_kpts, 0.8)], axis=1).astype(np.float32)
    return {'bbox': np.array([x, y, x + w, y + h, score], np.float32),
            'keypoints': kpts}


def test_box_iou_numbers():
    a = np.array([[0., 0., 10., 10.], [0., 0., 2., 2.]])
    b = np.array([[5., 5., 15., 15.], [20., 20., 30., 30.]])
    np.testing.assert_allclose(_box_iou(a, b),
                               [[25 / 175, 0.], [0., 0.]])
    # Degenerate boxes: empty union gives 0, not NaN.
    z = np.zeros((1, 4))
    assert _box_iou(z, z)[0, 0] == 0.


def test_first_frame_gets_consecutive_ids():
    results, next_id = get_track_id([person(0, 0), person(200, 0)], [], 5)
    assert [r['track_id'] for r in results] == [5, 6]
    assert next_id == 7
    assert results[0]['area'] == pytest.approx(60 * 120)


@pytest.mark.parametrize('use_oks', [False, True])
def test_ids_follow_moved_people_and_new_people_get_new_ids(use_oks):
    frame0, next_id = get_track_id([person(0, 0), person(200, 0)], None, 0,
                                   use_oks=use_oks)
    # Next frame: both moved a little, listed in the other order, and a new
    # person entered far away.
    frame1 = [person(205, 4), person(300, 200), person(6, 3)]
    frame1, next_id = get_track_id(frame1, frame0, next_id, use_oks=use_oks)
    assert [r['track_id'] for r in frame1] == [1, 2, 0]
    assert next_id == 3
    # Frame 2: person 0 left; the rest stays matched.
    frame2, next_id = get_track_id([person(302, 203), person(210, 5)],
                                   frame1, next_id, use_oks=use_oks)
    assert [r['track_id'] for r in frame2] == [2, 1]
    assert next_id == 3


def test_each_previous_person_matches_once():
    frame0, next_id = get_track_id([person(0, 0)], [], 0)
    # Two people overlap the only previous one: the first (in order) takes
    # its id, the second is new.
    frame1, next_id = get_track_id([person(2, 0), person(4, 0)], frame0,
                                   next_id)
    assert [r['track_id'] for r in frame1] == [0, 1]


def test_tracking_threshold():
    frame0, next_id = get_track_id([person(0, 0)], [], 0)
    # IoU of the boxes shifted by 30 px of 60: 30*120 / (2*7200 - 3600) = 1/3
    shifted = [person(30, 0)]
    kept, _ = get_track_id(shifted, frame0, next_id, tracking_thr=0.3)
    assert kept[0]['track_id'] == 0
    new, _ = get_track_id([person(30, 0)], frame0, next_id,
                          tracking_thr=0.34)
    assert new[0]['track_id'] == 1


def test_people_with_too_few_keypoints_are_dropped():
    sparse = person(0, 0)
    sparse['keypoints'][2:, 1] = 0  # only two keypoints with a y
    results, next_id = get_track_id([sparse, person(300, 0)], [], 0,
                                    min_keypoints=3)
    assert results[0]['track_id'] == -1
    assert (results[0]['keypoints'][:, 1] == -10).all()
    assert not results[0]['bbox'].any()
    assert results[1]['track_id'] == 0 and next_id == 1


def test_bbox_is_derived_from_keypoints_when_missing():
    res = person(10, 20)
    del res['bbox']
    results, _ = get_track_id([res], [], 0)
    kpts = res['keypoints']
    np.testing.assert_allclose(
        results[0]['bbox'],
        [kpts[:, 0].min(), kpts[:, 1].min(), kpts[:, 0].max(),
         kpts[:, 1].max()], rtol=1e-6)


def test_one_euro_smooths_jitter():
    rng = np.random.RandomState(0)
    truth_x = np.linspace(100, 130, 30)  # slow, steady motion
    raw, smoothed = [], []
    results_last, next_id = [], 0
    for t, x in enumerate(truth_x):
        res = person(x + rng.normal(0, 3.0), 50 + rng.normal(0, 3.0))
        raw.append(res['keypoints'][:, :2].copy())
        results_last, next_id = get_track_id([res], results_last, next_id,
                                             use_one_euro=True, fps=30,
                                             tracking_thr=0.1)
        assert results_last[0]['track_id'] == 0
        assert 'one_euro' in results_last[0]
        smoothed.append(results_last[0]['keypoints'][:, :2].copy())
    raw, smoothed = np.stack(raw), np.stack(smoothed)
    # The first frame starts the filter unchanged.
    np.testing.assert_allclose(smoothed[0], raw[0])
    # Each smoothed frame is an exponential blend of the new measurement and
    # the previous estimate: strictly between them (VNect settings weight
    # the measurement ~0.9 at 30 fps), so frame-to-frame jitter drops.
    prev, new = smoothed[:-1], raw[1:]
    weight = (smoothed[1:] - prev) / (new - prev)
    assert ((weight > 0.5) & (weight < 1.0)).all()
    assert (np.abs(np.diff(smoothed, axis=0)).mean() <
            np.abs(np.diff(raw, axis=0)).mean())
    assert next_id == 1


def test_vis_pose_tracking_result_colours_by_track(tmp_path):
    torch.manual_seed(0)
    model = init_pose_model(osp.join(DATA, 'tiny_top_down_coco.py'),
                            device='cpu')
    img = np.zeros((300, 400, 3), np.uint8)
    results, _ = get_track_id([person(20, 20), person(200, 100)], [], 0)
    out_file = str(tmp_path / 'track.jpg')
    drawn = vis_pose_tracking_result(model, img, results, out_file=out_file)
    assert osp.isfile(out_file)
    assert mmcv.imread(out_file).shape == img.shape
    assert not img.any()  # the input image is not drawn on
    # Track 0 is drawn in palette colour 0 (255, 128, 0), track 1 in colour
    # 1 (255, 153, 51).
    left, right = drawn[:, :150], drawn[:, 190:]
    assert (left == [255, 128, 0]).all(axis=2).any()
    assert not (left == [255, 153, 51]).all(axis=2).any()
    assert (right == [255, 153, 51]).all(axis=2).any()
