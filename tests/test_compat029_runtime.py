"""Runtime behaviours of MMPose 0.29 kept by the one package that also
runs 0.14 code: EvalHook's deprecation warnings, where the inference APIs
read ``dataset_info``, ``None`` colours in ``imshow_keypoints`` and the
Smoother's errors."""
import warnings

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)
from mmpose.core.evaluation import DistEvalHook, EvalHook
from mmpose.core.post_processing import Smoother
from mmpose.core.visualization import imshow_keypoints
from mmpose.errors import UnsupportedError
from .test_apis_dialects import (BOX, FRAME, TOP_DOWN_CFG, constant_heatmaps,
                                 no_swap_dataset_info)


def loader():
    return DataLoader(list(range(2)), batch_size=1)


def legacy_warnings(record):
    return [w for w in record if 'deprecated' in str(w.message)
            and 'EvalHook' in str(w.message)]


# ------------------------------------------------------------- EvalHook
@pytest.mark.parametrize('hook_cls', [EvalHook, DistEvalHook])
@pytest.mark.parametrize('kwargs', [
    dict(key_indicator='AP'),
    dict(save_best=True),
    dict(save_best=False, key_indicator='PCK'),
])
def test_eval_hook_warns_on_014_arguments(hook_cls, kwargs):
    # 0.29 warns for 'key_indicator' or a bool 'save_best' (a
    # DeprecationWarning there; here also a UserWarning)
    with pytest.warns(UserWarning, match='key_indicator'):
        hook = hook_cls(loader(), **kwargs)
    with pytest.deprecated_call():
        hook_cls(loader(), **kwargs)
    # ... and keeps their 0.14 meaning
    assert hook.save_best == kwargs.get('save_best', True)
    assert hook.key_indicator == kwargs.get('key_indicator', 'AP')


def test_eval_hook_warns_on_positional_014_arguments():
    with pytest.warns(UserWarning, match='key_indicator'):
        hook = EvalHook(loader(), 1, False, True, 'acc')
    assert hook.key_indicator == 'acc'


@pytest.mark.parametrize('hook_cls', [EvalHook, DistEvalHook])
@pytest.mark.parametrize('kwargs', [dict(), dict(save_best='AP'),
                                    dict(save_best=None, metric='mAP')])
def test_eval_hook_029_arguments_do_not_warn(hook_cls, kwargs):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter('always')
        hook_cls(loader(), **kwargs)
    assert legacy_warnings(record) == []


@pytest.mark.parametrize('args,kwargs', [((1, True), {}),
                                         ((), dict(gpu_collect=True))])
def test_eval_hook_warns_and_drops_gpu_collect(args, kwargs):
    with pytest.warns(UserWarning, match='gpu_collect'):
        hook = EvalHook(loader(), *args, **kwargs)
    assert hook.gpu_collect is False


def test_dist_eval_hook_keeps_gpu_collect_silently():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter('always')
        hook = DistEvalHook(loader(), gpu_collect=True)
    assert legacy_warnings(record) == []
    assert hook.gpu_collect is True


# ------------------------------------------------- dataset_info of the APIs
@pytest.fixture
def model():
    torch.manual_seed(0)
    model = init_pose_model(TOP_DOWN_CFG, device='cpu')
    # left eye (keypoint 1) peaks at heatmap column 2 for any input; the
    # flip test mirrors it into the right eye (2) only with COCO's pairs
    constant_heatmaps(model)
    return model


def right_eye_score(model, **kwargs) -> float:
    results, _ = inference_top_down_pose_model(model, FRAME, BOX, **kwargs)
    return float(results[0]['keypoints'][2, 2])


def test_without_dataset_info_the_name_is_used_with_a_warning(model):
    assert 'dataset_info' not in model.cfg  # a 0.14 config
    with pytest.deprecated_call(match='dataset_info'):
        score = right_eye_score(model)
    assert score == pytest.approx(0.5)  # COCO's flip pairs: swapped


