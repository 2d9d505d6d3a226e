"""Animal and fashion keypoint datasets: loading, pipelines, evaluation."""
import json
import os.path as osp

import numpy as np
import pytest

import mmpose.datasets.datasets.animal  # noqa: F401
import mmpose.datasets.datasets.fashion  # noqa: F401
from mmpose.datasets import build_dataset
from .helpers import build_reference_dataset, outputs_from_db
from .reference import reference_cfg

DATA = osp.join(osp.dirname(__file__), 'data')

# type -> (reference config, sample annotation, image folder, #instances)
CASES = {
    'AnimalHorse10Dataset':
    ('animal/hrnet/horse10/hrnet_w32_horse10_256x256-split1.json',
     'horse10/test_horse10.json', 'horse10', 3),
    'AnimalFlyDataset': ('animal/resnet/fly/res101_fly_192x192.json',
                         'fly/test_fly.json', 'fly', 2),
    'AnimalLocustDataset': ('animal/resnet/locust/res101_locust_160x160.json',
                            'locust/test_locust.json', 'locust', 2),
    'AnimalZebraDataset': ('animal/resnet/zebra/res101_zebra_160x160.json',
                           'zebra/test_zebra.json', 'zebra', 2),
    'AnimalATRWDataset': ('animal/hrnet/atrw/hrnet_w32_atrw_256x256.json',
                          'atrw/test_atrw.json', 'atrw', 2),
    'AnimalMacaqueDataset':
    ('animal/hrnet/macaque/hrnet_w32_macaque_256x192.json',
     'macaque/test_macaque.json', 'macaque', 2),
    'AnimalPoseDataset':
    ('animal/hrnet/animalpose/hrnet_w32_animalpose_256x256.json',
     'animalpose/test_animalpose.json', 'animalpose', 2),
    'DeepFashionDataset':
    ('fashion/resnet/deepfashion/res50_deepfashion_full_256x192.json',
     'fld/test_fld.json', 'fld', 2),
}
MAP_TYPES = ('AnimalATRWDataset', 'AnimalMacaqueDataset', 'AnimalPoseDataset')

def reference_data(path: str, split: str = 'test') -> dict:
    """The ``data[split]`` dict of a v0.14 reference config."""
    return reference_cfg(path)['data'][split]


def build(type_, ann=None, **extra):
    config, ann_default, prefix, _ = CASES[type_]
    return build_reference_dataset(type_, config,
                                   ann or osp.join(DATA, ann_default),
                                   osp.join(DATA, prefix), **extra)


@pytest.mark.parametrize('type_', sorted(CASES))
def test_loads_sample_and_runs_reference_pipeline(type_):
    dataset = build(type_)
    assert len(dataset) == CASES[type_][3]
    w, h = reference_data(CASES[type_][0])['data_cfg']['image_size']
    item = dataset[1]
    assert tuple(item['img'].shape) == (3, h, w)
    assert item['img_metas'].data['image_file'] == dataset.db[1]['image_file']


@pytest.mark.parametrize('type_', sorted(CASES))
def test_perfect_predictions_give_best_values(type_, tmp_path):
    dataset = build(type_)
    metrics = list(dataset.ALLOWED_METRICS)
    results = dataset.evaluate(outputs_from_db(dataset), str(tmp_path),
                               metrics)
    best = {'PCK': 1.0, 'AUC': 0.95, 'EPE': 0.0, 'NME': 0.0, 'AP': 1.0,
            'AP .5': 1.0, 'AR': 1.0}
    for name in set(best) & set(results):
        assert results[name] == pytest.approx(best[name], abs=1e-6), name
    if type_ in MAP_TYPES:
        assert list(results)[:3] == ['AP', 'AP .5', 'AP .75']
    assert osp.isfile(tmp_path / 'result_keypoints.json')


