"""VoxelPose (MMPose 0.29): the torch camera, V2VNet, the cuboid heads, the
projection layer and the three detectors.

Expected values are hand-derived: projections of chosen points through
cameras built here, voxel positions ``center - size / 2 + i * size /
(n - 1)`` of chosen voxels, and the reference state_dicts of the five 0.29
VoxelPose configs.
"""
import numpy as np
import pytest
import torch

from mmpose.core.camera import CAMERAS, SimpleCamera, SimpleCameraTorch
from mmpose.errors import ArgumentError, ArgumentTypeError
from mmpose.models import build_backbone, build_head, build_posenet
from mmpose.models.detectors.multiview_pose import ProjectLayer
from .reference import packed_manifests, state_dict_problems

VOXELPOSE = sorted(k for k in packed_manifests('0.29') if 'voxelpose' in k)
IMAGE_SIZE = [64, 48]  # w, h; the 2D maps are 4x smaller
HEATMAP_SIZE = [16, 12]
FOCAL = 100.


def _camera(R, T):
    return dict(
        R=np.array(R, np.float32), T=np.array(T, np.float32).reshape(3, 1),
        f=[[FOCAL], [FOCAL]], c=[[32.], [24.]])


# Camera 0 at (0, -3000, 1000) looks along +y, camera 1 at (-3000, 0, 1000)
# along +x; both have image x/y along world (x, -z) resp. (-y, -z).
CAMERAS_2 = [
    _camera([[1, 0, 0], [0, 0, 1], [0, -1, 0]], [0, -3000, 1000]),
    _camera([[0, 0, 1], [-1, 0, 0], [0, -1, 0]], [-3000, 0, 1000]),
]


def _metas(batch_size=1, num_views=2, **extra):
    """Metas with the 2D crop equal to the whole 64x48 image."""
    return [
        dict(camera=CAMERAS_2[:num_views],
             center=[np.array([32., 24.], np.float32)] * num_views,
             scale=[np.array([64., 48.], np.float32)] * num_views,
             sample_id=i, **extra) for i in range(batch_size)
    ]


def test_all_voxelpose_configs_are_packed():
    assert len(VOXELPOSE) == 5


@pytest.mark.parametrize('path', VOXELPOSE)
def test_config_builds_reference_state_dict(path):
    manifest = packed_manifests('0.29')[path]
    cfg = dict(manifest['cfg']['model'], pretrained=None)
    with torch.device('meta'):
        model = build_posenet(cfg)
    built = {
        name: (list(t.shape), str(t.dtype))
        for name, t in model.state_dict().items()
    }
    expected = {
        name: (list(shape), dtype)
        for name, (shape, dtype) in manifest['state_dict'].items()
    }
    assert state_dict_problems(expected, built) == []
    assert sum(p.numel() for p in model.parameters()) == \
        manifest['num_params']


# ----------------------------------------------------------------- camera
def test_camera_torch_projects_hand_computed_points():
    cam = SimpleCameraTorch(CAMERAS_2[0], 'cpu')
    # camera frame = (x, 1000 - z, y + 3000)
    world = torch.tensor([[0., 0., 1000.], [300., 0., 700.]])
    torch.testing.assert_close(
        cam.world_to_camera(world),
        torch.tensor([[0., 0., 3000.], [300., 300., 3000.]]))
    torch.testing.assert_close(
        cam.world_to_pixel(world), torch.tensor([[32., 24.], [42., 34.]]))
    torch.testing.assert_close(cam.camera_to_world(cam.world_to_camera(
        world)), world)


def test_camera_torch_matches_numpy_camera_with_distortion():
    param = dict(CAMERAS_2[1], k=[0.1, 0.01, 0.001], p=[0.01, 0.02])
    points = np.array([[100., -200., 900.], [-400., 300., 1300.]],
                      np.float32)
    expected = SimpleCamera(param).world_to_pixel(points)
    got = SimpleCameraTorch(param, 'cpu').world_to_pixel(
        torch.from_numpy(points))
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6)
    pixels = torch.tensor([[42., 34., 3000.]])
    np.testing.assert_allclose(
        SimpleCameraTorch(CAMERAS_2[0], 'cpu').pixel_to_camera(pixels),
        [[300., 300., 3000.]])


