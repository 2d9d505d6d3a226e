"""Top-down human keypoint datasets: loading, pipeline and evaluation."""
import copy
import json
import os.path as osp

import numpy as np
import pytest

from mmpose.datasets import DATASETS, build_dataset

DATA = osp.join(osp.dirname(__file__), 'data')

VAL_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='TopDownAffine'),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(
        type='Collect',
        keys=['img'],
        meta_keys=[
            'image_file', 'center', 'scale', 'rotation', 'bbox_score',
            'flip_pairs'
        ]),
]


def data_cfg(num_joints, **kwargs):
    cfg = dict(
        image_size=[192, 256],
        heatmap_size=[48, 64],
        num_output_channels=num_joints,
        num_joints=num_joints,
        dataset_channel=[list(range(num_joints))],
        inference_channel=list(range(num_joints)),
        soft_nms=False,
        nms_thr=1.0,
        oks_thr=0.9,
        vis_thr=0.2,
        use_gt_bbox=True,
        det_bbox_thr=0.0,
        bbox_file='')
    cfg.update(kwargs)
    return cfg


def build(type_, ann, prefix, num_joints, test_mode=True, **kwargs):
    return build_dataset(
        dict(
            type=type_,
            ann_file=osp.join(DATA, ann),
            img_prefix=osp.join(DATA, prefix) + '/',
            data_cfg=data_cfg(num_joints, **kwargs),
            pipeline=VAL_PIPELINE,
            test_mode=test_mode))


def gt_outputs(dataset, batch_size=4, score_from_visibility=False):
    """Ground truth fed back as model outputs (batches, last one repeated
    to mimic a padded loader)."""
    outputs = []
    db = dataset.db
    for start in range(0, len(db), batch_size):
        recs = db[start:start + batch_size]
        preds = np.stack([r['joints_3d'].astype(np.float64) for r in recs])
        preds[..., 2] = (np.stack([r['joints_3d_visible'][:, 0]
                                   for r in recs])
                         if score_from_visibility else 1.0)
        boxes = np.array([[*r['center'], *r['scale'],
                           np.prod(r['scale']) * 200**2, r['bbox_score']]
                          for r in recs])
        outputs.append(
            dict(
                preds=preds,
                boxes=boxes,
                image_paths=[r['image_file'] for r in recs],
                bbox_ids=[r['bbox_id'] for r in recs]))
    outputs.append(copy.deepcopy(outputs[-1]))
    return outputs


COCO_STYLE = [
    ('TopDownCocoDataset', 'coco/test_coco.json', 'coco', 17, 12),
    ('TopDownOCHumanDataset', 'ochuman/test_ochuman.json', 'ochuman', 17, 5),
    ('TopDownAicDataset', 'aic/test_aic.json', 'aic', 14, 9),
    ('TopDownCrowdPoseDataset', 'crowdpose/test_crowdpose.json', 'crowdpose',
     14, 4),
    ('TopDownMhpDataset', 'mhp/test_mhp.json', 'mhp', 16, 4),
    ('TopDownCocoWholeBodyDataset', 'coco/test_coco_wholebody.json', 'coco',
     133, 12),
]


@pytest.mark.parametrize('type_,ann,prefix,num_joints,num', COCO_STYLE)
def test_coco_style_perfect_predictions_give_ap_1(tmp_path, type_, ann,
                                                   prefix, num_joints, num):
    dataset = build(type_, ann, prefix, num_joints)
    assert len(dataset) == num
    results = dataset.evaluate(gt_outputs(dataset), str(tmp_path), 'mAP')
    assert results['AP'] == pytest.approx(1.0)
    assert results['AR'] == pytest.approx(1.0)
    assert osp.isfile(tmp_path / 'result_keypoints.json')


def test_coco_records_center_scale_and_flip_pairs():
    dataset = build('TopDownCocoDataset', 'coco/test_coco.json', 'coco', 17)
    rec = dataset.db[0]
    # image 785, bbox [280.79, 44.73, 218.7, 346.68], aspect 192/256
    assert rec['image_file'].endswith('000000000785.jpg')
    np.testing.assert_allclose(rec['center'],
                               [280.79 + 217.7 / 2, 44.73 + 345.68 / 2],
                               rtol=1e-6)
    h = 345.68
    np.testing.assert_allclose(rec['scale'],
                               [h * 0.75 / 200 * 1.25, h / 200 * 1.25],
                               rtol=1e-6)
    assert dataset.ann_info['flip_pairs'][0] == [1, 2]
    assert dataset.ann_info['joint_weights'].shape == (17, 1)
    assert dataset.ann_info['joint_weights'][9, 0] == pytest.approx(1.5)


def test_coco_pipeline_end_to_end():
    dataset = build('TopDownCocoDataset', 'coco/test_coco.json', 'coco', 17)
    sample = dataset[0]
    assert tuple(sample['img'].shape) == (3, 256, 192)
    meta = sample['img_metas'].data
    assert meta['image_file'].endswith('000000000785.jpg')


