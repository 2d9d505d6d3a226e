"""InterHand2.6M 3D hand pose of MMPose 0.29: ``Interhand3DHead``, the
``Interhand3D`` detector and ``inference_interhand_3d_model``."""
import copy
import inspect

import mmcv
import numpy as np
import pytest
import torch

from mmpose.apis import inference_interhand_3d_model, init_pose_model
from mmpose.models import build_head, build_posenet
from .helpers import TINY_CHANNELS, TINY_RESNET, data_file
from .reference import packed_api, packed_manifests, state_dict_problems

CONFIG_029 = ('hand/3d_kpt_sview_rgb_img/internet/interhand3d/'
              'res50_interhand3d_all_256x256.json')
IMAGE = str(data_file('demo/000000000785.jpg'))
K_HAND, DEPTH = 21, 4  # keypoints per hand, depth bins of the tiny head


def _tiny_head(**kwargs) -> dict:
    head = dict(
        type='Interhand3DHead',
        keypoint_head_cfg=dict(
            in_channels=TINY_CHANNELS, out_channels=K_HAND * DEPTH,
            depth_size=DEPTH, num_deconv_layers=1, num_deconv_filters=(8, ),
            num_deconv_kernels=(4, )),
        root_head_cfg=dict(in_channels=TINY_CHANNELS, heatmap_size=64,
                           hidden_dims=(16, )),
        hand_type_head_cfg=dict(in_channels=TINY_CHANNELS, num_labels=2,
                                hidden_dims=(16, )),
        loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True),
        loss_root_depth=dict(type='L1Loss', use_target_weight=True),
        loss_hand_type=dict(type='BCELoss', use_target_weight=True))
    head.update(kwargs)
    return head


def _tiny_model_cfg(flip_test=False) -> dict:
    return dict(type='Interhand3D', pretrained=None, backbone=TINY_RESNET,
                keypoint_head=_tiny_head(), train_cfg={},
                test_cfg=dict(flip_test=flip_test))


def test_029_config_builds_its_reference_state():
    manifest = packed_manifests('0.29')[CONFIG_029]
    cfg = copy.deepcopy(manifest['cfg']['model'])
    cfg['pretrained'] = None
    with torch.device('meta'):
        model = build_posenet(cfg)
    state = {name: [list(t.shape), str(t.dtype)]
             for name, t in model.state_dict().items()}
    assert state_dict_problems(manifest['state_dict'], state) == []
    assert sum(p.numel() for p in model.parameters()) == \
        manifest['num_params']


def test_api_signature_is_that_of_0_29():
    expected = packed_api('0.29')['api'][
        'mmpose.apis.inference_interhand_3d_model']['signature']
    params = list(inspect.signature(
        inference_interhand_3d_model).parameters.values())
    assert [p.name for p in params] == [name for name, _, _ in expected]
    assert [None if p.default is p.empty else repr(p.default)
            for p in params] == [default for _, _, default in expected]


def test_head_forward_shapes_and_losses():
    torch.manual_seed(0)
    head = build_head(_tiny_head())
    head.init_weights()
    feats = torch.randn(2, TINY_CHANNELS, 2, 2)
    heatmaps, root, hand_type = head(feats)
    assert heatmaps.shape == (2, 2 * K_HAND, DEPTH, 4, 4)
    assert root.shape == (2, 1) and hand_type.shape == (2, 2)
    assert ((hand_type > 0) & (hand_type < 1)).all()
    target = [torch.zeros_like(heatmaps), torch.full((2, 1), 32.),
              torch.tensor([[1., 0.], [1., 1.]])]
    weight = [torch.ones(2, 2 * K_HAND, 1), torch.ones(2, 1),
              torch.ones(2, 2)]
    losses = head.get_loss([heatmaps, root, hand_type], target, weight)
    assert set(losses) == {'hand_loss', 'rel_root_loss', 'hand_type_loss'}
    # L1 of the root depth, in bins, against its hand-computed value.
    expected_l1 = (root - 32.).abs().mean()
    assert torch.allclose(losses['rel_root_loss'], expected_l1)
    acc = head.get_accuracy([heatmaps, root, torch.tensor([[.9, .2],
                                                            [.8, .3]])],
                            target, weight)
    assert acc == {'acc_classification': 0.5}
    with pytest.raises(ValueError, match='hand_loss'):
        head.get_loss([heatmaps, root, hand_type],
                      [target[0][:, 0]] + target[1:], weight)


