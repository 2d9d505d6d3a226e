"""mmpose.apis in both dialects: 0.14 and 0.29 calls of the inference,
visualisation and tracking APIs, dataset_info from the model config, and the
0.29 helpers (process_mmdet_results, init_random_seed,
collect_multi_frames, multi-frame input)."""
import inspect
import os.path as osp

import numpy as np
import pytest
import torch

from mmpose.apis import (collect_multi_frames, extract_pose_sequence,
                         get_track_id, inference_bottom_up_pose_model,
                         inference_pose_lifter_model,
                         inference_top_down_pose_model, init_pose_model,
                         init_random_seed, process_mmdet_results,
                         vis_3d_pose_result, vis_pose_result,
                         vis_pose_tracking_result)
from mmpose.apis.dialect import to_029_call
from .reference import packed_api

DATA = osp.join(osp.dirname(__file__), 'data', 'demo')
TOP_DOWN_CFG = osp.join(DATA, 'tiny_top_down_coco.py')
BOTTOM_UP_CFG = osp.join(DATA, 'tiny_bottom_up_coco.py')
IMG = osp.join(DATA, '000000196141.jpg')
IMG_H, IMG_W = 429, 640  # size of IMG
PEOPLE = [{'bbox': np.array([247.76, 74.23, 169.67, 300.78, 0.9])},
          {'bbox': np.array([453.77, 206.81, 177.23, 210.87, 0.8])}]


@pytest.fixture(scope='module')
def top_down_model():
    torch.manual_seed(0)
    return init_pose_model(TOP_DOWN_CFG, device='cpu')


@pytest.fixture
def fresh_top_down_model():
    torch.manual_seed(0)
    return init_pose_model(TOP_DOWN_CFG, device='cpu')


@pytest.fixture(scope='module')
def bottom_up_model():
    torch.manual_seed(0)
    return init_pose_model(BOTTOM_UP_CFG, device='cpu')


def keypoints(results):
    return np.stack([r['keypoints'] for r in results])


# ------------------------------------------------- signatures and mapping
API_029 = [
    'inference_top_down_pose_model', 'inference_bottom_up_pose_model',
    'vis_pose_result', 'vis_pose_tracking_result', 'get_track_id',
    'process_mmdet_results', 'collect_multi_frames', 'init_random_seed',
    'init_pose_model', 'extract_pose_sequence', 'inference_pose_lifter_model',
    'vis_3d_pose_result'
]


@pytest.mark.parametrize('name', API_029)
def test_029_parameters_come_first_in_order(name):
    import mmpose.apis
    reference = packed_api('0.29')['api'][f'mmpose.apis.{name}']
    expected = [(p[0], p[2]) for p in reference['signature']]
    params = list(
        inspect.signature(getattr(mmpose.apis, name)).parameters.values())
    ours = [(p.name, None if p.default is p.empty else repr(p.default))
            for p in params[:len(expected)]]
    assert ours == expected
    assert all(p.default is not p.empty for p in params[len(expected):])


def test_top_down_014_positional_call_is_mapped():
    call = ('m', 'img.jpg', [], None, 'xywh', 'TopDownCocoDataset', True,
            ['backbone'])
    args, kwargs = to_029_call('inference_top_down_pose_model', call, {})
    assert args == call[:6]
    assert kwargs == {'return_heatmap': True, 'outputs': ['backbone']}
    # A 0.29 call (7th: dataset_info) stays as it is.
    call_029 = call[:6] + (None, True)
    assert to_029_call('inference_top_down_pose_model', call_029,
                       {}) == (call_029, {})
    # 0.14's keyword name.
    assert to_029_call('inference_top_down_pose_model', ('m', ),
                       {'img_or_path': 'a.jpg'}) == (('m', ), {
                           'imgs_or_paths': 'a.jpg'
                       })