def test_camera_torch_registered_and_checks_inputs():
    cam = CAMERAS.build(
        dict(type='SimpleCameraTorch', param=CAMERAS_2[0], device='cpu'))
    assert cam.param['R_w2c'].device.type == 'cpu'
    with pytest.raises(ArgumentTypeError):
        cam.world_to_pixel(np.zeros((2, 3), np.float32))
    with pytest.raises(ArgumentError):
        cam.world_to_pixel(torch.zeros(2, 2))
    with pytest.raises(ArgumentError):
        SimpleCameraTorch(dict(R=np.eye(3), T=np.zeros((3, 1))), 'cpu')


# ------------------------------------------------------------ V2V + heads
def test_v2vnet_keeps_volume_size():
    net = build_backbone(dict(type='V2VNet', input_channels=3,
                              output_channels=2, mid_channels=8))
    out = net(torch.rand(2, 3, 8, 4, 12))
    assert out.shape == (2, 2, 8, 4, 12)


def _center_head(max_num=2):
    # voxel i of x/y sits at 1000 i - 3500, of z at 1000 i - 1500
    return build_head(
        dict(type='CuboidCenterHead', space_size=[7000, 7000, 3000],
             space_center=[0, 0, 0], cube_size=[8, 8, 4], max_num=max_num))


def test_center_head_decodes_peaks_to_world_positions():
    volume = torch.zeros(1, 8, 8, 4)
    volume[0, 2, 5, 3] = 1.0
    volume[0, 2, 5, 2] = 0.9  # beside the peak: suppressed by the NMS
    volume[0, 6, 1, 0] = 0.5
    centers = _center_head()(volume)
    torch.testing.assert_close(
        centers,
        torch.tensor([[[-1500., 1500., 1500., 0., 1.0],
                       [2500., -2500., -1500., 0., 0.5]]]))


def test_center_head_loss_and_shape_check():
    head = _center_head()
    pred, target = torch.zeros(1, 8, 8, 4), torch.zeros(1, 8, 8, 4)
    target[0, 0, 0, 0] = 16.  # MSE = 16^2 / 256
    assert head.get_loss(pred, target)['loss_center'].item() == 1.0
    with pytest.raises(ArgumentError):
        head(torch.zeros(1, 8, 8, 8))


def test_pose_head_soft_argmax_of_sharp_peaks():
    head = build_head(dict(type='CuboidPoseHead', beta=100.))
    coords = torch.arange(2 * 8 * 3, dtype=torch.float32).view(1, 8, 2, 3)
    coords = coords.view(1, 16, 3).expand(2, -1, -1)
    volumes = torch.zeros(2, 2, 4, 2, 2)  # 16 voxels
    volumes[0, 0, 1, 1, 0] = 1.0  # voxel 6 -> (18, 19, 20)
    volumes[0, 1, 3, 1, 1] = 1.0  # voxel 15 -> (45, 46, 47)
    volumes[1, :, 0, 0, 0] = 1.0  # voxels 0 and 1 tie -> their midpoint
    volumes[1, :, 0, 0, 1] = 1.0
    poses = head(volumes, coords)
    torch.testing.assert_close(
        poses,
        torch.tensor([[[18., 19., 20.], [45., 46., 47.]],
                      [[1.5, 2.5, 3.5], [1.5, 2.5, 3.5]]]))
    loss = head.get_loss(poses[:1], poses[:1] + 2., torch.tensor([[[1.],
                                                                   [0.]]]))
    assert loss['loss_pose'].item() == pytest.approx(1.0)  # (3*2 + 0) / 6


