"""0.29 3D lifting families: camera intrinsics and camera flip transforms,
the semi-supervised mix dataset and PoseLifter training path, and
MPI-INF-3DHP with its metrics.

Expected numbers are derived by hand in the comments; state_dicts come from
the packed 0.29 reference manifests.
"""
import copy
import pickle

import mmcv
import numpy as np
import pytest
import torch
from mmcv.parallel import collate

from mmpose.datasets import PIPELINES, build_dataset
from mmpose.datasets.pipelines import Compose
from mmpose.models import build_posenet
from .helpers import data_file
from .reference import REPO_ROOT, packed_manifests, state_dict_problems

SEMI_CONFIGS = [
    'body/3d_kpt_sview_rgb_vid/video_pose_lift/h36m/'
    f'videopose3d_h36m_27frames_fullconv_semi-supervised{suffix}.py'
    for suffix in ('', '_cpn_ft')
]
H36M_ANN = str(data_file('h36m/test_h36m_body3d.npz'))
MPI_DIR = data_file('mpi_inf_3dhp')


def _camera():
    return dict(
        f=np.array([[2.], [3.]]), c=np.array([[4.], [5.]]),
        k=np.array([[6.], [7.], [8.]]), p=np.array([[9.], [10.]]))


# ---------------------------------------------------------------------------
# transforms
# ---------------------------------------------------------------------------
def test_collect_camera_intrinsics_packs_f_c_k_p():
    out = PIPELINES.build(dict(type='CollectCameraIntrinsics'))(
        dict(camera_param=_camera()))
    np.testing.assert_allclose(out['intrinsics'], np.arange(2., 11.))


def test_collect_camera_intrinsics_without_distortion_and_fixed_camera():
    transform = PIPELINES.build(
        dict(type='CollectCameraIntrinsics', camera_param=_camera(),
             need_distortion=False))
    np.testing.assert_allclose(transform({})['intrinsics'], [2, 3, 4, 5])


def test_collect_camera_intrinsics_names_missing_keys():
    camera = _camera()
    del camera['p']
    with pytest.raises(KeyError, match="'p'"):
        PIPELINES.build(dict(type='CollectCameraIntrinsics'))(
            dict(camera_param=camera))


def test_relative_joint_flip_mirrors_camera():
    flip = PIPELINES.build(
        dict(type='RelativeJointRandomFlip', item='pose',
             flip_cfg=dict(center_mode='static', center_x=0.),
             flip_prob=1., flip_camera=True))
    camera = _camera()
    results = dict(pose=np.array([[1., 2.], [3., 4.]]), camera_param=camera,
                   ann_info=dict(flip_pairs=[[0, 1]]))
    out = flip(results)
    # x mirrored around 0 and the two joints swapped
    np.testing.assert_allclose(out['pose'], [[-3, 4], [-1, 2]])
    np.testing.assert_allclose(out['camera_param']['c'].ravel(), [-4, 5])
    np.testing.assert_allclose(out['camera_param']['p'].ravel(), [-9, 10])
    np.testing.assert_allclose(out['camera_param']['f'].ravel(), [2, 3])
    # the caller's camera is left as it was
    np.testing.assert_allclose(camera['c'].ravel(), [4, 5])


# ---------------------------------------------------------------------------
# semi-supervised training
# ---------------------------------------------------------------------------
@pytest.fixture(scope='module')
def h36m_cameras(tmp_path_factory):
    """The sample cameras with the image size of Human3.6M (1000 x 1002)."""
    with open(data_file('h36m/cameras.pkl'), 'rb') as f:
        cameras = pickle.load(f)
    for camera in cameras.values():
        camera.update(w=1000, h=1002)
    path = tmp_path_factory.mktemp('h36m') / 'cameras.pkl'
    with open(path, 'wb') as f:
        pickle.dump(cameras, f)
    return str(path)


def _semi_cfg(config, cameras):
    cfg = mmcv.Config.fromfile(str(REPO_ROOT / 'configs' / config))
    train = cfg.data.train
    for dataset, subjects in ((train.labeled_dataset, ['S1', 'S5']),
                              (train.unlabeled_dataset, ['S7', 'S8'])):
        dataset.ann_file = H36M_ANN
        dataset.img_prefix = str(data_file('h36m'))
        dataset.data_cfg.update(camera_param_file=cameras,
                                subjects=subjects, subset=1)
        dataset.data_cfg.pop('joint_2d_det_file', None)
        dataset.data_cfg['joint_2d_src'] = 'gt'
    return cfg


@pytest.mark.parametrize('config', SEMI_CONFIGS)
def test_semi_supervised_model_matches_reference(config):
    cfg = mmcv.Config.fromfile(str(REPO_ROOT / 'configs' / config))
    with torch.device('meta'):
        model = build_posenet(cfg.model)
    built = {
        name: [list(t.shape), str(t.dtype)]
        for name, t in model.state_dict().items()
    }
    expected = packed_manifests('0.29')[config[:-3] + '.json']['state_dict']
    assert state_dict_problems(expected, built) == []


