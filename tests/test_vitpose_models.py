"""ViTPose models: the ViT / ViTMoE backbones, TopDownMoE, their pretrained
loading and the fused attention of the fast inference path.

Golden numbers: ``vitpose_case`` (outputs of the ViTPose fork for seeded
weights); state_dict names: the packed manifests of the fork's configs.
"""
import copy
import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from mmpose.apis.fast_inference import inference_network, predict
from mmpose.errors import ArgumentError, UnknownNameError
from mmpose.models import build_backbone, build_posenet
from mmpose.models.backbones import ViT, ViTMoE
from mmpose.models.utils.vit_layers import (GlobalSelfAttention, MoEMlp,
                                            set_fused_attention)
from .reference import packed_manifests, state_dict_problems, vitpose_case

TINY = dict(img_size=(64, 48), patch_size=16, embed_dim=32, depth=2,
            num_heads=2, mlp_ratio=2, qkv_bias=True)


def tiny_vit(**kwargs):
    torch.manual_seed(0)
    vit = ViT(**dict(TINY, **kwargs))
    vit.init_weights()
    return vit


def golden_model(case):
    model = build_posenet(copy.deepcopy(case['cfg']))
    model.load_state_dict(case['state_dict'], strict=True)
    return model.eval()


def run_test(model, case, metas=None, **kwargs):
    with torch.no_grad():
        return model(img=case['img'], img_metas=metas or case['img_metas'],
                     return_loss=False, return_heatmap=True, **kwargs)


def assert_matches(result, preds, heatmap, model, metas):
    """The network's heatmaps equal the fork's (1e-4), and decoding the
    fork's own heatmaps gives the fork's keypoints (1e-3 px).

    The decoding is checked on the fork's heatmaps, not on ours: these
    random-weight heatmaps are nearly flat, and the UDP/DARK refinement
    solves a nearly singular system at each peak, so float rounding that
    depends on the thread count (1e-6 in the heatmap) moves some keypoints
    by tenths of a pixel.
    """
    np.testing.assert_allclose(result['output_heatmap'], heatmap.numpy(),
                               atol=1e-4, rtol=1e-4)
    decoded = model.keypoint_head.decode(metas, heatmap.numpy())['preds']
    np.testing.assert_allclose(decoded[..., :2], preds[..., :2].numpy(),
                               atol=1e-3)
    np.testing.assert_allclose(result['preds'][..., 2], preds[..., 2].numpy(),
                               atol=1e-4)


# ---------------------------------------------------------------- golden
def test_vit_ratio2_backbone_matches_the_fork():
    case = vitpose_case('vit_ratio2')
    vit = build_backbone(dict(case['cfg']))
    vit.load_state_dict(case['state_dict'], strict=True)
    with torch.no_grad():
        out = vit.eval()(case['img'])
    # overlapping patches: stride 8, padding 4 -> an 8x6 grid
    assert out.shape == (2, 32, 8, 6)
    torch.testing.assert_close(out, case['backbone_out'], atol=1e-4,
                               rtol=1e-4)


@pytest.mark.parametrize('name', ['vit_tiny', 'vit_tiny_simple'])
def test_vit_top_down_matches_the_fork_with_flip_test(name):
    case = vitpose_case(name)
    model = golden_model(case)
    with torch.no_grad():
        torch.testing.assert_close(model.backbone(case['img']),
                                   case['backbone_out'], atol=1e-4, rtol=1e-4)
    assert_matches(run_test(model, case), case['preds'], case['heatmap'],
                   model, case['img_metas'])


@pytest.mark.parametrize('dataset_idx', [0, 1, 2])
def test_vitmoe_top_down_matches_the_fork_per_dataset(dataset_idx):
    case = vitpose_case('vitmoe_tiny')
    model = golden_model(case)
    expected = case['outputs'][dataset_idx]
    metas = [dict(m, dataset_idx=dataset_idx) for m in case['img_metas']]
    indices = torch.full((2, ), dataset_idx)
    with torch.no_grad():
        torch.testing.assert_close(model.backbone(case['img'], indices),
                                   expected['backbone_out'], atol=1e-4,
                                   rtol=1e-4)
    assert_matches(run_test(model, case, metas), expected['preds'],
                   expected['heatmap'], model, metas)


