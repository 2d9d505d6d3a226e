"""Bottom-up human keypoint datasets: loading, pipeline and evaluation."""
import json
import os.path as osp

import numpy as np
import pytest

from mmpose.datasets import build_dataset

DATA = osp.join(osp.dirname(__file__), 'data')

TRAIN_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(
        type='BottomUpRandomAffine',
        rot_factor=30,
        scale_factor=[0.75, 1.5],
        scale_type='short',
        trans_factor=40),
    dict(type='BottomUpRandomFlip', flip_prob=0.5),
    dict(type='ToTensor'),
    dict(
        type='NormalizeTensor',
        mean=[0.485, 0.456, 0.406],
        std=[0.229, 0.224, 0.225]),
    dict(type='BottomUpGenerateTarget', sigma=2, max_num_people=30),
    dict(
        type='Collect',
        keys=['img', 'joints', 'targets', 'masks'],
        meta_keys=[]),
]


def data_cfg(num_joints, **kwargs):
    cfg = dict(
        image_size=512,
        base_size=256,
        base_sigma=2,
        heatmap_size=[128, 256],
        num_joints=num_joints,
        dataset_channel=[list(range(num_joints))],
        inference_channel=list(range(num_joints)),
        num_scales=2,
        scale_aware_sigma=False)
    cfg.update(kwargs)
    return cfg


def build(type_, ann, prefix, num_joints, test_mode=False, **kwargs):
    return build_dataset(
        dict(
            type=type_,
            ann_file=osp.join(DATA, ann),
            img_prefix=osp.join(DATA, prefix) + '/',
            data_cfg=data_cfg(num_joints, **kwargs),
            pipeline=TRAIN_PIPELINE,
            test_mode=test_mode))


def gt_outputs(dataset, skip=()):
    """One output per image: every annotated person with score 1 and a tag
    channel, as a bottom-up detector returns them."""
    outputs = []
    for img_id in dataset.img_ids:
        anns = dataset.coco.loadAnns(dataset.coco.getAnnIds(imgIds=img_id))
        preds = []
        for ann in anns:
            if ann.get('num_keypoints', 0) == 0 or ann['id'] in skip:
                continue
            kp = np.array(ann['keypoints'], dtype=np.float64).reshape(-1, 3)
            kp[:, 2] = 1.0
            preds.append(np.concatenate([kp, np.zeros((len(kp), 1))], 1))
        outputs.append(
            dict(
                preds=preds,
                scores=[1.0] * len(preds),
                image_paths=[
                    osp.join(dataset.img_prefix, dataset.id2name[img_id])
                ]))
    return outputs


BOTTOM_UP = [
    ('BottomUpCocoDataset', 'coco/test_coco.json', 'coco', 17),
    ('BottomUpAicDataset', 'aic/test_aic.json', 'aic', 14),
    ('BottomUpCrowdPoseDataset', 'crowdpose/test_crowdpose.json', 'crowdpose',
     14),
    ('BottomUpMhpDataset', 'mhp/test_mhp.json', 'mhp', 16),
]


@pytest.mark.parametrize('type_,ann,prefix,num_joints', BOTTOM_UP)
def test_perfect_predictions_give_ap_1(tmp_path, type_, ann, prefix,
                                       num_joints):
    dataset = build(type_, ann, prefix, num_joints, test_mode=True)
    results = dataset.evaluate(gt_outputs(dataset), str(tmp_path), 'mAP')
    assert results['AP'] == pytest.approx(1.0)
    with open(tmp_path / 'result_keypoints.json') as f:
        res = json.load(f)
    assert set(res[0]) == {'image_id', 'category_id', 'keypoints', 'score',
                           'bbox'}


def test_coco_missing_one_person_gives_92_of_101(tmp_path):
    dataset = build('BottomUpCocoDataset', 'coco/test_coco.json', 'coco', 17,
                    test_mode=True)
    results = dataset.evaluate(
        gt_outputs(dataset, skip=(442619, )), str(tmp_path), 'mAP')
    assert results['AP'] == pytest.approx(92 / 101)


def test_no_detections_give_zero_scores_not_an_error(tmp_path):
    dataset = build('BottomUpCocoDataset', 'coco/test_coco.json', 'coco', 17,
                    test_mode=True)
    empty = [dict(output, preds=[], scores=[])
             for output in gt_outputs(dataset)]
    with pytest.warns(UserWarning, match='no keypoint results'):
        results = dataset.evaluate(empty, str(tmp_path), 'mAP')
    assert results['AP'] == 0.0 and results['AR'] == 0.0
    assert list(results)[:2] == ['AP', 'AP .5']


def test_coco_sample_joints_and_mask():
    dataset = build('BottomUpCocoDataset', 'coco/test_coco.json', 'coco', 17)
    assert len(dataset) == 4
    # image 40083: 3 people, one (area 491) without keypoints
    raw = dataset._get_single(dataset.img_ids.index(40083))
    img = dataset.coco.imgs[40083]
    assert len(raw['joints']) == 2 and len(raw['mask']) == 2
    assert raw['joints'][0].shape == (3, 17, 3)
    assert raw['mask'][0].shape == (img['height'], img['width'])
    # the person without keypoints is masked out: about its area
    assert (~raw['mask'][0]).sum() == pytest.approx(491.2669, rel=0.05)
    assert dataset.ann_info['flip_index'][1] == 2


def test_scale_aware_sigma_channel():
    dataset = build('BottomUpCocoDataset', 'coco/test_coco.json', 'coco', 17,
                    scale_aware_sigma=True)
    joints = dataset._get_single(0)['joints'][0]
    assert joints.shape == (1, 17, 4)
    # bbox [280.79, 44.73, 218.7, 346.68]: 346.68 / 256 * 2
    np.testing.assert_allclose(joints[0, :, 3], 346.68 / 256 * 2, rtol=1e-6)


def test_pipeline_end_to_end():
    dataset = build('BottomUpCocoDataset', 'coco/test_coco.json', 'coco', 17)
    sample = dataset[0]
    assert tuple(sample['img'].shape) == (3, 512, 512)
    assert len(sample['targets']) == 2


def test_unsupported_metric_lists_allowed(tmp_path):
    dataset = build('BottomUpCocoDataset', 'coco/test_coco.json', 'coco', 17)
    with pytest.raises(KeyError, match='mAP'):
        dataset.evaluate([], str(tmp_path), 'PCK')


def test_wrong_keypoint_count_is_named(tmp_path):
    with open(osp.join(DATA, 'crowdpose/test_crowdpose.json')) as f:
        data = json.load(f)
    data['annotations'][1]['keypoints'].append(0)
    ann = tmp_path / 'bad.json'
    ann.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=str(data['annotations'][1]['id'])):
        build('BottomUpCrowdPoseDataset', str(ann), 'crowdpose', 14)


def test_missing_image_is_named(tmp_path):
    dataset = build('BottomUpCocoDataset', 'coco/test_coco.json', 'coco', 17)
    dataset.img_prefix = str(tmp_path) + '/'
    with pytest.raises(FileNotFoundError, match='000000000785.jpg'):
        dataset[0]