@pytest.mark.parametrize('config', SEMI_CONFIGS)
def test_semi_supervised_pipelines_build(config):
    cfg = mmcv.Config.fromfile(str(REPO_ROOT / 'configs' / config))
    for pipeline in (cfg.train_labeled_pipeline,
                     cfg.train_unlabeled_pipeline, cfg.val_pipeline):
        assert len(Compose(pipeline).transforms) == len(pipeline)


def test_semi_supervision_dataset_mixes_both_samples(h36m_cameras):
    cfg = _semi_cfg(SEMI_CONFIGS[0], h36m_cameras)
    unlabeled = cfg.data.train.unlabeled_dataset
    assert unlabeled.pipeline[1].type == 'RelativeJointRandomFlip'
    unlabeled.pipeline[1].flip_prob = 0
    dataset = build_dataset(cfg.data.train)
    # the unlabelled subjects S7 and S8 have one frame each (padded to 27)
    assert len(dataset) == 2
    sample = dataset[1]
    assert sample['unlabeled_input'].shape == (34, 27)
    assert sample['input'].shape == (34, 27)
    assert sample['target'].shape == (17, 3)
    assert sample['traj_target'].shape == (1, 3)
    # the unlabelled sample is S8's (sorted videos), camera 55011271 of a
    # 1000 x 1002 image: pixels p become (p - (500, 501)) / 500
    part = np.load(H36M_ANN)['part'][3, :, :2]
    np.testing.assert_allclose(sample['unlabeled_target_2d'],
                               (part - [500, 501]) / 500, rtol=1e-5)
    with open(h36m_cameras, 'rb') as f:
        camera = pickle.load(f)[('S8', '55011271')]
    np.testing.assert_allclose(
        sample['intrinsics'],
        np.concatenate([
            camera['f'].ravel() / 500, (camera['c'].ravel() - [500, 501]) /
            500, camera['k'].ravel(), camera['p'].ravel()
        ]), rtol=1e-5)


def test_need_2d_label_adds_target_frame_2d_joints():
    dataset = build_dataset(
        dict(type='Body3DH36MDataset', ann_file=H36M_ANN, img_prefix='',
             data_cfg=dict(num_joints=17, need_2d_label=True),
             pipeline=[]))
    part = np.load(H36M_ANN)['part']
    np.testing.assert_allclose(dataset[2]['target_2d'], part[2, :, :2])


def _tiny_semi_model(cfg):
    model_cfg = copy.deepcopy(cfg.model)
    for backbone in (model_cfg.backbone, model_cfg.traj_backbone):
        backbone.update(stem_channels=32, dropout=0.)
    model_cfg.keypoint_head.in_channels = 32
    model_cfg.traj_head.in_channels = 32
    model_cfg.loss_semi.warmup_iterations = 0
    return build_posenet(model_cfg)


def test_semi_supervised_training_lowers_the_loss(h36m_cameras):
    torch.manual_seed(0)
    np.random.seed(0)
    cfg = _semi_cfg(SEMI_CONFIGS[0], h36m_cameras)
    dataset = build_dataset(cfg.data.train)
    batch = collate([dataset[0], dataset[1]], samples_per_gpu=2)
    batch['metas'] = batch['metas'].data[0]
    batch['unlabeled_metas'] = batch['unlabeled_metas'].data[0]
    model = _tiny_semi_model(cfg)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(3):
        out = model.train_step(batch, optimizer)
        losses.append(out['loss'].item())
        assert {'proj_loss', 'bone_loss', 'traj_loss'} <= set(
            out['log_vars'])
        optimizer.zero_grad()
        out['loss'].backward()
        optimizer.step()
    assert losses[2] < losses[0]


def test_semi_loss_needs_unlabelled_inputs(h36m_cameras):
    cfg = _semi_cfg(SEMI_CONFIGS[0], h36m_cameras)
    model = _tiny_semi_model(cfg)
    metas = [dict(target_image_path='', flip_pairs=[],
                  root_position=np.zeros((1, 3), np.float32))] * 2
    with pytest.raises(KeyError, match='unlabeled_input'):
        model(torch.zeros(2, 34, 27), torch.zeros(2, 17, 3), None, metas,
              traj_target=torch.zeros(2, 1, 3))


# ---------------------------------------------------------------------------
# MPI-INF-3DHP
# ---------------------------------------------------------------------------
def _mpi_dataset(ann='test_3dhp_test.npz', **data_cfg):
    return build_dataset(
        dict(type='Body3DMpiInf3dhpDataset',
             ann_file=str(MPI_DIR / ann), img_prefix='',
             data_cfg=dict(num_joints=17, **data_cfg), pipeline=[],
             test_mode=True))