# ---------------------------------------------------------- project layer
def test_project_layer_samples_the_projected_pixel():
    layer = ProjectLayer(IMAGE_SIZE, HEATMAP_SIZE)
    # map value = column / 15, so a sample gives x_heatmap / 15
    column = torch.arange(16, dtype=torch.float32) / 15
    feature = column.expand(1, 1, 12, 16).contiguous()
    cubes, grids = layer([feature], _metas(num_views=1), 800.,
                         [[0., 0., 1000.]], [3, 3, 3])
    assert cubes.shape == (1, 1, 3, 3, 3) and grids.shape == (1, 27, 3)
    # voxel (x, y, z) in {-400, 0, 400} x {-400, 0, 400} x {600, 1000, 1400}
    torch.testing.assert_close(grids[0, 5], torch.tensor([-400., 0., 1400.]))
    x, y = grids[0, :, 0], grids[0, :, 1]
    u = FOCAL * x / (y + 3000.) + 32.  # camera 0, crop = whole image
    torch.testing.assert_close(cubes.flatten(), u / 4. / 15.)


def test_project_layer_averages_views_that_see_the_voxel():
    layer = ProjectLayer(IMAGE_SIZE, HEATMAP_SIZE)
    ones = [torch.full((2, 1, 12, 16), 0.8), torch.full((2, 1, 12, 16), 0.4)]
    # (0, 0, 1000) is in both views; (2000, -2500, 1000) is at u = 432
    # in view 0 (outside) and u = 32 + 100 * 2500 / 5000 = 82 > 64 in view
    # 1 too: no view, zero.
    centers = torch.tensor([[0., 0., 1000.], [2000., -2500., 1000.]])
    cubes, _ = layer(ones, _metas(batch_size=2), 10., centers, [2, 2, 2])
    torch.testing.assert_close(cubes[0], torch.full((1, 2, 2, 2), 0.6))
    torch.testing.assert_close(cubes[1], torch.zeros(1, 2, 2, 2))


# -------------------------------------------------------------- detectors
def _tiny_voxelpose(num_joints=3, backbone=None, image_size=IMAGE_SIZE,
                    heatmap_size=HEATMAP_SIZE):
    space = dict(space_size=[4000, 4000, 2000], space_center=[0, 0, 1000],
                 cube_size=[8, 8, 4])
    return build_posenet(
        dict(
            type='DetectAndRegress',
            backbone=backbone,
            human_detector=dict(
                type='VoxelCenterDetector',
                image_size=image_size,
                heatmap_size=heatmap_size,
                center_net=dict(type='V2VNet', input_channels=num_joints,
                                output_channels=1, mid_channels=8),
                center_head=dict(type='CuboidCenterHead', max_num=4,
                                 **space),
                train_cfg=dict(dist_threshold=500.),
                test_cfg=dict(center_threshold=-1.),
                **space),
            pose_regressor=dict(
                type='VoxelSinglePose',
                image_size=image_size,
                heatmap_size=heatmap_size,
                sub_space_size=[2000, 2000, 2000],
                sub_cube_size=[8, 8, 8],
                num_joints=num_joints,
                pose_net=dict(type='V2VNet', input_channels=num_joints,
                              output_channels=num_joints, mid_channels=8),
                pose_head=dict(type='CuboidPoseHead', beta=100.))))


def _heatmaps(batch_size=1, num_joints=3):
    torch.manual_seed(0)
    return [[torch.rand(batch_size, num_joints, 12, 16)] for _ in range(2)]


def test_detect_and_regress_test_outputs():
    model = _tiny_voxelpose().eval()
    with torch.no_grad():
        result = model(img_metas=_metas(batch_size=2), return_loss=False,
                       input_heatmaps=_heatmaps(2))
    assert result['pose_3d'].shape == (2, 4, 3, 5)
    assert result['human_detection_3d'].shape == (2, 4, 5)
    assert result['sample_id'] == [0, 1]
    # threshold -1: every candidate is kept and regressed
    assert (result['human_detection_3d'][..., 3] == 0).all()
    np.testing.assert_array_equal(result['pose_3d'][..., 3:],
                                  np.repeat(
                                      result['human_detection_3d'][:, :, None,
                                                                   3:], 3, 2))


