"""Datasets and pipelines in the MMPose 0.29 dialect: ``DatasetInfo``, the
``dataset_info`` argument, the 0.29 base classes, the box transforms and
the 0.29 pipeline steps, and their equivalence with the 0.14 pipeline."""
import copy
import json
import os
import os.path as osp
from collections import OrderedDict

import numpy as np
import pytest

from mmpose.core.bbox import (bbox_cs2xywh, bbox_xywh2cs, bbox_xywh2xyxy,
                              bbox_xyxy2xywh)
from mmpose.datasets import DATASETS, PIPELINES, DatasetInfo
from mmpose.datasets.datasets.base import Kpt2dSviewRgbImgTopDownDataset
from mmpose.datasets.pipelines import (BottomUpGenerateOffsetTarget,
                                       Compose, GetKeypointCenterArea,
                                       ImageCoordinateNormalization,
                                       TopDownGetBboxCenterScale,
                                       TopDownRandomShiftBboxCenter)

from .reference import packed_manifests, packed_numerics

DATA = osp.join(osp.dirname(__file__), 'data')
COCO_DIR = osp.join(DATA, 'coco')
IMAGE_785 = osp.join(COCO_DIR, '000000000785.jpg')


def dataset_info_029(name: str) -> dict:
    """The ``dataset_info`` table a 0.29 config of ``name`` expands."""
    for manifest in packed_manifests('0.29').values():
        info = manifest['cfg'].get('dataset_info')
        if info and info['dataset_name'] == name:
            return copy.deepcopy(info)
    raise LookupError(name)


def data_cfg(num_joints=17, **kwargs):
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


def assert_close_tree(ours, expected, path=''):
    if isinstance(expected, dict):
        for key, value in expected.items():
            assert_close_tree(ours[key], value, f'{path}.{key}')
    elif isinstance(expected, (list, tuple)) and expected and isinstance(
            expected[0], (dict, np.ndarray)):
        assert len(ours) == len(expected), path
        for i, (a, b) in enumerate(zip(ours, expected)):
            assert_close_tree(a, b, f'{path}[{i}]')
    else:
        np.testing.assert_allclose(
            np.asarray(ours, dtype=np.float64),
            np.asarray(expected, dtype=np.float64),
            rtol=1e-5,
            atol=1e-5,
            err_msg=path)


# ------------------------------------------------------------ DatasetInfo
@pytest.mark.parametrize('name', ['coco', 'coco_wholebody', 'h36m', 'mpii'])
def test_dataset_info_matches_0_29(name):
    case = packed_numerics('0.29')[f'DatasetInfo_{name}']
    info = DatasetInfo(dataset_info_029(name))
    for key, expected in case['out'].items():
        ours = getattr(info, key)
        assert type(ours) is type(expected), key
        assert np.shape(ours) == np.shape(expected), key
        assert_close_tree(ours, expected, key)


def test_dataset_info_names_and_ids():
    info = DatasetInfo(dataset_info_029('coco'))
    assert info.dataset_name == 'coco'
    assert info.keypoint_name2id['left_wrist'] == 9
    assert info.keypoint_id2name[16] == 'right_ankle'
    assert info.flip_pairs_name[0] == ['left_eye', 'right_eye']
    assert info.skeleton_name[0] == ['left_ankle', 'left_knee']
    assert info.link_num == 19
    assert info.paper_info['year'] == '2014'


def test_dataset_info_names_an_unknown_link_keypoint():
    table = dataset_info_029('mpii')
    table['skeleton_info']['0']['link'] = ('right_ankle', 'tail')
    with pytest.raises(KeyError, match='tail'):
        DatasetInfo(table)


# ---------------------------------------------------------- box transforms
@pytest.mark.parametrize('name, call', [
    ('bbox_xyxy2xywh', lambda a: bbox_xyxy2xywh(a['bbox_xyxy'])),
    ('bbox_xywh2xyxy', lambda a: bbox_xywh2xyxy(a['bbox_xywh'])),
    ('bbox_xywh2cs', lambda a: dict(
        zip(('center', 'scale'), bbox_xywh2cs(a['bbox'], 0.75, 1.25,
                                              200.)))),
    ('bbox_cs2xywh', lambda a: bbox_cs2xywh(a['center'], a['scale'], 1.25,
                                            200.)),
])
def test_box_transforms_match_0_29(name, call):
    case = packed_numerics('0.29')[name]
    assert_close_tree(call(case['args']), case['out'])


