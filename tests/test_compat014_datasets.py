"""Datasets and pipelines as MMPose 0.14 code uses them: the exception
classes it catches, the inputs it passes (boolean masks, 1-based
skeletons, positional ``test_mode``) and its module paths."""
import os.path as osp

import numpy as np
import pytest

from mmpose.datasets import DATASETS, PIPELINES, build_dataset
from mmpose.datasets.pipelines import (BottomUpGeneratePAFTarget,
                                       BottomUpRandomAffine,
                                       BottomUpRandomFlip, Compose)

DATA = osp.join(osp.dirname(__file__), 'data')


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


def coco(test_mode=True, num_joints=17, **kwargs):
    return DATASETS.get('TopDownCocoDataset')(
        osp.join(DATA, 'coco', 'test_coco.json'),
        osp.join(DATA, 'coco') + '/', data_cfg(num_joints, **kwargs), [],
        test_mode)


# ------------------------------------------------------------ module paths
def test_registry_module_path_exposes_the_builder_registries():
    import mmpose.datasets.builder as builder
    import mmpose.datasets.registry as registry
    assert registry.DATASETS is builder.DATASETS is DATASETS
    assert registry.PIPELINES is PIPELINES


# ------------------------------------------------------- exception classes
@pytest.mark.parametrize('type_, ann, prefix, num_joints', [
    ('TopDownOCHumanDataset', 'ochuman/test_ochuman.json', 'ochuman', 17),
    ('TopDownAicDataset', 'aic/test_aic.json', 'aic', 14),
    ('TopDownMhpDataset', 'mhp/test_mhp.json', 'mhp', 16),
    ('AnimalMacaqueDataset', 'macaque/test_macaque.json', 'macaque', 17),
])
def test_gt_box_only_datasets_assert_on_detected_boxes(
        type_, ann, prefix, num_joints):
    cfg = dict(
        type=type_,
        ann_file=osp.join(DATA, ann),
        img_prefix=osp.join(DATA, prefix) + '/',
        data_cfg=data_cfg(num_joints, use_gt_bbox=False),
        pipeline=[],
        test_mode=True)
    with pytest.raises(AssertionError, match='use_gt_bbox'):
        build_dataset(cfg)
    with pytest.raises(ValueError):
        build_dataset(cfg)


def test_detected_boxes_without_bbox_file_assert():
    with pytest.raises(AssertionError, match='bbox_file'):
        coco(use_gt_bbox=False, bbox_file='')


def test_unsupported_metric_is_a_key_error_and_an_assertion():
    dataset = coco()
    with pytest.raises(KeyError, match='PCK'):
        dataset.evaluate([], None, 'PCK')
    with pytest.raises(AssertionError):
        dataset.evaluate([], None, 'PCK')


def test_wrong_num_joints_asserts():
    with pytest.raises(AssertionError, match='17'):
        coco(num_joints=16)


def test_compose_of_a_non_list_is_a_type_error_and_an_assertion():
    with pytest.raises(TypeError):
        Compose('LoadImageFromFile')
    with pytest.raises(AssertionError):
        Compose('LoadImageFromFile')


# -------------------------------------------------------- 0.14 call forms
def test_positional_test_mode_of_0_14():
    assert coco(test_mode=True).test_mode is True
    assert coco(test_mode=False).test_mode is False


def test_coco_metadata_is_that_of_0_14():
    ann_info = coco().ann_info
    assert ann_info['flip_pairs'] == [[1, 2], [3, 4], [5, 6], [7, 8],
                                      [9, 10], [11, 12], [13, 14], [15, 16]]
    assert list(ann_info['upper_body_ids']) == list(range(11))
    assert list(ann_info['lower_body_ids']) == list(range(11, 17))
    np.testing.assert_allclose(
        ann_info['joint_weights'][:, 0],
        [1, 1, 1, 1, 1, 1, 1, 1.2, 1.2, 1.5, 1.5, 1, 1, 1.2, 1.2, 1.5, 1.5])
    np.testing.assert_allclose(
        coco().sigmas * 10, [
            .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07,
            1.07, .87, .87, .89, .89
        ])


def test_0_14_samples_keep_their_padded_center_and_scale():
    # first instance of image 785: box [280.79, 44.73, 218.7, 346.68],
    # clipped to w - 1 and h - 1 as 0.14 did, widened to 192:256 and
    # padded by 1.25
    rec = coco().db[0]
    w, h = 217.7, 345.68
    np.testing.assert_allclose(rec['center'], [280.79 + w / 2, 44.73 + h / 2],
                               rtol=1e-6)
    np.testing.assert_allclose(rec['scale'],
                               [h * 0.75 / 200 * 1.25, h / 200 * 1.25],
                               rtol=1e-6)
    np.testing.assert_allclose(rec['bbox'], [280.79, 44.73, w, h])


