"""MMPose 0.14 edge behaviour of ``mmpose.core``: the exception classes 0.14
raised, the inputs it accepted, its module-level helpers, and its metrics."""
import importlib.util
import inspect
import os.path as osp

import numpy as np
import pytest
import torch
from torch import nn

from mmpose.core.camera import SimpleCamera
from mmpose.core.evaluation import (compute_similarity_transform,
                                    keypoint_mpjpe, keypoints_from_heatmaps,
                                    post_dark_udp)
from mmpose.core.evaluation import top_down_eval
from mmpose.core.post_processing import (HeatmapParser, flip_back,
                                         fliplr_joints, get_affine_transform,
                                         rotate_point, transform_preds)
from mmpose.core.post_processing import group, nms, post_transforms

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def heatmaps_with_peak(N=1, K=2, H=16, W=12):
    heatmaps = np.zeros((N, K, H, W), dtype=np.float32)
    heatmaps[:, :, 8, 6] = 1.
    return heatmaps


def decode(heatmaps=None, **kwargs):
    heatmaps = heatmaps_with_peak() if heatmaps is None else heatmaps
    N = len(heatmaps)
    return keypoints_from_heatmaps(heatmaps, np.zeros((N, 2)),
                                   np.ones((N, 2)), **kwargs)


# ----------------------------------------------------------------------
# 1. Rejected arguments raise what 0.14 raised (its asserts)
# ----------------------------------------------------------------------
@pytest.mark.parametrize('kwargs,match', [
    (dict(post_process='unbiased', kernel=0), 'kernel'),
    (dict(post_process='megvii', kernel=-1), 'kernel'),
    (dict(post_process='unbiased', kernel=4), 'kernel'),
    (dict(unbiased=True, post_process=None), 'unbiased'),
    (dict(use_udp=True, post_process='megvii'), 'megvii'),
    (dict(use_udp=True, target_type='Offset'), 'target_type'),
])
def test_decode_arguments_raise_assertion_error(kwargs, match):
    with pytest.raises(AssertionError, match=match):
        decode(**kwargs)


@pytest.mark.parametrize('heatmaps', [
    torch.zeros(1, 2, 4, 4),
    np.zeros((2, 4, 4)),
])
def test_get_max_preds_asserts_a_4d_ndarray(heatmaps):
    with pytest.raises(AssertionError, match='heatmaps'):
        top_down_eval._get_max_preds(heatmaps)


def test_post_dark_udp_asserts_batch_of_one_or_n():
    with pytest.raises(AssertionError, match='B == 1 or B == N'):
        post_dark_udp(np.zeros((3, 2, 2)), np.zeros((2, 2, 8, 8)))


@pytest.mark.parametrize('call,match', [
    (lambda: transform_preds(np.zeros((2, 3)), [0, 0], [1, 1], [4, 4]),
     'coords'),
    (lambda: get_affine_transform([0, 0, 0], [1, 1], 0, [4, 4]), 'center'),
    (lambda: rotate_point([1., 2., 3.], 0.), 'pt'),
    (lambda: fliplr_joints(np.zeros((3, 3)), np.ones((3, 3)), 0, []),
     'img_width'),
    (lambda: flip_back(np.zeros((2, 4, 4)), []), 'output_flipped'),
    (lambda: nms._rescore(np.zeros(2), np.ones(2), 0.5, type='cubic'),
     'type'),
    (lambda: nms._rescore(np.zeros(2), np.ones(3), 0.5), 'length'),
])
def test_post_processing_arguments_raise_assertion_error(call, match):
    with pytest.raises(AssertionError, match=match):
        call()


def test_metrics_raise_assertion_error():
    pred = np.zeros((1, 3, 3))
    with pytest.raises(AssertionError, match='mask'):
        keypoint_mpjpe(pred, pred, np.zeros((1, 3), dtype=bool))
    with pytest.raises(AssertionError, match='same shape'):
        compute_similarity_transform(np.zeros((3, 3)), np.zeros((4, 3)))


def test_camera_asserts_ndarray_points():
    camera = SimpleCamera(
        dict(R=np.eye(3), T=np.zeros((3, 1)), f=[[1.], [1.]], c=[[0.], [0.]]))
    with pytest.raises(AssertionError, match='np.ndarray'):
        camera.world_to_camera([[0., 0., 1.]])
    with pytest.raises(AssertionError, match=r'\[\.\.\., J, C\]'):
        camera.world_to_camera(np.zeros((2, 2)))


