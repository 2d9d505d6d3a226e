"""Multi-view 3D datasets of MMPose 0.29 (VoxelPose): Panoptic, Shelf and
Campus on tiny synthetic samples in their own formats (tests/data/
panoptic_body3d, shelf, campus).

The samples hold a hand-written standing person (COCO joints in mm, z up:
nose (0, 0, 1600), ears (+-80, 0, 1600), shoulders (+-200, 0, 1400), ...;
a second one moved by (1000, 500, 0)) seen by two cameras at
(0, -5000, 1000) looking along +y and (-5000, 0, 1000) along +x. Shelf and
Campus ground truth is that person in their 14-joint order with head
bottom (0, 0, 1500) and head top (0, 0, 1700); actor 1 is present in frame 1
only. Panoptic stores the same person in its y-down cm frame.
"""
import shutil

import numpy as np
import pytest

from mmpose.datasets import DATASETS, build_dataset
from mmpose.datasets.metadata import load_dataset_info
from mmpose.errors import UnknownNameError
from .helpers import data_file

COCO = np.array([
    [0, 0, 1600], [30, 0, 1620], [-30, 0, 1620], [80, 0, 1600],
    [-80, 0, 1600], [200, 0, 1400], [-200, 0, 1400], [250, 0, 1150],
    [-250, 0, 1150], [270, 0, 900], [-270, 0, 900], [100, 0, 900],
    [-100, 0, 900], [110, 0, 500], [-110, 0, 500], [120, 0, 80],
    [-120, 0, 80]
], float)
SECOND = np.array([1000., 500., 0.])
SPACE = dict(space_size=[8000, 8000, 2000], space_center=[0, 0, 1000],
             cube_size=[8, 8, 4])
TEST_PIPELINE = [
    dict(type='MultiItemProcess', pipeline=[
        dict(type='AffineJoints', item='joints'),
        dict(type='GenerateInputHeatmaps', item='joints', from_pred=True,
             sigma=3, base_size=96)
    ]),
    dict(type='DiscardDuplicatedItems',
         keys_list=['joints_3d', 'joints_3d_visible', 'joints_2d',
                    'joints_2d_visible', 'ann_info', 'sample_id']),
]