def test_vitmoe_test_without_dataset_idx_uses_dataset_0():
    case = vitpose_case('vitmoe_tiny')
    model = golden_model(case)
    result = run_test(model, case)  # metas without the key
    expected = case['outputs'][0]
    assert_matches(result, expected['preds'], expected['heatmap'], model,
                   case['img_metas'])


def _unique_model_cfgs():
    cfgs = {}
    for path, manifest in sorted(packed_manifests('vitpose').items()):
        key = json.dumps(manifest['cfg']['model'], sort_keys=True)
        cfgs.setdefault(key, (path, manifest))
    return sorted(cfgs.values())


@pytest.mark.parametrize('path,manifest', _unique_model_cfgs(),
                         ids=lambda v: v if isinstance(v, str) else '')
def test_fork_config_models_have_the_fork_state_dict(path, manifest):
    with torch.device('meta'):
        model = build_posenet(copy.deepcopy(manifest['cfg']['model']))
    built = {name: (tuple(t.shape), str(t.dtype))
             for name, t in model.state_dict().items()}
    expected = {name: (tuple(shape), dtype)
                for name, (shape, dtype) in manifest['state_dict'].items()}
    assert not state_dict_problems(expected, built), path
    num_params = sum(t.numel() for t in model.parameters())
    assert num_params == manifest['num_params']


# ---------------------------------------------------------------- ViT
def test_patch_embedding_geometry():
    vit = tiny_vit()
    conv = vit.patch_embed.proj
    assert (conv.kernel_size, conv.stride, conv.padding) == ((16, 16),
                                                             (16, 16), (2, 2))
    assert vit.pos_embed.shape == (1, 4 * 3 + 1, 32)
    overlapping = tiny_vit(ratio=2).patch_embed.proj
    assert (overlapping.stride, overlapping.padding) == ((8, 8), (4, 4))


def test_position_embedding_adds_entry_0_to_every_token():
    vit = tiny_vit(depth=0, last_norm=False)
    nn.init.zeros_(vit.patch_embed.proj.weight)
    nn.init.zeros_(vit.patch_embed.proj.bias)
    with torch.no_grad():
        out = vit(torch.rand(1, 3, 64, 48))
    pos = vit.pos_embed.detach()[0]
    expected = (pos[1:] + pos[0]).T.reshape(32, 4, 3)
    torch.testing.assert_close(out[0], expected)


def test_blocks_layout_and_stochastic_depth():
    vit = tiny_vit(depth=3, drop_path_rate=0.2)
    assert [b.drop_path.drop_prob for b in vit.blocks] == pytest.approx(
        [0., 0.1, 0.2])
    assert vit.blocks[0].norm1.eps == 1e-6 and vit.last_norm.eps == 1e-6
    assert isinstance(vit.blocks[0].mlp.act, nn.GELU)
    assert vit.get_num_layers() == 3
    assert tiny_vit(last_norm=False).last_norm.__class__ is nn.Identity


def test_init_from_scratch():
    vit = tiny_vit()
    qkv, norm = vit.blocks[0].attn.qkv, vit.blocks[0].norm1
    assert torch.all(qkv.bias == 0) and 0.015 < qkv.weight.std() < 0.025
    assert torch.all(norm.weight == 1) and torch.all(norm.bias == 0)
    assert 0 < vit.pos_embed.std() < 0.03


