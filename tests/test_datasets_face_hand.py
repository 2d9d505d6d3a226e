"""Face and hand keypoint datasets: loading, pipelines and evaluation."""
import json
import os.path as osp

import numpy as np
import pytest

import mmpose.datasets.datasets.face  # noqa: F401
import mmpose.datasets.datasets.hand  # noqa: F401
from mmpose.datasets import build_dataset
from .helpers import build_reference_dataset, outputs_from_db
from .reference import reference_cfg

DATA = osp.join(osp.dirname(__file__), 'data')

# type -> (reference config, sample annotation, image folder, #instances)
CASES = {
    'Face300WDataset': ('face/hrnetv2/300w/hrnetv2_w18_300w_256x256.json',
                        '300w/test_300w.json', '300w', 2),
    'FaceWFLWDataset': ('face/hrnetv2/wflw/hrnetv2_w18_wflw_256x256.json',
                        'wflw/test_wflw.json', 'wflw', 4),
    'FaceCOFWDataset': ('face/hrnetv2/cofw/hrnetv2_w18_cofw_256x256.json',
                        'cofw/test_cofw.json', 'cofw', 2),
    'FaceAFLWDataset': ('face/hrnetv2/aflw/hrnetv2_w18_aflw_256x256.json',
                        'aflw/test_aflw.json', 'aflw', 2),
    'OneHand10KDataset':
    ('hand/resnet/onehand10k/res50_onehand10k_256x256.json',
     'onehand10k/test_onehand10k.json', 'onehand10k', 4),
    'FreiHandDataset': ('hand/resnet/freihand/res50_freihand_224x224.json',
                        'freihand/test_freihand.json', 'freihand', 8),
    'PanopticDataset': ('hand/resnet/panoptic/res50_panoptic_256x256.json',
                        'panoptic/test_panoptic.json', 'panoptic', 4),
    'Rhd2DDataset': ('hand/resnet/rhd2d/res50_rhd2d_256x256.json',
                     'rhd/test_rhd.json', 'rhd', 3),
}


def reference_data(path: str, split: str = 'test') -> dict:
    """The ``data[split]`` dict of a v0.14 reference config."""
    return reference_cfg(path)['data'][split]


def build(type_, ann=None, **extra):
    """The sample dataset of ``type_`` with its reference test pipeline."""
    config, ann_default, prefix, _ = CASES[type_]
    return build_reference_dataset(type_, config,
                                   ann or osp.join(DATA, ann_default),
                                   osp.join(DATA, prefix), **extra)


def gt_and_mask(dataset):
    gts = np.stack([r['joints_3d'][:, :2] for r in dataset.db])
    mask = np.stack([r['joints_3d_visible'][:, 0] > 0 for r in dataset.db])
    return gts, mask


@pytest.mark.parametrize('type_', sorted(CASES))
def test_loads_sample_and_runs_reference_pipeline(type_):
    dataset = build(type_)
    assert len(dataset) == CASES[type_][3]
    cfg = reference_data(CASES[type_][0])
    w, h = cfg['data_cfg']['image_size']
    item = dataset[0]
    assert tuple(item['img'].shape) == (3, h, w)
    meta = item['img_metas'].data
    assert meta['image_file'] == dataset.db[0]['image_file']


@pytest.mark.parametrize('type_', sorted(CASES))
def test_perfect_predictions_give_best_values(type_, tmp_path):
    dataset = build(type_)
    metrics = list(dataset.ALLOWED_METRICS)
    # batches of 3: evaluation gathers every batch
    results = dataset.evaluate(outputs_from_db(dataset, batch=3),
                               str(tmp_path), metrics)
    best = {'PCK': 1.0, 'PCKh': 1.0, 'AUC': 0.95, 'EPE': 0.0, 'NME': 0.0}
    assert list(results) == metrics
    for name, value in results.items():
        assert value == pytest.approx(best[name], abs=1e-6), name
    written = json.load(open(tmp_path / 'result_keypoints.json'))
    assert len(written) == len(dataset)
    assert set(written[0]) == {
        'keypoints', 'center', 'scale', 'area', 'score', 'image_id',
        'bbox_id'
    }


@pytest.mark.parametrize('type_,eye', [('Face300WDataset', (36, 45)),
                                       ('FaceWFLWDataset', (60, 72)),
                                       ('FaceCOFWDataset', (8, 9))])
def test_face_nme_uses_interocular_distance(type_, eye, tmp_path):
    dataset = build(type_)
    gts, mask = gt_and_mask(dataset)
    # every prediction 5 pixels off: NME = 5 / inter-ocular distance
    results = dataset.evaluate(
        outputs_from_db(dataset, gts + [3.0, 4.0]), str(tmp_path), 'NME')
    io = np.linalg.norm(gts[:, eye[0]] - gts[:, eye[1]], axis=1)
    expected = (mask * (5.0 / io)[:, None]).sum() / mask.sum()
    assert results['NME'] == pytest.approx(expected, rel=1e-5)