# ----------------------------------------------------------------------
# 2. HeatmapParser: every tag layout 0.14 accepted
# ----------------------------------------------------------------------
def parser_cfg(**kwargs):
    cfg = dict(num_joints=17, detection_threshold=0.1, tag_threshold=1,
               use_detection_val=True, ignore_too_much=False, nms_kernel=5,
               nms_padding=2, tag_per_joint=True, max_num_people=1)
    cfg.update(kwargs)
    return cfg


def four_joints_of_one_person():
    """Joints 0, 1, 4 and 8 of one person, their tags near 0.85, and a weak
    peak (below the detection threshold) of joint 2 with the same tag."""
    heatmaps = torch.zeros(1, 17, 32, 24)
    tags = torch.zeros(1, 17, 32, 24, 1)
    for k, (y, x), v in [(0, (10, 10), .8), (1, (12, 12), .9),
                         (4, (8, 8), .8), (8, (6, 6), .9)]:
        heatmaps[0, k, y, x] = v
        tags[0, k, y, x] = v
    heatmaps[0, 2, 5, 20] = 0.05
    tags[0, 2, 5, 20] = 0.85
    return heatmaps, tags


@pytest.mark.parametrize('adjust', [False, True])
def test_parse_per_joint_tags_without_tag_per_joint(adjust):
    parser = HeatmapParser(parser_cfg(tag_per_joint=False))
    heatmaps, tags = four_joints_of_one_person()
    grouped, scores = parser.parse(heatmaps, tags, adjust, True)
    person = grouped[0][0]
    # adjust: +0.5 centre offset, -0.25 towards the (equal) neighbours
    shift = 0.25 if adjust else 0.
    np.testing.assert_allclose(person[0, :3], [10 + shift, 10 + shift, .8],
                               rtol=1e-6)
    np.testing.assert_allclose(person[8, :3], [6 + shift, 6 + shift, .9],
                               rtol=1e-6)
    # the score is the mean over the 17 joints before refinement
    assert scores[0] == pytest.approx((.8 + .9 + .8 + .9) / 17, rel=1e-6)
    # refinement fills joint 2 from its own tag map: x + 0.5 - 0.25
    np.testing.assert_allclose(person[2, :3], [20.25, 5.25, .05], rtol=1e-6)


def test_py_max_match_returns_row_column_pairs():
    pairs = group._py_max_match(np.array([[1., 2.], [0., 5.]]))
    assert pairs.tolist() == [[0, 1], [1, 0]]


def test_match_by_tag_takes_a_tuple_and_asserts_params():
    params = group._Params(parser_cfg(num_joints=2, max_num_people=30))
    tag_k = np.array([[[1.], [5.]], [[1.1], [5.1]]])
    loc_k = np.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])
    val_k = np.array([[0.9, 0.8], [0.7, 0.6]])
    people = group._match_by_tag((tag_k, loc_k, val_k), params)
    # two people: tags 1 and 5, each gets the joint-1 candidate nearest
    # to its tag
    assert people.shape == (2, 2, 4)
    np.testing.assert_allclose(people[0, 1], [5, 6, .7, 1.1], rtol=1e-6)
    np.testing.assert_allclose(people[1, 1], [7, 8, .6, 5.1], rtol=1e-6)
    with pytest.raises(AssertionError, match='params'):
        group._match_by_tag((tag_k, loc_k, val_k), parser_cfg())


# ----------------------------------------------------------------------
# 3. 0.14 module-level names
# ----------------------------------------------------------------------
def test_optimizer_registry_is_the_one_builders_use():
    from mmpose.core import OPTIMIZERS as core_optimizers
    from mmpose.core.optimizer import OPTIMIZERS, build_optimizers
    from mmpose.core.optimizer.registry import OPTIMIZERS as registry
    assert OPTIMIZERS is registry is core_optimizers

    @OPTIMIZERS.register_module()
    class Compat014SGD(torch.optim.SGD):
        pass

    try:
        model = nn.Linear(2, 1)
        optimizer = build_optimizers(model, dict(type='Compat014SGD', lr=.5))
        assert type(optimizer) is Compat014SGD
        assert optimizer.defaults['lr'] == .5
    finally:
        OPTIMIZERS.module_dict.pop('Compat014SGD')