def test_bottom_up_014_positional_call_is_mapped():
    args, kwargs = to_029_call('inference_bottom_up_pose_model',
                               ('m', 'img.jpg', 0.5, True), {})
    assert args == ('m', 'img.jpg')
    assert kwargs == {'pose_nms_thr': 0.5, 'return_heatmap': True}
    call_029 = ('m', 'img.jpg', 'BottomUpCocoDataset', None, 0.5)
    assert to_029_call('inference_bottom_up_pose_model', call_029,
                       {}) == (call_029, {})


@pytest.mark.parametrize('name',
                         ['vis_pose_result', 'vis_pose_tracking_result'])
def test_vis_014_positional_call_is_mapped(name):
    args, kwargs = to_029_call(
        name, ('m', 'i', [], 0.5, 'TopDownAicDataset', True, 'o.jpg'), {})
    assert args == ('m', 'i', [])
    assert kwargs == {
        'kpt_score_thr': 0.5,
        'dataset': 'TopDownAicDataset',
        'show': True,
        'out_file': 'o.jpg'
    }
    # An int 4th argument is 0.29's radius; a str 5th makes a 0.14 call.
    assert to_029_call(name, ('m', 'i', [], 8, 2), {}) == (
        ('m', 'i', [], 8, 2), {})
    assert to_029_call(name, ('m', 'i', [], 1, 'X'), {})[1] == {
        'kpt_score_thr': 1, 'dataset': 'X'}


def test_conflicting_014_arguments_are_refused():
    with pytest.raises(TypeError, match='kpt_score_thr'):
        to_029_call('vis_pose_result', ('m', 'i', [], 0.5),
                    {'kpt_score_thr': 0.1})
    with pytest.raises(TypeError, match='img_or_path'):
        to_029_call('inference_top_down_pose_model', ('m', ), {
            'img_or_path': 'a',
            'imgs_or_paths': 'b'
        })
    with pytest.raises(TypeError, match='at most 5'):
        to_029_call('inference_bottom_up_pose_model',
                    ('m', 'i', 0.5, True, None, 'extra'), {})


# ------------------------------------------------ both dialects, same poses
def test_top_down_014_and_029_positional_calls_agree(top_down_model):
    old, old_out = inference_top_down_pose_model(
        top_down_model, IMG, PEOPLE, None, 'xywh', 'TopDownCocoDataset',
        True)
    new, new_out = inference_top_down_pose_model(
        top_down_model, IMG, PEOPLE, None, 'xywh', 'TopDownCocoDataset',
        None, True)
    np.testing.assert_array_equal(keypoints(old), keypoints(new))
    assert old_out[0]['heatmap'].shape == (2, 17, 16, 12)
    np.testing.assert_array_equal(old_out[0]['heatmap'],
                                  new_out[0]['heatmap'])


def test_top_down_img_or_path_keyword(top_down_model):
    old, _ = inference_top_down_pose_model(
        top_down_model, img_or_path=IMG, person_results=PEOPLE)
    new, _ = inference_top_down_pose_model(top_down_model, IMG, PEOPLE)
    np.testing.assert_array_equal(keypoints(old), keypoints(new))


def test_bottom_up_014_and_029_positional_calls_agree(bottom_up_model):
    old, old_out = inference_bottom_up_pose_model(bottom_up_model, IMG, 0.5,
                                                  True)
    new, new_out = inference_bottom_up_pose_model(
        bottom_up_model, IMG, 'BottomUpCocoDataset', None, 0.5, True)
    assert len(old) == len(new) >= 1
    np.testing.assert_array_equal(keypoints(old), keypoints(new))
    assert 'heatmap' in old_out[0] and 'heatmap' in new_out[0]