def test_aflw_nme_uses_box_size(tmp_path):
    dataset = build('FaceAFLWDataset')
    gts, mask = gt_and_mask(dataset)
    box = np.array([r['box_size'] for r in dataset.db])
    assert box[0] == pytest.approx(362.0)
    results = dataset.evaluate(
        outputs_from_db(dataset, gts + [3.0, 4.0]), str(tmp_path), 'NME')
    expected = (mask * (5.0 / box)[:, None]).sum() / mask.sum()
    assert results['NME'] == pytest.approx(expected, rel=1e-5)


def test_face_uses_annotated_center_and_scale():
    dataset = build('Face300WDataset')
    ann = json.load(open(osp.join(DATA, '300w/test_300w.json')))
    by_image = {a['image_id']: a for a in ann['annotations']}
    for rec in dataset.db:
        a = by_image[rec['image_id']]
        np.testing.assert_allclose(rec['center'], a['center'])
        np.testing.assert_allclose(rec['scale'], [a['scale'] * 1.25] * 2,
                                   rtol=1e-6)
    assert dataset.ann_info['flip_pairs'][0] == [0, 16]


@pytest.mark.parametrize('type_', [
    'OneHand10KDataset', 'FreiHandDataset', 'Rhd2DDataset',
    'PanopticDataset'
])
def test_hand_boxes_are_padded_not_clipped(type_):
    dataset = build(type_)
    padding = 1.76 if type_ == 'PanopticDataset' else 1.25
    for rec in dataset.db:
        x, y, w, h = rec['bbox']
        np.testing.assert_allclose(rec['center'], [x + w / 2, y + h / 2],
                                   rtol=1e-5)
        # square input: the longer side, padded, over the pixel std 200
        np.testing.assert_allclose(rec['scale'],
                                   [max(w, h) * padding / 200] * 2,
                                   rtol=1e-5)
    assert dataset.ann_info['flip_pairs'] == []


@pytest.mark.parametrize('type_', ['OneHand10KDataset', 'FreiHandDataset'])
def test_hand_pck_and_epe_of_known_perturbation(type_, tmp_path):
    dataset = build(type_)
    gts, mask = gt_and_mask(dataset)
    preds = gts.copy()
    preds[:, 1::2] += 10000.0  # odd keypoints far off
    results = dataset.evaluate(
        outputs_from_db(dataset, preds), str(tmp_path), ['PCK', 'EPE'])
    # PCK averages per keypoint over the keypoints with a visible instance
    per_kpt = np.where(np.arange(gts.shape[1]) % 2 == 0, 1.0, 0.0)
    seen = mask.any(axis=0)
    assert results['PCK'] == pytest.approx(per_kpt[seen].mean(), abs=1e-6)
    epe = (mask[:, 1::2].sum() * 10000.0 * np.sqrt(2)) / mask.sum()
    assert results['EPE'] == pytest.approx(epe, rel=1e-5)


def test_panoptic_pckh_uses_head_size(tmp_path):
    dataset = build('PanopticDataset')
    gts, mask = gt_and_mask(dataset)
    head = np.array([r['head_size'] for r in dataset.db])
    np.testing.assert_allclose(head[0], 140.0)
    # shifted by 0.6 head size: inside 0.7 -> all correct; 0.8: none
    near = gts + (0.6 * head)[:, None, None] * [1.0, 0.0]
    far = gts + (0.8 * head)[:, None, None] * [1.0, 0.0]
    assert dataset.evaluate(
        outputs_from_db(dataset, near), str(tmp_path),
        'PCKh')['PCKh'] == pytest.approx(1.0)
    assert dataset.evaluate(
        outputs_from_db(dataset, far), str(tmp_path),
        'PCKh')['PCKh'] == pytest.approx(0.0)


def test_unsupported_metric_lists_allowed(tmp_path):
    dataset = build('OneHand10KDataset')
    with pytest.raises(KeyError, match="allowed: \\['PCK', 'AUC', 'EPE'\\]"):
        dataset.evaluate(outputs_from_db(dataset), str(tmp_path), 'mAP')
    with pytest.raises(KeyError, match='NME'):
        build('PanopticDataset').evaluate([], str(tmp_path), 'NME')


def _write_ann(tmp_path, src, edit):
    ann = json.load(open(osp.join(DATA, src)))
    edit(ann)
    path = tmp_path / 'ann.json'
    path.write_text(json.dumps(ann))
    return str(path)


