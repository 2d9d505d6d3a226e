"""3D body (Human3.6M lifting) and mesh datasets."""
import json
import os.path as osp
import pickle

import numpy as np
import pytest

import mmpose.datasets.datasets.body3d  # noqa: F401
import mmpose.datasets.datasets.mesh  # noqa: F401
from mmpose.datasets import build_dataset
from .reference import reference_cfg

DATA = osp.join(osp.dirname(__file__), 'data')
H36M = osp.join(DATA, 'h36m')
BODY3D_ANN = osp.join(H36M, 'test_h36m_body3d.npz')
MESH_ANN = osp.join(H36M, 'test_h36m.npz')

def reference_data(path: str) -> dict:
    return reference_cfg(path)['data']


# ----------------------------------------------------------------------
# Body3DH36MDataset
# ----------------------------------------------------------------------
def body3d_cfg(tmp_path, ann_file=BODY3D_ANN, **data_cfg):
    """The reference test dataset, with normalisation stats in tmp_path."""
    cfg = reference_data(
        'body3d/simple_baseline/h36m/simple3Dbaseline_h36m.json')['test']
    stats = {
        'target': dict(mean=np.zeros((16, 3)), std=np.full((16, 3), 0.5)),
        'input_2d': dict(mean=np.full((17, 2), 500.), std=np.full((17, 2),
                                                                  100.)),
    }
    for t in cfg['pipeline']:
        if t['type'] == 'NormalizeJointCoordinate':
            path = tmp_path / f"{t['item']}_stats.pkl"
            path.write_bytes(pickle.dumps(stats[t['item']]))
            t['norm_param_file'] = str(path)
    cfg.update(ann_file=ann_file, img_prefix=H36M + '/', test_mode=True)
    cfg['data_cfg'].update(
        camera_param_file=osp.join(H36M, 'cameras.pkl'), **data_cfg)
    return cfg


def body3d_outputs(dataset, preds=None):
    gts = dataset.data_info['joints_3d'][:, :, :3]
    preds = gts if preds is None else preds
    names = [str(n) for n in dataset.data_info['imgnames']]
    return [
        dict(preds=preds[:2], target_image_paths=names[:2]),
        dict(preds=preds[2:], target_image_paths=names[2:])
    ]


def test_body3d_loads_and_runs_reference_pipeline(tmp_path):
    dataset = build_dataset(body3d_cfg(tmp_path))
    assert len(dataset) == 4
    # the 0.x configs spell 'causal' as 'casual'
    assert dataset.causal is True
    item = dataset[0]
    assert tuple(item['input'].shape) == (34, 1)
    assert tuple(item['target'].shape) == (16, 3)
    meta = item['metas'].data
    data = np.load(BODY3D_ANN)
    assert meta['target_image_path'] == data['imgname'][0]
    np.testing.assert_allclose(meta['root_position'], data['S'][0, :1, :3],
                               rtol=1e-6)
    np.testing.assert_allclose(
        item['input'].numpy()[:, 0],
        ((data['part'][0, :, :2] - 500.) / 100.).reshape(-1),
        rtol=1e-5)


def test_body3d_perfect_and_perturbed(tmp_path):
    dataset = build_dataset(body3d_cfg(tmp_path))
    res = dataset.evaluate(
        body3d_outputs(dataset), str(tmp_path),
        ['mpjpe', 'p-mpjpe', 'n-mpjpe'])
    assert list(res)[:5] == [
        'MPJPE', 'MPJPE_Directions', 'MPJPE_SittingDown', 'MPJPE_Greeting',
        'MPJPE_WalkDog'
    ]
    assert 'P-MPJPE' in res and 'N-MPJPE_WalkDog' in res
    for value in res.values():
        assert value == pytest.approx(0.0, abs=1e-6)
    written = json.load(open(tmp_path / 'result_keypoints.json'))
    assert [w['target_id'] for w in written] == [0, 1, 2, 3]

    gts = dataset.data_info['joints_3d'][:, :, :3].astype(np.float64)
    # a 3 cm / 4 cm translation: MPJPE 0.05, removed by Procrustes
    res = dataset.evaluate(
        body3d_outputs(dataset, gts + [0.03, 0.04, 0.]), str(tmp_path),
        ['mpjpe', 'p-mpjpe'])
    assert res['MPJPE'] == pytest.approx(0.05, rel=1e-5)
    assert res['MPJPE_Greeting'] == pytest.approx(0.05, rel=1e-5)
    assert res['P-MPJPE'] == pytest.approx(0.0, abs=1e-6)
    # a 10% scaling: MPJPE 0.1 |gt|, removed by the scale alignment
    res = dataset.evaluate(
        body3d_outputs(dataset, gts * 1.1), str(tmp_path),
        ['mpjpe', 'n-mpjpe'])
    assert res['MPJPE'] == pytest.approx(
        0.1 * np.linalg.norm(gts, axis=-1).mean(), rel=1e-5)
    assert res['N-MPJPE'] == pytest.approx(0.0, abs=1e-6)