def test_box_nms():
    dets = np.array([[0, 0, 9, 9, .9], [1, 1, 10, 10, .8],
                     [20, 20, 29, 29, .7]])
    # boxes 0 and 1: intersection 9x9 = 81 px, union 100 + 100 - 81 = 119
    assert nms.nms(dets, 0.5) == [0, 2]  # IoU 0.68 > 0.5
    assert nms.nms(dets, 0.7) == [0, 1, 2]
    assert nms.nms(np.zeros((0, 5)), 0.5) == []


def test_distance_acc_of_one_row_is_a_scalar():
    acc = top_down_eval._distance_acc(np.array([0.1, 0.6, -1.]), 0.5)
    assert np.ndim(acc) == 0 and acc == 0.5
    assert top_down_eval._distance_acc(np.array([-1., -1.])) == -1


def test_get_max_preds_3d():
    heatmaps = np.zeros((1, 2, 2, 3, 4))
    heatmaps[0, 0, 1, 2, 3] = 1.
    preds, maxvals = top_down_eval._get_max_preds_3d(heatmaps)
    np.testing.assert_array_equal(preds[0], [[3, 2, 1], [-1, -1, -1]])
    np.testing.assert_array_equal(maxvals[0, :, 0], [1, 0])


def test_keypoints_from_heatmaps3d_maps_x_y_to_the_image():
    heatmaps = np.zeros((1, 1, 2, 4, 4), dtype=np.float32)
    heatmaps[0, 0, 1, 2, 3] = .5
    # an 8 px box (scale 0.04) on a 4 px map: 2 px per bin, box from 46
    preds, maxvals = top_down_eval.keypoints_from_heatmaps3d(
        heatmaps, np.array([[50., 50.]]), np.array([[.04, .04]]))
    np.testing.assert_allclose(preds, [[[52., 50., 1.]]], rtol=1e-6)
    assert maxvals[0, 0, 0] == .5


def test_multilabel_classification_accuracy():
    pred = np.array([[.9, .2], [.6, .7], [.1, .1]])
    gt = np.array([[1., 0.], [1., 0.], [0., 0.]])
    # sample 2 has an unreliable label; sample 1 gets its 2nd label wrong
    mask = np.array([[1, 1], [1, 1], [0, 1]])
    acc = top_down_eval.multilabel_classification_accuracy(pred, gt, mask)
    assert acc == 0.5
    assert top_down_eval.multilabel_classification_accuracy(
        pred, gt, np.zeros((3, 1))) == 0.


def test_taylor_reaches_the_peak_of_a_quadratic():
    ys, xs = np.mgrid[0:7, 0:7]
    log_heatmap = -((xs - 3.3)**2 + (ys - 2.8)**2)
    coord = np.array([3., 3.])
    out = top_down_eval._taylor(log_heatmap, coord)
    assert out is coord
    np.testing.assert_allclose(coord, [3.3, 2.8], rtol=1e-9)


def test_gaussian_blur_modulates_in_place():
    heatmaps = np.zeros((1, 1, 5, 5), dtype=np.float32)
    heatmaps[0, 0, 2, 2] = 1.
    out = top_down_eval._gaussian_blur(heatmaps, kernel=3)
    assert out is heatmaps
    # OpenCV's 3-tap kernel is (1/4, 1/2, 1/4); rescaled to the old maximum
    np.testing.assert_allclose(
        heatmaps[0, 0, 1:4, 1:4],
        [[.25, .5, .25], [.5, 1., .5], [.25, .5, .25]], rtol=1e-6)


def test_get_3rd_point_rotates_a_minus_b_anticlockwise():
    third = post_transforms._get_3rd_point(np.array([0., 0.]),
                                           np.array([0., 1.]))
    np.testing.assert_array_equal(third, [1., 1.])
    with pytest.raises(AssertionError):
        post_transforms._get_3rd_point(np.zeros(3), np.zeros(2))