def test_wrong_number_of_keypoints_names_file_and_record(tmp_path):

    def drop(ann):
        ann['annotations'][1]['keypoints'] = \
            ann['annotations'][1]['keypoints'][:-3]

    path = _write_ann(tmp_path, 'wflw/test_wflw.json', drop)
    with pytest.raises(ValueError) as err:
        build('FaceWFLWDataset', ann=path)
    bad_id = json.load(open(path))['annotations'][1]['id']
    assert path in str(err.value)
    assert f'annotation id {bad_id}' in str(err.value)
    assert '291 keypoint values, expected 294' in str(err.value)


def test_missing_image_names_file_and_record(tmp_path):

    def rename(ann):
        ann['images'][0]['file_name'] = 'no_such_image.jpg'

    path = _write_ann(tmp_path, 'freihand/test_freihand.json', rename)
    dataset = build('FreiHandDataset', ann=path)
    with pytest.raises(FileNotFoundError, match='no_such_image.jpg'):
        dataset[0]


def test_empty_annotation_file_is_an_error(tmp_path):
    empty = tmp_path / 'empty.json'
    empty.write_text('')
    with pytest.raises(ValueError, match=f'{empty} is empty'):
        build('Rhd2DDataset', ann=str(empty))

    def no_keypoints(ann):
        for a in ann['annotations']:
            a['keypoints'] = [0] * len(np.ravel(a['keypoints']))

    path = _write_ann(tmp_path, 'cofw/test_cofw.json', no_keypoints)
    with pytest.raises(ValueError, match='no valid instance'):
        build('FaceCOFWDataset', ann=path)


def test_missing_metric_field_names_annotation(tmp_path):

    def drop(ann):
        del ann['annotations'][0]['box_size']

    path = _write_ann(tmp_path, 'aflw/test_aflw.json', drop)
    with pytest.raises(ValueError,
                       match="annotation id 3 .image 3. has no 'box_size'"):
        build('FaceAFLWDataset', ann=path)


@pytest.mark.parametrize('old,new', [
    ('TopDownFreiHandDataset', 'FreiHandDataset'),
    ('TopDownOneHand10KDataset', 'OneHand10KDataset'),
    ('TopDownPanopticDataset', 'PanopticDataset'),
])
def test_deprecated_hand_names_warn_and_work(old, new, tmp_path):
    config, ann, prefix, num = CASES[new]
    cfg = reference_data(config)
    cfg.update(
        type=old,
        ann_file=osp.join(DATA, ann),
        img_prefix=osp.join(DATA, prefix) + '/',
        test_mode=True)
    with pytest.warns(DeprecationWarning, match=f'renamed into {new}'):
        dataset = build_dataset(cfg)
    assert len(dataset) == num
    results = dataset.evaluate(outputs_from_db(dataset), str(tmp_path))
    assert list(results.values())[0] == pytest.approx(1.0)


# ----------------------------------------------------------------------
# InterHand2.6M
# ----------------------------------------------------------------------
IH = osp.join(DATA, 'interhand2.6m')


def interhand_cfg(type_, **data_cfg):
    cfg = reference_data(
        'hand/resnet/interhand2d/res50_interhand2d_all_256x256.json')
    cfg.update(
        type=type_,
        ann_file=osp.join(IH, 'test_interhand2.6m_data.json'),
        camera_file=osp.join(IH, 'test_interhand2.6m_camera.json'),
        joint_file=osp.join(IH, 'test_interhand2.6m_joint_3d.json'),
        img_prefix=IH + '/',
        test_mode=True)
    cfg['data_cfg'].update(data_cfg)
    return cfg


def test_interhand2d_one_instance_per_valid_hand(tmp_path):
    dataset = build_dataset(interhand_cfg('InterHand2DDataset'))
    # two interacting views (2 hands each), one left and one right hand
    assert len(dataset) == 6
    rec = dataset.db[0]
    vis = rec['joints_3d_visible'][:, 0] > 0
    pts = rec['joints_3d'][vis, :2]
    x1, y1 = pts.min(0)
    x2, y2 = pts.max(0)
    np.testing.assert_allclose(rec['bbox'], [x1, y1, x2 - x1, y2 - y1],
                               rtol=1e-5)
    np.testing.assert_allclose(rec['scale'].max(),
                               max(x2 - x1, y2 - y1) * 1.5 / 200, rtol=1e-5)
    assert tuple(dataset[0]['img'].shape) == (3, 256, 256)
    results = dataset.evaluate(outputs_from_db(dataset), str(tmp_path),
                               ['PCK', 'AUC', 'EPE'])
    assert results == pytest.approx({'PCK': 1.0, 'AUC': 0.95, 'EPE': 0.0})