def test_box_transforms_by_hand():
    xyxy = np.array([[10., 20., 40., 100., 0.9]])
    np.testing.assert_array_equal(bbox_xyxy2xywh(xyxy),
                                  [[10., 20., 30., 80., 0.9]])
    # a 30 x 80 box widened to 3:4 -> 60 x 80, padded by 1.25, in 200 px
    center, scale = bbox_xywh2cs(np.array([10., 20., 30., 80.]), 0.75, 1.25)
    np.testing.assert_allclose(center, [25., 60.])
    np.testing.assert_allclose(scale, [0.375, 0.5])
    np.testing.assert_allclose(bbox_cs2xywh(center, scale, 1.25),
                               [-5., 20., 60., 80.], rtol=1e-6)
    with pytest.raises(ValueError):
        bbox_xyxy2xywh(np.zeros((2, 3)))


# -------------------------------------------------------- pipeline steps
def test_get_bbox_center_scale_matches_0_29():
    case = packed_numerics('0.29')['TopDownGetBboxCenterScale']
    out = TopDownGetBboxCenterScale(padding=1.25)(copy.deepcopy(
        case['args']))
    assert_close_tree(out, case['out'])


def test_get_bbox_center_scale_pads_an_existing_scale_without_a_box():
    results = {'center': np.array([5., 6.]), 'scale': np.array([1., 2.])}
    out = TopDownGetBboxCenterScale(padding=1.5)(results)
    np.testing.assert_array_equal(out['scale'], [1.5, 3.])
    np.testing.assert_array_equal(out['center'], [5., 6.])


def test_random_shift_moves_by_the_drawn_share_of_the_box(monkeypatch):
    monkeypatch.setattr(np.random, 'rand', lambda *a: 0.1)
    monkeypatch.setattr(np.random, 'uniform',
                        lambda lo, hi, n: np.array([1., -0.5]))
    results = {'center': np.array([100., 50.]), 'scale': np.array([1., 2.])}
    out = TopDownRandomShiftBboxCenter(shift_factor=0.16, prob=0.3)(results)
    # 0.16 * (200, 400) px times (1, -0.5)
    np.testing.assert_allclose(out['center'], [132., 18.])
    out = TopDownRandomShiftBboxCenter(shift_factor=0.16, prob=0.05)(
        {'center': np.array([100., 50.]), 'scale': np.array([1., 2.])})
    np.testing.assert_array_equal(out['center'], [100., 50.])


@pytest.mark.parametrize('name, transform', [
    ('GetKeypointCenterArea', GetKeypointCenterArea(minimal_area=32)),
    ('BottomUpGenerateOffsetTarget', BottomUpGenerateOffsetTarget(radius=4)),
])
def test_dekr_targets_match_0_29(name, transform):
    case = packed_numerics('0.29')[name]
    assert_close_tree(transform(copy.deepcopy(case['args'])), case['out'])


def test_dekr_offsets_by_hand():
    # one person: center (2, 2), joint 0 at (3, 1); radius 1 -> the window
    # x, y in [1, 3): offsets (x - 3, y - 1) with weight 1 / sqrt(16)
    results = {
        'joints': [np.array([[[3., 1., 2.]]])],
        'center': [np.array([[[2., 2., 1.]]], dtype=np.float32)],
        'area': [np.array([16.], dtype=np.float32)],
        'ann_info': {
            'num_joints': 1,
            'heatmap_size': [5],
            'num_scales': 1
        },
    }
    out = BottomUpGenerateOffsetTarget(radius=1)(results)
    offsets, weights = out['offsets'][0], out['offset_weights'][0]
    np.testing.assert_array_equal(offsets[0, 1:3, 1:3], [[-2., -1.],
                                                         [-2., -1.]])
    np.testing.assert_array_equal(offsets[1, 1:3, 1:3], [[0., 0.], [1., 1.]])
    np.testing.assert_array_equal(weights[:, 1:3, 1:3], 0.25)
    assert weights.sum() == 8 * 0.25


