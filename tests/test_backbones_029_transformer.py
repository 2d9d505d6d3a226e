"""The transformer families MMPose 0.29 added after 0.14: SwinTransformer,
HRFormer, PyramidVisionTransformer(V2), TCFormer with its MTA neck, and the
layer-decay optimizer constructors.

Parameter names and shapes come from the 0.29 reference manifests (models
built on the meta device); forward shapes are derived by hand from strides
and channels; window and token bookkeeping is compared with hand-written
tables, and the attention layers with small re-implementations written here
from the papers' equations.
"""
import copy
import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmcv.cnn.bricks.transformer import PatchMerging
from torch import nn

from mmpose.core.optimizer import build_optimizers
from mmpose.core.optimizers import (OPTIMIZER_BUILDERS,
                                    LayerDecayOptimizerConstructor,
                                    LearningRateDecayOptimizerConstructor)
from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError
from mmpose.models import build_posenet
from mmpose.models.backbones import (HRFormer, PyramidVisionTransformer,
                                     PyramidVisionTransformerV2,
                                     SwinTransformer, TCFormer)
from mmpose.models.backbones.hrformer import (HRFormerBlock,
                                              LocalWindowSelfAttention)
from mmpose.models.backbones.pvt import (AbsolutePositionEmbedding,
                                        SpatialReductionAttention)
from mmpose.models.backbones.swin import ShiftWindowMSA
from mmpose.models.necks import MTA
from mmpose.models.utils import (cluster_dpc_knn, merge_tokens, pvt_convert,
                                 swin_converter, token2map, token_interp)
from mmpose.models.utils.tcformer_utils import map2token
from mmpose.models.utils.transformer import (WindowMSA,
                                             relative_position_index,
                                             window_partition,
                                             window_reverse)
from .reference import packed_manifests, state_dict_problems

FAMILIES = ('SwinTransformer', 'HRFormer', 'PyramidVisionTransformer',
            'PyramidVisionTransformerV2', 'TCFormer', 'MTA')


def _family_configs():
    paths = []
    for path, manifest in sorted(packed_manifests('0.29').items()):
        model = manifest['cfg'].get('model') or {}
        types = {(model.get('backbone') or {}).get('type'),
                 (model.get('neck') or {}).get('type')}
        if types & set(FAMILIES):
            paths.append(path)
    return paths


FAMILY_CONFIGS = _family_configs()


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def attention(q, k, v, bias=None):
    """softmax(q k^T / sqrt(d) + bias) v over the last two dims."""
    logits = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if bias is not None:
        logits = logits + bias
    return logits.softmax(dim=-1) @ v