def _outputs_from(dataset, shift=0.):
    gts = dataset.data_info['joints_3d'][..., :3]
    return [dict(preds=gts + np.float32(shift),
                 target_image_paths=list(dataset.data_info['imgnames']))]


def test_mpi_inf_3dhp_groups_train_videos_and_test_subjects():
    # two videos (Cam0, Cam8) of two frames: one 2-frame sequence each
    train = _mpi_dataset('test_3dhp_train.npz', seq_len=2)
    assert train.sample_indices == [(0, 1), (2, 3)]
    # three frames of test subject TS1, centred padded sequences of 3
    test = _mpi_dataset(seq_len=3, causal=False, temporal_padding=True)
    assert test.sample_indices == [(0, 0, 1), (0, 1, 2), (1, 2, 2)]


def test_mpi_inf_3dhp_camera_by_video_name():
    dataset = _mpi_dataset('test_3dhp_train.npz', need_camera_param=True,
                           camera_param_file=str(
                               MPI_DIR / 'cameras_train.pkl'))
    sample = dataset[2]  # first frame of S1_Seq1_Cam8
    np.testing.assert_allclose(sample['camera_param']['f'].ravel(),
                               [1400, 1400])
    assert sample['image_width'] == 2048


def test_mpi_inf_3dhp_perfect_predictions(tmp_path):
    dataset = _mpi_dataset()
    results = dataset.evaluate(
        _outputs_from(dataset), str(tmp_path),
        metric=['mpjpe', 'p-mpjpe', '3dpck', 'p-3dpck', '3dauc', 'p-3dauc'])
    assert list(results) == [
        'MPJPE', 'P-MPJPE', '3DPCK', 'P-3DPCK', '3DAUC', 'P-3DAUC'
    ]
    assert results['MPJPE'] == pytest.approx(0, abs=1e-6)
    assert results['P-MPJPE'] == pytest.approx(0, abs=1e-5)
    assert results['3DPCK'] == 100
    # zero error passes every threshold of linspace(0, .15, 31) but 0
    assert results['3DAUC'] == pytest.approx(30 / 31 * 100)
    assert results['P-3DAUC'] == pytest.approx(30 / 31 * 100)
    assert (tmp_path / 'result_keypoints.json').is_file()


def test_mpi_inf_3dhp_shifted_predictions(tmp_path):
    dataset = _mpi_dataset()
    # every joint 0.102 off along x (plus 0 on y, z): error 0.102
    # everywhere (off the thresholds' grid, so rounding cannot tie)
    results = dataset.evaluate(
        _outputs_from(dataset, shift=np.array([0.102, 0., 0.])),
        str(tmp_path), metric=['mpjpe', 'p-mpjpe', '3dpck', '3dauc'])
    assert results['MPJPE'] == pytest.approx(0.102, rel=1e-5)
    # a rigid translation is undone by the Procrustes alignment
    assert results['P-MPJPE'] == pytest.approx(0, abs=1e-5)
    assert results['3DPCK'] == 100  # 0.102 < 0.15
    # thresholds 0.15 * i / 30 above 0.102: i = 21..30, 10 of 31
    assert results['3DAUC'] == pytest.approx(10 / 31 * 100)


def test_mpi_inf_3dhp_rejects_unknown_metric(tmp_path):
    dataset = _mpi_dataset()
    with pytest.raises(KeyError, match='n-mpjpe'):
        dataset.evaluate(_outputs_from(dataset), str(tmp_path),
                         metric='n-mpjpe')


def test_mpi_inf_3dhp_config_test_pipeline_on_the_sample():
    cfg = mmcv.Config.fromfile(
        str(REPO_ROOT / 'configs' / 'body' / '3d_kpt_sview_rgb_vid' /
            'video_pose_lift' / 'mpi_inf_3dhp' /
            'videopose3d_mpi-inf-3dhp_1frame_fullconv_supervised_gt.py'))
    test = cfg.data.test
    test.ann_file = str(MPI_DIR / 'test_3dhp_test.npz')
    test.data_cfg.camera_param_file = str(MPI_DIR / 'cameras_train.pkl')
    sample = build_dataset(test)[1]
    part = np.load(MPI_DIR / 'test_3dhp_test.npz')['part'][1, :, :2]
    # 2048 x 2048 frames: (p - 1024) / 1024, as [K * 2, T = 1]
    np.testing.assert_allclose(sample['input'].numpy()[:, 0],
                               ((part - 1024) / 1024).ravel(), rtol=1e-5)
    # targets relative to the pelvis (joint 14)
    target = np.asarray(sample['target'])
    np.testing.assert_allclose(target[14], 0, atol=1e-7)
    gt = np.load(MPI_DIR / 'test_3dhp_test.npz')['S'][1, :, :3]
    np.testing.assert_allclose(target, gt - gt[14], rtol=1e-5, atol=1e-6)