def test_image_coordinate_normalization_by_hand():
    results = {
        'input_2d': np.array([[0., 0.], [1000., 500.]]),
        'image_width': 1000,
        'image_height': 500,
        'camera_param': {
            'f': np.array([[1000.], [1000.]]),
            'c': np.array([[500.], [250.]])
        },
    }
    out = ImageCoordinateNormalization('input_2d', norm_camera=True)(results)
    np.testing.assert_allclose(out['input_2d'], [[-1., -0.5], [1., 0.5]])
    np.testing.assert_allclose(out['camera_param']['f'], [[2.], [2.]])
    np.testing.assert_allclose(out['camera_param']['c'], [[0.], [0.]])


# pipeline steps of 0.29 configs whose families MMPose 0.14 does not have
# (multi-view VoxelPose, RGB-D gesture videos, CID)
OTHER_FAMILY_STEPS = {
    'AffineJoints', 'DiscardDuplicatedItems', 'GenerateInputHeatmaps',
    'GenerateVoxel3DHeatmapTarget', 'MultiItemProcess', 'CenterSpatialCrop',
    'CropValidClip', 'GestureRandomFlip', 'LoadVideoFromFile',
    'ModalWiseChannelProcess', 'MultiFrameBBoxMerge',
    'MultiModalVideoToTensor', 'RandomAlignedSpatialCrop',
    'ResizeGivenShortEdge', 'ResizedCropByBBox', 'TemporalPooling',
    'VideoColorJitter', 'VideoNormalizeTensor', 'CIDGenerateTarget'
}


def config_pipelines_029():
    """(config, split, pipeline) of every 0.29 config."""
    for path, manifest in sorted(packed_manifests('0.29').items()):
        for split, data in manifest['cfg'].get('data', {}).items():
            if not isinstance(data, dict):
                continue
            data = data.get('dataset', data) if 'pipeline' not in data \
                else data
            if data.get('pipeline'):
                yield path, split, data['pipeline']


def test_0_29_pipelines_of_0_14_families_build():
    checked = 0
    for path, split, pipeline in config_pipelines_029():
        if {step['type'] for step in pipeline} & OTHER_FAMILY_STEPS:
            continue
        if any(step['type'] == 'Albumentation' for step in pipeline):
            continue  # needs the optional albumentations package
        Compose(copy.deepcopy(pipeline))
        checked += 1
    assert checked > 900


def test_other_family_steps_are_the_only_unregistered_ones():
    used = {
        step['type']
        for _, _, pipeline in config_pipelines_029() for step in pipeline
    }
    missing = {t for t in used if t not in PIPELINES.module_dict}
    assert missing <= OTHER_FAMILY_STEPS


# ------------------------------------------------------ dataset_info arg
def coco(pipeline=(), test_mode=True, ann=None, **kwargs):
    return DATASETS.get('TopDownCocoDataset')(
        ann_file=ann or osp.join(COCO_DIR, 'test_coco.json'),
        img_prefix=COCO_DIR + '/',
        data_cfg=data_cfg(),
        pipeline=list(pipeline),
        test_mode=test_mode,
        **kwargs)


def test_dataset_info_keyword_and_0_29_positional_order():
    info = dataset_info_029('coco')
    cls = DATASETS.get('TopDownCocoDataset')
    positional = cls(
        osp.join(COCO_DIR, 'test_coco.json'), COCO_DIR + '/', data_cfg(), [],
        info, True)
    keyword = coco(dataset_info=info)
    plain = coco()
    for dataset in (positional, keyword):
        assert dataset.test_mode is True
        assert dataset.dataset_name == 'coco'
        assert dataset.ann_info['flip_pairs'] == plain.ann_info['flip_pairs']
        np.testing.assert_array_equal(dataset.sigmas, plain.sigmas)
        assert len(dataset) == len(plain)


def test_dataset_info_argument_replaces_the_class_table_per_instance():
    info = dataset_info_029('coco')
    for kid in ('1', '2'):  # eyes no longer swap
        info['keypoint_info'][kid]['swap'] = ''
    info['dataset_name'] = 'coco_custom'
    dataset = coco(dataset_info=info)
    assert [1, 2] not in dataset.ann_info['flip_pairs']
    assert dataset.ann_info['flip_index'][:3] == [0, 1, 2]
    assert dataset.dataset_name == 'coco_custom'
    assert dataset.db[0]['dataset'] == 'coco_custom'
    cls = DATASETS.get('TopDownCocoDataset')
    assert (1, 2) in cls.FLIP_PAIRS
    assert [1, 2] in coco().ann_info['flip_pairs']