def test_vis_pose_result_014_and_029_calls_agree(top_down_model):
    img = np.zeros((120, 160, 3), np.uint8)
    kpts = np.stack([np.linspace(20, 140, 17), np.linspace(10, 110, 17),
                     np.linspace(0, 1, 17)], axis=1)
    result = [{'keypoints': kpts}]
    old = vis_pose_result(top_down_model, img, result, 0.5,
                          'TopDownCocoDataset')
    new = vis_pose_result(top_down_model, img, result, kpt_score_thr=0.5)
    np.testing.assert_array_equal(old, new)
    # 0.29's positional radius draws bigger keypoints than the default.
    big = vis_pose_result(top_down_model, img, result, 8, 1, 0.5)
    assert big.any(axis=2).sum() > new.any(axis=2).sum()
    np.testing.assert_array_equal(
        big, vis_pose_result(top_down_model, img, result, radius=8,
                             kpt_score_thr=0.5))


def test_vis_pose_tracking_result_both_dialects(top_down_model):
    img = np.zeros((120, 160, 3), np.uint8)
    kpts = np.stack([np.linspace(20, 140, 17), np.linspace(10, 110, 17),
                     np.full(17, 0.9)], axis=1)
    result = [{'keypoints': kpts, 'track_id': 3}]
    old = vis_pose_tracking_result(top_down_model, img, result, 0.3,
                                   'TopDownCocoDataset')
    new = vis_pose_tracking_result(top_down_model, img, result, 4, 1, 0.3)
    np.testing.assert_array_equal(old, new)
    # Track 3 is drawn in palette colour 3: (230, 230, 0).
    assert (new == [230, 230, 0]).all(axis=2).any()


# --------------------------------------------------------- person_results
def test_no_person_results_means_the_whole_image(top_down_model):
    results, _ = inference_top_down_pose_model(top_down_model, IMG)
    assert len(results) == 1
    # xywh (0, 0, 640, 429) in 0.x's inclusive xyxy form.
    np.testing.assert_array_equal(results[0]['bbox'],
                                  [0, 0, IMG_W - 1, IMG_H - 1])
    explicit, _ = inference_top_down_pose_model(
        top_down_model, IMG, [{'bbox': [0, 0, IMG_W, IMG_H]}])
    np.testing.assert_array_equal(results[0]['keypoints'],
                                  explicit[0]['keypoints'])
    as_xyxy, _ = inference_top_down_pose_model(top_down_model, IMG,
                                               format='xyxy')
    np.testing.assert_array_equal(as_xyxy[0]['bbox'],
                                  [0, 0, IMG_W - 1, IMG_H - 1])


# ------------------------------------------------------ 0.14 exceptions
UNKNOWN = 'NoSuchDataset'


def test_unknown_dataset_top_down_is_not_implemented(top_down_model):
    with pytest.raises(NotImplementedError,
                       match='NoSuchDataset.*TopDownCocoDataset'):
        inference_top_down_pose_model(top_down_model, IMG, PEOPLE,
                                      dataset=UNKNOWN)


def test_unknown_dataset_bottom_up_is_not_implemented(bottom_up_model):
    with pytest.raises(NotImplementedError, match='NoSuchDataset'):
        inference_bottom_up_pose_model(bottom_up_model, IMG,
                                       dataset=UNKNOWN)


def test_unknown_dataset_vis_is_not_implemented(top_down_model):
    result = [{'keypoints': np.ones((17, 3)), 'track_id': 0}]
    img = np.zeros((10, 10, 3), np.uint8)
    with pytest.raises(NotImplementedError, match='TopDownAicDataset'):
        vis_pose_result(top_down_model, img, result, dataset=UNKNOWN)
    with pytest.raises(NotImplementedError, match='NoSuchDataset'):
        vis_pose_tracking_result(top_down_model, img, result,
                                 dataset=UNKNOWN)


def test_argument_checks_raise_the_014_classes(top_down_model):
    with pytest.raises(AssertionError, match='format'):
        inference_top_down_pose_model(top_down_model, IMG, PEOPLE,
                                      format='cxcywh')
    with pytest.raises(AssertionError, match='score'):
        inference_top_down_pose_model(
            top_down_model, IMG, [{'bbox': [1, 2, 30, 40]}], bbox_thr=0.5)
    with pytest.raises(TypeError, match='mmcv.Config'):
        init_pose_model(dict(model=dict(type='TopDown')), device='cpu')
    with pytest.raises(AttributeError, match='no_such_layer'):
        inference_top_down_pose_model(top_down_model, IMG, PEOPLE,
                                      outputs=['no_such_layer'])