def test_detect_and_regress_train_step_losses():
    model = _tiny_voxelpose().train()
    joints = np.zeros((2, 3, 3), np.float32)
    joints[0] = [[0., 0., 1000.], [100., 0., 1000.], [0., 100., 1000.]]
    metas = _metas(
        roots_3d=np.array([[0., 0., 1000.], [0., 0., 0.]], np.float32),
        num_persons=1, joints_3d=joints,
        joints_3d_visible=np.ones((2, 3, 3), np.float32))
    out = model.train_step(
        dict(img_metas=metas, input_heatmaps=_heatmaps(),
             targets_3d=torch.zeros(1, 8, 8, 4)), None)
    assert set(out['log_vars']) == {'loss_center', 'loss_pose', 'loss'}
    assert out['num_samples'] == 1
    out['loss'].backward()


def test_center_detector_assigns_candidates_to_nearest_person():
    detector = _tiny_voxelpose().human_detector
    candidates = torch.tensor([[[0., 0., 0., 0., 1.], [900., 0., 0., 0., 1.],
                                [0., 2000., 0., 0., 1.]]])
    gt = torch.tensor([[[0., 0., 400.], [1000., 0., 0.], [0., 2000., 0.]]])
    # only 2 persons are valid: the third candidate matches none
    out = detector.assign2gt(candidates, gt, torch.tensor([2]))
    assert out[0, :, 3].tolist() == [0., 1., -1.]
    out = detector.assign2gt(candidates, gt, torch.tensor([0]))
    assert out[0, :, 3].tolist() == [-1., -1., -1.]


def test_detect_and_regress_needs_heatmaps_without_backbone():
    with pytest.raises(ArgumentError):
        _tiny_voxelpose()(img_metas=_metas(), return_loss=False)


# -------------------------------------------------------------- pipelines
def test_multi_item_process_gathers_per_item_outputs():
    from mmpose.datasets.pipelines import MultiItemProcess

    def double(results):
        return dict(results, x=results['x'] * 2)

    out = MultiItemProcess([double])({0: dict(x=1, y='a'), 1: dict(x=5,
                                                                   y='b')})
    assert out == dict(x=[2, 10], y=['a', 'b'])


def test_discard_duplicated_items_keeps_first():
    from mmpose.datasets.pipelines import DiscardDuplicatedItems
    out = DiscardDuplicatedItems(['a', 'missing'])(dict(a=[7, 7], b=[1, 2]))
    assert out == dict(a=7, b=[1, 2])
    with pytest.raises(ArgumentTypeError):
        DiscardDuplicatedItems(['a'])(dict(a=3))


def _affine_results(**extra):
    # box of 200x100 px centred at (100, 50) onto 100x50: (x, y) -> (x, y)/2
    return dict(center=np.array([100., 50.]), scale=np.array([200., 100.]),
                rotation=0, ann_info=dict(image_size=np.array([100, 50])),
                **extra)


def test_affine_joints_moves_visible_joints_and_hides_outside_ones():
    from mmpose.datasets.pipelines import AffineJoints
    joints = [np.array([[20., 40.], [150., 90.], [210., 10.]]),
              np.array([[40., 40.], [60., 20.], [0., 0.]])]
    visible = [np.ones((3, 2)), np.array([[0., 0.], [1., 1.], [1., 1.]])]
    out = AffineJoints('joints', 'vis')(
        _affine_results(joints=joints, vis=visible))
    np.testing.assert_allclose(
        np.stack(out['joints']),
        [[[10., 20.], [75., 45.], [105., 5.]],
         [[40., 40.], [30., 10.], [0., 0.]]], atol=1e-4)
    np.testing.assert_array_equal(
        np.stack(out['vis']), [[[1, 1], [1, 1], [0, 0]],
                               [[0, 0], [1, 1], [1, 1]]])
    # without a visibility key every joint moves
    out = AffineJoints()(_affine_results(joints=[np.array([[40., 40.]])]))
    np.testing.assert_allclose(out['joints'][0], [[20., 20.]], atol=1e-4)