def test_metadata_does_not_depend_on_the_working_directory(tmp_path):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        dataset = coco()
    finally:
        os.chdir(cwd)
    assert dataset.ann_info['num_joints'] == 17
    assert len(dataset.ann_info['flip_pairs']) == 8


def test_dataset_info_of_another_layout_is_refused():
    with pytest.raises(AssertionError, match='17'):
        coco(dataset_info=dataset_info_029('mpii'))


def test_body3d_reads_h36m_metadata():
    dataset = DATASETS.get('Body3DH36MDataset')(
        ann_file=osp.join(DATA, 'h36m', 'test_h36m_body3d.npz'),
        img_prefix=osp.join(DATA, 'h36m') + '/',
        data_cfg=dict(num_joints=17, seq_len=1, joint_2d_src='gt'),
        pipeline=[],
        test_mode=True,
        dataset_info=dataset_info_029('h36m'))
    assert dataset.ann_info['flip_pairs'] == [[1, 4], [2, 5], [3, 6],
                                              [11, 14], [12, 15], [13, 16]]
    assert dataset.ann_info['upper_body_ids'] == list(range(7, 17))


# --------------------------------------------------------- sample fields
def test_samples_carry_the_box_and_the_0_14_center_scale():
    dataset = coco()
    rec = dataset.db[0]
    out = TopDownGetBboxCenterScale(1.25)({
        'bbox': rec['bbox'],
        'ann_info': dataset.ann_info
    })
    np.testing.assert_allclose(out['center'], rec['center'], rtol=1e-6)
    np.testing.assert_allclose(out['scale'], rec['scale'], rtol=1e-6)


def test_mpii_samples_carry_the_box_of_their_center_scale():
    dataset = DATASETS.get('TopDownMpiiDataset')(
        ann_file=osp.join(DATA, 'mpii', 'test_mpii.json'),
        img_prefix=osp.join(DATA, 'mpii') + '/',
        data_cfg=data_cfg(16, image_size=[256, 256], heatmap_size=[64, 64]),
        pipeline=[],
        test_mode=True)
    for rec in dataset.db:
        out = TopDownGetBboxCenterScale(1.25)({
            'bbox': rec['bbox'],
            'ann_info': dataset.ann_info
        })
        np.testing.assert_allclose(out['center'], rec['center'], rtol=1e-5)
        np.testing.assert_allclose(out['scale'], rec['scale'], rtol=1e-5)


# ------------------------------------------------- 0.14 == 0.29 pipelines
def augment(head):
    return head + [
        dict(type='TopDownRandomFlip', flip_prob=0.5),
        dict(
            type='TopDownHalfBodyTransform',
            num_joints_half_body=8,
            prob_half_body=0.3),
        dict(
            type='TopDownGetRandomScaleRotation', rot_factor=40,
            scale_factor=0.5),
        dict(type='TopDownAffine'),
        dict(type='ToTensor'),
        dict(
            type='NormalizeTensor',
            mean=[0.485, 0.456, 0.406],
            std=[0.229, 0.224, 0.225]),
        dict(type='TopDownGenerateTarget', sigma=2),
        dict(
            type='Collect',
            keys=['img', 'target', 'target_weight'],
            meta_keys=['center', 'scale', 'rotation', 'flipped']),
    ]


PIPELINE_014 = augment([dict(type='LoadImageFromFile')])
PIPELINE_029 = augment([
    dict(type='LoadImageFromFile'),
    dict(type='TopDownGetBboxCenterScale', padding=1.25),
    dict(type='TopDownRandomShiftBboxCenter', shift_factor=0.16, prob=0.3),
])


@pytest.fixture
def one_person_coco(tmp_path):
    """Image 785 with its person's box made 3:4 after the 0.14 clipping
    (151 x 201 -> 150 x 200), where the 0.14 load-time center jitter and
    0.29's TopDownRandomShiftBboxCenter draw the same shift."""
    with open(osp.join(COCO_DIR, 'test_coco.json')) as f:
        coco_json = json.load(f)
    ann = next(a for a in coco_json['annotations'] if a['image_id'] == 785)
    ann['bbox'] = [280.79, 44.73, 151.0, 201.0]
    coco_json['annotations'] = [ann]
    coco_json['images'] = [
        i for i in coco_json['images'] if i['id'] == 785
    ]
    path = tmp_path / 'one_person.json'
    path.write_text(json.dumps(coco_json))
    return str(path)


