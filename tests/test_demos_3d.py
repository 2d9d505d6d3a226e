"""The 0.29 3D demos: two-stage 3D pose on images and videos (2D pose, then
lifting) and mesh recovery on images. They run end to end with tiny models
of random weights saved as checkpoints, on the sample photos, the Human3.6M
sample frame and a short video written by the tests; the keypoint
conversion between datasets is checked on hand-made poses."""
import json
import os.path as osp

import mmcv
import numpy as np
import pytest
import torch
from mmcv import Config
from mmcv.runner import save_checkpoint

from .test_demos_tracking import (DATA, NUM_FRAMES, TOP_DOWN_CFG,
                                  count_frames, load_demo, run_demo,
                                  save_random_pose_checkpoint)

try:  # the random-weight detector of the mmdet demo tests
    from .test_demos_mmdet import models  # noqa: F401  (a fixture)
except pytest.skip.Exception:  # mmdet is not installed

    @pytest.fixture
    def models():
        pytest.skip('mmdet 2.x is not installed')


LIFTER_CFG = osp.join(DATA, 'tiny_configs', 'tiny_pose_lifter_h36m.py')
H36M_FRAME = 'S1_Directions_1.54138969_000001.jpg'

# The tiny lifter of the training tests, with a test pipeline: one frame
# (image demo) or a centred sequence of 3 (video demo).
LIFTER_1 = f'''
_base_ = [{LIFTER_CFG!r}]
test_pipeline = {{{{_base_.train_pipeline}}}}
'''
LIFTER_3 = LIFTER_1 + '''
model = dict(backbone=dict(kernel_sizes=[3, 1]))
test_data_cfg = dict(num_joints=17, seq_len=3, seq_frame_interval=1,
                     causal=False)
'''


def _convert(det, lift, keypoints):
    utils = load_demo('body3d_demo_utils')
    return utils.convert_keypoint_definition(keypoints, det, lift)


# --------------------------------------------------- keypoint conversion
def _coco_pose():
    """COCO keypoint k at (k, 10 k) with score k / 100."""
    k = np.arange(17, dtype=np.float32)
    return np.stack([k, 10 * k, k / 100], axis=1)


def test_coco_to_h36m_keypoints():
    out = _convert('TopDownCocoDataset', 'Body3DH36MDataset', _coco_pose())
    assert out.shape == (17, 3)
    # pelvis: hips 11, 12; thorax: shoulders 5, 6; head: eyes 1, 2
    np.testing.assert_allclose(out[0], [11.5, 115, .115], rtol=1e-6)
    np.testing.assert_allclose(out[8], [5.5, 55, .055], rtol=1e-6)
    np.testing.assert_allclose(out[10], [1.5, 15, .015], rtol=1e-6)
    # spine: between pelvis and thorax
    np.testing.assert_allclose(out[7], [8.5, 85, .085], rtol=1e-6)
    # right hip = COCO 12, left wrist = COCO 9, neck base = nose (0)
    np.testing.assert_allclose(out[[1, 13, 9], 0], [12, 9, 0])


def test_coco_to_mpi_inf_3dhp_keypoints():
    out = _convert('TopDownCocoDataset', 'Body3DMpiInf3dhpDataset',
                   _coco_pose())
    # neck 5.5, head 1.5: head top = head + (head - neck) / 3 = 1.5 - 4/3
    np.testing.assert_allclose(out[0, :2], [1.5 - 4 / 3, 15 - 40 / 3],
                               rtol=1e-5)
    # ... with the head's score, not an extrapolated one
    assert out[0, 2] == pytest.approx(out[16, 2]) == pytest.approx(.015)
    np.testing.assert_allclose(out[[1, 14, 15, 16], 0], [5.5, 11.5, 8.5, 1.5])
    # right shoulder = COCO 6, left ankle = COCO 15
    np.testing.assert_allclose(out[[2, 13], 0], [6, 15])


def test_h36m_keypoints_pass_through_and_others_are_refused():
    pose = _coco_pose()
    assert _convert('TopDownH36MDataset', 'Body3DH36MDataset',
                    pose) is pose
    with pytest.raises(NotImplementedError, match='TopDownMpiiDataset'):
        _convert('TopDownMpiiDataset', 'Body3DH36MDataset', pose)


def test_two_stage_demo_options_are_029s():
    img = load_demo('body3d_two_stage_img_demo').parse_args(
        ['l.py', 'l.pth', '--pose-detector-conifig', 'p.py'])
    assert img.pose_detector_config == 'p.py'  # 0.29's spelling
    assert (img.kpt_thr, img.out_img_root, img.device) == (0.3, None,
                                                           'cuda:0')
    video = load_demo('body3d_two_stage_video_demo').parse_args(
        ['d.py', 'd.pth', 'p.py', 'p.pth', 'l.py', 'l.pth'])
    assert (video.bbox_thr, video.radius, video.thickness,
            video.num_instances) == (0.9, 8, 2, -1)
    assert not (video.norm_pose_2d or video.use_multi_frames
                or video.online or video.smooth)


# ------------------------------------------------------------ end to end
@pytest.fixture(scope='module')
def lifters(tmp_path_factory):
    """{name: (config, random checkpoint)} of the tiny lifters."""
    root = tmp_path_factory.mktemp('lifters')
    from mmpose.apis import init_pose_model
    out = {}
    for name, text in (('one_frame', LIFTER_1), ('three_frames', LIFTER_3)):
        config = root / f'{name}.py'
        config.write_text(text)
        torch.manual_seed(0)
        checkpoint = str(root / f'{name}.pth')
        save_checkpoint(init_pose_model(str(config), device='cpu'),
                        checkpoint)
        out[name] = (str(config), checkpoint)
    return out