def test_decode_known_answer():
    head = build_head(_tiny_head())
    n, k, h, w = 2, 2 * K_HAND, 8, 8
    heatmaps = np.zeros((n, k, DEPTH, h, w), dtype=np.float32)
    heatmaps[0, 0, 3, 2, 5] = 0.9  # z=3, y=2, x=5
    heatmaps[1, 30, 1, 6, 0] = 0.7  # z=1, y=6, x=0
    root = np.array([[16.], [48.]], dtype=np.float32)
    hand_type = np.array([[0.8, 0.3], [0.4, 0.6]], dtype=np.float32)
    # Box of 8 x 8 pixels (scale 0.04 x 200) centred at (100, 50): one
    # image pixel per heatmap pixel, x = 96 + x_hm, y = 46 + y_hm.
    metas = [dict(image_file=f'{i}.jpg', center=np.array([100., 50.]),
                  scale=np.array([0.04, 0.04]), heatmap3d_depth_bound=400.,
                  root_depth_bound=200., bbox_score=0.5, bbox_id=i)
             for i in range(n)]
    result = head.decode(metas, [heatmaps, root, hand_type])
    preds = result['preds']
    assert preds.shape == (n, k, 4)
    # depth: (z / D - 0.5) * bound -> (3/4 - 0.5) * 400 and (1/4 - .5) * 400
    np.testing.assert_allclose(preds[0, 0], [101., 48., 100., 0.9],
                               atol=1e-5)
    np.testing.assert_allclose(preds[1, 30], [96., 52., -100., 0.7],
                               atol=1e-5)
    # root: (bins / 64 - 0.5) * 200, one value per crop
    np.testing.assert_allclose(result['rel_root_depth'], [[-50.], [50.]])
    np.testing.assert_array_equal(result['hand_type'],
                                  [[True, False], [False, True]])
    np.testing.assert_allclose(result['boxes'][0],
                               [100, 50, .04, .04, 64, .5], rtol=1e-6)
    assert result['bbox_ids'] == [0, 1]
    assert result['image_paths'] == ['0.jpg', '1.jpg']


def test_flipped_outputs_are_mapped_back():
    torch.manual_seed(1)
    head = build_head(_tiny_head(test_cfg=dict(shift_heatmap=False)))
    feats = torch.randn(1, TINY_CHANNELS, 2, 2)
    heatmaps, root, hand_type = (o.detach().numpy() for o in head(feats))
    pairs = [[i, K_HAND + i] for i in range(K_HAND)]
    flipped = head.inference_model(feats, pairs)
    swap = np.r_[K_HAND:2 * K_HAND, 0:K_HAND]
    np.testing.assert_allclose(flipped[0], heatmaps[:, swap, ..., ::-1])
    np.testing.assert_allclose(flipped[1], -root)
    np.testing.assert_allclose(flipped[2], hand_type[:, ::-1])


def test_detector_trains_and_tests_with_flip():
    torch.manual_seed(2)
    model = build_posenet(_tiny_model_cfg(flip_test=True))
    img = torch.randn(2, 3, 64, 64)
    heat = torch.zeros(2, 2 * K_HAND, DEPTH, 4, 4)
    losses = model(img, [heat, torch.zeros(2, 1), torch.ones(2, 2)],
                   [torch.ones(2, 2 * K_HAND, 1), torch.ones(2, 1),
                    torch.ones(2, 2)], img_metas=None, return_loss=True)
    assert set(losses) == {'hand_loss', 'rel_root_loss', 'hand_type_loss',
                           'acc_classification'}
    model.eval()
    metas = [dict(image_file='a.jpg', center=np.array([32., 32.]),
                  scale=np.array([0.32, 0.32]), heatmap3d_depth_bound=400.,
                  root_depth_bound=400., bbox_id=i,
                  flip_pairs=[[j, K_HAND + j] for j in range(K_HAND)])
             for i in range(2)]
    with torch.no_grad():
        result = model(img, img_metas=metas, return_loss=False)
    assert result['preds'].shape == (2, 2 * K_HAND, 4)
    assert result['rel_root_depth'].shape == (2, 1)
    assert result['hand_type'].shape == (2, 2)