def test_atrw_boxes_clipped_and_unpadded():
    dataset = build('AnimalATRWDataset')
    ann = json.load(open(osp.join(DATA, 'atrw/test_atrw.json')))
    # first image: box [0, 0, 1239, 731] on a 1239x731 image -> w - 1
    first = dataset.db[0]
    img = {i['id']: i for i in ann['images']}[first['image_id']]
    assert first['bbox'] == [0, 0, img['width'] - 1, img['height'] - 1]
    # no padding: the 256x256 input covers the longer side exactly
    np.testing.assert_allclose(first['scale'],
                               [(img['width'] - 1) / 200] * 2, rtol=1e-6)
    np.testing.assert_allclose(dataset.sigmas[-1], 0.0539)


def test_map_drops_with_a_wrong_instance(tmp_path):
    dataset = build('AnimalPoseDataset')
    gts = np.stack([r['joints_3d'][:, :2] for r in dataset.db])
    bad = gts.copy()
    bad[0] += 500.0  # first animal completely off: OKS ~ 0
    results = dataset.evaluate(
        outputs_from_db(dataset, bad), str(tmp_path), 'mAP')
    # one of the two instances is found: recall 0.5 at every threshold
    assert results['AR'] == pytest.approx(0.5)
    assert 0.0 < results['AP'] < 1.0
    written = json.load(open(tmp_path / 'result_keypoints.json'))
    assert len(written) == 2
    assert set(written[0]) == {
        'image_id', 'category_id', 'keypoints', 'score', 'center', 'scale'
    }


@pytest.mark.parametrize('type_', [
    'AnimalFlyDataset', 'AnimalLocustDataset', 'AnimalZebraDataset',
    'DeepFashionDataset'
])
def test_pck_auc_epe_of_known_perturbation(type_, tmp_path):
    dataset = build(type_)
    gts = np.stack([r['joints_3d'][:, :2] for r in dataset.db])
    mask = np.stack([r['joints_3d_visible'][:, 0] > 0 for r in dataset.db])
    # every keypoint 3 px right and 4 px down: EPE 5
    shifted = gts + [3.0, 4.0]
    res = dataset.evaluate(
        outputs_from_db(dataset, shifted), str(tmp_path),
        ['PCK', 'AUC', 'EPE'])
    assert res['EPE'] == pytest.approx(5.0, rel=1e-5)
    # AUC over 30 px: 5/30 = 0.1667 is below thresholds 0.2 ... 0.95
    assert res['AUC'] == pytest.approx(16 / 20)
    # PCK@0.2 of the longer box side (all boxes are larger than 25 px)
    sizes = np.array([max(r['bbox'][2:4]) for r in dataset.db])
    assert (0.2 * sizes > 5).all()
    assert res['PCK'] == pytest.approx(1.0)
    assert mask.any()


def test_horse10_nme_uses_nose_eye_distance(tmp_path):
    dataset = build('AnimalHorse10Dataset')
    gts = np.stack([r['joints_3d'][:, :2] for r in dataset.db])
    mask = np.stack([r['joints_3d_visible'][:, 0] > 0 for r in dataset.db])
    res = dataset.evaluate(
        outputs_from_db(dataset, gts + [3.0, 4.0]), str(tmp_path), 'NME')
    norm = np.linalg.norm(gts[:, 0] - gts[:, 1], axis=1)
    # a horse without nose or eye (normaliser 0) is left out, as in 0.x
    assert (norm == 0).sum() == 1
    mask = mask & (norm > 0)[:, None]
    norm = np.where(norm > 0, norm, 1)
    expected = (mask * (5.0 / norm)[:, None]).sum() / mask.sum()
    assert res['NME'] == pytest.approx(expected, rel=1e-5)
    assert dataset.ann_info['flip_pairs'] == []