def test_coco_missing_one_person_gives_92_of_101(tmp_path):
    dataset = build('TopDownCocoDataset', 'coco/test_coco.json', 'coco', 17)
    outputs = gt_outputs(dataset, batch_size=1)[:-1]
    # 12 people, 11 found with precision 1: recall 11/12 reaches 92 of the
    # 101 recall thresholds
    results = dataset.evaluate(outputs[1:], str(tmp_path), 'mAP')
    assert results['AP'] == pytest.approx(92 / 101)
    assert results['AR'] == pytest.approx(11 / 12)


def test_coco_detected_boxes():
    dataset = build(
        'TopDownCocoDataset',
        'coco/test_coco.json',
        'coco',
        17,
        use_gt_bbox=False,
        det_bbox_thr=0.5,
        bbox_file=osp.join(DATA, 'coco/test_coco_det_AP_H_56.json'))
    with open(osp.join(DATA, 'coco/test_coco_det_AP_H_56.json')) as f:
        dets = json.load(f)
    assert len(dataset) == sum(d['score'] >= 0.5 and d['category_id'] == 1
                               for d in dets)
    assert all(r['joints_3d_visible'].min() == 1 for r in dataset.db)


def test_rescoring_uses_mean_score_above_vis_thr():
    dataset = build('TopDownCocoDataset', 'coco/test_coco.json', 'coco', 17)
    kp = np.zeros((17, 3))
    kp[:, 2] = 0.1
    kp[0, 2], kp[1, 2] = 0.5, 0.9
    kept = dataset._rescore_and_nms([
        dict(keypoints=kp, score=0.8, area=100., image_id=785, bbox_id=0)
    ])
    assert kept[785][0]['score'] == pytest.approx(0.7 * 0.8)


def test_unsupported_metric_lists_allowed(tmp_path):
    dataset = build('TopDownCocoDataset', 'coco/test_coco.json', 'coco', 17)
    with pytest.raises(KeyError, match='mAP'):
        dataset.evaluate(gt_outputs(dataset), str(tmp_path), 'PCK')


def test_missing_image_is_named(tmp_path):
    dataset = build('TopDownCocoDataset', 'coco/test_coco.json', 'coco', 17)
    dataset.db[0]['image_file'] = str(tmp_path / 'nowhere.jpg')
    with pytest.raises(FileNotFoundError, match='nowhere.jpg'):
        dataset[0]


def test_wrong_keypoint_count_is_named(tmp_path):
    with open(osp.join(DATA, 'coco/test_coco.json')) as f:
        data = json.load(f)
    data['annotations'][0]['keypoints'] = data['annotations'][0][
        'keypoints'][:-3]
    ann = tmp_path / 'bad.json'
    ann.write_text(json.dumps(data))
    with pytest.raises(ValueError, match='442619'):
        build('TopDownCocoDataset', str(ann), 'coco', 17)


def test_empty_annotation_file_is_named(tmp_path):
    ann = tmp_path / 'empty.json'
    ann.write_text('')
    with pytest.raises(ValueError, match='empty.json'):
        build('TopDownCocoDataset', str(ann), 'coco', 17)


def test_mpii_pckh(tmp_path):
    dataset = build('TopDownMpiiDataset', 'mpii/test_mpii.json', 'mpii', 16)
    assert len(dataset) == 5
    # 1-based center moved down by 15 * scale, scale padded by 1.25
    np.testing.assert_allclose(dataset.db[0]['center'],
                               [965.0, 339.0 + 15 * 4.718488])
    np.testing.assert_allclose(dataset.db[0]['scale'], [4.718488 * 1.25] * 2)
    with pytest.warns(UserWarning, match='approximate'):
        results = dataset.evaluate(gt_outputs(dataset), str(tmp_path), 'PCKh')
    assert results['PCKh'] == pytest.approx(100.0)
    assert results['Head'] == pytest.approx(100.0)
    assert osp.isfile(tmp_path / 'pred.mat')

    # move every right ankle far away: Ankle = (0 + 100) / 2 and PCKh drops
    # by the right ankles' share of the counted joints
    outputs = gt_outputs(dataset)
    for out in outputs:
        out['preds'][:, 0, :2] += 1000
    with pytest.warns(UserWarning):
        results = dataset.evaluate(outputs, str(tmp_path), 'PCKh')
    vis = np.array([json.load(open(dataset.ann_file))[i]['joints_vis']
                    for i in range(5)])
    counted = vis[:, [j for j in range(16) if j not in (6, 7)]].sum()
    assert results['Ankle'] == pytest.approx(50.0)
    assert results['PCKh'] == pytest.approx(
        100.0 * (counted - vis[:, 0].sum()) / counted)