# ----------------------------------------------- dataset_info and flip test
def constant_heatmaps(model):
    """Make the head output, for any input, heatmaps [N, 17, 16, 12] that
    are 0 except 1.0 for keypoint 1 (left eye) at row 5, column 2."""
    heatmap = torch.zeros(1, 17, 16, 12)
    heatmap[0, 1, 5, 2] = 1.0
    model.keypoint_head.forward = lambda x: heatmap.expand(
        x.shape[0], -1, -1, -1)


def no_swap_dataset_info():
    """A 17-keypoint layout without mirrored keypoints."""
    return dict(
        dataset_name='no_swap',
        paper_info=dict(),
        keypoint_info={
            i: dict(name=f'k{i}', id=i, color=[255, 0, 0], type='upper',
                    swap='')
            for i in range(17)
        },
        skeleton_info={},
        joint_weights=[1.] * 17,
        sigmas=[0.05] * 17)


# The crop of box xywh (0, 0, 96, 128) is the whole 96x128 input: centre
# (48, 64), 120x160 pixels after the 1.25 padding, 10 pixels per heatmap
# cell of 12x16, so heatmap (col, row) -> image (10 col - 12, 10 row - 16).
BOX = [{'bbox': [0, 0, 96, 128]}]
FRAME = np.zeros((128, 96, 3), np.uint8)


def test_flip_test_uses_coco_pairs_by_name(fresh_top_down_model):
    constant_heatmaps(fresh_top_down_model)
    results, _ = inference_top_down_pose_model(fresh_top_down_model, FRAME,
                                               BOX)
    kpts = results[0]['keypoints']
    # Flip test averages the heatmap with the flipped one: left eye keeps
    # 0.5 at column 2; the flipped left eye becomes the right eye (pair
    # [1, 2]) at column 11 - 2 = 9, shifted one to the right: column 10.
    np.testing.assert_allclose(kpts[1], [8, 34, 0.5], atol=1e-5)
    np.testing.assert_allclose(kpts[2], [88, 34, 0.5], atol=1e-5)


@pytest.mark.parametrize('where', ['argument', 'DatasetInfo', 'cfg'])
def test_flip_test_uses_dataset_info(fresh_top_down_model, where):
    from mmpose.datasets import DatasetInfo
    model = fresh_top_down_model
    constant_heatmaps(model)
    kwargs = {}
    if where == 'argument':
        kwargs['dataset_info'] = no_swap_dataset_info()
    elif where == 'DatasetInfo':
        kwargs['dataset_info'] = DatasetInfo(no_swap_dataset_info())
    else:  # 0.29 reads the top-level one only (test_compat029_runtime)
        model.cfg.dataset_info = no_swap_dataset_info()
    results, _ = inference_top_down_pose_model(model, FRAME, BOX, **kwargs)
    kpts = results[0]['keypoints']
    # Without pairs the flipped left eye stays the left eye: two peaks of
    # 0.5 (columns 2 and 10, the first wins); the right eye gets nothing.
    np.testing.assert_allclose(kpts[1], [8, 34, 0.5], atol=1e-5)
    assert kpts[2, 2] == 0


def one_keypoint(num_keypoints=17, index=0):
    """Keypoints where only ``index`` (at x 50, y 40) scores."""
    kpts = np.zeros((num_keypoints, 3))
    kpts[index] = [50, 40, 1]
    return [{'keypoints': kpts}]


def test_vis_pose_result_by_dataset_name_uses_the_0x_palette(top_down_model):
    # By name alone, 0.14 and 0.29 both draw COCO with their fixed palette:
    # face points palette[16] = [0, 255, 0], arms palette[9] = [51, 153, 255],
    # legs palette[0] = [255, 128, 0] (not the dataset_info table colours).
    img = np.zeros((80, 100, 3), np.uint8)
    for index, colour in ((0, [0, 255, 0]), (5, [51, 153, 255]),
                          (11, [255, 128, 0])):
        drawn = vis_pose_result(top_down_model, img, one_keypoint(index=index))
        assert drawn[40, 50].tolist() == colour


