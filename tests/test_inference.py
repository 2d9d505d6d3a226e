"""mmpose.apis inference: init_pose_model, top-down and bottom-up inference,
dataset metadata (flip pairs, styles) and vis_pose_result."""
import os.path as osp
import warnings

import mmcv
import numpy as np
import pytest
import torch

from mmpose.apis import (inference_bottom_up_pose_model,
                         inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)
from mmpose.apis.dataset_meta import (dataset_names, get_dataset_meta,
                                      get_dataset_metas, get_flip_pairs)
from mmpose.apis.inference import _box2cs, _xywh2xyxy, _xyxy2xywh

DATA = osp.join(osp.dirname(__file__), 'data', 'demo')
TOP_DOWN_CFG = osp.join(DATA, 'tiny_top_down_coco.py')
BOTTOM_UP_CFG = osp.join(DATA, 'tiny_bottom_up_coco.py')
IMG = osp.join(DATA, '000000196141.jpg')
# Ground-truth person boxes (xywh) of IMG from the COCO annotations.
BOXES_XYWH = np.array([[247.76, 74.23, 169.67, 300.78],
                       [555.57, 99.84, 48.32, 113.05],
                       [453.77, 206.81, 177.23, 210.87]], dtype=np.float32)


@pytest.fixture(scope='module')
def top_down_model():
    torch.manual_seed(0)
    return init_pose_model(TOP_DOWN_CFG, device='cpu')


@pytest.fixture(scope='module')
def bottom_up_model():
    torch.manual_seed(0)
    return init_pose_model(BOTTOM_UP_CFG, device='cpu')


def person_results(scores=(0.9, 0.5, 0.8)):
    return [{'bbox': np.append(b, s), 'track_id': i}
            for i, (b, s) in enumerate(zip(BOXES_XYWH, scores))]


# ----------------------------------------------------------- init_pose_model
def test_init_pose_model_clears_pretrained_and_keeps_cfg():
    cfg = mmcv.Config.fromfile(TOP_DOWN_CFG)
    cfg.model.pretrained = 'torchvision://resnet50'  # must not download
    model = init_pose_model(cfg, device='cpu')
    assert model.cfg.model.pretrained is None
    assert not model.training
    assert next(model.parameters()).device.type == 'cpu'


@pytest.mark.skipif(torch.cuda.is_available(), reason='CUDA present')
def test_init_pose_model_falls_back_to_cpu_with_warning():
    with pytest.warns(UserWarning, match='CUDA is not available'):
        model = init_pose_model(TOP_DOWN_CFG)  # default device 'cuda:0'
    assert next(model.parameters()).device.type == 'cpu'


def test_init_pose_model_loads_checkpoint(tmp_path, top_down_model):
    path = str(tmp_path / 'tiny.pth')
    torch.save({'state_dict': top_down_model.state_dict()}, path)
    torch.manual_seed(123)
    model = init_pose_model(TOP_DOWN_CFG, path, device='cpu')
    for (name, a), b in zip(top_down_model.state_dict().items(),
                            model.state_dict().values()):
        assert torch.equal(a, b), name