def test_mpii_trb_pckh(tmp_path):
    dataset = build('TopDownMpiiTrbDataset', 'mpii/test_mpii_trb.json',
                    'mpii', 40)
    assert len(dataset) == 5
    assert [r['bbox_id'] for r in dataset.db] == sorted(
        r['bbox_id'] for r in dataset.db)
    with pytest.warns(UserWarning):
        results = dataset.evaluate(gt_outputs(dataset), str(tmp_path), 'PCKh')
    assert results == pytest.approx(
        dict(Skeleton_acc=1.0, Contour_acc=1.0, PCKh=1.0))

    outputs = gt_outputs(dataset)
    for out in outputs:
        out['preds'][:, 14:, :2] += 1000
    with pytest.warns(UserWarning):
        results = dataset.evaluate(outputs, str(tmp_path), 'PCKh')
    vis = np.stack([r['joints_3d_visible'][:, 0] for r in dataset.db])
    assert results['Skeleton_acc'] == pytest.approx(1.0)
    assert results['Contour_acc'] == pytest.approx(0.0)
    assert results['PCKh'] == pytest.approx(vis[:, :14].sum() / vis.sum())


def test_jhmdb_pck_and_tpck(tmp_path):
    dataset = build('TopDownJhmdbDataset', 'jhmdb/test_jhmdb_sub1.json',
                    'jhmdb', 15)
    assert len(dataset) == 3
    with open(dataset.ann_file) as f:
        first = json.load(f)['annotations'][0]
    # 1-based to 0-based
    np.testing.assert_allclose(dataset.db[0]['joints_3d'][0, :2],
                               np.array(first['keypoints'][:2]) - 1,
                               rtol=1e-6)
    results = dataset.evaluate(
        gt_outputs(dataset), str(tmp_path), ['PCK', 'tPCK'])
    assert results['Mean PCK'] == pytest.approx(1.0)
    assert results['Mean tPCK'] == pytest.approx(1.0)
    assert list(results)[:2] == ['Head PCK', 'Sho PCK']

    outputs = gt_outputs(dataset)
    for out in outputs:
        out['preds'][:, 2, :2] += 1000
    results = dataset.evaluate(outputs, str(tmp_path), 'PCK')
    assert results['Head PCK'] == pytest.approx(0.0)
    assert results['Mean PCK'] == pytest.approx(14 / 15)


def test_posetrack18_native_ap(tmp_path):
    dataset = build('TopDownPoseTrack18Dataset',
                    'posetrack18/test_posetrack18.json', 'posetrack18', 17)
    results = dataset.evaluate(
        gt_outputs(dataset, score_from_visibility=True), str(tmp_path), 'mAP')
    assert list(results) == [
        'Head AP', 'Shou AP', 'Elb AP', 'Wri AP', 'Hip AP', 'Knee AP',
        'Ankl AP', 'Total AP'
    ]
    assert results['Total AP'] == pytest.approx(100.0)
    assert sorted(p.name for p in (tmp_path / 'preds').iterdir()) == [
        '003418_mpii_test.json', '009473_mpii_test.json',
        '012834_mpii_test.json'
    ]


def test_posetrack18_missing_person_lowers_recall(tmp_path):
    with open(osp.join(DATA, 'posetrack18/test_posetrack18.json')) as f:
        data = json.load(f)
    for img in data['images']:  # no ignore regions: counts are plain
        img.pop('ignore_regions_x', None)
        img.pop('ignore_regions_y', None)
    ann = tmp_path / 'posetrack18_noignore.json'
    ann.write_text(json.dumps(data))
    dataset = build('TopDownPoseTrack18Dataset', str(ann), 'posetrack18', 17)
    last = dataset.db[-1]
    outputs = gt_outputs(dataset, batch_size=1, score_from_visibility=True)
    outputs = [o for o in outputs if o['bbox_ids'][0] != last['bbox_id']]
    results = dataset.evaluate(outputs, str(tmp_path), 'mAP')
    # per joint: all found with precision 1 except the missing person's,
    # so AP_j = 100 * (n_j - m_j) / n_j
    from mmpose.datasets.datasets.base.posetrack_eval import \
        POSETRACK_EVAL_JOINTS
    order = list(POSETRACK_EVAL_JOINTS)
    vis = np.stack([r['joints_3d_visible'][order, 0] for r in dataset.db])
    n = vis.sum(axis=0)
    ap = 100.0 * (n - vis[-1]) / n
    assert results['Wri AP'] == pytest.approx(ap[[6, 11]].mean())
    assert results['Total AP'] == pytest.approx(ap.mean())


def test_registered():
    for name in ('TopDownCocoDataset', 'TopDownMpiiDataset',
                 'TopDownPoseTrack18Dataset', 'TopDownJhmdbDataset'):
        assert DATASETS.get(name) is not None