def test_vis_pose_result_with_dataset_info_uses_the_table_colours(
        top_down_model):
    from mmpose.datasets.metadata import load_dataset_info
    img = np.zeros((80, 100, 3), np.uint8)
    # coco.py: nose [51, 153, 255], left shoulder [0, 255, 0]
    for index, colour in ((0, [51, 153, 255]), (5, [0, 255, 0])):
        drawn = vis_pose_result(top_down_model, img, one_keypoint(index=index),
                                dataset_info=load_dataset_info('coco'))
        assert drawn[40, 50].tolist() == colour


def test_vis_pose_result_colours_of_the_config_dataset_info(
        fresh_top_down_model):
    # a dataset_info of the model config wins over the dataset name
    info = no_swap_dataset_info()
    info['keypoint_info'][0]['color'] = [10, 20, 30]
    fresh_top_down_model.cfg.dataset_info = info
    drawn = vis_pose_result(fresh_top_down_model,
                            np.zeros((80, 100, 3), np.uint8), one_keypoint())
    assert drawn[40, 50].tolist() == [10, 20, 30]


def test_dataset_info_keypoint_count_is_checked(top_down_model):
    info = no_swap_dataset_info()
    info['keypoint_info'] = {i: info['keypoint_info'][i] for i in range(5)}
    info['joint_weights'], info['sigmas'] = [1.] * 5, [0.05] * 5
    with pytest.raises(ValueError, match='5 keypoints.*17'):
        inference_top_down_pose_model(top_down_model, FRAME, BOX,
                                      dataset_info=info)


# ------------------------------------------------------- multi-frame input
def test_multi_frame_model_gets_one_batch_per_frame(fresh_top_down_model):
    model = fresh_top_down_model
    model.cfg.data_cfg.frame_indices_test = [0, -1, 1]
    model.cfg.data_cfg.frame_weight_test = [0.5, 0.25, 0.25]
    model.cfg.test_pipeline[-1].meta_keys.append('frame_weight')
    seen = {}

    def forward(img, img_metas, return_loss, return_heatmap):
        seen['img'], seen['img_metas'] = img, img_metas
        return {'preds': np.zeros((len(img_metas), 17, 3)),
                'output_heatmap': None}

    model.forward = forward
    frames = [np.full((128, 96, 3), v, np.uint8) for v in (0, 51, 255)]
    inference_top_down_pose_model(model, frames, BOX + BOX)
    imgs = seen['img']
    assert isinstance(imgs, list) and len(imgs) == 3
    mean = np.array([0.485, 0.456, 0.406])
    std = np.array([0.229, 0.224, 0.225])
    for img, value in zip(imgs, (0, 51, 255)):
        assert img.shape == (2, 3, 128, 96)
        # a grey frame normalises to (v / 255 - mean) / std per channel
        np.testing.assert_allclose(img[:, :, 64, 48].numpy(),
                                   np.tile((value / 255 - mean) / std,
                                           (2, 1)), rtol=1e-5, atol=1e-5)
    assert seen['img_metas'][0]['frame_weight'] == [0.5, 0.25, 0.25]


def test_multi_frame_counts_are_checked(fresh_top_down_model,
                                        top_down_model):
    with pytest.raises(ValueError, match='multi-frame'):
        inference_top_down_pose_model(top_down_model, [FRAME, FRAME], BOX)
    fresh_top_down_model.cfg.data_cfg.frame_weight_test = [0.5, 0.5]
    with pytest.raises(AssertionError, match='takes 2 frames'):
        inference_top_down_pose_model(fresh_top_down_model,
                                      [FRAME, FRAME, FRAME], BOX)