def test_top_level_dataset_info_is_read_without_warning(model):
    model.cfg.dataset_info = no_swap_dataset_info()
    with warnings.catch_warnings():
        warnings.simplefilter('error', DeprecationWarning)
        score = right_eye_score(model)
    assert score == 0  # no flip pairs: nothing mirrored into the right eye


def test_data_test_dataset_info_alone_is_not_read(model):
    # 0.29 reads model.cfg.dataset_info only (its configs set both)
    model.cfg.data.test.dataset_info = no_swap_dataset_info()
    with pytest.deprecated_call():
        score = right_eye_score(model)
    assert score == pytest.approx(0.5)


def test_unknown_dataset_name_is_not_implemented(model):
    with pytest.deprecated_call(), pytest.raises(NotImplementedError,
                                                 match='NoSuchDataset'):
        inference_top_down_pose_model(model, FRAME, BOX,
                                      dataset='NoSuchDataset')
    result = [{'keypoints': np.ones((17, 3))}]
    with pytest.deprecated_call(), pytest.raises(UnsupportedError):
        vis_pose_result(model, FRAME, result, dataset='NoSuchDataset')


def test_readme_014_calls_still_work(model):
    # README's 0.14 example: positional dataset name, 4th argument of
    # vis_pose_result the float kpt_score_thr
    with pytest.deprecated_call():
        results, _ = inference_top_down_pose_model(
            model, FRAME, [{'bbox': [0, 0, 96, 128]}], None, 'xywh',
            'TopDownCocoDataset')
        drawn = vis_pose_result(model, FRAME, results, 0.3,
                                'TopDownCocoDataset')
    assert results[0]['keypoints'].shape == (17, 3)
    assert drawn.shape == FRAME.shape


# ------------------------------------------------- imshow_keypoints colours
RED, GREEN = (0, 0, 255), (0, 255, 0)
TWO_POINTS = [np.array([[5, 5, 1.0], [15, 5, 1.0]])]


def blank():
    return np.zeros((12, 20, 3), np.uint8)


def test_none_keypoint_colour_skips_that_keypoint():
    img = imshow_keypoints(blank(), TWO_POINTS, pose_kpt_color=[None, RED],
                           radius=1)
    assert img[5, 5].tolist() == [0, 0, 0]
    assert img[5, 15].tolist() == list(RED)


def test_none_link_colour_skips_that_link():
    skeleton = [[0, 1], [1, 0]]
    img = imshow_keypoints(blank(), TWO_POINTS, skeleton,
                           pose_link_color=[None, None])
    assert not img.any()
    img = imshow_keypoints(blank(), TWO_POINTS, skeleton,
                           pose_link_color=[None, GREEN])
    assert img[5, 10].tolist() == list(GREEN)  # midpoint of the link


def test_array_colours_draw_every_keypoint_as_before():
    img = imshow_keypoints(blank(), TWO_POINTS,
                           pose_kpt_color=np.array([RED, GREEN]), radius=1)
    assert img[5, 5].tolist() == list(RED)
    assert img[5, 15].tolist() == list(GREEN)


# --------------------------------------------------------- Smoother errors
def frames(*targets_per_frame, track=True):
    return [[
        dict(keypoints=np.zeros((2, 2)), **({'track_id': i} if track else {}))
        for i in ids
    ] for ids in targets_per_frame]


def test_smoother_inconsistent_track_ids_message_of_029():
    smoother = Smoother(dict(type='GaussianFilter', window_size=3))
    with pytest.raises(ValueError, match='^Inconsistent track ids in frame '
                       '2'):
        smoother.smooth(frames([0, 1], [1, 0], [0, 2]))


def test_smoother_inconsistent_target_number_message_of_029():
    smoother = Smoother(dict(type='GaussianFilter', window_size=3))
    with pytest.raises(ValueError, match='^Inconsistent target number in '
                       'frame 1: 1 vs 2'):
        smoother.smooth(frames([0, 1], [0], track=False))
