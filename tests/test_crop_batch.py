"""The top-down test pipeline for all boxes at once equals running it box
by box, and falls back to that where the pipeline is not the usual one."""
import numpy as np
import pytest
import torch

from mmpose.apis.crop_batch import run_test_pipeline
from mmpose.datasets.pipelines import Compose

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
KEYS = ['img']
META = ['image_file', 'center', 'scale', 'rotation', 'bbox_score',
        'flip_pairs']


def pipeline(*middle, normalize=True):
    steps = [dict(type='TopDownAffine'), *middle, dict(type='ToTensor')]
    if normalize:
        steps.append(dict(type='NormalizeTensor', mean=MEAN, std=STD))
    steps.append(dict(type='Collect', keys=KEYS, meta_keys=META))
    return Compose(steps)


def samples(img, n=3):
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        center = rng.uniform(20, 60, size=2).astype(np.float32)
        out.append({
            'img': img, 'image_file': 'x.jpg', 'bbox': np.r_[center, 9, 9],
            'center': center,
            'scale': np.array([0.3 + 0.1 * i, 0.4], np.float32),
            'bbox_score': 1.0, 'rotation': 0,
            'joints_3d': np.zeros((2, 3), np.float32),
            'joints_3d_visible': np.zeros((2, 3), np.float32),
            'ann_info': {'image_size': np.array([24, 32]), 'num_joints': 2,
                         'flip_pairs': [[0, 1]]}})
    return out


def one_by_one(pipe, items):
    outs = [pipe(dict(s)) for s in items]
    return (torch.stack([o['img'] for o in outs]),
            [o['img_metas'].data for o in outs])


@pytest.mark.parametrize('normalize', [True, False])
def test_batched_tail_equals_box_by_box(normalize):
    img = np.random.default_rng(1).integers(0, 256, (80, 90, 3), np.uint8)
    pipe = pipeline(normalize=normalize)
    items = samples(img)
    batch, metas = run_test_pipeline(pipe, items)
    expected, expected_metas = one_by_one(pipe, samples(img))
    assert batch.shape == (3, 3, 32, 24) and batch.dtype == torch.float32
    assert torch.equal(batch, expected)
    for meta, ref in zip(metas, expected_metas):
        assert meta.keys() == ref.keys()
        np.testing.assert_array_equal(meta['center'], ref['center'])


def test_float_crops_take_the_per_box_tail():
    img = np.random.default_rng(2).uniform(0, 1, (80, 90, 3)).astype(
        np.float32)
    pipe = pipeline()
    batch, _ = run_test_pipeline(pipe, samples(img))
    expected, _ = one_by_one(pipe, samples(img))
    assert torch.equal(batch, expected)


def test_other_pipelines_run_box_by_box():
    # a step after ToTensor other than NormalizeTensor: no batched tail
    img = np.random.default_rng(3).integers(0, 256, (80, 90, 3), np.uint8)
    pipe = Compose([dict(type='TopDownAffine'), dict(type='ToTensor'),
                    dict(type='NormalizeTensor', mean=MEAN, std=STD),
                    dict(type='NormalizeTensor', mean=[0, 0, 0],
                         std=[2, 2, 2]),
                    dict(type='Collect', keys=KEYS, meta_keys=META)])
    batch, _ = run_test_pipeline(pipe, samples(img))
    expected, _ = one_by_one(pipe, samples(img))
    torch.testing.assert_close(batch, expected, rtol=0, atol=0)


def test_a_dropped_box_is_named():
    img = np.zeros((40, 40, 3), np.uint8)
    pipe = pipeline()
    pipe.transforms.insert(0, lambda results: None)
    with pytest.raises(RuntimeError, match='dropped the box'):
        run_test_pipeline(pipe, samples(img, 1))