def test_collect_multi_frames_indices():
    video = list(range(10))
    assert collect_multi_frames(video, 1, [-2, -1, 0, 1, 2]) == [1, 0, 0,
                                                                  2, 3]
    assert collect_multi_frames(video, 9, [-2, -1, 0, 1, 2]) == [9, 7, 8,
                                                                  9, 9]
    # online: no future frames
    assert collect_multi_frames(video, 5, [-2, -1, 0, 1, 2],
                                online=True) == [5, 3, 4, 5, 5]
    assert collect_multi_frames(video, 4, [0]) == [4]


# ------------------------------------------------------------- 0.29 helpers
def test_process_mmdet_results():
    people = np.array([[1, 2, 3, 4, 0.9], [5, 6, 7, 8, 0.4]])
    cars = np.array([[9, 9, 20, 20, 0.7]])
    results = process_mmdet_results([people, cars])
    assert len(results) == 2
    np.testing.assert_array_equal(results[1]['bbox'], [5, 6, 7, 8, 0.4])
    # (bbox results, segm results) from a detector with masks
    cars_only = process_mmdet_results(([people, cars], [[], []]), cat_id=2)
    np.testing.assert_array_equal(cars_only[0]['bbox'], cars[0])
    with pytest.raises(ValueError, match='cat_id'):
        process_mmdet_results([people], cat_id=3)


def test_init_random_seed():
    assert init_random_seed(1234) == 1234
    np.random.seed(7)
    expected = np.random.RandomState(7).randint(2**31)
    assert init_random_seed() == expected


def test_get_track_id_oks_uses_sigmas():
    # Three keypoints moved by (3, 4): squared distance 25; box areas 100.
    # OKS = exp(-25 / (2 sigma)^2 / 100 / 2) = exp(-1 / (32 sigma^2)):
    # sigma 0.5 -> exp(-0.125) = 0.88 (match), 0.1 -> exp(-3.125) = 0.04.
    def frame(shift):
        kpts = np.array([[10., 20., 1.], [30., 40., 1.], [50., 60., 1.]])
        kpts[:, :2] += shift
        return [{'keypoints': kpts, 'bbox': np.array([0., 0., 10., 10.])}]

    last, next_id = get_track_id(frame(0), [], 0, use_oks=True,
                                 sigmas=np.full(3, 0.5))
    matched, _ = get_track_id(frame([3, 4]), last, next_id, use_oks=True,
                              tracking_thr=0.3, sigmas=np.full(3, 0.5))
    assert matched[0]['track_id'] == 0
    new, _ = get_track_id(frame([3, 4]), last, next_id, use_oks=True,
                          tracking_thr=0.3, sigmas=np.full(3, 0.1))
    assert new[0]['track_id'] == 1
    # the matching threshold sits between the two: 0.04 < 0.05 < 0.88
    new, _ = get_track_id(frame([3, 4]), last, next_id, use_oks=True,
                          tracking_thr=0.05, sigmas=np.full(3, 0.1))
    assert new[0]['track_id'] == 1
    kept, _ = get_track_id(frame([3, 4]), last, next_id, use_oks=True,
                           tracking_thr=0.04, sigmas=np.full(3, 0.1))
    assert kept[0]['track_id'] == 0


def test_get_track_id_one_euro_is_deprecated():
    person = {'keypoints': np.ones((17, 3)), 'bbox': np.array([0, 0, 5, 5.])}
    with pytest.warns(DeprecationWarning, match='use_one_euro'):
        get_track_id([person], [], 0, use_one_euro=True, fps=30)


# ------------------------------------------------------------ 3D lifting
LIFTER_CFG = osp.join(osp.dirname(__file__), 'data', 'tiny_configs',
                      'tiny_pose_lifter_h36m.py')


