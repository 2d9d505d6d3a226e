"""HMR in the MMPose 0.29 layout: the registered three-gender ``SMPL``
wrapper, the 0.29 config's state_dict, and checkpoints of 0.14 and 0.29
loading into models of either generation."""
import copy
import pickle
import shutil

import numpy as np
import pytest
import torch

from mmpose.models import build_mesh_model, build_posenet
from mmpose.utils.checkpoint import load_checkpoint
from .helpers import (MEAN_PARAMS, TINY_CHANNELS, TINY_RESNET,
                      write_synthetic_smpl)
from .reference import REPO_ROOT, packed_manifests, state_dict_problems

HMR_029 = 'body/3d_mesh_sview_rgb_img/hmr/mixed/res50_mixed_224x224.json'
HMR_014 = 'mesh/hmr/hmr_res50_224x224.json'


def _smpl_folder(root, seeds=(0, 1, 2), num_faces=1):
    """A folder with SMPL_{NEUTRAL,MALE,FEMALE}.pkl of different random
    content (seeds) and the joints regressor of the first."""
    folder, regressor = write_synthetic_smpl(root, num_faces=num_faces,
                                             seed=seeds[0])
    for gender, seed in zip(('MALE', 'FEMALE'), seeds[1:]):
        other = root / f'seed{seed}'
        other.mkdir()
        write_synthetic_smpl(other, num_faces=num_faces, seed=seed)
        shutil.copy(other / 'SMPL_NEUTRAL.pkl', root / f'SMPL_{gender}.pkl')
    return str(folder), regressor


@pytest.fixture(scope='module')
def smpl_a(tmp_path_factory):
    return _smpl_folder(tmp_path_factory.mktemp('smpl_a'))


@pytest.fixture(scope='module')
def smpl_b(tmp_path_factory):
    return _smpl_folder(tmp_path_factory.mktemp('smpl_b'), seeds=(5, 6, 7))


def _localised(cfg: dict, smpl_files) -> dict:
    cfg = copy.deepcopy(cfg)
    cfg['pretrained'] = None
    cfg['smpl'].update(smpl_path=smpl_files[0],
                       joints_regressor=smpl_files[1])
    cfg['mesh_head']['smpl_mean_params'] = str(MEAN_PARAMS)
    return cfg


@pytest.mark.parametrize('version,path', [('0.29', HMR_029),
                                          ('0.14', HMR_014)])
def test_hmr_configs_build_their_reference_state(version, path, smpl_a):
    manifest = packed_manifests(version)[path]
    with torch.device('meta'):
        model = build_posenet(_localised(manifest['cfg']['model'], smpl_a))
    state = {name: [list(t.shape), str(t.dtype)]
             for name, t in model.state_dict().items()}
    assert state_dict_problems(manifest['state_dict'], state) == []
    assert sum(p.numel() for p in model.parameters()) == \
        manifest['num_params']


def _tiny_mesh_cfg(smpl_files, version: str) -> dict:
    smpl = dict(smpl_path=smpl_files[0], joints_regressor=smpl_files[1])
    if version == '0.29':
        smpl['type'] = 'SMPL'
    return dict(
        type='ParametricMesh',
        backbone=TINY_RESNET,
        mesh_head=dict(type='HMRMeshHead', in_channels=TINY_CHANNELS,
                       smpl_mean_params=str(MEAN_PARAMS)),
        disc=dict(),
        smpl=smpl,
        loss_gan=dict(type='GANLoss', gan_type='lsgan'),
        train_cfg=dict(disc_step=1),
        test_cfg=dict())


def _learned(state: dict) -> dict:
    return {k: v for k, v in state.items()
            if k != 'joints_regressor' and not k.startswith('smpl.')}


@pytest.mark.parametrize('source,target', [('0.14', '0.29'),
                                           ('0.29', '0.14'),
                                           ('0.29', '0.29')])
def test_checkpoints_load_across_generations(source, target, smpl_a,
                                             smpl_b, tmp_path):
    torch.manual_seed(0)
    src = build_posenet(_tiny_mesh_cfg(smpl_a, source))
    torch.manual_seed(1)
    dst = build_posenet(_tiny_mesh_cfg(smpl_b, target))
    own_male = {k: v.clone() for k, v in dst.state_dict().items()
                if k.startswith('smpl.smpl_male.')}
    path = tmp_path / 'hmr.pth'
    torch.save({'state_dict': src.state_dict()}, path)
    load_checkpoint(dst, str(path), strict=True)

    got, sent = dst.state_dict(), src.state_dict()
    for name, value in _learned(sent).items():
        assert torch.equal(got[name], value), name
    # The neutral body model and the regressor come from the checkpoint.
    np.testing.assert_array_equal(dst.body_model.v_template,
                                  src.body_model.v_template)
    regressor = {'0.14': 'joints_regressor', '0.29': 'smpl.joints_regressor'}
    assert torch.equal(got[regressor[target]], sent[regressor[source]])
    # Body models a 0.14 checkpoint lacks keep the model's own.
    for name, value in own_male.items():
        expected = sent[name] if source == '0.29' else value
        assert torch.equal(got[name], expected), name