@pytest.mark.slow
def test_img_demo_two_stages(lifters, tmp_path):
    pose_ckpt = save_random_pose_checkpoint(TOP_DOWN_CFG,
                                            tmp_path / 'pose.pth')
    run_demo('body3d_two_stage_img_demo', *lifters['one_frame'],
             '--pose-detector-config', TOP_DOWN_CFG,
             '--pose-detector-checkpoint', pose_ckpt, '--img-root',
             osp.join(DATA, 'demo'), '--json-file',
             osp.join(DATA, 'demo', 'test_coco.json'), '--out-img-root',
             tmp_path / 'vis', '--device', 'cpu')
    # one drawing per sample photo (4 in the annotation file)
    drawings = sorted((tmp_path / 'vis').iterdir())
    assert [p.name for p in drawings] == [f'vis_{i}.jpg' for i in range(4)]
    assert mmcv.imread(str(drawings[0])).shape[0] == 400  # vis_height


def _h36m_json(path) -> str:
    """One annotated person on the Human3.6M sample frame, 2D and 3D."""
    data = np.load(osp.join(DATA, 'h36m', 'test_h36m_body3d.npz'))
    keypoints = data['part'][0].copy()
    keypoints_3d = data['S'][0].copy()
    json.dump(dict(
        images=[dict(id=1, file_name=H36M_FRAME, width=1000, height=1002)],
        annotations=[dict(id=1, image_id=1, category_id=1,
                          bbox=[400., 300., 200., 500.],
                          keypoints=keypoints.ravel().tolist(),
                          keypoints_3d=keypoints_3d.ravel().tolist())],
        categories=[dict(id=1, name='person')]), open(path, 'w'))
    return str(path)


@pytest.mark.slow
def test_img_demo_second_stage_in_world_space(lifters, tmp_path,
                                              monkeypatch):
    demo = load_demo('body3d_two_stage_img_demo')
    drawn = []
    monkeypatch.setattr(
        demo, 'vis_3d_pose_result',
        lambda model, result, **kwargs: drawn.append(result))
    demo.main([*lifters['one_frame'], '--only-second-stage', '--json-file',
               _h36m_json(tmp_path / 'h36m.json'), '--img-root',
               osp.join(DATA, 'h36m'), '--camera-param-file',
               osp.join(DATA, 'h36m', 'cameras.pkl'),
               '--rebase-keypoint-height', '--show-ground-truth',
               '--out-img-root', str(tmp_path), '--device', 'cpu'])
    (prediction, truth), = drawn
    assert prediction['title'] == 'Prediction (0)'
    assert truth['title'] == 'Ground truth (0)'
    # the lowest predicted keypoint stands on the ground (z = 0)
    assert prediction['keypoints_3d'][:, 2].min() == pytest.approx(0)
    np.testing.assert_allclose(
        truth['keypoints_3d'][:, :3],
        np.load(osp.join(DATA, 'h36m', 'test_h36m_body3d.npz'))['S'][0, :,
                                                                   :3])


@pytest.mark.slow
def test_video_demo_two_stages(models, lifters, tmp_path):
    det_cfg, det_ckpt, pose_ckpt, video = models
    run_demo('body3d_two_stage_video_demo', det_cfg, det_ckpt, TOP_DOWN_CFG,
             pose_ckpt, *lifters['three_frames'], '--video-path', video,
             '--out-video-root', tmp_path, '--device', 'cpu',
             '--bbox-thr', 0, '--rebase-keypoint-height', '--smooth')
    assert count_frames(tmp_path / 'vis_clip.mp4') == NUM_FRAMES


@pytest.mark.slow
def test_mesh_img_demo(tmp_path):
    from .test_mesh_029 import _smpl_folder, _tiny_mesh_cfg
    smpl = _smpl_folder(tmp_path)
    config = tmp_path / 'tiny_hmr.py'
    Config(dict(
        model=_tiny_mesh_cfg(smpl, '0.29'),
        data_cfg=dict(image_size=[32, 32], num_joints=24),
        test_pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='MeshAffine'),
            dict(type='ToTensor'),
            dict(type='NormalizeTensor', mean=[0.485, 0.456, 0.406],
                 std=[0.229, 0.224, 0.225]),
            dict(type='Collect', keys=['img'],
                 meta_keys=['image_file', 'center', 'scale', 'rotation'])
        ],
        data=dict(test=dict(type='MeshH36MDataset')))).dump(str(config))
    from mmpose.apis import init_pose_model
    torch.manual_seed(0)
    checkpoint = str(tmp_path / 'hmr.pth')
    save_checkpoint(init_pose_model(str(config), device='cpu'), checkpoint)
    run_demo('mesh_img_demo', config, checkpoint, '--img-root',
             osp.join(DATA, 'demo'), '--json-file',
             osp.join(DATA, 'demo', 'test_coco.json'), '--out-img-root',
             tmp_path / 'vis', '--device', 'cpu')
    photo = mmcv.imread(osp.join(DATA, 'demo', '000000000785.jpg'))
    drawing = mmcv.imread(str(tmp_path / 'vis' / 'vis_0.jpg'))
    # the photo, then the side view beside it
    assert drawing.shape == (photo.shape[0], 2 * photo.shape[1], 3)