def test_0_14_and_0_29_pipelines_give_the_same_sample(one_person_coco):
    shifted = 0
    for seed in range(8):
        np.random.seed(seed)  # the 0.14 jitter is drawn when loading
        old = coco(PIPELINE_014, test_mode=False, ann=one_person_coco)
        sample_014 = old[0]
        new = coco(
            PIPELINE_029,
            test_mode=False,
            ann=one_person_coco,
            dataset_info=dataset_info_029('coco'))
        np.random.seed(seed)  # the 0.29 shift is drawn in the pipeline
        sample_029 = new[0]
        meta_014 = sample_014['img_metas'].data
        meta_029 = sample_029['img_metas'].data
        for key in ('center', 'scale'):
            np.testing.assert_allclose(meta_029[key], meta_014[key],
                                       rtol=1e-5)
        assert meta_029['rotation'] == meta_014['rotation']
        assert meta_029['flipped'] == meta_014['flipped']
        np.testing.assert_allclose(
            sample_029['img'].numpy(), sample_014['img'].numpy(), atol=0.05)
        np.testing.assert_allclose(
            sample_029['target'], sample_014['target'], atol=1e-4)
        np.testing.assert_array_equal(sample_029['target_weight'],
                                      sample_014['target_weight'])
        box_center = np.array([280.79 + 75, 44.73 + 100])
        shifted += not np.allclose(old.db[0]['center'], box_center)
    assert 0 < shifted < 8  # some seeds shift the box, some do not


# ------------------------------------------------------ 0.29 base classes
TINY_INFO = dict(
    dataset_name='tiny',
    paper_info=dict(title='none'),
    keypoint_info={
        0: dict(name='head', id=0, color=[255, 0, 0], type='upper', swap=''),
        1: dict(name='left', id=1, color=[0, 255, 0], type='lower',
                swap='right'),
        2: dict(name='right', id=2, color=[0, 0, 255], type='lower',
                swap='left'),
    },
    skeleton_info={
        0: dict(link=('head', 'left'), id=0, color=[0, 255, 0]),
        1: dict(link=('head', 'right'), id=1, color=[0, 0, 255]),
    },
    joint_weights=[1., 1.5, 1.5],
    sigmas=[0.1, 0.1, 0.1])

TINY_JOINTS = np.array([[300., 100., 1.], [330., 300., 1.], [420., 300., 1.]])


class TinyDataset(Kpt2dSviewRgbImgTopDownDataset):
    """A user dataset written the 0.29 way."""

    def __init__(self,
                 ann_file,
                 img_prefix,
                 data_cfg,
                 pipeline,
                 dataset_info=None,
                 test_mode=False):
        super().__init__(
            ann_file,
            img_prefix,
            data_cfg,
            pipeline,
            dataset_info=dataset_info,
            coco_style=False,
            test_mode=test_mode)
        self.ann_info['use_different_joint_weights'] = False
        self.db = self._get_db()

    def _get_db(self):
        return [
            dict(
                image_file=IMAGE_785,
                bbox=[280.79, 44.73, 218.7, 346.68],
                rotation=0,
                joints_3d=np.concatenate(
                    [TINY_JOINTS[:, :2], np.zeros((3, 1))], axis=1),
                joints_3d_visible=np.ones((3, 3)),
                dataset=self.dataset_name,
                bbox_score=1,
                bbox_id=i) for i in range(2)
        ]

    def evaluate(self, outputs, res_folder, metric='PCK', **kwargs):
        kpts = [
            dict(keypoints=pred, bbox_id=bbox_id) for out in outputs
            for pred, bbox_id in zip(out['preds'], out['bbox_ids'])
        ]
        kpts = self._sort_and_unique_bboxes(kpts)
        res_file = osp.join(res_folder, 'result_keypoints.json')
        self._write_keypoint_results(kpts, res_file)
        return OrderedDict(self._report_metric(res_file, ['PCK', 'EPE']))