def test_learned_weights_stay_strict(smpl_a):
    src = build_posenet(_tiny_mesh_cfg(smpl_a, '0.14'))
    dst = build_posenet(_tiny_mesh_cfg(smpl_a, '0.29'))
    state = src.state_dict()
    del state['mesh_head.fc1.weight']
    state['mesh_head.extra'] = torch.zeros(1)
    with pytest.raises(RuntimeError) as err:
        dst.load_state_dict(state, strict=True)
    assert 'mesh_head.fc1.weight' in str(err.value)
    assert 'mesh_head.extra' in str(err.value)
    assert 'smpl' not in str(err.value)


def test_smpl_wrapper_picks_the_body_model_of_each_gender(smpl_a):
    folder, regressor_path = smpl_a
    smpl = build_mesh_model(
        dict(type='SMPL', smpl_path=folder, joints_regressor=regressor_path))
    assert smpl.joints_regressor.shape == (1, 24, 6890)
    templates = {}
    for gender in ('NEUTRAL', 'MALE', 'FEMALE'):
        with open(f'{folder}/SMPL_{gender}.pkl', 'rb') as f:
            templates[gender] = pickle.load(f)['v_template']
    # Zero shape and rest pose: each sample is its gender's template.
    eye = torch.eye(3).expand(4, 24, 3, 3)
    out = smpl(betas=torch.zeros(4, 10), body_pose=eye[:, 1:],
               global_orient=eye[:, :1], gender=torch.tensor([1, -1, 0, 1]))
    for i, gender in enumerate(['FEMALE', 'NEUTRAL', 'MALE', 'FEMALE']):
        np.testing.assert_allclose(out['vertices'][i], templates[gender],
                                   atol=1e-5)
    regressor = np.load(regressor_path)
    np.testing.assert_allclose(out['joints'][0],
                               regressor @ templates['FEMALE'], rtol=1e-4,
                               atol=1e-4)
    # Without genders every sample uses the neutral model (axis-angle too).
    neutral = smpl(betas=torch.zeros(1, 10), body_pose=torch.zeros(1, 69),
                   global_orient=torch.zeros(1, 3))
    np.testing.assert_allclose(neutral['vertices'][0], templates['NEUTRAL'],
                               atol=1e-5)
    assert smpl.get_faces().shape == (1, 3)


def test_smpl_wrapper_names_missing_gender_files(tmp_path, smpl_a):
    folder, regressor = write_synthetic_smpl(tmp_path)  # neutral only
    with pytest.raises(FileNotFoundError, match='SMPL_MALE.pkl'):
        build_mesh_model(
            dict(type='SMPL', smpl_path=folder, joints_regressor=regressor))


def _metas(num=1):
    return [dict(image_file=f'{i}.jpg', center=np.array([16., 16.]),
                 scale=np.array([0.16, 0.16]), rotation=0, bbox_score=1.)
            for i in range(num)]


def test_029_model_returns_0_29_dicts_and_0_14_model_tuples(smpl_a):
    torch.manual_seed(0)
    model = build_posenet(_tiny_mesh_cfg(smpl_a, '0.29')).eval()
    img = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        out = model(img, img_metas=_metas(2), return_loss=False,
                    return_vertices=True, return_faces=True)
    assert set(out) == {'keypoints_3d', 'smpl_pose', 'smpl_beta', 'camera',
                        'vertices', 'faces', 'bboxes', 'image_path'}
    assert out['smpl_pose'].shape == (2, 24, 3, 3)
    assert out['faces'].shape == (1, 3)
    np.testing.assert_allclose(out['bboxes'][1],
                               [16, 16, .16, .16, 32 * 32, 1.], rtol=1e-6)
    regressor = model.smpl.joints_regressor[0].numpy()
    np.testing.assert_allclose(out['keypoints_3d'][1],
                               regressor @ out['vertices'][1], rtol=1e-4,
                               atol=1e-4)
    old = build_posenet(_tiny_mesh_cfg(smpl_a, '0.14')).eval()
    with torch.no_grad():
        preds, boxes, paths = old(img, img_metas=_metas(2),
                                  return_loss=False)
    assert preds[0].shape == (2, 24, 3) and paths == ['0.jpg', '1.jpg']