def split_heads(x, heads):
    """[B, L, C] -> [B, heads, L, C / heads]."""
    b, n, c = x.shape
    return x.reshape(b, n, heads, c // heads).transpose(1, 2)


def merge_heads(x):
    b, h, n, d = x.shape
    return x.transpose(1, 2).reshape(b, n, h * d)


# --------------------------------------------------------------------------
# state dicts of every 0.29 config of these families


def test_every_family_config_is_checked():
    # Swin: 7 COCO (2 with FPN); HRFormer: 4; PVT, PVTv2: 1 each;
    # TCFormer + MTA: 1 COCO-WholeBody
    assert len(FAMILY_CONFIGS) == 14


@pytest.mark.parametrize('path', FAMILY_CONFIGS)
def test_state_dict_matches_029(path):
    manifest = packed_manifests('0.29')[path]
    cfg = copy.deepcopy(manifest['cfg']['model'])
    cfg['pretrained'] = None
    with torch.device('meta'):
        model = build_posenet(cfg)
    built = {name: [list(t.shape), str(t.dtype)]
             for name, t in model.state_dict().items()}
    assert state_dict_problems(manifest['state_dict'], built) == []
    assert sum(p.numel() for p in model.parameters()) == \
        manifest['num_params']


# --------------------------------------------------------------------------
# windows (shared by Swin and HRFormer)


def test_window_partition_cuts_row_major_windows():
    x = torch.arange(16.).reshape(1, 4, 4, 1)
    windows = window_partition(x, 2)[..., 0]
    expected = torch.tensor([[[0., 1], [4, 5]], [[2, 3], [6, 7]],
                             [[8, 9], [12, 13]], [[10, 11], [14, 15]]])
    assert torch.equal(windows, expected)


def test_window_reverse_inverts_partition():
    x = torch.rand(2, 6, 9, 5)
    assert torch.equal(window_reverse(window_partition(x, 3), 6, 9), x)
    windows = window_partition(x, (2, 3))
    assert windows.shape == (2 * 3 * 3, 2, 3, 5)
    assert torch.equal(windows[1], x[0, 0:2, 3:6])
    assert torch.equal(window_reverse(windows, 6, 9), x)


def test_relative_position_index_of_a_2x2_window():
    # tokens (0,0), (0,1), (1,0), (1,1); index (dh + 1) * 3 + (dw + 1)
    expected = torch.tensor([[4, 3, 1, 0], [5, 4, 2, 1], [7, 6, 4, 3],
                             [8, 7, 5, 4]])
    assert torch.equal(relative_position_index((2, 2)), expected)


def test_window_msa_is_multi_head_attention_plus_position_bias():
    msa = WindowMSA(8, 2, (2, 2)).eval()
    nn.init.normal_(msa.relative_position_bias_table)
    x = torch.rand(3, 4, 8)
    q, k, v = (split_heads(t, 2) for t in msa.qkv(x).chunk(3, dim=-1))
    table = msa.relative_position_bias_table.detach()  # [9, heads]
    # bias[h, i, j] = table[index(i, j), h], index table as above
    index = torch.tensor([[4, 3, 1, 0], [5, 4, 2, 1], [7, 6, 4, 3],
                          [8, 7, 5, 4]])
    bias = table[index].permute(2, 0, 1)
    expected = msa.proj(merge_heads(attention(q, k, v, bias)))
    assert torch.allclose(msa(x), expected, atol=1e-6)


def test_shifted_window_mask_separates_rolled_regions():
    msa = ShiftWindowMSA(4, 1, window_size=2, shift_size=1)
    mask = msa._shift_mask(4, 4, torch.device('cpu'))
    # regions of a 4x4 map shifted by 1 (rows and cols): 0,0,1,2 -> windows
    # (0,0) all region 0; (0,1) columns of regions 1 | 2; (1,1) all differ
    assert mask.shape == (4, 4, 4)
    assert torch.equal(mask[0], torch.zeros(4, 4))
    cols = torch.tensor([0., -100, 0, -100])
    assert torch.equal(mask[1], torch.stack([cols, -100 - cols] * 2))
    assert torch.equal(mask[3], -100 * (1 - torch.eye(4)))


def test_shift_size_must_be_smaller_than_window():
    with pytest.raises(ArgumentError, match='shift_size'):
        ShiftWindowMSA(4, 1, window_size=2, shift_size=2)
    with pytest.raises(AssertionError):
        ShiftWindowMSA(4, 1, window_size=2, shift_size=-1)


# --------------------------------------------------------------------------
# SwinTransformer


def tiny_swin(**kwargs):
    cfg = dict(
        embed_dims=8,
        depths=(2, 2),
        num_heads=(1, 2),
        strides=(4, 2),
        out_indices=(0, 1),
        window_size=3)
    cfg.update(kwargs)
    return SwinTransformer(**cfg)


def test_swin_outputs_are_normed_maps_of_each_stage():
    model = tiny_swin().eval()
    model.init_weights()
    outs = model(torch.rand(2, 3, 36, 28))
    # stride 4: 9 x 7, then patch merging (padded): 5 x 4, channels doubled
    assert [tuple(o.shape) for o in outs] == [(2, 8, 9, 7), (2, 16, 5, 4)]


def test_swin_absolute_position_embedding_matches_pretrain_size():
    model = tiny_swin(pretrain_img_size=32, use_abs_pos_embed=True)
    assert model.absolute_pos_embed.shape == (1, 64, 8)
    assert [tuple(o.shape) for o in model(torch.rand(1, 3, 32, 32))] == \
        [(1, 8, 8, 8), (1, 16, 4, 4)]


def test_swin_rejects_overlapping_patch_embedding():
    with pytest.raises(ArgumentError, match='patch_size'):
        tiny_swin(strides=(2, 2))
    with pytest.raises(ArgumentError, match='pretrain_img_size'):
        tiny_swin(pretrain_img_size=(224, 224, 3))
    with pytest.raises(AssertionError):
        tiny_swin(num_heads=(1, ))


def test_swin_frozen_stages_freeze_embedding_and_first_stages():
    model = tiny_swin(frozen_stages=1, use_abs_pos_embed=True)
    model.train()
    frozen = [model.patch_embed, model.stages[0], model.norm0]
    assert all(not p.requires_grad for m in frozen for p in m.parameters())
    assert not model.absolute_pos_embed.requires_grad
    assert not model.stages[0].training
    assert all(p.requires_grad for p in model.stages[1].parameters())
    assert model.stages[1].training


def test_swin_converter_reorders_patch_merging_for_unfold():
    # The original merges the 2x2 neighbours as [x(0,0), x(1,0), x(0,1),
    # x(1,1)] then LayerNorm + Linear; the converted weights must give the
    # same output through mmcv's PatchMerging.
    channels = 3
    x = torch.rand(2, 4, 4, channels)
    norm_w, norm_b = torch.rand(4 * channels), torch.rand(4 * channels)
    reduction = torch.rand(5, 4 * channels)
    merged = torch.cat([
        x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2,
                                                              1::2]
    ], -1)
    expected = F.layer_norm(merged, (4 * channels, ), norm_w,
                            norm_b) @ reduction.T
    converted = swin_converter({
        'layers.0.downsample.norm.weight': norm_w,
        'layers.0.downsample.norm.bias': norm_b,
        'layers.0.downsample.reduction.weight': reduction,
        'head.weight': torch.rand(2, 2),
    })
    assert sorted(converted) == [
        'backbone.stages.0.downsample.norm.bias',
        'backbone.stages.0.downsample.norm.weight',
        'backbone.stages.0.downsample.reduction.weight'
    ]
    merging = PatchMerging(channels, 5)
    merging.load_state_dict({
        key.split('downsample.')[1]: value
        for key, value in converted.items()
    })
    out, size = merging(x.reshape(2, 16, channels), (4, 4))
    assert size == (2, 2)
    assert torch.allclose(out, expected.reshape(2, 4, 5), atol=1e-5)