def test_extract_pose_sequence_indices():
    frames = list(range(10))
    # centred, replicate-padded at the start
    assert extract_pose_sequence(frames, 1, False, 5) == [0, 0, 1, 2, 3]
    assert extract_pose_sequence(frames, 8, False, 5) == [6, 7, 8, 9, 9]
    # causal: the target frame is the last one
    assert extract_pose_sequence(frames, 1, True, 4) == [0, 0, 0, 1]
    # every second frame around frame 5: 1, 3, 5, 7, 9
    assert extract_pose_sequence(frames, 5, False, 5, 2) == [1, 3, 5, 7, 9]
    # around frame 3: -1 is padded with frame 0
    assert extract_pose_sequence(frames, 3, False, 5, 2) == [0, 1, 3, 5, 7]


@pytest.fixture
def lifter_model():
    import mmcv
    cfg = mmcv.Config.fromfile(LIFTER_CFG)
    cfg.test_pipeline = cfg.train_pipeline
    torch.manual_seed(0)
    return init_pose_model(cfg, device='cpu')


def pose_2d(value, track_id):
    kpts = np.full((17, 3), float(value), np.float32)
    kpts[:, 2] = 1
    return {'keypoints': kpts, 'track_id': track_id}


def test_pose_lifter_gathers_tracks_around_the_target_frame(lifter_model):
    seen = {}

    def forward(input, metas, return_loss):
        seen['input'] = input
        return {'preds': np.zeros((len(metas), 17, 3), np.float32)}

    lifter_model.forward = forward
    # Three frames, non-causal model: the target is frame 1. Track 7 is
    # missing in frame 2 (its frame 1 repeats), track 8 in frame 0.
    frames = [[pose_2d(0, 7)], [pose_2d(1, 7), pose_2d(2, 8)],
              [pose_2d(3, 8)]]
    results = inference_pose_lifter_model(lifter_model, frames,
                                          dataset='Body3DH36MDataset')
    assert [r['track_id'] for r in results] == [7, 8]
    inputs = seen['input'].numpy()  # [N, K * 2, T]
    assert inputs.shape == (2, 34, 3)
    np.testing.assert_array_equal(inputs[0], np.tile([0, 1, 1], (34, 1)))
    np.testing.assert_array_equal(inputs[1], np.tile([2, 2, 3], (34, 1)))
    # score column added to the 3D keypoints
    np.testing.assert_array_equal(results[0]['keypoints_3d'][:, 3], 1)


def test_pose_lifter_end_to_end(lifter_model):
    frames = [[pose_2d(100, 0), pose_2d(200, 1)]]
    results = inference_pose_lifter_model(lifter_model, frames,
                                          dataset='Body3DH36MDataset',
                                          with_track_id=False)
    assert len(results) == 2
    assert results[0]['keypoints_3d'].shape == (17, 4)
    assert np.isfinite(results[0]['keypoints_3d']).all()
    # the model sees different inputs, so the 3D poses differ
    assert not np.allclose(results[0]['keypoints_3d'],
                           results[1]['keypoints_3d'])


def test_vis_3d_pose_result_draws_image_and_one_plot_per_person(
        lifter_model, tmp_path):
    kpts_3d = np.concatenate(
        [np.random.RandomState(0).uniform(-300, 300, (17, 3)),
         np.ones((17, 1))], axis=1)
    result = [{'keypoints_3d': kpts_3d, 'bbox': [10, 10, 60, 90],
               'keypoints': np.tile([30., 40., 1.], (17, 1))},
              {'keypoints_3d': kpts_3d + 10}]
    img = np.zeros((100, 200, 3), np.uint8)
    out_file = str(tmp_path / 'vis3d.jpg')
    drawn = vis_3d_pose_result(lifter_model, result, img,
                               out_file=out_file)
    # the image (rescaled to 400 high) and two square 400-pixel plots
    assert drawn.shape == (400, 1200, 3)
    assert osp.isfile(out_file)
    plots = drawn[:, 400:]
    white = (plots == 255).all(axis=2)
    assert not white.all()  # axes, keypoints and links are drawn
    without_image = vis_3d_pose_result(lifter_model, result[:1],
                                       num_instances=2)
    assert without_image.shape == (400, 800, 3)