@pytest.fixture(scope='module')
def mesh_model(smpl_a):
    from mmcv import Config

    from mmpose.apis import init_pose_model
    cfg = Config(dict(
        model=_tiny_mesh_cfg(smpl_a, '0.29'),
        data_cfg=dict(image_size=[32, 32], num_joints=24),
        test_pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='MeshAffine'),
            dict(type='ToTensor'),
            dict(type='NormalizeTensor', mean=[0.485, 0.456, 0.406],
                 std=[0.229, 0.224, 0.225]),
            dict(type='Collect', keys=['img'],
                 meta_keys=['image_file', 'center', 'scale', 'rotation'])
        ]))
    torch.manual_seed(0)
    return init_pose_model(cfg, device='cpu')


def test_inference_mesh_model_results(mesh_model):
    from mmpose.apis import inference_mesh_model
    image = str(REPO_ROOT / 'tests' / 'data' / 'demo' / '000000000785.jpg')
    det = [dict(bbox=np.array([10., 20., 40., 30., 0.9]), track_id=3),
           dict(bbox=np.array([0., 0., 50., 50., 0.2]))]
    results = inference_mesh_model(mesh_model, image, det, bbox_thr=0.5)
    assert len(results) == 1 and results[0]['track_id'] == 3
    res = results[0]
    np.testing.assert_allclose(res['bbox'], [10, 20, 49, 49, 0.9])
    # 40 x 30 box, square input: 40 x 40, padded by 1.25, in 200 px units
    np.testing.assert_allclose(res['center'], [30., 35.])
    np.testing.assert_allclose(res['scale'], [0.25, 0.25])
    assert res['keypoints_3d'].shape == (24, 3)
    assert res['vertices'].shape == (6890, 3)
    assert res['camera'].shape == (3, ) and res['faces'].shape == (1, 3)
    regressor = mesh_model.smpl.joints_regressor[0].numpy()
    np.testing.assert_allclose(res['keypoints_3d'],
                               regressor @ res['vertices'], rtol=1e-4,
                               atol=1e-4)
    assert inference_mesh_model(mesh_model, image, []) == []
    with pytest.raises(NotImplementedError, match='MeshH36MDataset'):
        inference_mesh_model(mesh_model, image, det, dataset='Other')


def test_imshow_mesh_3d_projects_and_occludes():
    from mmpose.core.visualization import imshow_mesh_3d
    img = np.zeros((20, 20, 3), dtype=np.uint8)
    # Facing the camera at depth 1: f = 10, c = (5, 5) puts the corners at
    # pixels (5, 5), (15, 5), (5, 15).
    near = np.array([[0., 0., 1.], [1., 0., 1.], [0., 1., 1.]])
    far = near * 2  # same image triangle, twice as deep
    behind = near * -1
    faces = np.array([[0, 1, 2]])
    out = imshow_mesh_3d(img, [near, far, behind], [faces] * 3, (5, 5), 10,
                         colors=[(0, 0, 200), (0, 200, 0), (200, 0, 0)])
    np.testing.assert_array_equal(out[7, 7], [0, 0, 200])  # near wins
    np.testing.assert_array_equal(out[14, 14], [0, 0, 0])  # outside
    np.testing.assert_array_equal(img, 0)  # input untouched
    # Plane z = 1 + sqrt(3) y: its normal is 60 degrees off the view axis,
    # brightness 0.3 + 0.7 * cos(60) = 0.65 of the colour.
    tilted = np.array([[0., 0., 1.], [1., 0., 1.], [0., 1., 1 + 3**0.5]])
    out = imshow_mesh_3d(img, tilted, faces, (5, 5), 10, colors=(0, 0, 200))
    np.testing.assert_allclose(out[6, 7], [0, 0, 130], atol=1)
    np.testing.assert_array_equal(out[12, 7], [0, 0, 0])


def test_vis_3d_mesh_result_draws_front_and_side(mesh_model, tmp_path):
    from mmpose.apis import inference_mesh_model, vis_3d_mesh_result
    image = str(REPO_ROOT / 'tests' / 'data' / 'demo' / '000000000785.jpg')
    results = inference_mesh_model(
        mesh_model, image, [dict(bbox=np.array([100., 50., 200., 300.]))])
    out_file = tmp_path / 'mesh.jpg'
    drawing = vis_3d_mesh_result(mesh_model, results, image,
                                 out_file=str(out_file))
    from mmcv import imread
    original = imread(image)
    height, width = original.shape[:2]
    assert drawing.shape == (height, 2 * width, 3)
    assert out_file.is_file()
    # The side view is a white canvas with the mesh drawn on it.
    side = drawing[:, width:]
    assert (side == 255).all(axis=2).mean() > 0.5
    assert not (side == 255).all()