def _input_heatmap_results(joints):
    return dict(joints=joints, ann_info=dict(
        image_size=np.array([80, 64]), heatmap_size=[np.array([20, 16])],
        num_joints=2, num_scales=1))


def test_generate_input_heatmaps_hand_computed():
    from mmpose.datasets.pipelines import GenerateInputHeatmaps

    # On the 20x16 map the joints sit at (4, 4) and (8, 4): box side 4,
    # square 16 within [(8/2)^2, (2*8)^2], person sigma
    # s = 2 * sqrt(2 * 16 / 8^2) = sqrt(2), reach 3 s = 4.24. As in 0.x the
    # window is [int(mu - 3 s), int(mu + 3 s + 1)) (truncated toward 0) and
    # the peak sits at its start + floor((6 s + 1) / 2) = start + 4:
    # joint 0: x, y in [0, 9), peak (4, 4); joint 1: x in [3, 13), peak 7.
    joints = [np.array([[16., 16., 1.0], [32., 16., 0.5]], np.float32)]
    out = GenerateInputHeatmaps(sigma=2, base_size=8)(
        _input_heatmap_results(joints))
    target = out['input_heatmaps'][0]
    assert target.shape == (2, 16, 20)
    expected = {(0, 4, 4): 1.0, (0, 4, 6): np.exp(-1.0),
                (0, 8, 8): np.exp(-8.0), (0, 4, 9): 0.0, (0, 9, 4): 0.0,
                (1, 4, 7): 0.5, (1, 4, 8): 0.5 * np.exp(-0.25),
                (1, 4, 3): 0.5 * np.exp(-4.0), (1, 4, 2): 0.0,
                (1, 4, 12): 0.5 * np.exp(-6.25), (1, 4, 13): 0.0}
    for index, value in expected.items():
        assert target[index] == pytest.approx(value, abs=1e-6), index
    assert np.count_nonzero(target) == 9 * 9 + 10 * 9


def test_generate_input_heatmaps_skips_obscured_and_checks_args():
    from mmpose.datasets.pipelines import GenerateInputHeatmaps
    joints = [np.array([[16., 16.], [32., 16.]], np.float32)]
    out = GenerateInputHeatmaps(obscured=1.0)(_input_heatmap_results(joints))
    assert not out['input_heatmaps'][0].any()
    with pytest.raises(ArgumentError):
        GenerateInputHeatmaps(from_pred=False)
    with pytest.raises(NotImplementedError):
        GenerateInputHeatmaps(target_type='combined')


def _voxel_results():
    # axes: x, y in {-2000, -1000, 0, 1000, 2000}, z in {0, 1000, 2000}
    joints = np.array([[[-500., 0., 1000.], [500., 0., 1000.]],
                       [[2000., 2000., 0.], [2000., 2000., 0.]]])
    visible = np.array([[[1.] * 3] * 2, [[0.] * 3] * 2])
    return dict(joints_3d=joints, joints_3d_visible=visible, ann_info=dict(
        space_size=[4000, 4000, 2000], space_center=[0, 0, 1000],
        cube_size=[5, 5, 3]))


def test_generate_voxel_target_of_mid_joint():
    from mmpose.datasets.pipelines import GenerateVoxel3DHeatmapTarget

    # the mean of joints 0 and 1 is (0, 0, 1000) = voxel (2, 2, 1); the
    # second person is invisible
    target = GenerateVoxel3DHeatmapTarget(1000., [[0, 1]])(
        _voxel_results())['targets_3d']
    assert target.shape == (5, 5, 3)
    assert target[2, 2, 1] == 1.0
    assert target[3, 2, 1] == pytest.approx(np.exp(-0.5))
    assert target[4, 4, 2] == pytest.approx(np.exp(-4.5))
    assert target[0, 0, 0] == pytest.approx(np.exp(-4.5))
    # sigma 500: 3 sigma = 1500 mm, so x = 2000 is outside the window
    target = GenerateVoxel3DHeatmapTarget(500., [[0, 1]])(
        _voxel_results())['targets_3d']
    assert target[3, 2, 1] == pytest.approx(np.exp(-2.0))
    assert target[4, 2, 1] == 0.0


