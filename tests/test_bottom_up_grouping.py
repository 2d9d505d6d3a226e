"""Associative-embedding grouping (HeatmapParser) on people placed by hand:
the expected people are written out, not computed by another grouper."""
import numpy as np
import pytest
import torch

from mmpose.core.post_processing import HeatmapParser
from mmpose.core.post_processing.group import max_match

CFG = dict(
    num_joints=3,
    max_num_people=30,
    detection_threshold=0.1,
    tag_threshold=1,
    use_detection_val=True,
    ignore_too_much=False,
    tag_per_joint=True,
    nms_kernel=5,
    nms_padding=2)


def _parser(**overrides):
    return HeatmapParser(dict(CFG, **overrides))


def test_max_match_backends_agree():
    cost = np.array([[4., 1., 3.], [2., 0., 5.], [3., 2., 2.]])
    for backend in ('munkres', 'scipy'):
        rows, cols = max_match(cost, backend)
        np.testing.assert_array_equal(rows, [0, 1, 2])
        np.testing.assert_array_equal(cols, [1, 0, 2])
    with pytest.raises(ValueError, match='backend'):
        max_match(cost, 'greedy')


# Candidates of three joints, best first per joint (as top_k sorts them):
# person A (tag near 0), person B (tag near 3), a stranger (tag 10) and
# padding below the detection threshold. Rows: (x, y, value, tag).
CANDIDATES = np.array([
    [[2, 3, .9, 0.], [20, 5, .8, 3.], [0, 0, .05, 0.]],
    [[21, 9, .95, 3.1], [3, 8, .7, -.1], [0, 0, .0, 0.]],
    [[4, 12, .6, .2], [30, 30, .5, 10.], [22, 14, .4, 2.9]],
])
# Joint 1 ranks B first and joint 2 puts the stranger between A and B: a
# grouping by rank instead of by tag would mix them up. People come out in
# the order they were started: A and B at joint 0, the stranger at joint 2.
EXPECTED_PEOPLE = np.array([
    [[2, 3, .9, 0.], [3, 8, .7, -.1], [4, 12, .6, .2]],
    [[20, 5, .8, 3.], [21, 9, .95, 3.1], [22, 14, .4, 2.9]],
    [[0, 0, 0, 0], [0, 0, 0, 0], [30, 30, .5, 10.]],
], dtype=np.float32)


@pytest.mark.parametrize('backend', ['munkres', 'scipy'])
def test_match_groups_joints_by_tag(backend):
    people = _parser(match_backend=backend).match(
        tag_k=CANDIDATES[None, ..., 3:].astype(np.float32),
        loc_k=CANDIDATES[None, ..., :2].astype(np.int64),
        val_k=CANDIDATES[None, ..., 2].astype(np.float32))[0]
    np.testing.assert_allclose(people, EXPECTED_PEOPLE, atol=1e-6)


def test_parse_finds_hand_placed_people():
    """Single-pixel peaks with a weaker right neighbour. The 0.x sub-pixel
    step adds 0.5 and moves a quarter pixel towards the higher neighbour,
    and a quarter pixel back on a tie: (x + 0.75, y + 0.25)."""
    joints = {0.: [(4, 5), (6, 12), (5, 20)],  # tag: (x, y) of joints 0-2
              3.: [(20, 4), (22, 13), (21, 21)]}
    values = {0.: [.9, .8, .7], 3.: [.6, .95, .5]}
    heatmaps = np.zeros((1, 3, 32, 32), np.float32)
    tags = np.zeros((1, 3, 32, 32, 1), np.float32)
    for tag, points in joints.items():
        for k, ((x, y), v) in enumerate(zip(points, values[tag])):
            heatmaps[0, k, y, x], heatmaps[0, k, y, x + 1] = v, v / 2
            tags[0, k, y, x] = tag
    ans, scores = _parser().parse(torch.from_numpy(heatmaps),
                                  torch.from_numpy(tags))
    expected = np.array([[[x + .75, y + .25, v, tag]
                          for (x, y), v in zip(joints[tag], values[tag])]
                         for tag in (0., 3.)])
    np.testing.assert_allclose(ans[0], expected, atol=1e-6)
    np.testing.assert_allclose(scores, [.8, (.6 + .95 + .5) / 3], atol=1e-6)


def test_ambiguous_tags_give_same_result_with_both_backends():
    """Rounded costs tie; the tie-break makes both solvers agree."""
    rng = np.random.default_rng(5)
    K, M = 3, 30
    tag_k = rng.normal(0, 0.2, (1, K, M, 1)).astype(np.float32)
    loc_k = rng.integers(0, 64, (1, K, M, 2))
    val_k = rng.uniform(0, 1, (1, K, M)).astype(np.float32)
    a = _parser(match_backend='munkres').match(tag_k, loc_k, val_k)[0]
    b = _parser(match_backend='scipy').match(tag_k, loc_k, val_k)[0]
    np.testing.assert_array_equal(a, b)


def test_adjust_moves_towards_higher_neighbour():
    hm = np.zeros((1, 1, 8, 8), np.float32)
    hm[0, 0, 4, 4], hm[0, 0, 4, 5], hm[0, 0, 5, 4] = 1., .5, .5
    people = [np.array([[[4., 4., 1., 0.]]], np.float32)]
    out = HeatmapParser.adjust(people, torch.from_numpy(hm))
    np.testing.assert_allclose(out[0][0, 0, :2], [4.75, 4.75])
    assert people[0][0, 0, 0] == 4.  # input untouched


def test_refine_fills_missing_joint():
    hm = np.zeros((2, 8, 8), np.float32)
    hm[0, 2, 2] = 1.
    hm[1, 6, 5] = .8
    tag = np.zeros((2, 8, 8, 1), np.float32)
    person = np.array([[2.5, 2.5, 1., 0.], [0., 0., 0., 0.]], np.float32)
    out = HeatmapParser.refine(hm, tag, person)
    np.testing.assert_allclose(out[1, :3], [5.25, 6.25, .8])
    np.testing.assert_array_equal(out[0], person[0])


def test_parse_bad_tags_shape():
    with pytest.raises(ValueError, match=r'\[N, K, H, W, S\]'):
        _parser().parse(torch.zeros(1, 17, 8, 8), torch.zeros(2, 17, 8, 8))