def test_frozen_stages_follow_the_fork():
    # as the fork: stage i >= 1 is blocks[i], so blocks[0] stays trainable
    vit = tiny_vit(depth=3, frozen_stages=1)
    vit.train()
    assert not any(p.requires_grad for p in vit.patch_embed.parameters())
    assert not any(p.requires_grad for p in vit.blocks[1].parameters())
    assert all(p.requires_grad for p in vit.blocks[0].parameters())
    assert all(p.requires_grad for p in vit.blocks[2].parameters())
    assert not vit.blocks[1].training and vit.blocks[0].training
    with pytest.raises(ArgumentError, match='frozen_stages'):
        ViT(**dict(TINY, frozen_stages=2))


def test_freeze_attention_or_feed_forward():
    vit = tiny_vit(freeze_attn=True)
    block = vit.blocks[0]
    assert not any(p.requires_grad for p in block.attn.parameters())
    assert not block.norm1.weight.requires_grad
    assert block.mlp.fc1.weight.requires_grad and vit.pos_embed.requires_grad
    vit = tiny_vit(freeze_ffn=True)
    block = vit.blocks[1]
    assert not any(p.requires_grad for p in block.mlp.parameters())
    assert not block.norm2.weight.requires_grad
    assert not vit.pos_embed.requires_grad
    assert not vit.patch_embed.proj.weight.requires_grad
    assert block.attn.qkv.weight.requires_grad


def test_gradient_checkpointing_keeps_gradients():
    x = torch.rand(2, 3, 64, 48)
    grads = []
    for use_checkpoint in (False, True):
        vit = tiny_vit(use_checkpoint=use_checkpoint)
        vit(x).square().sum().backward()
        grads.append(vit.blocks[0].attn.qkv.weight.grad)
    torch.testing.assert_close(grads[0], grads[1])


def test_hybrid_backbone_embeds_cnn_features():
    cnn = nn.Sequential(nn.Conv2d(3, 8, 3, stride=4, padding=1), nn.ReLU())
    vit = tiny_vit(hybrid_backbone=cnn)
    assert vit.patch_embed.patch_shape == (16, 12)
    assert vit.pos_embed.shape == (1, 16 * 12 + 1, 32)
    assert vit(torch.rand(1, 3, 64, 48)).shape == (1, 32, 16, 12)


def test_bad_arguments_and_inputs():
    with pytest.raises(ArgumentError, match='patch_padding'):
        ViT(**dict(TINY, patch_padding='reflect'))
    with pytest.raises(ArgumentError, match='divisible'):
        ViT(**dict(TINY, num_heads=3))
    with pytest.raises(ArgumentError, match='position embedding'):
        tiny_vit()(torch.rand(1, 3, 96, 48))


# ---------------------------------------------------------------- pretrained
def mae_checkpoint(tmp_path, vit, kernel=14, grid=2, **extra):
    """An MAE-style checkpoint: class token, a ``grid`` x ``grid`` position
    embedding, a ``kernel`` patch kernel, the blocks of ``vit`` plus the
    MAE head entries, under ``model``."""
    pos_embed = torch.arange(grid * grid + 1.)[None, :, None].repeat(1, 1, 32)
    weights = {k: v.clone() + 0.5 for k, v in vit.state_dict().items()}
    weights.update({
        'cls_token': torch.zeros(1, 1, 32),
        'pos_embed': pos_embed,
        'patch_embed.proj.weight': torch.ones(32, 3, kernel, kernel),
        'norm.weight': torch.ones(32),
        'head.weight': torch.ones(10, 32),
    }, **extra)
    path = tmp_path / 'mae.pth'
    torch.save({'model': weights}, path)
    return path, weights


