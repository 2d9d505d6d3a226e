"""ViTPose data and head pieces: padded targets with the dataset index
(ViTPose+), the ``max_num_joints`` / ``dataset_idx`` data_cfg keys and the
"simple" heatmap head's ``upsample``."""
import os.path as osp

import numpy as np
import pytest
import torch

from mmpose.datasets import build_dataset
from mmpose.datasets.pipelines import TopDownGenerateTarget
from mmpose.errors import ArgumentError
from mmpose.models import build_head

DATA = osp.join(osp.dirname(__file__), 'data')


def target_results(num_joints=3, **ann_info):
    """One sample with ``num_joints`` visible joints on a 48x64 input
    (12x16 heatmaps)."""
    joints = np.zeros((num_joints, 3), np.float32)
    joints[:, :2] = [[8, 8], [20, 30], [40, 60]][:num_joints]
    return dict(
        joints_3d=joints,
        joints_3d_visible=np.ones((num_joints, 3), np.float32),
        ann_info=dict(image_size=np.array([48, 64]),
                      heatmap_size=np.array([12, 16]),
                      num_joints=num_joints,
                      joint_weights=np.ones((num_joints, 1), np.float32),
                      use_different_joint_weights=False,
                      **ann_info))


def test_without_the_vitpose_keys_nothing_changes():
    results = TopDownGenerateTarget(sigma=2)(target_results())
    assert results['target'].shape == (3, 16, 12)
    assert results['target_weight'].shape == (3, 1)
    assert 'dataset_idx' not in results


def test_targets_are_padded_to_max_num_joints_with_the_dataset_index():
    plain = TopDownGenerateTarget(sigma=2)(target_results())
    results = TopDownGenerateTarget(sigma=2)(
        target_results(max_num_joints=5, dataset_idx=2))
    assert results['target'].shape == (5, 16, 12)
    assert results['target'].dtype == np.float32
    np.testing.assert_array_equal(results['target'][:3], plain['target'])
    assert not results['target'][3:].any()
    np.testing.assert_array_equal(results['target_weight'][:, 0],
                                  [1, 1, 1, 0, 0])
    assert results['dataset_idx'] == 2


def test_dataset_index_defaults_to_0_and_each_sigma_is_padded():
    results = TopDownGenerateTarget(sigma=[2, 3])(
        target_results(max_num_joints=4))
    assert results['dataset_idx'] == 0
    assert results['target'].shape == (2, 4, 16, 12)
    assert results['target_weight'].shape == (2, 4, 1)
    assert not results['target'][:, 3].any()


def test_combined_target_is_padded_per_joint():
    results = TopDownGenerateTarget(
        encoding='UDP', target_type='CombinedTarget')(
            target_results(max_num_joints=4))
    assert results['target'].shape == (12, 16, 12)  # 3 maps per joint
    assert not results['target'][9:].any()


def test_max_num_joints_below_num_joints_is_refused():
    with pytest.raises(ArgumentError, match='max_num_joints'):
        TopDownGenerateTarget()(target_results(max_num_joints=2))


def coco_dataset(**vitpose_keys):
    data_cfg = dict(
        image_size=[48, 64], heatmap_size=[12, 16], num_output_channels=17,
        num_joints=17, dataset_channel=[list(range(17))],
        inference_channel=list(range(17)), use_gt_bbox=True,
        **vitpose_keys)
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='TopDownAffine'),
        dict(type='ToTensor'),
        dict(type='TopDownGenerateTarget', sigma=2),
        dict(type='Collect', keys=['img', 'target', 'target_weight'],
             meta_keys=['image_file', 'flip_pairs'] +
             (['dataset_idx'] if vitpose_keys else [])),
    ]
    return build_dataset(
        dict(type='TopDownCocoDataset',
             ann_file=osp.join(DATA, 'coco', 'test_coco.json'),
             img_prefix=osp.join(DATA, 'coco') + '/', data_cfg=data_cfg,
             pipeline=pipeline, test_mode=False))


def test_dataset_passes_the_keys_from_data_cfg_to_the_pipeline():
    dataset = coco_dataset(max_num_joints=20, dataset_idx=1)
    assert dataset.ann_info['max_num_joints'] == 20
    assert dataset.ann_info['dataset_idx'] == 1
    sample = dataset[0]
    assert tuple(sample['target'].shape) == (20, 16, 12)
    assert sample['img_metas'].data['dataset_idx'] == 1
    plain = coco_dataset()
    assert 'max_num_joints' not in plain.ann_info
    assert tuple(plain[0]['target'].shape) == (17, 16, 12)


LOSS = dict(type='JointsMSELoss', use_target_weight=True)


def simple_head(type_='TopdownHeatmapSimpleHead', **kwargs):
    return build_head(dict(type=type_, in_channels=1, out_channels=1,
                           num_deconv_layers=0, loss_keypoint=LOSS,
                           extra=dict(final_conv_kernel=0), **kwargs))


def test_upsample_resizes_the_relu_feature_map_bilinearly():
    head = simple_head(upsample=2)
    x = torch.tensor([[[[-1., 3.]]]])
    out = head(x)
    # relu -> [0, 3]; x2 bilinear (half-pixel centres, edges clamped)
    expected = torch.tensor([0., 0.75, 2.25, 3.]).expand(1, 1, 2, 4)
    torch.testing.assert_close(out, expected)


def test_upsample_defaults_to_off():
    head = simple_head()
    assert head.upsample == 0
    x = torch.tensor([[[[-1., 3.]]]])
    torch.testing.assert_close(head(x), x)
    old_name = simple_head('TopDownSimpleHead', upsample=2)
    assert old_name(x).shape == (1, 1, 2, 4)