def test_swin_converter_renames_attention_and_mlp():
    converted = swin_converter({
        'patch_embed.proj.weight': torch.zeros(1),
        'layers.1.blocks.0.attn.qkv.weight': torch.zeros(1),
        'layers.1.blocks.0.mlp.fc1.bias': torch.zeros(1),
        'layers.1.blocks.0.mlp.fc2.weight': torch.zeros(1),
        'norm3.weight': torch.zeros(1),
    })
    assert list(converted) == [
        'backbone.patch_embed.projection.weight',
        'backbone.stages.1.blocks.0.attn.w_msa.qkv.weight',
        'backbone.stages.1.blocks.0.ffn.layers.0.0.bias',
        'backbone.stages.1.blocks.0.ffn.layers.1.weight',
        'backbone.norm3.weight',
    ]


def test_swin_loads_a_checkpoint_resizing_position_tables(tmp_path):
    source = tiny_swin(window_size=3)
    source.init_weights()
    path = tmp_path / 'swin.pth'
    torch.save(
        {'state_dict': {'backbone.' + k: v
                        for k, v in source.state_dict().items()}}, path)
    target = tiny_swin(window_size=2)
    target.init_weights(str(path))
    table = 'stages.0.blocks.0.attn.w_msa.relative_position_bias_table'
    assert target.state_dict()[table].shape == (9, 1)
    assert torch.equal(target.patch_embed.projection.weight,
                       source.patch_embed.projection.weight)


def test_swin_gradient_checkpointing_gives_the_same_gradients():
    plain = tiny_swin(drop_path_rate=0.)
    checkpointed = tiny_swin(drop_path_rate=0., with_cp=True)
    checkpointed.load_state_dict(plain.state_dict())
    x = torch.rand(1, 3, 32, 32)
    for model in (plain, checkpointed):
        sum(o.sum() for o in model(x)).backward()
    weight = 'stages.0.blocks.1.attn.w_msa.qkv.weight'
    assert torch.allclose(
        dict(plain.named_parameters())[weight].grad,
        dict(checkpointed.named_parameters())[weight].grad,
        atol=1e-6)


# --------------------------------------------------------------------------
# HRFormer


def tiny_hrformer_extra(**stage4):
    def stage(branches, block='HRFORMERBLOCK'):
        channels = tuple(8 * 2**i for i in range(branches))
        return dict(
            num_modules=1,
            num_branches=branches,
            block=block,
            num_blocks=(1, ) * branches,
            num_channels=channels,
            num_heads=tuple(2**i for i in range(branches)),
            window_sizes=(3, ) * branches,
            mlp_ratios=(2, ) * branches)

    extra = dict(
        drop_path_rate=0.3,
        stage1=dict(
            num_modules=1,
            num_branches=1,
            block='BOTTLENECK',
            num_blocks=(1, ),
            num_channels=(8, )),
        stage2=stage(2),
        stage3=stage(3),
        stage4=stage(4))
    extra['stage4'].update(stage4)
    return extra