@pytest.fixture(scope='module')
def tiny_model(tmp_path_factory):
    """An Interhand3D model (tiny backbone) whose hand type head always
    says "right hand only" and whose root head says bin 48."""
    cfg = mmcv.Config(dict(
        model=_tiny_model_cfg(),
        data_cfg=dict(image_size=[64, 64], heatmap_size=[4, 4, DEPTH],
                      num_joints=2 * K_HAND, heatmap3d_depth_bound=400.0,
                      heatmap_size_root=64, root_depth_bound=400.0),
        test_pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='TopDownGetBboxCenterScale', padding=1.25),
            dict(type='TopDownAffine'),
            dict(type='ToTensor'),
            dict(type='NormalizeTensor', mean=[0.485, 0.456, 0.406],
                 std=[0.229, 0.224, 0.225]),
            dict(type='Collect', keys=['img'],
                 meta_keys=['image_file', 'center', 'scale', 'rotation',
                            'flip_pairs', 'heatmap3d_depth_bound',
                            'root_depth_bound'])
        ]))
    torch.manual_seed(3)
    model = init_pose_model(cfg, device='cpu')
    head = model.keypoint_head
    with torch.no_grad():
        head.hand_type_head.fc[2].weight.zero_()
        head.hand_type_head.fc[2].bias.copy_(torch.tensor([20., -20.]))
        head.root_head.fc[2].weight.zero_()
        head.root_head.fc[2].bias.fill_(-50.)
        head.root_head.fc[2].bias[48] = 50.
    return model


def test_inference_shifts_left_hand_and_scores_by_hand_type(tiny_model):
    det = [dict(bbox=np.array([10., 20., 40., 30., 0.9]), label='hand'),
           dict(bbox=np.array([0., 0., 60., 60., 0.1]))]
    results = inference_interhand_3d_model(tiny_model, IMAGE, det,
                                           bbox_thr=0.5)
    assert len(results) == 1 and results[0]['label'] == 'hand'
    kpts = results[0]['keypoints_3d']
    assert kpts.shape == (2 * K_HAND, 4)
    # xywh box -> xyxy with the 0.x inclusive convention
    np.testing.assert_allclose(results[0]['bbox'], [10, 20, 49, 49, 0.9])
    # Left hand absent: its scores are 0; right hand keeps the maxima.
    np.testing.assert_array_equal(kpts[K_HAND:, 3], 0.)
    assert (kpts[:K_HAND, 3] > 0).all()

    # Left depths = decoded depths + relative root depth (bin 48 of 64:
    # (48 / 64 - 0.5) * 400 = 100).
    raw = tiny_model(
        img=torch.zeros(1, 3, 64, 64), return_loss=False,
        img_metas=[dict(image_file='x', center=np.zeros(2),
                        scale=np.ones(2), heatmap3d_depth_bound=400.,
                        root_depth_bound=400.)])
    np.testing.assert_allclose(raw['rel_root_depth'], [[100.]], atol=1e-3)
    z_bins = np.linspace(-200, 200 - 400 / DEPTH, DEPTH)
    assert np.isin(np.round(kpts[:K_HAND, 2], 3), z_bins).all()
    assert np.isin(np.round(kpts[K_HAND:, 2] - 100., 3), z_bins).all()


