"""Golden cases recorded with MMPose 0.14 (packed ``numerics-0.14``).

Every case except the TopDownAffine_* / TopDownGenerateTarget_* ones (checked
with the pipelines) must have a runner here; an unknown case fails.
"""
import numpy as np
import pytest

from mmpose.core.evaluation import (keypoint_auc, keypoint_epe,
                                    keypoint_mpjpe, keypoint_pck_accuracy,
                                    keypoints_from_heatmaps,
                                    keypoints_from_regression,
                                    pose_pck_accuracy, post_dark_udp)
from mmpose.core.post_processing import (flip_back, fliplr_joints,
                                         fliplr_regression,
                                         get_affine_transform,
                                         get_warp_matrix, oks_iou, oks_nms,
                                         soft_oks_nms, transform_preds)
from .reference import packed_numerics

NUMERICS = packed_numerics('0.14')
OTHER_OWNER = ('TopDownAffine_', 'TopDownGenerateTarget_')
COCO_FLIP_PAIRS = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12],
                   [13, 14], [15, 16]]
TOL = dict(rtol=1e-5, atol=1e-5)
# DARK evaluates its Gaussian modulation on a 5x5 window instead of the whole
# map, so it is not bit-identical: the heatmap-space result differs by float32
# rounding, which float32 image coordinates amplify to 1 ulp of their
# magnitude (3e-5 at 256 px). Those cases compare to 1e-5 of that magnitude.
MAGNITUDE_TOL = {'keypoints_from_heatmaps_unbiased'}


def _affine_case(inv, shift):

    def run(args):
        return {
            'trans':
            get_affine_transform(
                np.array([150, 120]), np.array([1.2, 1.6]), 30, (192, 256),
                shift=shift, inv=inv)
        }

    return run


def _decode_case(**kwargs):

    def run(args):
        preds, maxvals = keypoints_from_heatmaps(args['heatmaps'],
                                                 args['center'],
                                                 args['scale'], **kwargs)
        return {'preds': preds, 'maxvals': maxvals}

    return run


def _transform_case(use_udp):

    def run(args):
        return {
            'out':
            transform_preds(args['coords'], np.array([150, 120]),
                            np.array([1.2, 1.6]), [48, 64], use_udp=use_udp)
        }

    return run


def _pck(args):
    acc, avg_acc, cnt = keypoint_pck_accuracy(args['pred'], args['gt'],
                                              args['mask'], 0.5,
                                              args['normalize'])
    return {'acc': acc, 'avg_acc': avg_acc, 'cnt': cnt}


def _pose_pck(args):
    n = args['output'].shape[0]
    acc, avg_acc, cnt = pose_pck_accuracy(
        args['output'], args['target'], args['mask'], thr=0.05,
        normalize=np.ones((n, 2)) * [64, 48])
    return {'acc': acc, 'avg_acc': avg_acc, 'cnt': cnt}


def _fliplr_joints(args):
    joints, visible = fliplr_joints(args['joints_3d'],
                                    args['joints_3d_visible'], 640,
                                    COCO_FLIP_PAIRS)
    return {'joints': joints, 'visible': visible}


RUNNERS = {
    'flip_back':
    lambda a: {'out': flip_back(a['output_flipped'], COCO_FLIP_PAIRS)},
    'fliplr_joints':
    _fliplr_joints,
    'fliplr_regression':
    lambda a: {
        mode: fliplr_regression(a['regression'], COCO_FLIP_PAIRS,
                                center_mode=mode)
        for mode in ('static', 'root')
    },
    'get_affine_transform_inv0_shift0':
    _affine_case(False, (0., 0.)),
    'get_affine_transform_inv0_shift1':
    _affine_case(False, (0.1, -0.05)),
    'get_affine_transform_inv1_shift0':
    _affine_case(True, (0., 0.)),
    'get_affine_transform_inv1_shift1':
    _affine_case(True, (0.1, -0.05)),
    'get_warp_matrix':
    lambda a: {
        'mat':
        get_warp_matrix(25, np.array([300., 400.]) - 1, np.array([191, 255]),
                        np.array([240, 320]))
    },
    'keypoint_auc':
    lambda a: {
        'auc': keypoint_auc(a['pred'], a['gt'], a['mask'], 30, num_step=20)
    },
    'keypoint_epe':
    lambda a: {'epe': keypoint_epe(a['pred'], a['gt'], a['mask'])},
    'keypoint_mpjpe':
    lambda a: {
        al: keypoint_mpjpe(a['pred'], a['gt'], a['mask'], alignment=al)
        for al in ('none', 'scale', 'procrustes')
    },
    'keypoint_pck_accuracy':
    _pck,
    'keypoints_from_heatmaps_None':
    _decode_case(post_process=None),
    'keypoints_from_heatmaps_default':
    _decode_case(post_process='default'),
    'keypoints_from_heatmaps_megvii':
    _decode_case(post_process='megvii', kernel=11),
    'keypoints_from_heatmaps_unbiased':
    _decode_case(post_process='unbiased', kernel=11),
    'keypoints_from_heatmaps_udp':
    _decode_case(post_process='default', use_udp=True, kernel=3),
    'keypoints_from_heatmaps_combined':
    _decode_case(post_process='default', use_udp=True,
                 target_type='CombinedTarget', valid_radius_factor=0.0546875),
    'keypoints_from_regression':
    lambda a: dict(
        zip(('preds', 'maxvals'),
            keypoints_from_regression(a['regression_preds'], a['center'],
                                      a['scale'], [192, 256]))),
    'oks_iou':
    lambda a: {'out': oks_iou(a['g'], a['d'], 900, np.ones(6) * 800)},
    'oks_nms':
    lambda a: {'keep': oks_nms(a['kpts_db'], 0.5)},
    'soft_oks_nms':
    lambda a: {'keep': soft_oks_nms(a['kpts_db'], 0.5, max_dets=20)},
    'pose_pck_accuracy':
    _pose_pck,
    'post_dark_udp':
    lambda a: {
        'coords': post_dark_udp(a['coords'], a['batch_heatmaps'], kernel=3)
    },
    'transform_preds_udp0':
    _transform_case(False),
    'transform_preds_udp1':
    _transform_case(True),
}


def _case_names():
    return sorted(name for name in NUMERICS
                  if not name.startswith(OTHER_OWNER))


@pytest.mark.parametrize('name', _case_names())
def test_golden_case(name):
    assert name in RUNNERS, f'no runner for golden case {name}'
    case = NUMERICS[name]
    args = {k: (v.copy() if isinstance(v, np.ndarray) else v)
            for k, v in case['args'].items()}
    out = RUNNERS[name](args)
    assert set(out) == set(case['out']), case['call']
    for key, expected in case['out'].items():
        expected = np.asarray(expected, dtype=np.float64)
        tol = dict(TOL)
        if name in MAGNITUDE_TOL:
            tol['atol'] = 1e-5 * max(1.0, float(np.abs(expected).max()))
        np.testing.assert_allclose(
            np.asarray(out[key], dtype=np.float64), expected,
            err_msg=f'{name}[{key}] ({case["call"]})', **tol)
    # Inputs are never modified in place.
    for key, value in case['args'].items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(args[key], value)