def test_body3d_sequences(tmp_path):
    # four frames of four different videos: a 3-frame window fits only with
    # temporal padding
    with pytest.raises(ValueError, match='no sample of 3 frames'):
        build_dataset(body3d_cfg(tmp_path, seq_len=3))
    dataset = build_dataset(
        body3d_cfg(tmp_path, seq_len=3, temporal_padding=True))
    assert dataset.sample_indices == [(0, 0, 0), (1, 1, 1), (2, 2, 2),
                                      (3, 3, 3)]

    frames = np.arange(10, 15)
    dataset.seq_frame_interval, dataset.temporal_padding = 2, False
    np.testing.assert_array_equal(
        dataset._video_sequences(frames), [[10, 12, 14]])
    dataset.temporal_padding = True
    np.testing.assert_array_equal(
        dataset._video_sequences(frames),
        [[10, 10, 10], [10, 10, 11], [10, 10, 12], [10, 11, 13],
         [10, 12, 14]])
    dataset.causal, dataset.seq_frame_interval = False, 1
    np.testing.assert_array_equal(
        dataset._video_sequences(frames[:3]),
        [[10, 10, 11], [10, 11, 12], [11, 12, 12]])


def test_body3d_target_frame_of_non_causal_sequence(tmp_path):
    dataset = build_dataset(
        body3d_cfg(tmp_path, seq_len=3, temporal_padding=True, causal=False))
    dataset.sample_indices[1] = (0, 1, 2)
    results = dataset.prepare_data(1)
    assert results['target_frame_id'] == 1
    assert results['input_2d'].shape == (3, 17, 2)
    np.testing.assert_allclose(results['target'],
                               dataset.data_info['joints_3d'][1, :, :3])


def test_body3d_filters_cameras_and_detections(tmp_path):
    dataset = build_dataset(body3d_cfg(tmp_path, subjects=['S1', 'S8']))
    assert len(dataset) == 2

    dataset = build_dataset(body3d_cfg(tmp_path, need_camera_param=True))
    cam = dataset.prepare_data(0)['camera_param']
    assert set(cam) >= {'R', 'T', 'f', 'c'}
    cams = pickle.load(open(osp.join(H36M, 'cameras.pkl'), 'rb'))
    np.testing.assert_array_equal(cam['R'], cams[('S1', '54138969')]['R'])

    det = np.random.RandomState(0).rand(4, 17, 3).astype(np.float32)
    det_file = tmp_path / 'det.npy'
    np.save(det_file, det)
    dataset = build_dataset(
        body3d_cfg(
            tmp_path, joint_2d_src='detection',
            joint_2d_det_file=str(det_file)))
    np.testing.assert_allclose(dataset.prepare_data(2)['input_2d'][0],
                               det[2, :, :2])
    np.save(det_file, det[:3])
    with pytest.raises(ValueError, match='det.npy has shape'):
        build_dataset(
            body3d_cfg(
                tmp_path, joint_2d_src='detection',
                joint_2d_det_file=str(det_file)))
    with pytest.raises(ValueError, match='Unsupported joint_2d_src'):
        build_dataset(body3d_cfg(tmp_path, joint_2d_src='video'))


def test_body3d_bad_data(tmp_path):
    data = dict(np.load(BODY3D_ANN))
    data['S'] = data['S'][:, :16]
    bad = tmp_path / 'bad.npz'
    np.savez(bad, **data)
    with pytest.raises(ValueError, match="bad.npz: 'S' has shape"):
        build_dataset(body3d_cfg(tmp_path, ann_file=str(bad)))
    with pytest.raises(FileNotFoundError, match='missing.npz'):
        build_dataset(
            body3d_cfg(tmp_path, ann_file=str(tmp_path / 'missing.npz')))
    dataset = build_dataset(body3d_cfg(tmp_path))
    with pytest.raises(KeyError, match="allowed: \\['mpjpe', 'p-mpjpe'"):
        dataset.evaluate(body3d_outputs(dataset), str(tmp_path), 'PCK')
    with pytest.raises(KeyError, match='not_a_frame.jpg'):
        dataset.evaluate([
            dict(preds=np.zeros((1, 17, 3)),
                 target_image_paths=['not_a_frame.jpg'])
        ], str(tmp_path))


# ----------------------------------------------------------------------
# Mesh datasets
# ----------------------------------------------------------------------
def mesh_data():
    return reference_data('mesh/hmr/hmr_res50_224x224.json')


def mesh_test_cfg(ann_file=MESH_ANN):
    cfg = mesh_data()['test']
    cfg.update(ann_file=ann_file, img_prefix=H36M, test_mode=True)
    return cfg


def mesh_outputs(joints, batch=1):
    """``(preds, boxes, image_paths)`` batches of a mesh model."""
    n = len(joints)
    names = [str(x) for x in np.load(MESH_ANN)['imgname']]
    return [((joints[s:s + batch], (np.zeros((batch, 24, 3, 3)),
                                    np.zeros((batch, 10))),
              np.zeros((batch, 3))), np.ones((batch, 6)),
             [osp.join(H36M, p) for p in names[s:s + batch]])
            for s in range(0, n, batch)]


