"""Two training iterations per 2D model family added after 0.14.

Each case loads a real 0.29 config, shrinks the model with cfg-options-style
edits (widths, depths; the model, backbone, head and loss types stay), runs
the config's own train pipeline on the COCO sample annotations at a small
input size, collates two samples and takes two optimizer steps (the
config's optimizer): the loss on the batch must then be lower than before.
"""
from pathlib import Path

import mmcv
import numpy as np
import pytest
import torch
from mmcv.parallel import DataContainer, collate
from mmcv.runner import build_optimizer

from mmpose.datasets import build_dataset
from mmpose.models import build_posenet

ROOT = Path(__file__).resolve().parents[1]
COCO_DIR = ROOT / 'tests' / 'data' / 'coco'
BODY = 'configs/body/2d_kpt_sview_rgb_img'
# Top-down input 64 x 64 (heatmaps 16 x 16); bottom-up input 128 (32).
TOP_DOWN_DATA = {'data_cfg.image_size': [64, 64],
                 'data_cfg.heatmap_size': [16, 16]}
BOTTOM_UP_DATA = {'data_cfg.image_size': 128, 'data_cfg.heatmap_size': [32],
                  'data_cfg.base_size': 64}


def tiny_hrnet_extra(block='BASIC'):
    """``extra`` of a one-module, one-block HRNet of widths 8..64."""
    def stage(n):
        return dict(num_modules=1, num_branches=n, block=block,
                    num_blocks=[1] * n, num_channels=[8, 16, 32, 64][:n])
    return dict(stage1=dict(num_modules=1, num_branches=1,
                            block='BOTTLENECK', num_blocks=[1],
                            num_channels=[8]),
                stage2=stage(2), stage3=stage(3),
                stage4=dict(stage(4), multiscale_output=True))


def hrformer_extra():
    """HRFormer-small's layout with one module and one block per branch."""
    def stage(n):
        return dict(num_modules=1, num_branches=n, block='HRFORMERBLOCK',
                    num_blocks=[1] * n, num_channels=[8, 16, 32, 64][:n],
                    num_heads=[1, 2, 4, 8][:n], mlp_ratios=[2] * n,
                    window_sizes=[7] * n)
    return dict(drop_path_rate=0., with_rpe=True,
                stage1=dict(num_modules=1, num_branches=1,
                            block='BOTTLENECK', num_blocks=[1],
                            num_channels=[16], num_heads=[2],
                            num_mlp_ratios=[4]),
                stage2=stage(2), stage3=stage(3), stage4=stage(4))