def test_hrformer_branch_shapes():
    model = HRFormer(tiny_hrformer_extra(multiscale_output=True)).eval()
    model.init_weights()
    outs = model(torch.rand(2, 3, 64, 32))
    assert [tuple(o.shape) for o in outs] == [(2, 8, 16, 8), (2, 16, 8, 4),
                                              (2, 32, 4, 2), (2, 64, 2, 1)]
    single = HRFormer(tiny_hrformer_extra()).eval()
    assert [tuple(o.shape) for o in single(torch.rand(1, 3, 32, 32))] == \
        [(1, 8, 8, 8)]


def test_hrformer_drop_path_rises_linearly_over_stages_2_to_4():
    model = HRFormer(tiny_hrformer_extra())
    blocks = [model.stage2[0].branches[0][0], model.stage3[0].branches[0][0],
              model.stage4[0].branches[0][0]]
    assert isinstance(blocks[0].drop_path, nn.Identity)
    assert [b.drop_path.drop_prob for b in blocks[1:]] == \
        pytest.approx([0.15, 0.3])


def test_local_window_attention_masks_padded_tokens():
    # a 2x2 map in one 3x3 window: with the pad mask, each real token
    # attends only to the 4 real ones (zero position bias)
    lsa = LocalWindowSelfAttention(4, 1, 3, with_pad_mask=True).eval()
    x = torch.rand(1, 4, 4)
    q, k, v = (split_heads(t, 1) for t in lsa.attn.qkv(x).chunk(3, dim=-1))
    expected = lsa.attn.proj(merge_heads(attention(q, k, v)))
    assert torch.allclose(lsa(x, 2, 2), expected, atol=1e-6)
    lsa.with_pad_mask = False  # the padded zeros now take part
    assert not torch.allclose(lsa(x, 2, 2), expected, atol=1e-3)


def test_hrformer_block_keeps_channels():
    block = HRFormerBlock(8, 8, 2, window_size=3, norm_cfg=dict(type='BN'))
    assert block(torch.rand(2, 8, 5, 4)).shape == (2, 8, 5, 4)
    with pytest.raises(ArgumentError, match='out_features'):
        HRFormerBlock(8, 16, 2)


def test_hrformer_rejects_incomplete_transformer_stage():
    extra = tiny_hrformer_extra()
    del extra['stage3']['num_heads']
    with pytest.raises(KeyError, match='num_heads'):
        HRFormer(extra)
    extra = tiny_hrformer_extra()
    extra['stage2']['window_sizes'] = (7, )
    with pytest.raises(AssertionError, match='window_sizes'):
        HRFormer(extra)


def test_hrformer_frozen_stages():
    model = HRFormer(tiny_hrformer_extra(), frozen_stages=1)
    model.train()
    for module in (model.conv1, model.layer1, model.transition1):
        assert all(not p.requires_grad for p in module.parameters())
    assert not model.layer1.training
    assert all(p.requires_grad for p in model.stage2.parameters())


# --------------------------------------------------------------------------
# PVT


def test_spatial_reduction_attention_follows_the_paper():
    # keys/values from LN(conv_{sr}(x)); softmax(QK^T / sqrt(d)) V; out
    # projection; residual
    sra = SpatialReductionAttention(8, 2, sr_ratio=2).eval()
    x = torch.rand(2, 16, 8)
    x_map = x.transpose(1, 2).reshape(2, 8, 4, 4)
    reduced = F.conv2d(x_map, sra.sr.weight, sra.sr.bias, stride=2)
    reduced = sra.norm(reduced.flatten(2).transpose(1, 2))
    w_q, w_k, w_v = sra.attn.in_proj_weight.chunk(3)
    b_q, b_k, b_v = sra.attn.in_proj_bias.chunk(3)
    out = attention(
        split_heads(x @ w_q.T + b_q, 2),
        split_heads(reduced @ w_k.T + b_k, 2),
        split_heads(reduced @ w_v.T + b_v, 2))
    expected = x + sra.attn.out_proj(merge_heads(out))
    assert torch.allclose(sra(x, (4, 4)), expected, atol=1e-6)


def test_absolute_position_embedding_resizes_bilinearly():
    pos = AbsolutePositionEmbedding((2, 2), 1).eval()
    pos.pos_embed.data = torch.tensor([[[0.], [1.], [2.], [3.]]])
    same = pos(torch.zeros(1, 4, 1), (2, 2))
    assert torch.allclose(same, pos.pos_embed.data)
    # a 2-wide row [0, 1] resampled to 4 (half-pixel centres)
    wide = pos(torch.zeros(1, 4, 1), (1, 4))
    assert torch.allclose(wide.flatten(), torch.tensor([1, 1.25, 1.75, 2]))