def load_pytorch2onnx():
    spec = importlib.util.spec_from_file_location(
        'pytorch2onnx', osp.join(ROOT, 'tools', 'pytorch2onnx.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pytorch2onnx_has_the_0_14_signature():
    tool = load_pytorch2onnx()
    params = inspect.signature(tool.pytorch2onnx).parameters
    assert [(p.name, p.default) for p in params.values()][:6] == [
        ('model', inspect.Parameter.empty),
        ('input_shape', inspect.Parameter.empty), ('opset_version', 11),
        ('show', False), ('output_file', 'tmp.onnx'), ('verify', False)
    ]


def test_convert_batchnorm_replaces_sync_bn_keeping_statistics():
    tool = load_pytorch2onnx()
    sync_bn = nn.SyncBatchNorm(1)
    with torch.no_grad():
        sync_bn.weight.fill_(2.)
        sync_bn.bias.fill_(.5)
        sync_bn.running_mean.fill_(1.)
        sync_bn.running_var.fill_(4.)
    model = tool._convert_batchnorm(nn.Sequential(nn.Identity(), sync_bn))
    assert not any(isinstance(m, nn.SyncBatchNorm) for m in model.modules())
    model.eval()
    out = model(torch.full((1, 1, 2, 2), 3.))
    # (3 - 1) / sqrt(4 + eps) * 2 + 0.5
    np.testing.assert_allclose(out.detach().numpy(), 2.5, rtol=1e-5)


# ----------------------------------------------------------------------
# 5. 3D metrics in float64: a perfect prediction scores exactly 0
# ----------------------------------------------------------------------
def test_perfect_float32_prediction_has_zero_p_mpjpe():
    rng = np.random.RandomState(0)
    gt = rng.rand(4, 17, 3).astype(np.float32) * 1000
    mask = np.ones((4, 17), dtype=bool)
    assert keypoint_mpjpe(gt.copy(), gt, mask, 'procrustes') == 0.0


def test_similarity_transform_of_identical_sets_is_exact():
    points = np.random.RandomState(1).rand(10, 3).astype(np.float32)
    aligned = compute_similarity_transform(points, points.copy())
    assert aligned.dtype == np.float64
    np.testing.assert_array_equal(aligned, points)


def h36m_dataset(tmp_path):
    """The 4-frame Human3.6M sample (one frame of each of 4 actions) with the
    0.14 test config of the simple-baseline lifter."""
    import pickle
    from mmpose.datasets import build_dataset
    from .reference import reference_cfg
    h36m = osp.join(ROOT, 'tests', 'data', 'h36m')
    cfg = reference_cfg('body3d/simple_baseline/h36m/'
                        'simple3Dbaseline_h36m.json')['data']['test']
    for t in cfg['pipeline']:
        if t['type'] == 'NormalizeJointCoordinate':
            shape = (16, 3) if t['item'] == 'target' else (17, 2)
            path = tmp_path / f"{t['item']}.pkl"
            path.write_bytes(pickle.dumps(
                dict(mean=np.zeros(shape), std=np.ones(shape))))
            t['norm_param_file'] = str(path)
    cfg.update(ann_file=osp.join(h36m, 'test_h36m_body3d.npz'),
               img_prefix=h36m + '/', test_mode=True)
    cfg['data_cfg']['camera_param_file'] = osp.join(h36m, 'cameras.pkl')
    return build_dataset(cfg)


def test_h36m_per_action_errors_are_unaligned_as_in_0_14(tmp_path):
    dataset = h36m_dataset(tmp_path)
    gts = dataset.data_info['joints_3d'][:, :, :3].astype(np.float64)
    names = [str(n) for n in dataset.data_info['imgnames']]
    # every joint moved by (3, 4, 0) cm: Procrustes removes the translation
    # overall; 0.14 reports each action's plain MPJPE, 5 cm
    outputs = [dict(preds=gts + [0.03, 0.04, 0.], target_image_paths=names)]
    res = dataset.evaluate(outputs, str(tmp_path), ['p-mpjpe', 'n-mpjpe'])
    assert res['P-MPJPE'] == pytest.approx(0.0, abs=1e-9)
    for action in ('Directions', 'SittingDown', 'Greeting', 'WalkDog'):
        assert res[f'P-MPJPE_{action}'] == pytest.approx(0.05, rel=1e-6)
        assert res[f'N-MPJPE_{action}'] == pytest.approx(0.05, rel=1e-6)


def test_build_optimizers_unknown_submodule_is_an_attribute_error():
    # 0.14 looked the sub-module up with getattr: AttributeError
    from mmpose.core import build_optimizers
    model = torch.nn.Sequential()
    model.add_module('generator', torch.nn.Linear(2, 2))
    cfgs = dict(generator=dict(type='SGD', lr=0.1),
                discriminator=dict(type='SGD', lr=0.1))
    with pytest.raises(AttributeError, match="'discriminator'"):
        build_optimizers(model, cfgs)