def test_mesh_h36m_loads_and_runs_reference_pipeline():
    dataset = build_dataset(mesh_test_cfg())
    assert len(dataset) == 4
    rec = dataset.db[0]
    data = np.load(MESH_ANN)
    np.testing.assert_allclose(rec['joints_3d'], data['S'][0, :, :3],
                               rtol=1e-6)
    np.testing.assert_allclose(rec['scale'], [data['scale'][0]] * 2,
                               rtol=1e-6)
    assert rec['has_smpl'] == 1 and rec['has_iuv'] == 1
    assert rec['iuv_file'] == osp.join(H36M, 'BF_IUV_gt',
                                       data['iuv_names'][0])
    assert dataset.ann_info['flip_pairs'][-1] == [22, 23]
    item = dataset[0]
    assert tuple(item['img'].shape) == (3, 224, 224)


def test_mesh_h36m_evaluation(tmp_path):
    dataset = build_dataset(mesh_test_cfg())
    gts = np.stack([r['joints_3d'] for r in dataset.db]).astype(np.float64)
    res = dataset.evaluate(mesh_outputs(gts + 1.0), str(tmp_path))
    assert list(res) == ['MPJPE', 'MPJPE-PA']
    assert res['MPJPE'] == pytest.approx(0.0, abs=1e-6)
    assert res['MPJPE-PA'] == pytest.approx(0.0, abs=1e-6)
    written = json.load(open(tmp_path / 'result_keypoints.json'))
    assert len(written) == 4 and 'image' in written[0]

    # right ankle 1 cm off: 10 mm on 1 of the 14 pelvis-centred joints
    bad = gts.copy()
    bad[:, 0, 0] += 0.01
    res = dataset.evaluate(mesh_outputs(bad, batch=2), str(tmp_path))
    assert res['MPJPE'] == pytest.approx(10.0 / 14, rel=1e-5)
    # the per-example kernel agrees with the dataset-level numbers
    kernel = np.array([
        dataset.evaluate_kernel(p, r['joints_3d'], r['joints_3d_visible'])
        for p, r in zip(bad, dataset.db)
    ]) * 1000
    np.testing.assert_allclose(kernel[:, 0], 10.0 / 14, rtol=1e-5)
    assert res['MPJPE-PA'] == pytest.approx(kernel[:, 1].mean(), rel=1e-5)
    assert res['MPJPE-PA'] > 0
    with pytest.raises(KeyError, match="allowed: \\['joint_error'\\]"):
        dataset.evaluate(mesh_outputs(gts), str(tmp_path), 'mAP')


def test_mosh_dataset():
    cfg = mesh_data()['train']['adversarial_dataset']
    cfg['ann_file'] = osp.join(DATA, 'mosh/test_mosh.npz')
    dataset = build_dataset(cfg)
    data = np.load(cfg['ann_file'])
    assert len(dataset) == 4
    theta = dataset[2]['mosh_theta']
    assert theta.shape == (85, ) and theta.dtype == np.float32
    np.testing.assert_array_equal(theta[:3], 0)
    np.testing.assert_allclose(theta[3:75], data['pose'][2], rtol=1e-6)
    np.testing.assert_allclose(theta[75:], data['shape'][2], rtol=1e-6)


def test_mesh_adversarial_and_mix_datasets():
    train = mesh_data()['train']
    h36m = train['train_dataset']['configs'][0]
    h36m.update(ann_file=MESH_ANN, img_prefix=H36M)
    train['train_dataset'].update(configs=[h36m, h36m], partition=[0.3, 0.7])
    train['adversarial_dataset']['ann_file'] = osp.join(
        DATA, 'mosh/test_mosh.npz')
    dataset = build_dataset(train)
    assert len(dataset) == 4
    np.random.seed(0)
    item = dataset[0]
    assert tuple(item['img'].shape) == (3, 224, 224)
    assert item['mosh_theta'].shape == (85, )
    assert tuple(item['joints_3d'].shape) == (24, 3)
    with pytest.raises(ValueError, match='sum to 1'):
        build_dataset(dict(train['train_dataset'], partition=[0.5, 0.6]))


def test_mesh_bad_data(tmp_path):
    data = dict(np.load(MESH_ANN))
    data['imgname'] = np.array(['missing.jpg'] + list(data['imgname'][1:]))
    path = tmp_path / 'mesh.npz'
    np.savez(path, **data)
    dataset = build_dataset(mesh_test_cfg(str(path)))
    with pytest.raises(FileNotFoundError, match='missing.jpg of record 0'):
        dataset[0]
    data['S'] = data['S'][:, :23]
    np.savez(path, **data)
    with pytest.raises(ValueError, match="'S' has shape"):
        build_dataset(mesh_test_cfg(str(path)))