def tiny_pvt(**kwargs):
    cfg = dict(
        pretrain_img_size=32,
        embed_dims=8,
        num_stages=2,
        num_layers=[1, 1],
        num_heads=[1, 2],
        patch_sizes=[4, 2],
        strides=[4, 2],
        paddings=[0, 0],
        sr_ratios=[2, 1],
        mlp_ratios=[2, 2],
        out_indices=(0, 1))
    cfg.update(kwargs)
    return PyramidVisionTransformer(**cfg)


def test_pvt_stage_shapes():
    model = tiny_pvt().eval()
    model.init_weights()
    outs = model(torch.rand(2, 3, 32, 24))
    # channels embed_dims * heads; stride 4 then 2
    assert [tuple(o.shape) for o in outs] == [(2, 8, 8, 6), (2, 16, 4, 3)]


def test_pvtv2_overlapping_embeddings_shapes():
    model = PyramidVisionTransformerV2(
        embed_dims=8,
        num_layers=[1, 1, 1, 1],
        num_heads=[1, 1, 2, 2],
        sr_ratios=[4, 2, 1, 1],
        mlp_ratios=[2, 2, 2, 2]).eval()
    # kernel 7, stride 4, pad 3: floor((64 - 1) / 4) + 1 = 16; then
    # kernel 3, stride 2, pad 1 halves (rounding up)
    outs = model(torch.rand(1, 3, 64, 48))
    assert [tuple(o.shape) for o in outs] == [(1, 8, 16, 12), (1, 8, 8, 6),
                                              (1, 16, 4, 3), (1, 16, 2, 2)]
    assert isinstance(model.layers[0][2], nn.LayerNorm)


def test_pvt_argument_errors():
    with pytest.raises(ArgumentError, match='num_stages'):
        tiny_pvt(num_heads=[1])
    with pytest.raises(TypeError):
        tiny_pvt(pretrained=3)
    with pytest.raises(ArgumentTypeError):
        tiny_pvt(pretrained=3)
    with pytest.raises(AssertionError, match='fixes'):
        PyramidVisionTransformerV2(patch_sizes=[4, 2, 2, 2])


def test_pvt_convert_maps_original_names():
    q, kv = torch.rand(8, 8), torch.rand(16, 8)
    pos4 = torch.rand(1, 50, 8)
    converted = pvt_convert({
        'pos_embed1': torch.rand(1, 4, 8),
        'pos_embed4': pos4,
        'patch_embed1.proj.weight': torch.rand(8, 3, 4, 4),
        'block1.0.attn.q.weight': q,
        'block1.0.attn.kv.weight': kv,
        'block1.0.attn.proj.bias': torch.rand(8),
        'block1.0.mlp.fc1.weight': torch.rand(16, 8),
        'block1.0.mlp.fc2.weight': torch.rand(8, 16),
        'norm1.weight': torch.rand(8),
        'norm.weight': torch.rand(8),
        'cls_token': torch.rand(1, 1, 8),
        'head.weight': torch.rand(2, 8),
    })
    assert set(converted) == {
        'layers.0.1.0.pos_embed', 'layers.3.1.0.pos_embed',
        'layers.0.0.projection.weight',
        'layers.0.1.1.attn.attn.in_proj_weight',
        'layers.0.1.1.attn.attn.out_proj.bias',
        'layers.0.1.1.ffn.layers.0.weight',
        'layers.0.1.1.ffn.layers.3.weight', 'layers.0.2.weight'
    }
    assert torch.equal(converted['layers.0.1.1.attn.attn.in_proj_weight'],
                       torch.cat([q, kv]))
    assert converted['layers.0.1.1.ffn.layers.0.weight'].shape == \
        (16, 8, 1, 1)
    assert torch.equal(converted['layers.3.1.0.pos_embed'], pos4[:, 1:])


# --------------------------------------------------------------------------
# TCFormer tokens


def quadrant_tokens(x):
    """Two tokens on a 4x4 grid drawn on a 2x2 map: token 1 owns the right
    half and one cell (0, 1) of the top-left quadrant."""
    idx = torch.zeros(4, 4, dtype=torch.long)
    idx[:, 2:] = 1
    idx[0, 1] = 1
    return dict(
        x=x,
        token_num=2,
        map_size=[2, 2],
        init_grid_size=[4, 4],
        idx_token=idx.reshape(1, 16),
        agg_weight=torch.ones(1, 16, 1))


def test_token2map_averages_tokens_over_grid_cells():
    x = torch.tensor([[[1., 10.], [5., 50.]]])
    out = token2map(quadrant_tokens(x))
    # pixel (0,0): 3 cells of token 0, 1 of token 1 -> (3 * 1 + 5) / 4
    expected = torch.tensor([[[2., 5.], [1., 5.]], [[20., 50.], [10., 50.]]])
    assert torch.allclose(out[0], expected, atol=1e-4)