def tiny(pipeline=(), **kwargs):
    return TinyDataset(
        'unused.json',
        COCO_DIR,
        data_cfg(3, image_size=[192, 256], heatmap_size=[48, 64]),
        list(pipeline),
        dataset_info=kwargs.pop('dataset_info', TINY_INFO),
        **kwargs)


def test_0_29_style_subclass_gets_its_metadata():
    dataset = tiny()
    assert len(dataset) == 2
    assert dataset.dataset_name == 'tiny'
    assert dataset.ann_info['flip_pairs'] == [[1, 2]]
    assert dataset.ann_info['flip_index'] == [0, 2, 1]
    assert dataset.ann_info['skeleton'] == [[0, 1], [0, 2]]
    assert list(dataset.ann_info['upper_body_ids']) == [0]
    np.testing.assert_allclose(dataset.ann_info['joint_weights'][:, 0],
                               [1., 1.5, 1.5])
    np.testing.assert_allclose(dataset.sigmas, [0.1, 0.1, 0.1])


def test_0_29_style_subclass_runs_a_0_29_pipeline():
    dataset = tiny([
        dict(type='LoadImageFromFile'),
        dict(type='TopDownGetBboxCenterScale', padding=1.25),
        dict(type='TopDownAffine'),
        dict(type='ToTensor'),
        dict(type='Collect', keys=['img'], meta_keys=['center', 'scale']),
    ])
    sample = dataset[1]
    assert tuple(sample['img'].shape) == (3, 256, 192)
    # box center; 346.68 px high box at 3:4, padded by 1.25
    np.testing.assert_allclose(sample['img_metas'].data['center'],
                               [280.79 + 109.35, 44.73 + 173.34], rtol=1e-6)
    np.testing.assert_allclose(
        sample['img_metas'].data['scale'],
        [346.68 * 0.75 / 160, 346.68 / 160], rtol=1e-6)


def test_0_29_style_subclass_evaluates_through_the_0_29_helpers(tmp_path):
    dataset = tiny()
    preds = TINY_JOINTS.copy()
    preds[:, 0] += 3
    preds[:, 1] += 4  # 5 px off every joint
    outputs = [dict(preds=np.stack([preds, preds]), bbox_ids=[1, 0])]
    info = dataset.evaluate(outputs, str(tmp_path))
    assert info['EPE'] == pytest.approx(5.0)
    # within 0.2 x 346.68 px (the longer box side)
    assert info['PCK'] == pytest.approx(1.0)


def test_0_29_base_needs_dataset_info():
    with pytest.raises(ValueError, match='dataset_info'):
        tiny(dataset_info=None)


# ------------------------------------------------ 0.29 arguments of steps
def test_evaluate_without_res_folder_as_in_0_29():
    dataset = coco()
    outputs = [
        dict(
            preds=np.stack([rec['joints_3d'] for rec in dataset.db]),
            boxes=np.array([[*rec['center'], *rec['scale'], 1e4, 1.]
                            for rec in dataset.db]),
            image_paths=[rec['image_file'] for rec in dataset.db],
            bbox_ids=[rec['bbox_id'] for rec in dataset.db])
    ]
    for rec, pred in zip(dataset.db, outputs[0]['preds']):
        pred[:, 2] = rec['joints_3d_visible'][:, 0]
    info = dataset.evaluate(outputs, metric='mAP')
    assert info['AP'] == pytest.approx(1.0)


def test_relative_joint_flip_with_0_29_flip_cfg():
    flip = PIPELINES.build(
        dict(
            type='RelativeJointRandomFlip',
            item=['a', 'b'],
            flip_cfg=[
                dict(center_mode='static', center_x=0.),
                dict(center_mode='root', center_index=0)
            ],
            flip_prob=1.0))
    out = flip({
        'a': np.array([[0., 0.], [1., 5.], [2., 7.]]),
        'b': np.array([[10., 1.], [12., 2.], [15., 3.]]),
        'ann_info': {
            'flip_pairs': [[1, 2]]
        }
    })
    # x -> 0 - x, and x -> 2 * 10 - x; joints 1 and 2 swap
    np.testing.assert_allclose(out['a'], [[0., 0.], [-2., 7.], [-1., 5.]])
    np.testing.assert_allclose(out['b'], [[10., 1.], [5., 3.], [8., 2.]])