def test_mae_checkpoint_is_fitted_to_the_model(tmp_path):
    vit = tiny_vit()
    path, weights = mae_checkpoint(tmp_path, vit)
    vit.init_weights(str(path))
    # token 0 (the class token's entry) is kept; the 2x2 grid of values
    # 1..4 is resized bicubically to 4x3
    pos = vit.pos_embed.detach()[0, :, 0]
    assert pos[0] == 0
    grid = torch.tensor([[1., 2.], [3., 4.]])[None, None]
    resized = F.interpolate(grid, size=(4, 3), mode='bicubic',
                            align_corners=False)
    torch.testing.assert_close(pos[1:], resized.flatten())
    # the 14x14 kernel of ones is zero-padded by one pixel on each side
    kernel = vit.patch_embed.proj.weight.detach()
    assert torch.all(kernel[:, :, 1:15, 1:15] == 1)
    assert kernel[:, :, 0].abs().sum() == 0 and kernel[:, :, :, 15].abs(
    ).sum() == 0
    torch.testing.assert_close(vit.blocks[1].mlp.fc2.weight,
                               weights['blocks.1.mlp.fc2.weight'])


def test_constant_position_grid_stays_constant_and_bicubic_kernel(tmp_path):
    vit = tiny_vit(patch_padding='bicubic')
    pos_embed = torch.full((1, 5, 32), 3.)
    path, _ = mae_checkpoint(tmp_path, vit, pos_embed=pos_embed)
    vit.init_weights(str(path))
    torch.testing.assert_close(vit.pos_embed.detach(),
                               torch.full((1, 13, 32), 3.))
    # a constant 14x14 kernel resized (not padded) to 16x16 stays constant
    torch.testing.assert_close(vit.patch_embed.proj.weight.detach(),
                               torch.ones(32, 3, 16, 16))


def test_same_grid_checkpoint_loads_unchanged(tmp_path):
    vit = tiny_vit()
    source = tiny_vit()
    torch.nn.init.normal_(source.pos_embed)
    path = tmp_path / 'vitpose.pth'
    torch.save({'state_dict': {'backbone.' + k: v for k, v in
                               source.state_dict().items()}}, path)
    vit.init_weights(str(path))
    for name, value in source.state_dict().items():
        torch.testing.assert_close(vit.state_dict()[name], value)


def test_moby_and_deepspeed_checkpoints(tmp_path):
    source = tiny_vit()
    for name, wrap in (
            ('moby', lambda sd: {'model': {**{'encoder.' + k: v for k, v in
                                              sd.items()},
                                           'encoder_k.x': torch.ones(1)}}),
            ('deepspeed', lambda sd: {'module': dict(sd)})):
        vit = ViT(**TINY)
        path = tmp_path / f'{name}.pth'
        torch.save(wrap(source.state_dict()), path)
        vit.init_weights(str(path))
        torch.testing.assert_close(vit.blocks[0].attn.qkv.weight,
                                   source.blocks[0].attn.qkv.weight)


def test_non_square_position_grid_is_refused(tmp_path):
    vit = tiny_vit()
    path, _ = mae_checkpoint(tmp_path, vit, pos_embed=torch.zeros(1, 7, 32))
    with pytest.raises(ArgumentError, match='square grid'):
        vit.init_weights(str(path))


def test_dense_checkpoint_is_split_into_experts(tmp_path):
    source = tiny_vit()
    moe = ViTMoE(**TINY, num_expert=2, part_features=8)
    path = tmp_path / 'dense.pth'
    torch.save(source.state_dict(), path)
    moe.init_weights(str(path))
    dense = source.blocks[0].mlp.fc2
    mlp = moe.blocks[0].mlp
    torch.testing.assert_close(mlp.fc2.weight, dense.weight[:24])
    torch.testing.assert_close(mlp.fc2.bias, dense.bias[:24])
    for expert in mlp.experts:
        torch.testing.assert_close(expert.weight, dense.weight[24:])
        torch.testing.assert_close(expert.bias, dense.bias[24:])
    # an expert checkpoint (already split) loads as it is
    trained = ViTMoE(**TINY, num_expert=2, part_features=8)
    torch.save(trained.state_dict(), path)
    moe.init_weights(str(path))
    torch.testing.assert_close(moe.blocks[1].mlp.experts[1].weight,
                               trained.blocks[1].mlp.experts[1].weight)