def test_map2token_averages_pixels_under_each_token():
    feature = torch.tensor([[[[1., 2.], [3., 4.]]]])
    out = map2token(feature, quadrant_tokens(torch.zeros(1, 2, 1)))
    # token 0: cells under pixels (0,0) x3 and (1,0) x4 -> (3 + 12) / 7
    # token 1: pixel (0,0) x1, (0,1) x4, (1,1) x4 -> (1 + 8 + 16) / 9
    assert torch.allclose(out.flatten(), torch.tensor([15 / 7, 25 / 9]),
                          atol=1e-5)


def test_token_interp_weights_source_tokens_by_target_cells():
    source = quadrant_tokens(torch.tensor([[[1.], [5.]]]))
    target = dict(source, token_num=1, idx_token=torch.zeros(1, 16).long())
    # one target token over all 16 cells: 7 of token 0, 9 of token 1
    out = token_interp(target, source)
    assert torch.allclose(out.flatten(), torch.tensor([(7 + 45) / 16]),
                          atol=1e-5)


def test_merge_tokens_weighted_mean_and_grid_bookkeeping():
    token_dict = dict(
        x=torch.tensor([[[1.], [5.], [7.]]]),
        token_num=3,
        map_size=[1, 3],
        init_grid_size=[1, 3],
        idx_token=torch.tensor([[0, 1, 2]]),
        agg_weight=torch.ones(1, 3, 1))
    merged = merge_tokens(token_dict, torch.tensor([[0, 0, 1]]), 2,
                          torch.tensor([[[1.], [3.], [2.]]]))
    assert torch.allclose(merged['x'].flatten(), torch.tensor([4., 7.]),
                          atol=1e-5)
    assert merged['idx_token'].tolist() == [[0, 0, 1]]
    assert torch.allclose(merged['agg_weight'].flatten(),
                          torch.tensor([0.25, 0.75, 1.]), atol=1e-5)
    assert merged['token_num'] == 2


def test_cluster_dpc_knn_separates_two_groups():
    group_a = torch.rand(5, 4) * 0.01
    group_b = torch.rand(5, 4) * 0.01 + 10
    tokens = dict(x=torch.cat([group_a, group_b])[None])
    idx, num = cluster_dpc_knn(tokens, 2, k=3)
    assert num == 2
    assert len(set(idx[0, :5].tolist())) == 1
    assert len(set(idx[0, 5:].tolist())) == 1
    assert idx[0, 0] != idx[0, 5]
    with pytest.raises(ArgumentError, match='cluster_num'):
        cluster_dpc_knn(tokens, 11)


def tiny_tcformer(**kwargs):
    return TCFormer(
        embed_dims=[8, 16, 24, 32],
        num_heads=[1, 2, 3, 4],
        mlp_ratios=[2, 2, 2, 2],
        num_layers=[1, 1, 1, 1],
        sr_ratios=[4, 2, 2, 1],
        **kwargs)


def test_tcformer_token_counts_and_map_sizes():
    outs = tiny_tcformer().eval()(torch.rand(2, 3, 64, 48))
    # 16 x 12 = 192 grid tokens, then ceil(N / 4) per stage; maps halve
    assert [o['token_num'] for o in outs] == [192, 48, 12, 3]
    assert [tuple(o['x'].shape) for o in outs] == [(2, 192, 8), (2, 48, 16),
                                                   (2, 12, 24), (2, 3, 32)]
    assert [o['map_size'] for o in outs] == [[16, 12], [8, 6], [4, 3],
                                             [2, 2]]
    maps = tiny_tcformer(return_map=True).eval()(torch.rand(1, 3, 64, 48))
    assert [tuple(m.shape) for m in maps] == [(1, 8, 16, 12), (1, 16, 8, 6),
                                              (1, 24, 4, 3), (1, 32, 2, 2)]


def test_tcformer_loads_original_checkpoint_names(tmp_path):
    source = tiny_tcformer()
    original = {
        key.replace('.projection.', '.proj.'): value
        for key, value in source.state_dict().items()
    }
    assert 'patch_embed1.proj.weight' in original
    path = tmp_path / 'tcformer.pth'
    torch.save(original, path)
    loaded = tiny_tcformer(pretrained=str(path))
    for key, value in source.state_dict().items():
        assert torch.equal(loaded.state_dict()[key], value), key