# ----------------------------------------------------- bottom-up inputs
def flip_results(mask):
    joints = np.array([[[1., 0., 2.], [3., 1., 2.]]])
    return {
        'img': np.arange(2 * 4 * 3, dtype=np.uint8).reshape(2, 4, 3),
        'mask': [mask],
        'joints': [joints],
        'ann_info': {
            'heatmap_size': [4],
            'flip_index': [1, 0]
        },
    }


def test_bottom_up_flip_takes_boolean_masks():
    mask = np.array([[True, False, False, False],
                     [True, True, False, False]])
    out = BottomUpRandomFlip(flip_prob=1.0)(flip_results(mask.copy()))
    assert out['mask'][0].dtype == np.bool_
    np.testing.assert_array_equal(
        out['mask'][0], [[False, False, False, True],
                         [False, False, True, True]])
    # joints swap places (flip_index) and x -> 4 - 1 - x
    np.testing.assert_array_equal(out['joints'][0],
                                  [[[0., 1., 2.], [2., 0., 2.]]])


def test_bottom_up_affine_takes_boolean_masks():
    np.random.seed(0)
    mask = np.zeros((40, 60), dtype=bool)
    mask[:, 30:] = True
    results = flip_results(mask)
    results['img'] = np.zeros((40, 60, 3), dtype=np.uint8)
    results['ann_info'].update(image_size=np.array(32), num_joints=2)
    out = BottomUpRandomAffine(0, [1.0, 1.0], 'long', 0)(results)
    # no rotation or scaling: the 60 px side fills the 4 cells, the right
    # half stays kept
    np.testing.assert_array_equal(out['mask'][0][1:3],
                                  [[0., 0., 1., 1.], [0., 0., 1., 1.]])


def paf_results(skeleton):
    # 3 joints on a 5 x 5 map; joint 0 at (1, 2), joint 2 at (3, 2)
    joints = np.array([[[1., 2., 2.], [0., 0., 0.], [3., 2., 2.]]])
    return {
        'mask': [np.ones((5, 5), dtype=bool)],
        'joints': [joints],
        'ann_info': {
            'skeleton': skeleton,
            'heatmap_size': np.array([5]),
            'num_joints': 3,
            'num_scales': 1
        },
    }


@pytest.mark.parametrize('skeleton', [[[1, 3]], [[0, 2]]],
                         ids=['1-based (0.14)', '0-based (0.29)'])
def test_paf_target_reads_both_skeleton_conventions(skeleton):
    target = BottomUpGeneratePAFTarget(limb_width=1)(
        paf_results(skeleton))['target'][0]
    # horizontal limb: unit vector (1, 0) on the cells closer than 1 to
    # the line y = 2, i.e. row 2, columns 0..4 (the box grown by 1)
    expected_x = np.zeros((5, 5), dtype=np.float32)
    expected_x[2, :] = 1
    np.testing.assert_array_equal(target[0], expected_x)
    np.testing.assert_array_equal(target[1], np.zeros((5, 5)))


def test_paf_target_refuses_an_ambiguous_skeleton():
    # joints 1 and 2 of 3: 0-based (1 -> 2) or 1-based (0 -> 1)?
    with pytest.raises(AssertionError, match='index_base'):
        BottomUpGeneratePAFTarget(limb_width=1)(paf_results([[1, 2]]))
    out = BottomUpGeneratePAFTarget(limb_width=1, index_base=1)(
        paf_results([[1, 2]]))
    # 1-based [1, 2] is joint 0 -> joint 1, and joint 1 is not labelled
    assert not out['target'][0].any()


def _posetrack18(dataset_info=None):
    from mmpose.datasets.metadata import load_dataset_info
    info = None if dataset_info is None else load_dataset_info(dataset_info)
    return DATASETS.get('TopDownPoseTrack18Dataset')(
        osp.join(DATA, 'posetrack18', 'test_posetrack18.json'),
        osp.join(DATA, 'posetrack18') + '/', data_cfg(17), [], True,
        dataset_info=info)


def test_posetrack18_without_dataset_info_flips_as_0_14():
    # 0.14's PoseTrack18 reused COCO's pairs: head_bottom (1) <-> head_top
    # (2) like COCO's eyes; 0.29's table does not mirror them.
    pairs_014 = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14],
                 [15, 16]]
    assert [list(p) for p in _posetrack18().ann_info['flip_pairs']
            ] == pairs_014
    assert [list(p) for p in _posetrack18('posetrack18').ann_info[
        'flip_pairs']] == pairs_014[1:]


def test_wholebody_lower_body_of_0_14_is_the_legs_only():
    cls = DATASETS.get('TopDownCocoWholeBodyDataset')
    assert tuple(cls.LOWER_BODY_IDS) == (11, 12, 13, 14, 15, 16)