def test_metadata():
    assert build('AnimalFlyDataset').ann_info['flip_pairs'][-1] == [30, 31]
    assert build('AnimalLocustDataset').ann_info['flip_pairs'][0] == [5, 20]
    assert build('AnimalZebraDataset').ann_info['flip_pairs'] == [[3, 4],
                                                                  [5, 6]]
    weights = build('AnimalPoseDataset').ann_info['joint_weights']
    assert weights.shape == (20, 1) and weights[-1, 0] == pytest.approx(1.5)


@pytest.mark.parametrize('subset,num,pairs', [
    ('upper', 6, [[0, 1], [2, 3], [4, 5]]),
    ('lower', 4, [[0, 1], [2, 3]]),
    ('full', 8, [[0, 1], [2, 3], [4, 5], [6, 7]]),
])
def test_deepfashion_subsets(subset, num, pairs, tmp_path):
    ann = json.load(open(osp.join(DATA, 'fld/test_fld.json')))
    for a in ann['annotations']:
        a['keypoints'] = a['keypoints'][:num * 3]
    path = tmp_path / f'fld_{subset}.json'
    path.write_text(json.dumps(ann))
    cfg = reference_data(CASES['DeepFashionDataset'][0])
    cfg['data_cfg'].update(
        num_joints=num,
        num_output_channels=num,
        dataset_channel=[list(range(num))],
        inference_channel=list(range(num)))
    cfg.update(
        subset=subset,
        ann_file=str(path),
        img_prefix=osp.join(DATA, 'fld') + '/',
        test_mode=True)
    # the reference config asks for detected boxes: ignored, with a warning
    with pytest.warns(UserWarning, match='ground-truth boxes'):
        dataset = build_dataset(cfg)
    assert dataset.ann_info['flip_pairs'] == pairs
    assert dataset.db[0]['joints_3d'].shape == (num, 3)


def test_deepfashion_wrong_subset_or_joints():
    cfg = reference_data(CASES['DeepFashionDataset'][0])
    cfg.update(
        ann_file=osp.join(DATA, 'fld/test_fld.json'),
        img_prefix=osp.join(DATA, 'fld') + '/')
    with pytest.raises(ValueError, match="subset 'middle'"):
        build_dataset(dict(cfg, subset='middle'))
    with pytest.raises(ValueError, match='has 6 keypoints'):
        build_dataset(dict(cfg, subset='upper'))


def test_bad_data_names_file_and_record(tmp_path):
    ann = json.load(open(osp.join(DATA, 'zebra/test_zebra.json')))
    ann['annotations'][1]['keypoints'].append(1.0)
    path = tmp_path / 'zebra.json'
    path.write_text(json.dumps(ann))
    with pytest.raises(ValueError) as err:
        build('AnimalZebraDataset', ann=str(path))
    assert str(path) in str(err.value)
    assert f"annotation id {ann['annotations'][1]['id']}" in str(err.value)

    ann = json.load(open(osp.join(DATA, 'macaque/test_macaque.json')))
    ann['images'][1]['file_name'] = 'gone.jpg'
    path = tmp_path / 'macaque.json'
    path.write_text(json.dumps(ann))
    dataset = build('AnimalMacaqueDataset', ann=str(path))
    missing = [i for i, r in enumerate(dataset.db)
               if r['image_file'].endswith('gone.jpg')][0]
    with pytest.raises(FileNotFoundError, match=f'gone.jpg of record '
                       f'{missing}'):
        dataset[missing]

    path = tmp_path / 'empty.json'
    path.write_text(json.dumps({'images': [], 'annotations': []}))
    with pytest.raises(ValueError, match='has no annotations'):
        build('AnimalFlyDataset', ann=str(path))


def test_unsupported_metric(tmp_path):
    with pytest.raises(KeyError, match="allowed: \\['mAP'\\]"):
        build('AnimalATRWDataset').evaluate([], str(tmp_path), 'PCK')
    with pytest.raises(KeyError, match="allowed: \\['PCK', 'NME'\\]"):
        build('AnimalHorse10Dataset').evaluate([], str(tmp_path), 'EPE')