def test_mta_outputs_one_map_per_stage_plus_pooled_levels():
    tokens = tiny_tcformer().eval()(torch.rand(2, 3, 64, 48))
    neck = MTA(in_channels=[8, 16, 24, 32], out_channels=8,
               num_heads=[1, 1, 1, 1], num_outs=5).eval()
    assert [tuple(o.shape) for o in neck(tokens)] == [
        (2, 8, 16, 12), (2, 8, 8, 6), (2, 8, 4, 3), (2, 8, 2, 2),
        (2, 8, 1, 1)
    ]


def test_mta_argument_errors():
    with pytest.raises(TypeError):
        MTA(in_channels=(8, 16))
    with pytest.raises(ArgumentError, match='add_extra_convs'):
        MTA(in_channels=[8, 16], num_outs=2, add_extra_convs='on_lateral')
    with pytest.raises(AssertionError, match='num_outs'):
        MTA(in_channels=[8, 16, 24, 32], num_outs=2)
    neck = MTA(in_channels=[8, 16], out_channels=8, num_outs=2)
    with pytest.raises(ArgumentError, match='inputs'):
        neck([{}])


# --------------------------------------------------------------------------
# training: two SGD steps on a fixed batch lower the loss


def _train_steps(model, img, target_shapes, steps=3, lr=0.05):
    model.train()
    targets = [torch.rand(shape) for shape in target_shapes]
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    losses = []
    for _ in range(steps):
        outs = model(img)
        loss = sum(F.mse_loss(o, t) for o, t in zip(outs, targets))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def test_topdown_hrformer_loss_drops_on_a_fixed_batch():
    model = build_posenet(
        dict(
            type='TopDown',
            backbone=dict(type='HRFormer', extra=tiny_hrformer_extra()),
            keypoint_head=dict(
                type='TopdownHeatmapSimpleHead',
                in_channels=8,
                out_channels=3,
                num_deconv_layers=0,
                extra=dict(final_conv_kernel=1),
                loss_keypoint=dict(
                    type='JointsMSELoss', use_target_weight=True)),
            train_cfg=dict(),
            test_cfg=dict(flip_test=False)))
    model.init_weights()
    model.train()
    img = torch.rand(2, 3, 32, 32)
    target = torch.zeros(2, 3, 8, 8)
    target[:, :, 3:5, 3:5] = 1
    target_weight = torch.ones(2, 3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    losses = []
    for _ in range(3):
        loss = model(img, target, target_weight, img_metas=None)
        total = sum(v for k, v in loss.items() if 'loss' in k)
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        losses.append(total.item())
    assert np.isfinite(losses).all()
    assert losses[-1] < losses[0]


@pytest.mark.parametrize('name', ['swin', 'pvtv2'])
def test_backbone_loss_drops_on_a_fixed_batch(name):
    if name == 'swin':
        model = tiny_swin()
        shapes = [(2, 8, 8, 8), (2, 16, 4, 4)]
    else:
        model = PyramidVisionTransformerV2(
            embed_dims=8,
            num_layers=[1, 1, 1, 1],
            num_heads=[1, 1, 2, 2],
            sr_ratios=[4, 2, 1, 1],
            mlp_ratios=[2, 2, 2, 2])
        shapes = [(2, 8, 8, 8), (2, 8, 4, 4), (2, 16, 2, 2), (2, 16, 1, 1)]
    model.init_weights()
    losses = _train_steps(model, torch.rand(2, 3, 32, 32), shapes)
    assert np.isfinite(losses).all()
    assert losses[-1] < losses[0]


def test_tcformer_with_mta_loss_drops_on_a_fixed_batch():
    model = nn.Sequential(
        tiny_tcformer(),
        MTA(in_channels=[8, 16, 24, 32], out_channels=8,
            num_heads=[1, 1, 1, 1]))
    model[1].init_weights()
    shapes = [(2, 8, 8, 8), (2, 8, 4, 4), (2, 8, 2, 2), (2, 8, 1, 1)]
    # the neck's maps are not normalised (loss ~60): a smaller step
    losses = _train_steps(model, torch.rand(2, 3, 32, 32), shapes, lr=1e-4)
    assert np.isfinite(losses).all()
    assert losses[-1] < losses[0]


# --------------------------------------------------------------------------
# layer-wise learning-rate decay


class TinyVisionTransformer(nn.Module):

    def __init__(self):
        super().__init__()
        self.patch_embed = nn.Linear(2, 2)
        self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])


class TinyConvNeXt(nn.Module):

    def __init__(self):
        super().__init__()
        self.downsample_layers = nn.ModuleList(
            [nn.Linear(1, 1, bias=False) for _ in range(4)])
        self.stages = nn.ModuleList([
            nn.ModuleList([nn.Linear(1, 1, bias=False)
                           for _ in range(depth)]) for depth in (1, 1, 6, 1)
        ])