# family: (config, model edits, data edits)
FAMILIES = {
    'Swin': (f'{BODY}/topdown_heatmap/coco/swin_t_p4_w7_coco_256x192.py', {
        'model.backbone.embed_dims': 16,
        'model.backbone.depths': [1, 1, 1, 1],
        'model.backbone.num_heads': [1, 1, 2, 2],
        'model.backbone.drop_path_rate': 0.,
        'model.keypoint_head.in_channels': 128,
        'model.keypoint_head.num_deconv_filters': [16, 16, 16],
    }, TOP_DOWN_DATA),
    'HRFormer': (f'{BODY}/topdown_heatmap/coco/hrformer_small_coco_256x192.py',
                 {'model.backbone.norm_cfg': dict(type='BN'),  # not SyncBN
                  'model.backbone.extra': hrformer_extra(),
                  'model.keypoint_head.in_channels': 8}, TOP_DOWN_DATA),
    'PVT': (f'{BODY}/topdown_heatmap/coco/pvt-s_coco_256x192.py', {
        'model.backbone.embed_dims': 16,
        'model.backbone.num_layers': [1, 1, 1, 1],
        'model.keypoint_head.in_channels': 128,
        'model.keypoint_head.num_deconv_filters': [16, 16, 16],
    }, TOP_DOWN_DATA),
    'PVTv2': (f'{BODY}/topdown_heatmap/coco/pvtv2-b2_coco_256x192.py', {
        'model.backbone.embed_dims': 16,
        'model.backbone.num_layers': [1, 1, 1, 1],
        'model.keypoint_head.in_channels': 128,
        'model.keypoint_head.num_deconv_filters': [16, 16, 16],
    }, TOP_DOWN_DATA),
    'TCFormer': ('configs/wholebody/2d_kpt_sview_rgb_img/topdown_heatmap/'
                 'coco-wholebody/tcformer_coco_wholebody_256x192.py', {
                     'model.backbone.embed_dims': [16, 32, 40, 64],
                     'model.backbone.num_layers': [1, 1, 1, 1],
                     'model.backbone.drop_path_rate': 0.,
                     'model.neck.in_channels': [16, 32, 40, 64],
                     'model.neck.out_channels': 32,
                     'model.keypoint_head.in_channels': 32,
                 }, TOP_DOWN_DATA),
    'LiteHRNet': (f'{BODY}/topdown_heatmap/coco/litehrnet_18_coco_256x192.py',
                  {'model.backbone.extra.stages_spec.num_modules': [1, 1, 1],
                   'model.backbone.extra.stages_spec.num_blocks': [1, 1, 1]},
                  TOP_DOWN_DATA),
    'ViPNAS': (f'{BODY}/topdown_heatmap/coco/vipnas_mbv3_coco_256x192.py', {
        'model.backbone.dep': [None, 1, 1, 1, 1, 1, 1],
    }, TOP_DOWN_DATA),
    'RLE': (f'{BODY}/deeppose/coco/res50_coco_256x192_rle.py', {
        'model.backbone.depth': 18,
        'model.keypoint_head.in_channels': 512,
    }, TOP_DOWN_DATA),
    'DEKR': (f'{BODY}/dekr/coco/hrnet_w32_coco_512x512.py', {
        'model.backbone.extra': tiny_hrnet_extra(),
        'model.keypoint_head.in_channels': [8, 16, 32, 64],
        'model.keypoint_head.num_heatmap_filters': 8,
        'model.keypoint_head.num_offset_filters_per_joint': 2,
        'model.test_cfg.rescore_cfg.pretrained': None,
    }, BOTTOM_UP_DATA),
    'CID': (f'{BODY}/cid/coco/hrnet_w32_coco_512x512.py', {
        'model.backbone.extra': tiny_hrnet_extra(),
        'model.keypoint_head.in_channels': 120,
        'model.keypoint_head.gfd_channels': 8,
    }, BOTTOM_UP_DATA),
    'HourglassAE': (f'{BODY}/associative_embedding/coco/'
                    'hourglass_ae_coco_512x512.py', {
                        'model.backbone.stage_channels': [16] * 5,
                        'model.backbone.feat_channels': 16,
                    }, BOTTOM_UP_DATA),
}


def small_config(path: str, model_edits: dict, data_edits: dict):
    cfg = mmcv.Config.fromfile(str(ROOT / path))
    cfg.model.pretrained = None  # no downloads
    cfg.merge_from_dict(model_edits)
    train = cfg.data.train
    train.ann_file = str(COCO_DIR / ('test_coco_wholebody.json' if 'Whole'
                                     in train.type else 'test_coco.json'))
    train.img_prefix = str(COCO_DIR) + '/'
    cfg.merge_from_dict({f'data.train.{k}': v for k, v in data_edits.items()})
    return cfg


def one_batch(train_cfg) -> dict:
    """Two samples of the config's train pipeline, collated as the data
    loader does (DataContainers unwrapped as the scatter does)."""
    dataset = build_dataset(train_cfg)
    batch = collate([dataset[0], dataset[1]], samples_per_gpu=2)
    return {k: v.data[0] if isinstance(v, DataContainer) else v
            for k, v in batch.items()}


@pytest.mark.slow
@pytest.mark.parametrize('family', sorted(FAMILIES))
def test_two_training_steps_lower_the_loss(family):
    path, model_edits, data_edits = FAMILIES[family]
    cfg = small_config(path, model_edits, data_edits)
    np.random.seed(0)
    torch.manual_seed(0)
    batch = one_batch(cfg.data.train)
    model = build_posenet(cfg.model).train()
    optimizer = build_optimizer(model, cfg.optimizer)
    losses = []
    for step in range(3):
        outputs = model.train_step(batch, optimizer)
        losses.append(outputs['loss'].item())
        if step < 2:  # two optimizer steps, then the loss after them
            optimizer.zero_grad()
            outputs['loss'].backward()
            optimizer.step()
    assert np.isfinite(losses).all(), losses
    assert losses[2] < losses[0], losses