def test_inference_box_formats_and_errors(tiny_model):
    xywh = inference_interhand_3d_model(
        tiny_model, IMAGE, [dict(bbox=np.array([10., 20., 40., 30.]))])
    xyxy = inference_interhand_3d_model(
        tiny_model, mmcv.imread(IMAGE),
        [dict(bbox=np.array([10., 20., 49., 49.]))], format='xyxy')
    np.testing.assert_allclose(xywh[0]['keypoints_3d'],
                               xyxy[0]['keypoints_3d'], atol=1e-4)
    assert inference_interhand_3d_model(tiny_model, IMAGE, []) == []
    with pytest.raises(NotImplementedError, match='InterHand3DDataset'):
        inference_interhand_3d_model(tiny_model, IMAGE, xywh,
                                     dataset='InterHand2DDataset')
    with pytest.raises(AssertionError, match='format'):
        inference_interhand_3d_model(tiny_model, IMAGE, xywh, format='cxcy')


def _sample_dataset(split: str):
    """The 0.29 config's ``split`` dataset on the InterHand2.6M sample,
    with a 64 x 64 input and 4 x 4 x 4 heatmaps (the tiny model's)."""
    from mmcv.parallel import collate

    from mmpose.datasets import build_dataset
    from .reference import REPO_ROOT
    cfg = mmcv.Config.fromfile(
        str(REPO_ROOT / 'configs' / CONFIG_029.replace('.json', '.py')))
    folder = data_file('interhand2.6m')
    data = copy.deepcopy(cfg.data[split])
    data.update(
        ann_file=str(folder / 'test_interhand2.6m_data.json'),
        camera_file=str(folder / 'test_interhand2.6m_camera.json'),
        joint_file=str(folder / 'test_interhand2.6m_joint_3d.json'),
        img_prefix=f'{folder}/', test_mode=split != 'train')
    data['data_cfg'].update(image_size=[64, 64], heatmap_size=[4, 4, DEPTH])
    dataset = build_dataset(data)
    return dataset, collate([dataset[i] for i in range(len(dataset))],
                            samples_per_gpu=len(dataset))


def test_029_config_pipelines_train_test_and_evaluate(tmp_path):
    torch.manual_seed(4)
    model = build_posenet(_tiny_model_cfg(flip_test=True))
    _, batch = _sample_dataset('train')
    losses = model(batch['img'], batch['target'], batch['target_weight'],
                   img_metas=batch['img_metas'].data[0], return_loss=True)
    assert all(torch.isfinite(torch.as_tensor(v)) for v in losses.values())
    losses['hand_loss'].backward()

    dataset, batch = _sample_dataset('test')
    model.eval()
    with torch.no_grad():
        out = model(batch['img'], img_metas=batch['img_metas'].data[0],
                    return_loss=False)
    metrics = dataset.evaluate([out], str(tmp_path),
                               metric=['MRRPE', 'MPJPE', 'Handedness_acc'])
    assert {'MRRPE', 'MPJPE_all', 'Handedness_acc'} <= set(metrics)
    assert all(np.isfinite(v) for v in metrics.values())
    assert 0 <= metrics['Handedness_acc'] <= 1


def test_show_result_draws_image_and_3d_plot(tmp_path):
    model = build_posenet(_tiny_model_cfg())
    kpts = np.concatenate([np.random.default_rng(0).normal(
        scale=50., size=(2 * K_HAND, 3)), np.ones((2 * K_HAND, 1))], axis=1)
    result = [dict(keypoints_3d=kpts, bbox=np.array([10., 20., 60., 80.]),
                   keypoints=np.full((2 * K_HAND, 3), 30.))]
    out_file = tmp_path / 'vis.jpg'
    drawing = model.show_result(result, img=IMAGE, vis_height=120,
                                pose_kpt_color=np.zeros((2 * K_HAND, 3)),
                                out_file=str(out_file))
    # one 120 x 120 panel for the image, one for the instance's 3D plot
    assert drawing.shape == (120, 240, 3)
    assert out_file.is_file()
    with pytest.raises(ValueError, match='at least one'):
        model.show_result([])