class Model(nn.Module):

    def __init__(self, backbone):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(2, 2)


def lr_of(optimizer):
    """{parameter id: (lr, weight decay)}"""
    return {
        id(p): (group['lr'], group['weight_decay'])
        for group in optimizer.param_groups for p in group['params']
    }


def test_layer_wise_lr_decay_of_a_vit_like_backbone():
    model = Model(TinyVisionTransformer())
    optimizer = build_optimizers(
        model,
        dict(
            type='SGD',
            lr=1.0,
            weight_decay=0.05,
            constructor='LearningRateDecayOptimizerConstructor',
            paramwise_cfg=dict(num_layers=2, decay_rate=0.5)))
    # L = 2 + 2 layers; lr = 0.5 ** (L - 1 - id): patch_embed id 0,
    # layers.i id i + 1, head id L - 1; biases without weight decay
    rates = lr_of(optimizer)
    b = model.backbone
    expected = {
        b.patch_embed.weight: (0.125, 0.05), b.patch_embed.bias: (0.125, 0),
        b.layers[0].weight: (0.25, 0.05), b.layers[0].bias: (0.25, 0),
        b.layers[1].weight: (0.5, 0.05), b.layers[1].bias: (0.5, 0),
        model.head.weight: (1.0, 0.05), model.head.bias: (1.0, 0),
    }
    assert rates == {id(p): v for p, v in expected.items()}
    names = {g['group_name'] for g in optimizer.param_groups}
    assert names == {f'layer_{i}_{kind}' for i in range(4)
                     for kind in ('decay', 'no_decay')}


def test_layer_decay_constructor_is_the_deprecated_vit_form():
    model = Model(TinyVisionTransformer())
    with pytest.warns(DeprecationWarning):
        constructor = OPTIMIZER_BUILDERS.build(
            dict(
                type='LayerDecayOptimizerConstructor',
                optimizer_cfg=dict(type='SGD', lr=1.0, weight_decay=0.05),
                paramwise_cfg=dict(num_layers=2, layer_decay_rate=0.5)))
        assert isinstance(constructor, LayerDecayOptimizerConstructor)
        rates = lr_of(constructor(model))
    assert rates[id(model.backbone.layers[0].weight)] == (0.25, 0.05)
    assert rates[id(model.head.bias)] == (1.0, 0)


@pytest.mark.parametrize('decay_type,expected', [
    # num_layers 6 -> L = 8, lr = 0.5 ** (7 - id)
    ('layer_wise', {
        'downsample_layers.0': 0, 'downsample_layers.1': 2,
        'downsample_layers.2': 3, 'downsample_layers.3': 6,
        'stages.0.0': 1, 'stages.1.0': 2, 'stages.2.2': 3, 'stages.2.3': 4,
        'stages.2.5': 4, 'stages.3.0': 6, 'head': 7
    }),
    ('stage_wise', {
        'downsample_layers.0': 0, 'downsample_layers.3': 0,
        'stages.0.0': 1, 'stages.2.4': 3, 'stages.3.0': 4, 'head': 7
    }),
])
def test_convnext_layer_ids(decay_type, expected):
    model = Model(TinyConvNeXt())
    constructor = LearningRateDecayOptimizerConstructor(
        dict(type='SGD', lr=1.0),
        dict(num_layers=6, decay_rate=0.5, decay_type=decay_type))
    rates = lr_of(constructor(model))
    modules = dict(model.named_modules())
    for name, layer_id in expected.items():
        module = modules[name if name == 'head' else f'backbone.{name}']
        assert rates[id(module.weight)][0] == 0.5**(7 - layer_id), name


def test_lr_decay_rejects_unknown_backbones_and_types():
    model = Model(nn.Linear(2, 2))
    constructor = LearningRateDecayOptimizerConstructor(
        dict(type='SGD', lr=1.0), dict(num_layers=2, decay_rate=0.5))
    with pytest.raises(NotImplementedError, match='Linear'):
        constructor(model)
    constructor = LearningRateDecayOptimizerConstructor(
        dict(type='SGD', lr=1.0),
        dict(num_layers=2, decay_rate=0.5, decay_type='block_wise'))
    with pytest.raises(UnknownNameError, match='block_wise'):
        constructor(Model(TinyVisionTransformer()))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with pytest.raises(KeyError, match='layer_decay_rate'):
            LayerDecayOptimizerConstructor(
                dict(type='SGD', lr=1.0), dict(num_layers=2))
