"""CID end to end (MMPose 0.29): person boxes and areas from the bottom-up
COCO dataset (``data_cfg.with_bbox``), their course through
``BottomUpRandomAffine`` / ``BottomUpRandomFlip``, the 0.29 config's
training pipeline feeding the detector, and the batched CPU smoothing of
CID's keypoint decoding.
"""
import copy
import os.path as osp

import numpy as np
import pytest
import torch
from mmcv.parallel import DataContainer, collate

from mmpose.core.post_processing.dekr_cid_decode import (
    _scaled_smooth, _scaled_smooth_cv2, cid_keypoints)
from mmpose.datasets import build_dataset
from mmpose.datasets.pipelines import BottomUpRandomAffine, BottomUpRandomFlip
from mmpose.models import build_posenet

from .reference import packed_manifests

COCO_DIR = osp.join(osp.dirname(__file__), 'data', 'coco')
CID_CONFIG = 'body/2d_kpt_sview_rgb_img/cid/coco/hrnet_w32_coco_512x512.json'
K = 17
# image 785 of tests/data/coco/test_coco.json has one person, annotated
# bbox (x, y, w, h) = (280.79, 44.73, 218.7, 346.68) and area 27789.11
BOX_785 = [[280.79, 44.73], [499.49, 44.73], [280.79, 391.41],
           [499.49, 391.41]]


def cid_train_set(**data_cfg):
    """The 0.29 CID config's training set on the sample annotations, at
    128x128 (32x32 maps)."""
    train = copy.deepcopy(packed_manifests('0.29')[CID_CONFIG]['cfg'][
        'data']['train'])
    train.update(ann_file=osp.join(COCO_DIR, 'test_coco.json'),
                 img_prefix=COCO_DIR + '/')
    train['data_cfg'].update(image_size=128, heatmap_size=[32], base_size=64,
                             **data_cfg)
    return build_dataset(train)


# ------------------------------------------------------------ dataset
def test_with_bbox_adds_box_corners_and_box_areas():
    dataset = cid_train_set()
    sample = dataset._get_single(dataset.img_ids.index(785))
    np.testing.assert_allclose(sample['bboxes'], [BOX_785])
    # 0.29 takes width * height of the box, not the annotated area
    np.testing.assert_allclose(sample['areas'], [[218.7 * 346.68]])


def test_without_with_bbox_samples_have_no_boxes():
    dataset = cid_train_set(with_bbox=False)
    sample = dataset._get_single(0)
    assert 'bboxes' not in sample and 'areas' not in sample


# ------------------------------------------------------------ transforms
def box_results(boxes, image_size=32, heatmap_size=16, img_side=64):
    """Pipeline input with one person whose keypoints are the box corners."""
    boxes = np.asarray(boxes, dtype=np.float64)
    joints = np.concatenate([boxes, np.ones(boxes.shape[:2] + (1, ))],
                            axis=2).astype(np.float32)
    return dict(
        img=np.zeros((img_side, img_side, 3), dtype=np.uint8),
        mask=[np.ones((img_side, img_side), dtype=np.float32)],
        joints=[joints],
        bboxes=boxes,
        ann_info=dict(image_size=image_size, heatmap_size=[heatmap_size],
                      flip_index=[0, 1, 2, 3], scale_aware_sigma=False))


def test_flip_mirrors_boxes_in_the_heatmap_frame_and_swaps_corners():
    results = BottomUpRandomFlip(flip_prob=1.0)(
        box_results([[[2, 3], [6, 3], [2, 9], [6, 9]]]))
    # x -> 16 - x - 1; the mirrored right corners become the left ones
    np.testing.assert_allclose(results['bboxes'],
                               [[[9, 3], [13, 3], [9, 9], [13, 9]]])


def test_affine_maps_boxes_into_the_heatmap_frame(monkeypatch):
    # every random draw at its maximum: scale 1 (range [1, 1]) and +90 deg
    monkeypatch.setattr(np.random, 'random', lambda: 1.0)
    affine = BottomUpRandomAffine(rot_factor=90, scale_factor=[1, 1],
                                  scale_type='short', trans_factor=0)
    results = affine(box_results([[[8, 4], [40, 4], [8, 60], [40, 60]]]))
    # the 64-px square around (32, 32) onto 16 px: p / 4 gives (2, 1),
    # (10, 1), (2, 15), (10, 15); the rotation about (8, 8) takes an offset
    # (dx, dy) to (dy, -dx)
    expected = [[[1, 14], [1, 6], [15, 14], [15, 6]]]
    np.testing.assert_allclose(results['bboxes'], expected, atol=1e-4)
    # the same place as keypoints given at the corners
    np.testing.assert_allclose(results['joints'][0][..., :2], expected,
                               atol=1e-4)