def _actors_dataset(name, test_mode=True, pipeline=TEST_PIPELINE, **cfg):
    root = data_file(name)
    width, height = {'shelf': (1032, 776), 'campus': (360, 288)}[name]
    data_cfg = dict(
        image_size=[width // 4 * 4, height // 4 * 4],
        heatmap_size=[[width // 4, height // 4]], num_joints=17,
        cam_list=[0, 1], num_cameras=2, frame_range=[0, 1, 2],
        width=width, height=height, root_id=[11, 12], max_nposes=3,
        min_nposes=2, num_train_samples=4, maximum_person=5,
        cam_file=str(root / f'calibration_{name}.json'),
        test_pose_db_file=str(root / f'pred_{name}_maskrcnn_hrnet_coco.pkl'),
        train_pose_db_file=str(root / 'panoptic_training_pose.pkl'),
        gt_pose_db_file=str(root / 'actorsGT.mat'), **SPACE)
    data_cfg.update(cfg)
    return build_dataset(dict(
        type=f'Body3DMviewDirect{name.capitalize()}Dataset', ann_file=None,
        img_prefix=str(root), data_cfg=data_cfg, pipeline=pipeline,
        dataset_info=load_dataset_info(name), test_mode=test_mode))


def _coco_results(present, moved_wrist=0.):
    """One result per frame: the COCO poses of the present actors (score
    1), padded with one rejected candidate."""
    results = []
    for frame, actors in enumerate(present):
        poses = np.zeros((3, 17, 5))
        poses[:, :, 3] = -1
        for slot, actor in enumerate(actors):
            poses[slot, :, :3] = COCO + SECOND * actor
            poses[slot, 9, 0] += moved_wrist  # the left wrist
            poses[slot, :, 3:] = [0, 1.0]
        results.append(dict(pose_3d=poses[None], sample_id=[frame]))
    return results


PRESENT = [[0], [0, 1], [0]]


@pytest.mark.parametrize('name', ['shelf', 'campus'])
def test_actors_perfect_predictions_have_full_pcp(name):
    dataset = _actors_dataset(name)
    assert len(dataset) == 3 and dataset.num_persons == 2
    out = dataset.evaluate(_coco_results(PRESENT), metric='pcp')
    assert out['Actor 1 Total PCP'] == pytest.approx(100.)
    assert out['Actor 2 Total PCP'] == pytest.approx(100.)
    assert out['pcp'] == pytest.approx(100.)
    assert out['Average Head PCP'] == pytest.approx(100.)


@pytest.mark.parametrize('name', ['shelf', 'campus'])
def test_actors_wrong_wrist_fails_one_lower_arm(name):
    # the left wrist moved 1000 mm: its forearm (250 mm) is wrong, the 9
    # other parts right -> 90 %; lower arms: 1 of 2 right -> 50 %
    dataset = _actors_dataset(name)
    out = dataset.evaluate(_coco_results(PRESENT, moved_wrist=1000.))
    assert out['Actor 1 Total PCP'] == pytest.approx(90.)
    assert out['Actor 1 Lower arms PCP'] == pytest.approx(50.)
    assert out['Actor 1 Upper arms PCP'] == pytest.approx(100.)


def test_actors_duplicates_are_dropped_and_counts_checked():
    dataset = _actors_dataset('shelf')
    results = _coco_results(PRESENT)
    out = dataset.evaluate(results + results[:1])
    assert out['pcp'] == pytest.approx(100.)
    with pytest.raises(ValueError):
        dataset.evaluate(results[:2])
    with pytest.raises(UnknownNameError):
        dataset.evaluate(results, metric='mAP')


def test_shelf_test_sample():
    dataset = _actors_dataset('shelf')
    sample = dataset[1]
    # both actors' ground truth, shared by the views
    assert len(sample['joints_3d']) == 2
    np.testing.assert_allclose(sample['joints_3d'][1][12],
                               SECOND + [0, 0, 1500])
    assert sample['sample_id'] == 2  # frame index 1 * 2 views + view 0
    heatmaps = sample['input_heatmaps']
    assert len(heatmaps) == 2 and heatmaps[0][0].shape == (17, 194, 258)
    assert heatmaps[0][0].max() == pytest.approx(1.0, abs=0.05)
    assert [c['T'].ravel().tolist() for c in sample['camera']] == \
        [[0., -5000., 1000.], [-5000., 0., 1000.]]


def test_shelf_train_sample_places_rigid_copies():
    np.random.seed(0)
    dataset = _actors_dataset(
        'shelf', test_mode=False, pipeline=[
            dict(type='MultiItemProcess', pipeline=[]),
            dict(type='DiscardDuplicatedItems',
                 keys_list=['joints_3d', 'joints_3d_visible', 'roots_3d',
                            'num_persons', 'ann_info', 'sample_id']),
            dict(type='GenerateVoxel3DHeatmapTarget', sigma=200.0,
                 joint_indices=[[11, 12]])
        ])
    assert len(dataset) == 4
    sample = dataset[0]
    count = sample['num_persons']
    assert count == 2  # min_nposes=2, max_nposes=3 (exclusive)
    joints = sample['joints_3d']
    assert joints.shape == (5, 17, 3) and not joints[count:].any()
    for person in joints[:count]:
        # turned about z and moved: heights and joint distances unchanged
        np.testing.assert_allclose(person[:, 2], COCO[:, 2])
        np.testing.assert_allclose(
            np.linalg.norm(person[0] - person[1:], axis=-1),
            np.linalg.norm(COCO[0] - COCO[1:], axis=-1), rtol=1e-6)
    np.testing.assert_allclose(sample['roots_3d'][:count],
                               joints[:count, [11, 12]].mean(1))
    assert sample['targets_3d'].shape == (8, 8, 4)
    assert len(sample['joints']) == 2  # per view


def _panoptic(tmp_path, **cfg):
    root = tmp_path / 'panoptic'
    shutil.copytree(data_file('panoptic_body3d'), root, dirs_exist_ok=True)
    data_cfg = dict(
        image_size=[960, 512], heatmap_size=[[240, 128]], num_joints=15,
        seq_list=['seq0'], cam_list=[(0, 1), (0, 2)], num_cameras=2,
        seq_frame_interval=1, subset='validation', root_id=2, max_num=4,
        **SPACE)
    data_cfg.update(cfg)
    return build_dataset(dict(
        type='Body3DMviewDirectPanopticDataset', ann_file=None,
        img_prefix=str(root), data_cfg=data_cfg, pipeline=[],
        dataset_info=load_dataset_info('panoptic_body3d'), test_mode=True))


# Panoptic joints 0-14 of the standing person (z-up mm): neck, nose,
# mid-hip, left shoulder/elbow/wrist/hip/knee/ankle, right ones.
PANOPTIC = np.array([
    [0, 0, 1450], [0, 0, 1600], [0, 0, 900], [200, 0, 1400],
    [250, 0, 1150], [270, 0, 900], [100, 0, 900], [110, 0, 500],
    [120, 0, 80], [-200, 0, 1400], [-250, 0, 1150], [-270, 0, 900],
    [-100, 0, 900], [-110, 0, 500], [-120, 0, 80]
], float)


def test_panoptic_records(tmp_path):
    dataset = _panoptic(tmp_path)
    # frame 0: one person (the other has no root), frame 1: two, frame 2:
    # none (skipped); one record per view
    assert len(dataset) == 2 and len(dataset.db) == 4
    first, second = dataset.db[0], dataset.db[2]
    assert first['num_persons'] == 1 and second['num_persons'] == 2
    np.testing.assert_allclose(first['joints_3d'][0], PANOPTIC, atol=1e-3)
    np.testing.assert_allclose(second['joints_3d'][1], PANOPTIC + SECOND,
                               atol=1e-3)
    np.testing.assert_allclose(second['roots_3d'][:2],
                               [[0, 0, 900], [1000, 500, 900]], atol=1e-3)
    assert second['joints_3d'].shape == (4, 15, 3)
    # the nose seen by camera 0 (1000 px focal, 5000 mm away, centre
    # (960, 540)): u = 960, v = 540 - 1000 * 600 / 5000
    np.testing.assert_allclose(first['joints'][0][0, 1], [960., 420., 1.],
                               atol=1e-3)
    # 1920x1080 padded to the 960:512 input: width 1080 / 512 * 960
    np.testing.assert_allclose(first['scale'], [2025., 1080.])
    sample = dataset[1]
    assert sorted(sample) == list(range(2))
    assert sample[0]['mask'][0].shape == (1080, 1920)
    # the records are cached and read back
    assert (tmp_path / 'panoptic' / 'group_validation_cam2.pkl').exists()
    assert len(_panoptic(tmp_path).db) == 4


def _panoptic_results(dataset, shift=0.):
    results = []
    for i in range(len(dataset)):
        record = dataset.db[2 * i]
        poses = np.zeros((4, 15, 5))
        poses[:, :, 3] = -1
        count = record['num_persons']
        poses[:count, :, :3] = record['joints_3d'][:count] + shift
        poses[:count, :, 3:] = [0, 1.0]
        results.append(dict(pose_3d=poses[None], sample_id=[i]))
    return results


def test_panoptic_perfect_predictions(tmp_path):
    dataset = _panoptic(tmp_path)
    out = dataset.evaluate(_panoptic_results(dataset), metric=['mpjpe',
                                                               'mAP'])
    assert out['MPJPE 500mm'] == pytest.approx(0., abs=1e-3)
    assert out['RECALL 500mm'] == 1.0
    assert out['mAP'] == pytest.approx(1.0, abs=1e-4)
    assert out['mAR'] == pytest.approx(1.0, abs=1e-4)
    assert list(out)[2:9] == ['AP 25', 'AP 50', 'AP 75', 'AP 100',
                              'AP 125', 'AP 150', 'mAP']


def test_panoptic_shifted_predictions(tmp_path):
    # every joint 30 mm off: MPJPE 30, a miss at 25 mm, a hit from 50 mm
    dataset = _panoptic(tmp_path)
    out = dataset.evaluate(_panoptic_results(dataset, shift=[30., 0., 0.]),
                           metric=['mpjpe', 'mAP'])
    assert out['MPJPE 500mm'] == pytest.approx(30., abs=1e-3)
    assert out['AP 25'] == 0.0
    assert out['AP 50'] == pytest.approx(1.0, abs=1e-4)
    assert out['mAP'] == pytest.approx(5 / 6, abs=1e-4)


def test_registered_names():
    for name in ('Panoptic', 'Shelf', 'Campus'):
        assert DATASETS.get(f'Body3DMviewDirect{name}Dataset') is not None


def test_shelf_head_joints_blend_nose_and_ear_estimates():
    # nose raised to 1800: from shoulders (1400) and nose, head bottom
    # 1400 + 400 / 2 = 1600 and top 1400 + 400 * 1.5 = 2000; from the ears
    # (1600), bottom (1400 + 1600) / 2 = 1500 and top 2 * 1600 - 1500 = 1700
    from mmpose.datasets import Body3DMviewDirectShelfDataset as Shelf
    coco = COCO.copy()
    coco[0, 2] = 1800.
    for alpha, bottom, top in [(1.0, 1600, 2000), (0.0, 1500, 1700),
                               (0.75, 1575, 1925)]:
        head = Shelf.coco_to_dataset(coco[None], alpha=alpha)[0, 12:]
        np.testing.assert_allclose(head, [[0, 0, bottom], [0, 0, top]])
    dataset = _actors_dataset('shelf')
    results = _coco_results(PRESENT)
    for result in results:
        result['pose_3d'][0, :, 0, 2] += 200.  # every nose
    # the head (12-13) limb is 200 mm long: with alpha 1 both ends are off
    # by 100 and 300 mm (mean 200 > 100), with alpha 0 not at all
    assert dataset.evaluate(results, alpha_head=0.0)['Average Head PCP'] \
        == pytest.approx(100.)
    assert dataset.evaluate(results, alpha_head=1.0)['Average Head PCP'] \
        == pytest.approx(0.)


SHELF_CONFIG = ('body/3d_kpt_mview_rgb_img/voxelpose/shelf/'
                'voxelpose_prn64x64x64_cpn80x80x20_shelf_cam5.json')


@pytest.mark.parametrize('test_mode', [False, True])
def test_shelf_reference_pipelines_feed_the_model(test_mode):
    """The 0.29 Shelf config's own train/test pipeline on the synthetic
    sample, collated, through a small DetectAndRegress of its sizes."""
    import torch
    from mmcv.parallel import collate

    from .reference import packed_manifests
    from .test_voxelpose import _tiny_voxelpose
    cfg = packed_manifests('0.29')[SHELF_CONFIG]['cfg']
    pipeline = cfg['test_pipeline' if test_mode else 'train_pipeline']
    np.random.seed(1)
    dataset = _actors_dataset('shelf', test_mode=test_mode,
                              pipeline=pipeline, image_size=[800, 608],
                              heatmap_size=[[200, 152]])
    batch = collate([dataset[0]], samples_per_gpu=1)
    heatmaps = batch['input_heatmaps']
    assert len(heatmaps) == 2 and heatmaps[0][0].shape == (1, 17, 152, 200)
    metas = batch['img_metas'].data[0]
    model = _tiny_voxelpose(num_joints=17, image_size=[800, 608],
                            heatmap_size=[200, 152])
    if test_mode:
        with torch.no_grad():
            out = model.eval()(img_metas=metas, return_loss=False,
                               input_heatmaps=heatmaps)
        assert out['pose_3d'].shape == (1, 4, 17, 5)
    else:
        assert batch['targets_3d'].shape == (1, 8, 8, 4)
        out = model.train().train_step(
            dict(img_metas=metas, input_heatmaps=heatmaps,
                 targets_3d=batch['targets_3d']), None)
        assert out['loss'].requires_grad
