"""DeepPose regression with RLE (0.29): the real configs build the reference
state_dict, train, and decode through ``inference_top_down_pose_model``."""
from pathlib import Path

import mmcv
import numpy as np
import pytest
import torch
from mmcv.runner import build_optimizer

from mmpose.apis import inference_top_down_pose_model, init_pose_model
from mmpose.models import build_posenet
from .reference import packed_manifests, state_dict_problems

CONFIGS = Path(__file__).resolve().parents[1] / 'configs'
RLE_CONFIGS = sorted(
    path[:-len('.json')] for path in packed_manifests('0.29')
    if path.startswith('body/2d_kpt_sview_rgb_img/deeppose/')
    and path.endswith('_rle.json'))
COCO_RLE = 'body/2d_kpt_sview_rgb_img/deeppose/coco/res50_coco_256x192_rle'
K = 17
# COCO's left/right pairs, written out independently of the library.
COCO_PAIRS = np.array([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12],
                       [13, 14], [15, 16]])
MIRROR = np.arange(K)
MIRROR[COCO_PAIRS[:, 0]], MIRROR[COCO_PAIRS[:, 1]] = (COCO_PAIRS[:, 1],
                                                      COCO_PAIRS[:, 0])


def small_rle_cfg(flip_test=True):
    """The COCO RLE config with a ResNet-18 backbone (same model types)."""
    cfg = mmcv.Config.fromfile(str(CONFIGS / f'{COCO_RLE}.py'))
    cfg.model.pretrained = None
    cfg.model.backbone.depth = 18
    cfg.model.keypoint_head.in_channels = 512
    cfg.model.test_cfg.flip_test = flip_test
    return cfg


def test_all_five_rle_configs_are_checked():
    assert len(RLE_CONFIGS) == 5


@pytest.mark.parametrize('path', RLE_CONFIGS)
def test_rle_config_builds_the_reference_state_dict(path):
    cfg = mmcv.Config.fromfile(str(CONFIGS / f'{path}.py'))
    assert cfg.model.keypoint_head.loss_keypoint.type == 'RLELoss'
    cfg.model.pretrained = None  # no download; the names stay the same
    with torch.device('meta'):
        model = build_posenet(cfg.model)
    built = {name: [list(t.shape), str(t.dtype)]
             for name, t in model.state_dict().items()}
    expected = packed_manifests('0.29')[f'{path}.json']['state_dict']
    assert any(name.startswith('keypoint_head.loss.flow_model.')
               for name in expected)
    assert state_dict_problems(expected, built) == []


def test_rle_training_lowers_the_loss():
    torch.manual_seed(0)
    cfg = small_rle_cfg()
    model = build_posenet(cfg.model)
    model.train()
    optimizer = build_optimizer(model, cfg.optimizer)
    rng = np.random.default_rng(0)
    batch = dict(
        img=torch.randn(2, 3, 64, 48),
        # TopDownGenerateTargetRegression: coordinates / input size, [K, 2]
        target=torch.from_numpy(rng.uniform(0.1, 0.9, (2, K, 2))).float(),
        target_weight=torch.ones(2, K, 2),
        img_metas=[dict(image_file=f'{i}.jpg') for i in range(2)])
    losses = []
    for _ in range(2):
        outputs = model.train_step(batch, optimizer)
        optimizer.zero_grad()
        outputs['loss'].backward()
        optimizer.step()
        losses.append(outputs['loss'].item())
    assert np.isfinite(losses).all()
    assert losses[1] < losses[0]


# Head output chosen per joint: normalised x, y and the sigmas after the
# sigmoid (the head predicts their logits).
X = 0.2 + 0.02 * np.arange(K)
Y = 0.3 + 0.03 * np.arange(K)
SIGMA = np.stack([0.1 + 0.02 * np.arange(K), 0.2 + 0.01 * np.arange(K)], 1)


def controlled_rle_model(flip_test):
    model = init_pose_model(small_rle_cfg(flip_test), device='cpu')
    fc = model.keypoint_head.fc
    logits = np.log(SIGMA / (1 - SIGMA))
    bias = np.concatenate([np.stack([X, Y], 1), logits], 1)  # [K, 4]
    with torch.no_grad():
        fc.weight.zero_()
        fc.bias.copy_(torch.from_numpy(bias.reshape(-1)))
    return model


@pytest.mark.parametrize('flip_test', [False, True])
def test_inference_decodes_coordinates_and_sigma_scores(flip_test):
    model = controlled_rle_model(flip_test)
    # 60 x 80 box is 3:4 like the 192 x 256 input: padded 1.25 -> 75 x 100
    # pixels around the center (70, 60); x_img = 70 + (x - .5) * 75.
    people = [dict(bbox=[40, 20, 60, 80])]
    results, _ = inference_top_down_pose_model(
        model, np.zeros((200, 256, 3), np.uint8), people, format='xywh',
        dataset='TopDownCocoDataset')
    x, y, sigma = X, Y, SIGMA
    if flip_test:
        # mirrored output: joints swapped, x -> 1 - x; 0.29's
        # regression_flip_shift moves it one input pixel (1 / 192) left.
        x = (X + 1 - X[MIRROR] - 1 / 192) / 2
        y = (Y + Y[MIRROR]) / 2
        sigma = (SIGMA + SIGMA[MIRROR]) / 2
    expected = np.stack([70 + (x - .5) * 75, 60 + (y - .5) * 100,
                         1 - sigma.mean(1)], 1)
    np.testing.assert_allclose(results[0]['keypoints'], expected, atol=1e-4)