# ------------------------------------------------------------ end to end
def test_cid_train_pipeline_yields_the_targets_of_the_detector():
    np.random.seed(0)
    dataset = cid_train_set()
    sample = dataset[0]
    # Collect adds img_metas (empty meta_keys) as in 0.x
    assert set(sample) == {
        'img', 'img_metas', 'multi_heatmap', 'multi_mask', 'instance_coord',
        'instance_heatmap', 'instance_mask', 'instance_valid'
    }
    assert tuple(sample['img'].shape) == (3, 128, 128)
    assert sample['multi_heatmap'].shape == (K + 1, 32, 32)
    assert sample['instance_heatmap'].shape == (30, K, 32, 32)
    assert sample['instance_coord'].shape == (30, 2)
    assert 1 <= sample['instance_valid'].sum() <= 30


def tiny_cid_cfg():
    def stage(n):
        return dict(num_modules=1, num_branches=n, block='BASIC',
                    num_blocks=[1] * n, num_channels=[8, 16, 32, 64][:n])

    backbone = dict(type='HRNet', in_channels=3, extra=dict(
        stage1=dict(num_modules=1, num_branches=1, block='BOTTLENECK',
                    num_blocks=[1], num_channels=[8]),
        stage2=stage(2), stage3=stage(3),
        stage4=dict(stage(4), multiscale_output=True)))
    return dict(
        type='CID', pretrained=None, backbone=backbone,
        keypoint_head=dict(type='CIDHead', in_channels=120, gfd_channels=8,
                           num_joints=K),
        train_cfg=dict(),
        test_cfg=dict(num_joints=K, flip_test=False, max_num_people=30,
                      detection_threshold=0.01, center_pool_kernel=3))


def test_two_training_iterations_on_the_pipeline_output_lower_the_loss():
    np.random.seed(0)
    torch.manual_seed(0)
    dataset = cid_train_set()
    batch = collate([dataset[0], dataset[1]], samples_per_gpu=2)
    batch = {k: v.data[0] if isinstance(v, DataContainer) else v
             for k, v in batch.items()}
    model = build_posenet(tiny_cid_cfg()).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    totals = []
    for _ in range(3):
        out = model.train_step(batch, optimizer)
        assert torch.isfinite(out['loss'])
        totals.append(out['loss'].item())
        optimizer.zero_grad()
        out['loss'].backward()
        optimizer.step()
    assert totals[2] < totals[0]


# ------------------------------------------------------------ decoding
@pytest.mark.parametrize('kernel', [1, 3, 5, 7])
@pytest.mark.parametrize('height', [2, 3, 9])
def test_batched_cv2_smoothing_equals_the_per_map_box_sums(kernel, height):
    """Stacked maps must not leak into each other, also when a map is no
    taller than the window; the reference sums each map's zero-padded
    window on its own."""
    maps = np.random.default_rng(0).random((4, height, 6)).astype(np.float32)
    r = kernel // 2
    padded = np.pad(maps, ((0, 0), (r, r), (r, r)))
    box = sum(padded[:, i:i + height, j:j + 6] for i in range(kernel)
              for j in range(kernel))
    np.testing.assert_allclose(_scaled_smooth_cv2(maps, kernel),
                               box + kernel**2 * maps, rtol=1e-5)
    torch.testing.assert_close(
        _scaled_smooth(torch.from_numpy(maps), kernel),
        torch.from_numpy(box + kernel**2 * maps))


def test_cid_keypoints_on_cpu_keep_the_input_dtype_and_ignore_grad():
    maps = torch.zeros(2, 1, 8, 8, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        maps[0, 0, 3, 4] = 1.0
        maps[1, 0, 6, 1] = 1.0
    poses = cid_keypoints(maps, torch.tensor([1.0, 0.5]), pool_kernel=3)
    assert poses.dtype == torch.float64
    # peak (1 + 1 / 9) / 2 = 5 / 9 times the instance score
    torch.testing.assert_close(
        poses, torch.tensor([[[18., 14., 5 / 9]], [[6., 26., 5 / 18]]],
                            dtype=torch.float64))