# ---------------------------------------------------------------- experts
def test_each_sample_uses_the_expert_of_its_dataset():
    torch.manual_seed(0)
    mlp = MoEMlp(num_expert=3, in_features=8, hidden_features=16,
                 part_features=2)
    x = torch.rand(3, 5, 8)
    out = mlp(x, torch.tensor([2, 0, 2]))
    hidden = mlp.act(mlp.fc1(x))
    for i, expert in enumerate([2, 0, 2]):
        torch.testing.assert_close(out[i, :, :6], mlp.fc2(hidden[i]))
        torch.testing.assert_close(out[i, :, 6:],
                                   mlp.experts[expert](hidden[i]))
    # every expert is in the graph (DDP needs a gradient for each)
    out.sum().backward()
    assert all(e.weight.grad is not None for e in mlp.experts)
    assert mlp.experts[1].weight.grad.abs().sum() == 0


def test_vitmoe_checks_dataset_indices():
    moe = ViTMoE(**TINY, num_expert=2, part_features=8)
    x = torch.rand(2, 3, 64, 48)
    with pytest.raises(ArgumentError, match='num_expert'):
        moe(x, torch.tensor([0, 2]))
    with pytest.raises(ArgumentError, match='entries'):
        moe(x, torch.tensor([0]))
    with pytest.raises(ArgumentError, match='part_features'):
        ViTMoE(**TINY, num_expert=2)
    with torch.no_grad():  # None: every sample is dataset 0
        torch.testing.assert_close(moe(x), moe(x, [0, 0]))


def moe_detector():
    case = vitpose_case('vitmoe_tiny')
    return golden_model(case), case


def test_topdownmoe_trains_each_head_on_its_dataset():
    model, case = moe_detector()
    model.train()
    torch.manual_seed(0)
    target = torch.rand(2, 7, 16, 12)
    weight = torch.ones(2, 7, 1)
    metas = [dict(m, dataset_idx=i) for m, i in zip(case['img_metas'],
                                                     (0, 2))]
    losses = model(case['img'], target, weight, metas, return_loss=True)
    assert set(losses) == {'main_stream_loss', 'main_stream_acc', '1_loss',
                           '1_acc', '2_loss', '2_acc'}
    # dataset 1 has no sample: zero loss; dataset 2's head (3 keypoints)
    # sees sample 1 and the first 3 target channels
    assert losses['1_loss'].item() == 0
    model.eval()  # same outputs without dropout / drop path
    with torch.no_grad():
        losses = model(case['img'], target, weight, metas, return_loss=True)
        features = model.backbone(case['img'], torch.tensor([0, 2]))
        out = model.associate_keypoint_heads[1](features)
    expected = (out[1] - target[1, :3]).square().sum() / out.numel()
    torch.testing.assert_close(losses['2_loss'], expected)


def test_topdownmoe_training_needs_dataset_idx():
    model, case = moe_detector()
    with pytest.raises(UnknownNameError, match='dataset_idx'):
        model(case['img'], torch.zeros(2, 7, 16, 12), torch.ones(2, 7, 1),
              case['img_metas'], return_loss=True)


def test_topdownmoe_associate_heads_get_test_cfg():
    model, _ = moe_detector()
    assert model.keypoint_heads_cnt == 3
    assert [h.out_channels for h in model.associate_keypoint_heads] == [7, 3]
    assert model.associate_keypoint_heads[0].test_cfg['use_udp'] is True


# ---------------------------------------------------------------- fast path
def test_fused_attention_equals_the_explicit_path():
    torch.manual_seed(0)
    attn = GlobalSelfAttention(64, num_heads=4, qkv_bias=True).eval()
    x = torch.randn(3, 50, 64)
    with torch.no_grad():
        explicit = attn(x)
        assert set_fused_attention(attn) == 1 and attn.fused
        fused = attn(x)
    torch.testing.assert_close(fused, explicit, rtol=1e-4, atol=1e-4 *
                               explicit.abs().max().item())