def test_generate_voxel_target_per_joint():
    from mmpose.datasets.pipelines import GenerateVoxel3DHeatmapTarget
    target = GenerateVoxel3DHeatmapTarget(500.)(
        _voxel_results())['targets_3d']
    assert target.shape == (2, 5, 5, 3)
    # joint 0 at x = -500: voxels x = -1000 and 0 both exp(-0.5)
    assert target[0, 1, 2, 1] == pytest.approx(np.exp(-0.5))
    assert target[0, 2, 2, 1] == pytest.approx(np.exp(-0.5))
    assert target[1, 3, 2, 1] == pytest.approx(np.exp(-0.5))


def test_detect_and_regress_show_result_writes_images(tmp_path):
    from mmpose.datasets.dataset_info import DatasetInfo
    from mmpose.datasets.metadata import load_dataset_info
    model = _tiny_voxelpose().eval()
    info = DatasetInfo(load_dataset_info('campus'))  # 3 joints drawn of 14
    with torch.no_grad():
        drawn = model.show_result(
            None, _metas(), visualize_2d=True, input_heatmaps=_heatmaps(),
            dataset_info=info, out_dir=str(tmp_path))
    assert len(drawn) == 1 and len(drawn[0]['2d']) == 2
    assert drawn[0]['2d'][0].shape == (48, 64, 3)  # 2 x crop centre
    assert (tmp_path / 'vis_3d' / '0_3d.jpg').is_file()
    assert (tmp_path / '0_1_2d.jpg').is_file()


_DEMO_CONFIG = '''
space = dict(space_size=[4000, 4000, 2000], space_center=[0, 0, 1000],
             cube_size=[8, 8, 4])
model = dict(
    type='DetectAndRegress',
    backbone=dict(
        type='AssociativeEmbedding',
        backbone=dict(type='ResNet', depth=18, stem_channels=8,
                      base_channels=8),
        keypoint_head=dict(type='DeconvHead', in_channels=64,
                           out_channels=15, num_deconv_filters=(8, 8, 8),
                           loss_keypoint=dict(
                               type='MultiLossFactory', num_joints=15,
                               num_stages=1, ae_loss_type='exp',
                               with_ae_loss=[False], push_loss_factor=[1e-3],
                               pull_loss_factor=[1e-3],
                               with_heatmaps_loss=[True],
                               heatmaps_loss_factor=[1.0])),
        train_cfg=dict(),
        test_cfg=dict(num_joints=15, nms_kernel=None, nms_padding=None,
                      tag_per_joint=None, max_num_people=None,
                      detection_threshold=None, tag_threshold=None,
                      use_detection_val=None, ignore_too_much=None)),
    human_detector=dict(
        type='VoxelCenterDetector', image_size=[128, 96],
        heatmap_size=[32, 24],
        center_net=dict(type='V2VNet', input_channels=15, output_channels=1,
                        mid_channels=8),
        center_head=dict(type='CuboidCenterHead', max_num=2, **space),
        test_cfg=dict(center_threshold=-1.0), **space),
    pose_regressor=dict(
        type='VoxelSinglePose', image_size=[128, 96], heatmap_size=[32, 24],
        sub_space_size=[2000, 2000, 2000], sub_cube_size=[8, 8, 8],
        num_joints=15,
        pose_net=dict(type='V2VNet', input_channels=15, output_channels=15,
                      mid_channels=8),
        pose_head=dict(type='CuboidPoseHead', beta=100.0)))
'''


