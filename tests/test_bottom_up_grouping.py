"""Associative-embedding grouping (HeatmapParser) on synthetic people."""
import numpy as np
import pytest
import torch

from mmpose.core.post_processing import HeatmapParser
from mmpose.core.post_processing.group import max_match


def _load_baselines():
    """The loop baselines live in tools/benchmark_processing.py."""
    import importlib.util
    from pathlib import Path
    path = (Path(__file__).resolve().parents[1] / 'tools' /
            'benchmark_processing.py')
    spec = importlib.util.spec_from_file_location('benchmark_processing',
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


baselines = _load_baselines()
CFG = baselines.BOTTOM_UP_CFG


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


@pytest.mark.parametrize('num_people', [1, 6])
def test_parse_groups_each_person(num_people):
    heatmaps, tags = baselines.synthetic_people(num_people=num_people,
                                                size=96, seed=1)
    ans, scores = _parser(match_backend='scipy').parse(heatmaps, tags)
    people = ans[0]
    assert people.shape == (num_people, 17, 4)
    assert len(scores) == num_people
    # every joint of a person carries that person's tag (3 * p)
    person_tag = np.round(people[:, :, 3] / 3.0)
    assert (person_tag == person_tag[:, :1]).all()
    assert (people[:, :, 2] > 0.1).all()


def test_match_identical_across_backends_and_to_baseline():
    heatmaps, tags = baselines.synthetic_people(num_people=30, seed=0)
    parser = _parser()
    cand = parser.top_k(heatmaps, tags)
    munkres_people = parser.match(**cand)[0]
    scipy_people = _parser(match_backend='scipy').match(**cand)[0]
    np.testing.assert_array_equal(munkres_people, scipy_people)
    baseline = baselines.baseline_group(cand['tag_k'][0], cand['loc_k'][0],
                                        cand['val_k'][0], CFG,
                                        parser.params.joint_order)
    np.testing.assert_array_equal(munkres_people, baseline)


def test_ambiguous_tags_give_same_result_with_both_backends():
    """Rounded costs tie; the tie-break makes both solvers agree."""
    rng = np.random.default_rng(5)
    K, M = 17, 30
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