def test_multitask_gather_target_with_0_29_keys():
    gather = PIPELINES.build(
        dict(
            type='MultitaskGatherTarget',
            pipeline_list=[[dict(type='RenameKeys', key_pairs=[('a', 'x')])]],
            keys=['x']))
    assert gather({'a': 7})['x'] == [7]


def test_bottom_up_image_size_with_0_29_base_length():
    # 100 x 60 image, input 128: the short side becomes 128 and the long
    # side 128 / 60 * 100 = 213.3 rounds up to a multiple of base_length
    results = {'img': np.zeros((60, 100, 3)), 'ann_info': {'image_size': 128}}
    for base_length, width in ((32, 224), (64, 256)):
        out = PIPELINES.build(
            dict(
                type='BottomUpGetImgSize',
                test_scale_factor=[1],
                base_length=base_length))(copy.deepcopy(results))
        assert tuple(out['ann_info']['base_size']) == (width, 128)


def test_bottom_up_heatmaps_with_centers_and_background_weight():
    mask = np.ones((12, 12), dtype=bool)
    mask[0, 0] = False
    results = {
        'joints': [np.array([[[2., 2., 2.]]])],
        'center': [np.array([[[8., 8., 1.]]])],
        'mask': [mask],
        'ann_info': {
            'num_joints': 1,
            'heatmap_size': [12],
            'num_scales': 1
        },
    }
    out = PIPELINES.build(
        dict(
            type='BottomUpGenerateHeatmapTarget',
            sigma=[1, 2],
            bg_weight=0.1,
            gen_center_heatmap=True))(results)
    target, masks = out['target'][0], out['masks'][0]
    assert target.shape == (2, 12, 12)  # center heatmap first
    assert target[0, 8, 8] == pytest.approx(1.0)
    assert target[1, 2, 2] == pytest.approx(1.0)
    # foreground 1, background 0.1, masked-out 0
    assert masks[1, 2, 2] == 1 and masks[1, 11, 11] == pytest.approx(0.1)
    assert masks[1, 0, 0] == 0 and masks[0, 0, 0] == 0
    assert out['heatmaps'] is out['target']


def test_3d_heatmap_peak_is_max_bound():
    results = {
        'joints_3d': np.array([[4., 4., 0.]]),
        'joints_3d_visible': np.ones((1, 3)),
        'ann_info': {
            'image_size': np.array([8, 8]),
            'heatmap_size': np.array([8, 8, 8]),
            'heatmap3d_depth_bound': 1.0,
            'joint_weights': np.ones(1),
            'use_different_joint_weights': False
        },
    }
    for max_bound, peak in ((None, 10.), (255, 255.)):
        out = PIPELINES.build(
            dict(type='Generate3DHeatmapTarget', sigma=1,
                 max_bound=max_bound))(copy.deepcopy(results))
        assert out['target'].max() == pytest.approx(peak)


def test_0_29_lifting_base_reads_a_2d_to_3d_dataset():
    from mmpose.datasets.datasets.base import Kpt3dSviewKpt2dDataset

    class TinyLifting(Kpt3dSviewKpt2dDataset):

        def evaluate(self, outputs, res_folder=None, metric='mpjpe'):
            return {}

    dataset = TinyLifting(
        osp.join(DATA, 'h36m', 'test_h36m_body3d.npz'),
        osp.join(DATA, 'h36m') + '/',
        dict(num_joints=17, seq_len=1),
        pipeline=[],
        dataset_info=dataset_info_029('h36m'))
    assert len(dataset) == 4
    assert dataset[0]['target'].shape == (17, 3)
    assert dataset.ann_info['flip_pairs'][0] == [1, 4]


def test_0_29_multiview_base_groups_the_views_of_a_scene():
    from mmpose.datasets.datasets.base import Kpt3dMviewRgbImgDirectDataset

    class TinyMultiView(Kpt3dMviewRgbImgDirectDataset):

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.db = [dict(view=v, scene=s) for s in range(3)
                       for v in range(2)]

    dataset = TinyMultiView(
        'unused.json',
        '',
        dict(
            image_size=[96, 64],
            heatmap_size=[[24, 16]],
            num_joints=17,
            num_cameras=2,
            space_size=[8000, 8000, 2000]),
        pipeline=[],
        dataset_info=dataset_info_029('coco'))
    assert len(dataset) == 3
    sample = dataset[2]
    assert [sample[v]['view'] for v in (0, 1)] == [0, 1]
    assert {sample[v]['scene'] for v in (0, 1)} == {2}
    assert sample[0]['ann_info']['space_size'] == [8000, 8000, 2000]