def test_fast_copy_fuses_attention_and_keeps_the_user_model():
    case = vitpose_case('vit_tiny')
    model = golden_model(case)
    network = inference_network(model)
    attention = [m for m in network.modules()
                 if isinstance(m, GlobalSelfAttention)]
    assert attention and all(m.fused for m in attention)
    assert not any(m.fused for m in model.modules()
                   if isinstance(m, GlobalSelfAttention))
    result = predict(model, img=case['img'], img_metas=case['img_metas'],
                     return_heatmap=True)
    assert_matches(result, case['preds'], case['heatmap'], model,
                   case['img_metas'])


def test_bf16_fast_path_runs_and_returns_float32():
    case = vitpose_case('vitmoe_tiny')
    model = golden_model(case)
    try:
        result = predict(model, precision='bf16', img=case['img'],
                         img_metas=case['img_metas'], return_heatmap=True)
    except RuntimeError as err:  # pragma: no cover - CPU without bf16
        pytest.skip(f'no bf16 kernels: {err}')
    assert result['output_heatmap'].dtype == np.float32
    expected = case['outputs'][0]['heatmap'].numpy()
    assert np.abs(result['output_heatmap'] - expected).max() < 0.05 * np.abs(
        expected).max()


def test_inference_api_runs_a_vitpose_plus_config_with_its_dataset_experts():
    import mmcv

    from mmpose.apis import inference_top_down_pose_model, init_pose_model
    from .reference import REPO_ROOT
    cfg = mmcv.Config.fromfile(str(
        REPO_ROOT / 'configs/body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/'
        'vitPose+_base_coco+aic+mpii+ap10k+apt36k+wholebody_256x192_udp.py'))
    cfg.model.backbone.update(embed_dim=32, depth=1, num_heads=2,
                              part_features=8)
    for head in [cfg.model.keypoint_head, *cfg.model.associate_keypoint_head]:
        head.update(in_channels=32, num_deconv_filters=(8, 8))
    torch.manual_seed(0)
    model = init_pose_model(cfg, device='cpu')
    img = str(REPO_ROOT / 'tests/data/coco/000000000785.jpg')
    people = [{'bbox': [60, 40, 280, 420]}]
    heatmaps = []
    for dataset_idx in (0, 2):  # the test data_cfg's index picks the experts
        model.cfg.data_cfg.dataset_idx = dataset_idx
        results, returned = inference_top_down_pose_model(
            model, img, people, format='xywh', return_heatmap=True)
        heatmaps.append(returned[0]['heatmap'])
    assert results[0]['keypoints'].shape == (17, 3)
    change = np.abs(heatmaps[0] - heatmaps[1]).max()
    assert change > 1e-3 * np.abs(heatmaps[0]).max()


def test_vitmoe_takes_the_vit_arguments_in_their_order():
    moe = ViTMoE((64, 48), 16, 3, 80, 32, 2, 2, 2, True, num_expert=3,
                 part_features=8)
    assert moe.patch_embed.patch_shape == (4, 3)
    assert moe.blocks[1].attn.qkv.bias is not None
    assert len(moe.blocks[0].mlp.experts) == 3
    assert moe.blocks[0].mlp.fc2.out_features == 24


def test_topdownmoe_batched_flip_test_routes_both_halves():
    model, case = moe_detector()
    model.test_cfg['flip_test'] = True
    metas = [dict(m, dataset_idx=i) for m, i in zip(case['img_metas'],
                                                     (1, 2))]
    plain = run_test(model, case, metas)  # two passes, explicit attention
    fast = predict(model, img=case['img'], img_metas=metas,
                   return_heatmap=True)  # one batch of 4, fused attention
    np.testing.assert_allclose(fast['output_heatmap'],
                               plain['output_heatmap'], rtol=1e-4, atol=1e-5)