def test_interhand2d_projection_matches_camera_model():
    dataset = build_dataset(interhand_cfg('InterHand2DDataset'))
    cams = json.load(open(osp.join(IH, 'test_interhand2.6m_camera.json')))
    joints = json.load(open(osp.join(IH, 'test_interhand2.6m_joint_3d.json')))
    img = dataset.coco.loadImgs(dataset.db[0]['image_id'])[0]
    cam = {k: np.array(v[img['camera']], np.float64)
           for k, v in cams[str(img['capture'])].items()}
    world = np.array(joints[str(img['capture'])][str(img['frame_idx'])]
                     ['world_coord'])
    x_cam = (cam['camrot'] @ (world - cam['campos']).T).T
    uv = x_cam[:, :2] / x_cam[:, 2:] * cam['focal'] + cam['princpt']
    np.testing.assert_allclose(dataset.db[0]['joints_3d'][:, :2], uv[:21],
                               rtol=1e-4)


def interhand3d():
    return build_dataset(
        interhand_cfg(
            'InterHand3DDataset',
            heatmap3d_depth_bound=400.0,
            heatmap_size_root=64,
            root_depth_bound=400.0,
            num_joints=42,
            num_output_channels=42,
            dataset_channel=[list(range(42))],
            inference_channel=list(range(42))))


def interhand3d_outputs(dataset, preds=None, hand_type=None, rel=None):
    db = dataset.db
    preds = np.stack([r['joints_3d'] for r in db]) if preds is None else preds
    hand_type = np.stack([r['hand_type'] for r in db
                          ]) if hand_type is None else hand_type
    rel = np.array([r['rel_root_depth'] for r in db]) if rel is None else rel
    return [
        dict(
            preds=preds,
            hand_type=np.concatenate([hand_type, hand_type], axis=1),
            rel_root_depth=rel,
            boxes=np.array([
                np.concatenate([r['center'], r['scale'], [1., 1.]])
                for r in db
            ]),
            image_paths=[r['image_file'] for r in db],
            bbox_ids=[r['bbox_id'] for r in db])
    ]


def test_interhand3d_records():
    dataset = interhand3d()
    assert len(dataset) == 4
    assert dataset.ann_info['flip_pairs'][0] == [0, 21]
    assert dataset.ann_info['root_depth_bound'] == 400.0
    rec = dataset.db[2]  # left hand only: right joints invalid
    np.testing.assert_array_equal(rec['hand_type'], [0, 1])
    assert rec['joints_3d_visible'][:21].sum() == 0
    assert rec['rel_root_valid'] == 0
    cam = rec['joints_cam']
    np.testing.assert_allclose(rec['joints_3d'][21:, 2],
                               cam[21:, 2] - cam[41, 2], atol=1e-3)
    item = dataset[0]
    assert tuple(item['img'].shape) == (3, 256, 256)


def test_interhand3d_perfect_and_perturbed(tmp_path):
    dataset = interhand3d()
    metrics = ['MRRPE', 'MPJPE', 'Handedness_acc']
    best = dataset.evaluate(
        interhand3d_outputs(dataset), str(tmp_path), metrics)
    assert list(best) == [
        'MRRPE', 'MPJPE_all', 'MPJPE_single', 'MPJPE_interacting',
        'Handedness_acc'
    ]
    assert best == pytest.approx({
        'MRRPE': 0.0,
        'MPJPE_all': 0.0,
        'MPJPE_single': 0.0,
        'MPJPE_interacting': 0.0,
        'Handedness_acc': 1.0
    }, abs=1e-3)

    # a wrong hand type on one of the 4 views
    hand_type = np.stack([r['hand_type'] for r in dataset.db])
    hand_type[0] = [0, 1]
    # left wrist 50 mm deeper on the interacting views
    rel = np.array([r['rel_root_depth'] for r in dataset.db]) + 50.0
    res = dataset.evaluate(
        interhand3d_outputs(dataset, hand_type=hand_type, rel=rel),
        str(tmp_path), metrics)
    assert res['Handedness_acc'] == pytest.approx(0.75)
    # the left wrist moves along its viewing ray: 50 * |(x/z, y/z, 1)|
    expected = []
    for r in dataset.db:
        if r['hand_type'].all() and r['joints_3d_visible'][[20, 41], 0].all():
            x, y, z = r['joints_cam'][41]
            expected.append(50.0 * np.sqrt((x / z)**2 + (y / z)**2 + 1))
    assert len(expected) == 2
    assert res['MRRPE'] == pytest.approx(np.mean(expected), rel=1e-3)
    assert res['MPJPE_all'] == pytest.approx(0.0, abs=1e-3)


def test_interhand3d_output_without_field_for_metric(tmp_path):
    dataset = interhand3d()
    outputs = interhand3d_outputs(dataset)
    del outputs[0]['rel_root_depth']
    with pytest.raises(KeyError, match='MRRPE needs'):
        dataset.evaluate(outputs, str(tmp_path), 'MRRPE')