def test_every_keypoint_dataset_takes_dataset_info():
    import inspect

    from mmpose.datasets.datasets.base import KeypointBaseDataset
    from mmpose.datasets.datasets.body3d import Body3DBaseDataset
    names = [
        name for name, cls in DATASETS.module_dict.items()
        if issubclass(cls, (KeypointBaseDataset, Body3DBaseDataset))
    ]
    assert len(names) >= 30
    for name in names:
        cls = DATASETS.get(name)
        params = inspect.signature(cls.__init__).parameters
        if 'args' in params:  # deprecated aliases forward everything
            cls = cls.__mro__[1]
            params = inspect.signature(cls.__init__).parameters
        assert params['dataset_info'].default is None, name


def test_deepfashion_in_0_29_positional_order():
    cls = DATASETS.get('DeepFashionDataset')
    args = (osp.join(DATA, 'fld', 'test_fld.json'), osp.join(DATA, 'fld') +
            '/', data_cfg(8, image_size=[192, 256]), [])
    new = cls(*args, 'full', dataset_info_029('deepfashion_full'), True)
    old = cls(args[0], args[1], 'full', args[2], args[3], True)
    for dataset in (new, old):
        assert dataset.subset == 'full' and dataset.test_mode is True
        assert dataset.ann_info['flip_pairs'] == [[0, 1], [2, 3], [4, 5],
                                                  [6, 7]]
        assert dataset.dataset_name == 'deepfashion_full'


def test_deepfashion_0_29_calls_without_test_mode_or_subset():
    cls = DATASETS.get('DeepFashionDataset')
    ann, prefix = (osp.join(DATA, 'fld', 'test_fld.json'),
                   osp.join(DATA, 'fld') + '/')
    cfg, info = data_cfg(8, image_size=[192, 256]), dataset_info_029(
        'deepfashion_full')
    positional = cls(ann, prefix, cfg, [], 'full', info)
    assert positional.test_mode is False and positional.subset == 'full'
    # 0.29 gave subset a default: unused once dataset_info is given
    for dataset in (cls(ann, prefix, cfg, [], dataset_info=info),
                    cls(ann_file=ann, img_prefix=prefix, data_cfg=cfg,
                        pipeline=[], dataset_info=info, test_mode=True)):
        assert dataset.dataset_name == 'deepfashion_full'
        assert dataset.ann_info['num_joints'] == 8
    with pytest.raises(ValueError, match='left empty when dataset_info'):
        cls(ann, prefix, cfg, [])
    with pytest.raises(TypeError, match='needs data_cfg and pipeline'):
        cls(ann, prefix, 'full', cfg)


# ------------------------------------------- whole 0.29 dataset configs
@pytest.mark.parametrize('config, ann, prefix, split, keys', [
    ('body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/res50_coco_256x192',
     'coco/test_coco.json', 'coco', 'train', {'img': (3, 256, 192),
                                              'target': (17, 64, 48)}),
    ('body/2d_kpt_sview_rgb_img/topdown_heatmap/mpii/res50_mpii_256x256',
     'mpii/test_mpii.json', 'mpii', 'train', {'img': (3, 256, 256),
                                              'target': (16, 64, 64)}),
    ('body/2d_kpt_sview_rgb_img/associative_embedding/coco/'
     'higherhrnet_w32_coco_512x512', 'coco/test_coco.json', 'coco', 'train',
     {'img': (3, 512, 512)}),
])
def test_0_29_dataset_configs_give_samples(config, ann, prefix, split, keys):
    from mmpose.datasets import build_dataset
    cfg = copy.deepcopy(packed_manifests('0.29')[config + '.json']['cfg'])
    data = cfg['data'][split]
    data.update(
        ann_file=osp.join(DATA, ann), img_prefix=osp.join(DATA, prefix) + '/')
    data['data_cfg']['use_gt_bbox'] = True
    np.random.seed(0)
    sample = build_dataset(data)[0]
    for key, shape in keys.items():
        assert tuple(np.shape(sample[key])) == shape, key