@pytest.mark.slow
def test_multiview_demo_runs_end_to_end(tmp_path):
    import json
    import subprocess
    import sys

    import cv2

    from .reference import REPO_ROOT
    from mmcv import Config
    (tmp_path / 'cfg.py').write_text(_DEMO_CONFIG)
    model = build_posenet(Config.fromfile(str(tmp_path / 'cfg.py')).model)
    torch.save(dict(state_dict=model.state_dict()), tmp_path / 'ckpt.pth')
    # cameras in Panoptic's format: world-to-camera R of the y-down cm
    # world, t in cm (the z-up mm cameras of CAMERAS_2, image 128x96)
    to_z_up = np.array([[1., 0., 0.], [0., 0., -1.], [0., 1., 0.]])
    cameras = []
    for name, cam in zip(('cam_a', 'cam_b'), CAMERAS_2):
        R_w2c = np.asarray(cam['R'], float).T
        t = -R_w2c @ np.asarray(cam['T'], float) / 10
        cameras.append(dict(
            name=name, R=(R_w2c @ to_z_up.T).tolist(), t=t.tolist(),
            K=[[100., 0., 64.], [0., 100., 48.], [0., 0., 1.]],
            distCoef=[0.] * 5))
        (tmp_path / 'imgs' / name).mkdir(parents=True)
        for frame in range(2):
            cv2.imwrite(str(tmp_path / 'imgs' / name / f'{frame:02d}.jpg'),
                        np.full((96, 128, 3), 40 * frame, np.uint8))
    (tmp_path / 'calib.json').write_text(json.dumps(dict(cameras=cameras)))
    out = tmp_path / 'out'
    proc = subprocess.run(
        [sys.executable,
         str(REPO_ROOT / 'demo' /
             'body3d_multiview_detect_and_regress_img_demo.py'),
         str(tmp_path / 'cfg.py'), str(tmp_path / 'ckpt.pth'),
         '--img-root', str(tmp_path / 'imgs'),
         '--camera-param-file', str(tmp_path / 'calib.json'),
         '--out-img-root', str(out), '--device', 'cpu',
         '--visualize-single-view'],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert sorted(p.name for p in (out / 'vis_3d').iterdir()) == [
        '0_3d.jpg', '1_3d.jpg']
    assert (out / '1_1_2d.jpg').is_file()


def test_generate_input_heatmaps_ground_truth_peaks_from_heatmap_cfg():
    from mmpose.datasets.pipelines import GenerateInputHeatmaps

    # the random base peak never fires (threshold 0), the extra factor
    # always does (threshold 1) and only for joint 0: peaks 0.8 * 0.5, 0.8
    cfg = dict(base_scale=0.9, offset=0.03, threshold=0.0, extra=[
        dict(joint_ids=[0], scale_factor=0.5, threshold=1.0)])
    joints = [np.array([[16., 16.], [32., 16.]], np.float32)]
    out = GenerateInputHeatmaps(from_pred=False, scale=0.8, sigma=2,
                                base_size=8, heatmap_cfg=cfg)(
                                    _input_heatmap_results(joints))
    target = out['input_heatmaps'][0]
    assert target[0].max() == pytest.approx(0.4)
    assert target[1].max() == pytest.approx(0.8)


def test_imshow_multiview_keypoints_3d_draws_people_in_the_space():
    from mmpose.core.visualization import imshow_multiview_keypoints_3d
    pose = np.array([[0., 0., 0., 1.], [0., 0., 1000., 1.]])
    kwargs = dict(skeleton=[[0, 1]], pose_kpt_color=[[0, 0, 255]] * 2,
                  pose_link_color=[[255, 0, 0]], space_size=[4000] * 3,
                  space_center=[0, 0, 0])
    drawn = imshow_multiview_keypoints_3d([pose, pose + [500, 0, 0, 0]],
                                          **kwargs)
    empty = imshow_multiview_keypoints_3d([], **kwargs)
    assert drawn.shape == empty.shape and drawn.shape[2] == 3
    # red keypoints (BGR 0, 0, 255) appear only where people are drawn
    reddish = (drawn[..., 2] > 200) & (drawn[..., 0] < 100)
    assert reddish.sum() > 0
    assert ((empty[..., 2] > 200) & (empty[..., 0] < 100)).sum() == 0