def test_init_pose_model_rejects_bad_config(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.py'):
        init_pose_model(str(tmp_path / 'nope.py'), device='cpu')
    with pytest.raises(TypeError, match='mmcv.Config'):
        init_pose_model(dict(model=dict(type='TopDown')), device='cpu')


# ------------------------------------------------------------ box helpers
def test_box_conversions_round_trip():
    xyxy = np.array([[10., 20., 59., 119., 0.7]])
    xywh = _xyxy2xywh(xyxy)
    np.testing.assert_allclose(xywh, [[10., 20., 50., 100., 0.7]])
    np.testing.assert_allclose(_xywh2xyxy(xywh), xyxy)


def test_box2cs_pads_to_aspect_ratio():
    center, scale = _box2cs([192, 256], np.array([[0., 0., 100., 100.],
                                                  [0., 0., 30., 200.]]))
    np.testing.assert_allclose(center, [[50., 50.], [15., 100.]])
    # widen the square box to 3:4 (w/h = 0.75): h = 100 / 0.75
    np.testing.assert_allclose(
        scale, [[100 / 200 * 1.25, 100 / 0.75 / 200 * 1.25],
                [150 / 200 * 1.25, 200 / 200 * 1.25]], rtol=1e-6)


# ---------------------------------------------------------------- top-down
def test_top_down_one_result_per_box(top_down_model):
    results, outputs = inference_top_down_pose_model(
        top_down_model, IMG, person_results(), format='xywh')
    assert len(results) == 3
    assert outputs == [{}]
    for i, res in enumerate(results):
        assert res['keypoints'].shape == (17, 3)
        assert res['track_id'] == i  # other person fields are carried over
        np.testing.assert_allclose(res['bbox'][:4],
                                   _xywh2xyxy(BOXES_XYWH[i:i + 1])[0],
                                   rtol=1e-6)
        assert res['bbox'][4] == pytest.approx([0.9, 0.5, 0.8][i])
        # Keypoints lie in the padded crop of their box.
        center, scale = _box2cs([96, 128], BOXES_XYWH[i:i + 1])
        half = scale[0] * 200 / 2
        kpts = res['keypoints'][:, :2]
        assert (np.abs(kpts - center[0]) <= half + 1e-3).all()


def test_top_down_batch_matches_single_boxes(top_down_model):
    batched, _ = inference_top_down_pose_model(top_down_model, IMG,
                                               person_results())
    for i, person in enumerate(person_results()):
        single, _ = inference_top_down_pose_model(top_down_model, IMG,
                                                  [person])
        np.testing.assert_allclose(single[0]['keypoints'],
                                   batched[i]['keypoints'], rtol=1e-4,
                                   atol=1e-4)


def test_top_down_xyxy_and_xywh_agree(top_down_model):
    xywh, _ = inference_top_down_pose_model(top_down_model, IMG,
                                            person_results(), format='xywh')
    boxes_xyxy = _xywh2xyxy(np.stack([p['bbox'] for p in person_results()]))
    xyxy, _ = inference_top_down_pose_model(
        top_down_model, IMG, [{'bbox': b} for b in boxes_xyxy],
        format='xyxy')
    for a, b in zip(xywh, xyxy):
        np.testing.assert_allclose(a['keypoints'], b['keypoints'], rtol=1e-5,
                                   atol=1e-4)
        np.testing.assert_allclose(a['bbox'], b['bbox'], rtol=1e-6)


def test_top_down_image_array_equals_path(top_down_model):
    from_path, _ = inference_top_down_pose_model(top_down_model, IMG,
                                                 person_results())
    from_array, _ = inference_top_down_pose_model(top_down_model,
                                                  mmcv.imread(IMG),
                                                  person_results())
    for a, b in zip(from_path, from_array):
        np.testing.assert_allclose(a['keypoints'], b['keypoints'], atol=1e-5)


def test_top_down_bbox_thr_filters(top_down_model):
    results, _ = inference_top_down_pose_model(
        top_down_model, IMG, person_results(), bbox_thr=0.6)
    assert [r['track_id'] for r in results] == [0, 2]
    results, outputs = inference_top_down_pose_model(
        top_down_model, IMG, person_results(), bbox_thr=0.95)
    assert results == [] and outputs == []
    with pytest.raises(ValueError, match='score'):
        inference_top_down_pose_model(
            top_down_model, IMG, [{'bbox': BOXES_XYWH[0]}], bbox_thr=0.5)


def test_top_down_empty_person_results(top_down_model):
    assert inference_top_down_pose_model(top_down_model, IMG, []) == ([], [])


def test_top_down_return_heatmap_and_outputs(top_down_model):
    results, outputs = inference_top_down_pose_model(
        top_down_model, IMG, person_results(), return_heatmap=True,
        outputs=['backbone.layer1', 'keypoint_head.final_layer'])
    assert len(outputs) == 1
    out = outputs[0]
    assert set(out) == {'heatmap', 'backbone.layer1',
                        'keypoint_head.final_layer'}
    assert out['heatmap'].shape == (3, 17, 16, 12)
    # layer1 of the tiny ResNet: 8 channels at 1/4 of 128x96.
    assert out['backbone.layer1'].shape == (3, 8, 32, 24)
    assert isinstance(out['backbone.layer1'], np.ndarray)
    # The head output of the unflipped crops; flip testing averages it with
    # the flipped one into the returned heatmap.
    assert out['keypoint_head.final_layer'].shape == (3, 17, 16, 12)
    # The maximum of each returned heatmap is the keypoint score.
    np.testing.assert_allclose(
        out['heatmap'].reshape(3, 17, -1).max(-1),
        np.stack([r['keypoints'][:, 2] for r in results]), rtol=1e-4,
        atol=1e-6)


def test_top_down_unknown_layer_name(top_down_model):
    with pytest.raises(ValueError, match='no_such_layer'):
        inference_top_down_pose_model(top_down_model, IMG, person_results(),
                                      outputs=['no_such_layer'])


def test_top_down_flip_test_uses_dataset_flip_pairs(top_down_model):
    # Same K, same flip pairs: COCO and OCHuman agree; PoseTrack18 (head
    # bottom/top at 1 and 2, not mirrored) differs there; a wrong K is
    # refused clearly.
    coco, _ = inference_top_down_pose_model(top_down_model, IMG,
                                            person_results())
    ochuman, _ = inference_top_down_pose_model(
        top_down_model, IMG, person_results(),
        dataset='TopDownOCHumanDataset')
    np.testing.assert_allclose(coco[0]['keypoints'],
                               ochuman[0]['keypoints'])
    posetrack, _ = inference_top_down_pose_model(
        top_down_model, IMG, person_results(),
        dataset='TopDownPoseTrack18Dataset')
    assert not np.allclose(coco[0]['keypoints'][1:3],
                           posetrack[0]['keypoints'][1:3])
    np.testing.assert_allclose(coco[0]['keypoints'][3:],
                               posetrack[0]['keypoints'][3:])
    with pytest.raises(ValueError, match='16 keypoints.*17'):
        inference_top_down_pose_model(top_down_model, IMG, person_results(),
                                      dataset='TopDownMpiiDataset')


# ---------------------------------------------------------------- bad input
def test_missing_image_path(top_down_model, tmp_path):
    missing = str(tmp_path / 'missing.jpg')
    with pytest.raises(FileNotFoundError, match='missing.jpg'):
        inference_top_down_pose_model(top_down_model, missing,
                                      person_results())


def test_undecodable_image(top_down_model, tmp_path):
    broken = tmp_path / 'broken.jpg'
    broken.write_bytes(b'this is not a jpeg')
    with pytest.raises(OSError, match='broken.jpg'):
        inference_top_down_pose_model(top_down_model, str(broken),
                                      person_results())


def test_zero_or_negative_boxes_are_skipped_with_warning(top_down_model):
    people = person_results() + [{'bbox': [10, 10, 0, 30, 0.9]},
                                 {'bbox': [10, 10, 20, -5, 0.9]}]
    with pytest.warns(UserWarning, match='zero or negative size'):
        results, _ = inference_top_down_pose_model(top_down_model, IMG,
                                                   people)
    assert len(results) == 3
    with pytest.warns(UserWarning, match='zero or negative size'):
        results, outputs = inference_top_down_pose_model(
            top_down_model, IMG, [{'bbox': [50, 50, 40, 80]}],
            format='xyxy')
    assert results == [] and outputs == []


def test_malformed_boxes_are_refused(top_down_model):
    with pytest.raises(ValueError, match='4 values'):
        inference_top_down_pose_model(top_down_model, IMG,
                                      [{'bbox': [1, 2, 3]}])
    with pytest.raises(KeyError, match='bbox'):
        inference_top_down_pose_model(top_down_model, IMG, [{'box': 1}])
    with pytest.raises(ValueError, match='format'):
        inference_top_down_pose_model(top_down_model, IMG, person_results(),
                                      format='cxcywh')


def test_model_of_another_type_is_refused(top_down_model, bottom_up_model):
    with pytest.raises(TypeError, match="TopDown model.*'BottomUp'"):
        inference_top_down_pose_model(bottom_up_model, IMG, person_results())
    with pytest.raises(TypeError, match="BottomUp model.*'TopDown'"):
        inference_bottom_up_pose_model(top_down_model, IMG)


def test_bad_image_array(top_down_model):
    with pytest.raises(ValueError, match='shape'):
        inference_top_down_pose_model(top_down_model,
                                      np.zeros((4, 4, 2), np.uint8),
                                      person_results())


# --------------------------------------------------------------- bottom-up
def test_bottom_up_returns_per_person_results(bottom_up_model):
    results, outputs = inference_bottom_up_pose_model(
        bottom_up_model, IMG, return_heatmap=True, outputs=['backbone'])
    h, w = mmcv.imread(IMG).shape[:2]
    assert 1 <= len(results) <= 5  # max_num_people
    scores = [r['score'] for r in results]
    assert scores == sorted(scores, reverse=True)
    for res in results:
        assert res['keypoints'].shape == (17, 3)
        kpts = res['keypoints']
        extent = kpts[:, :2].max(0) - kpts[:, :2].min(0)
        assert res['area'] == pytest.approx(extent[0] * extent[1], rel=1e-5)
        # Keypoints map back into the image frame (with some slack for the
        # resize-and-align padding).
        assert (kpts[:, 0] > -w * 0.1).all() and (kpts[:, 0] < w * 1.1).all()
        assert (kpts[:, 1] > -h * 0.1).all() and (kpts[:, 1] < h * 1.1).all()
    out = outputs[0]
    assert out['heatmap'].ndim == 4 and out['heatmap'].shape[1] == 17
    assert out['backbone'].shape[:2] == (1, 64)


def test_bottom_up_bad_images(bottom_up_model, tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.jpg'):
        inference_bottom_up_pose_model(bottom_up_model,
                                       str(tmp_path / 'missing.jpg'))
    broken = tmp_path / 'broken.png'
    broken.write_bytes(b'\x89PNG broken')
    with pytest.raises(OSError, match='broken.png'):
        inference_bottom_up_pose_model(bottom_up_model, str(broken))


def test_bottom_up_image_array_equals_path(bottom_up_model):
    from_path, _ = inference_bottom_up_pose_model(bottom_up_model, IMG)
    from_array, _ = inference_bottom_up_pose_model(bottom_up_model,
                                                   mmcv.imread(IMG))
    assert len(from_path) == len(from_array)
    for a, b in zip(from_path, from_array):
        np.testing.assert_allclose(a['keypoints'], b['keypoints'], atol=1e-4)


def test_bottom_up_pose_nms_removes_overlaps(bottom_up_model):
    loose, _ = inference_bottom_up_pose_model(bottom_up_model, IMG,
                                              pose_nms_thr=1.0)
    strict, _ = inference_bottom_up_pose_model(bottom_up_model, IMG,
                                               pose_nms_thr=0.0)
    assert len(strict) <= len(loose)
    assert len(strict) >= 1


# ---------------------------------------------------------- dataset metadata
@pytest.mark.parametrize('name', dataset_names())
def test_flip_pairs_are_valid(name):
    for meta in get_dataset_metas(name):
        pairs = np.asarray(meta.flip_pairs, dtype=int).reshape(-1, 2)
        flat = pairs.reshape(-1)
        assert len(set(flat.tolist())) == flat.size  # each index once
        assert (pairs[:, 0] != pairs[:, 1]).all()
        assert flat.size == 0 or flat.max() < meta.num_keypoints


# Flip pairs per dataset name against the 0.29 dataset_info tables: see
# test_dataset_facts.py.


@pytest.mark.parametrize('name, num_keypoints, some_pair', [
    ('TopDownCocoDataset', 17, [1, 2]),
    ('TopDownOCHumanDataset', 17, [15, 16]),
    ('AnimalMacaqueDataset', 17, [5, 6]),
    ('TopDownCocoWholeBodyDataset', 133, [111, 132]),
    ('TopDownAicDataset', 14, [0, 3]),
    ('TopDownMpiiDataset', 16, [10, 15]),
    ('TopDownMpiiTrbDataset', 40, [33, 39]),
    ('TopDownCrowdPoseDataset', 14, [10, 11]),
    ('OneHand10KDataset', 21, None),
    ('InterHand2DDataset', 21, None),
    ('Face300WDataset', 68, [0, 16]),
    ('FaceWFLWDataset', 98, [96, 97]),
    ('FaceAFLWDataset', 19, [15, 17]),
    ('FaceCOFWDataset', 29, [22, 23]),
    ('AnimalFlyDataset', 32, [30, 31]),
    ('AnimalLocustDataset', 35, [19, 34]),
    ('AnimalZebraDataset', 9, [5, 6]),
    ('AnimalHorse10Dataset', 22, None),
    ('AnimalATRWDataset', 15, [9, 12]),
    ('AnimalPoseDataset', 20, [18, 19]),
])
def test_known_flip_pairs(name, num_keypoints, some_pair):
    pairs = get_flip_pairs(name, num_keypoints)
    if some_pair is None:
        assert pairs == []
    else:
        assert some_pair in pairs


def test_deepfashion_layout_is_picked_by_keypoint_count():
    assert get_flip_pairs('DeepFashionDataset', 6) == [[0, 1], [2, 3], [4, 5]]
    assert get_flip_pairs('DeepFashionDataset', 4) == [[0, 1], [2, 3]]
    assert len(get_flip_pairs('DeepFashionDataset', 8)) == 4
    try:
        from mmpose.datasets.datasets.fashion.deepfashion_dataset import \
            SUBSETS
    except ImportError:
        return
    for subset in SUBSETS.values():
        assert get_flip_pairs('DeepFashionDataset', subset['num_joints']) == [
            list(p) for p in subset['flip_pairs']
        ]


def test_unknown_dataset_name_lists_known_ones():
    # 0.x raised NotImplementedError for a dataset name it did not know
    with pytest.raises(NotImplementedError, match='TopDownCocoDataset'):
        get_flip_pairs('NoSuchDataset')


# ---------------------------------------------------------- vis_pose_result
def test_vis_pose_result_writes_image(top_down_model, tmp_path):
    results, _ = inference_top_down_pose_model(top_down_model, IMG,
                                               person_results())
    for res in results:  # make every keypoint confident enough to draw
        res['keypoints'][:, 2] = 1.0
    out_file = str(tmp_path / 'vis.jpg')
    img = mmcv.imread(IMG)
    drawn = vis_pose_result(top_down_model, IMG, results, out_file=out_file)
    assert osp.isfile(out_file)
    assert drawn.shape == img.shape
    assert (drawn != img).any(axis=2).sum() > 500
    assert mmcv.imread(out_file).shape == img.shape


def test_vis_pose_result_respects_score_threshold(top_down_model):
    img = mmcv.imread(IMG)
    kpts = np.zeros((17, 3), np.float32)
    kpts[:, 0] = np.linspace(300, 400, 17)
    kpts[:, 1] = np.linspace(100, 300, 17)
    kpts[:, 2] = 0.1
    drawn = vis_pose_result(top_down_model, img, [{'keypoints': kpts}],
                            kpt_score_thr=0.3)
    assert (drawn == img).all()
    kpts[:, 2] = 0.9
    drawn = vis_pose_result(top_down_model, img, [{'keypoints': kpts}])
    assert (drawn != img).any()


@pytest.mark.parametrize('name', dataset_names())
def test_vis_pose_result_every_dataset_family(top_down_model, name):
    img = np.zeros((200, 200, 3), np.uint8)
    meta = get_dataset_meta(name)
    k = meta.num_keypoints
    angle = np.linspace(0, 2 * np.pi, k, endpoint=False)
    kpts = np.stack([100 + 60 * np.cos(angle), 100 + 60 * np.sin(angle),
                     np.full(k, 0.9)], axis=1).astype(np.float32)
    drawn = vis_pose_result(top_down_model, img, [{'keypoints': kpts}],
                            dataset=name)
    assert drawn.any()
    assert meta.pose_kpt_color.shape == (k, 3)
    assert meta.pose_limb_color.shape == (len(meta.skeleton), 3)


def test_vis_pose_result_face_draws_low_scores(top_down_model):
    img = np.zeros((100, 100, 3), np.uint8)
    kpts = np.concatenate([np.random.RandomState(0).uniform(10, 90, (68, 2)),
                           np.full((68, 1), 0.01)], axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        # drawing by dataset name: 0.29's DeprecationWarning only
        warnings.simplefilter('ignore', DeprecationWarning)
        drawn = vis_pose_result(top_down_model, img, [{'keypoints': kpts}],
                                dataset='Face300WDataset')
    assert drawn.any()  # faces draw every landmark (threshold 0)


def test_vis_pose_result_wrong_keypoint_count(top_down_model):
    with pytest.raises(ValueError, match='17 keypoints.*5'):
        vis_pose_result(top_down_model, np.zeros((50, 50, 3), np.uint8),
                        [{'keypoints': np.ones((5, 3))}])
