"""Dataset and pipeline behaviours of MMPose 0.29 (issue 21): deprecation
warnings (``dataset_info``, ``_xywh2cs``, the registry module), the 0.29
result forms and evaluation rules, concatenated datasets, the 0.14 base
modules and the adapters of both argument orders.

Expected values come from the sample files in ``tests/data`` and hand
derivations noted beside them; the behaviours are those of MMPose 0.29's
source (or 0.14's where the 0.14 dialect keeps it).
"""
import ast
import importlib
import json
import math
import os.path as osp
import sys
import warnings
from collections import OrderedDict

import cv2
import numpy as np
import pytest
import torch

from mmpose.core.post_processing import fliplr_joints
from mmpose.datasets import DATASETS, PIPELINES, build_dataset, builder
from mmpose.datasets.datasets.base import (Kpt2dSviewRgbImgTopDownDataset,
                                           Kpt2dSviewRgbVidTopDownDataset,
                                           Kpt3dSviewRgbImgTopDownDataset)
from mmpose.datasets.metadata import load_dataset_info
from mmpose.datasets.pipelines import (BottomUpGenerateHeatmapTarget,
                                       LoadImageFromFile)
from mmpose.errors import AbstractClassError
from .helpers import DATA, build_reference_dataset, outputs_from_db

REPO = DATA.parent.parent
COCO_DIR = str(DATA / 'coco') + '/'
COCO_ANN = str(DATA / 'coco' / 'test_coco.json')
COCO_DETS = str(DATA / 'coco' / 'test_coco_det_AP_H_56.json')
POSETRACK_DIR = str(DATA / 'posetrack18') + '/'
POSETRACK_ANN = str(DATA / 'posetrack18' / 'test_posetrack18.json')
H36M_3D = str(DATA / 'h36m' / 'test_h36m_body3d.npz')
NVGESTURE_LST = str(DATA / 'nvgesture' / 'annotations' / 'nvgesture_test.lst')
# COCO AP when, of two ground truths, only the higher scored prediction
# matches: precision 1 up to recall 0.5, i.e. 51 of the 101 thresholds.
HALF_MATCHED_AP = 51 / 101


def top_down_cfg(num_joints=17, **kwargs):
    cfg = dict(
        image_size=[192, 256], heatmap_size=[48, 64],
        num_output_channels=num_joints, num_joints=num_joints,
        dataset_channel=[list(range(num_joints))],
        inference_channel=list(range(num_joints)), soft_nms=False,
        nms_thr=1.0, oks_thr=0.9, vis_thr=0.2, use_gt_bbox=True,
        det_bbox_thr=0.0, bbox_file='')
    cfg.update(kwargs)
    return cfg


def bottom_up_cfg():
    return dict(image_size=512, heatmap_size=[128], num_joints=17,
                dataset_channel=[list(range(17))],
                inference_channel=list(range(17)), num_scales=1,
                scale_aware_sigma=False, base_size=256, base_sigma=2)


def missing_info_warnings(caught):
    return [w for w in caught if issubclass(w.category, DeprecationWarning)
            and 'dataset_info is missing' in str(w.message)]


def build_recording(cfg):
    """``build_dataset(cfg)`` and the warnings it emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        dataset = build_dataset(cfg)
    return dataset, caught


# ------------------------------------------- 1. no dataset_info: warn, table
def posetrack_cfg(**kwargs):
    return dict(type='TopDownPoseTrack18Dataset', ann_file=POSETRACK_ANN,
                img_prefix=POSETRACK_DIR, data_cfg=top_down_cfg(),
                pipeline=[], test_mode=True, **kwargs)


def test_dataset_without_dataset_info_warns_and_keeps_the_014_facts():
    dataset, caught = build_recording(posetrack_cfg())
    assert len(missing_info_warnings(caught)) == 1
    assert 'posetrack18' in str(missing_info_warnings(caught)[0].message)
    # 0.14's PoseTrack18 reused COCO's flip pairs, head bottom/top
    # (1, 2) included; the 0.29 table does not flip them
    assert dataset.ann_info['flip_pairs'] == [[1, 2], [3, 4], [5, 6],
                                              [7, 8], [9, 10], [11, 12],
                                              [13, 14], [15, 16]]
    assert dataset.dataset_name == 'posetrack18'


def test_dataset_with_dataset_info_is_silent_and_uses_it():
    dataset, caught = build_recording(
        posetrack_cfg(dataset_info=load_dataset_info('posetrack18')))
    assert not missing_info_warnings(caught)
    assert [1, 2] not in dataset.ann_info['flip_pairs']


def test_body3d_nvgesture_and_fashion_warn_without_dataset_info():
    h36m, caught = build_recording(
        dict(type='Body3DH36MDataset', ann_file=H36M_3D, img_prefix='',
             data_cfg=dict(num_joints=17), pipeline=[]))
    assert len(missing_info_warnings(caught)) == 1
    gesture, caught = build_recording(
        dict(type='NVGestureDataset', ann_file=NVGESTURE_LST,
             vid_prefix='', data_cfg=dict(video_size=[16, 12],
                                          modality=['rgb']), pipeline=[]))
    assert len(missing_info_warnings(caught)) == 1
    assert gesture.dataset_name == 'nvgesture'
    with pytest.deprecated_call(match='dataset_info is missing'):
        build_reference_dataset(
            'DeepFashionDataset',
            'fashion/resnet/deepfashion/res50_deepfashion_full_256x192.json',
            DATA / 'fld' / 'test_fld.json', DATA / 'fld')


# ------------------------------------------------ 2. _xywh2cs is deprecated
def coco_029(base):
    """A dataset as 0.29 user code writes it on ``base``."""

    class UserDataset(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.db = []

    return UserDataset(COCO_ANN, COCO_DIR, top_down_cfg(), [],
                       dataset_info=load_dataset_info('coco'),
                       test_mode=True)


# box (10, 20, 100, 50) for a 192 x 256 input (aspect 0.75): 100 > 0.75 *
# 50, so h becomes 100 / 0.75; times 1.25 padding, over 200 px
XYWH = (10, 20, 100, 50)
CENTER = [60, 45]
SCALE = [100 * 1.25 / 200, 100 / 0.75 * 1.25 / 200]


@pytest.mark.parametrize('base', [
    Kpt2dSviewRgbImgTopDownDataset, Kpt2dSviewRgbVidTopDownDataset,
    Kpt3dSviewRgbImgTopDownDataset
])
def test_xywh2cs_of_the_029_bases_warns_with_the_same_result(base):
    dataset = coco_029(base)
    with pytest.deprecated_call(match='_xywh2cs'):
        center, scale = dataset._xywh2cs(*XYWH)
    np.testing.assert_allclose(center, CENTER)
    np.testing.assert_allclose(scale, SCALE, rtol=1e-6)


def test_xywh2cs_of_a_014_dataset_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        coco = build_dataset(dict(type='TopDownCocoDataset',
                                  ann_file=COCO_ANN, img_prefix=COCO_DIR,
                                  data_cfg=top_down_cfg(), pipeline=[],
                                  test_mode=True))
    with warnings.catch_warnings():
        warnings.simplefilter('error', DeprecationWarning)
        center, scale = coco._xywh2cs(*XYWH)
    np.testing.assert_allclose(center, CENTER)
    np.testing.assert_allclose(scale, SCALE, rtol=1e-6)


def video_cfg(**kwargs):
    data_cfg = top_down_cfg(frame_weight_train=[0.0, 1.0],
                            frame_weight_test=[0.3, 0.1, 0.25, 0.25, 0.1])
    return dict(type='TopDownPoseTrack18VideoDataset', ann_file=POSETRACK_ANN,
                img_prefix=POSETRACK_DIR, data_cfg=data_cfg, pipeline=[],
                test_mode=True, **kwargs)


def test_video_dataset_xywh2cs_warns_but_loading_does_not():
    video, caught = build_recording(
        video_cfg(dataset_info=load_dataset_info('posetrack18')))
    assert not [w for w in caught if '_xywh2cs' in str(w.message)]
    with pytest.deprecated_call(match='_xywh2cs'):
        center, scale = video._xywh2cs(*XYWH)
    np.testing.assert_allclose(center, CENTER)


# ------------------------------------------ 12. the video set needs the table
def test_video_dataset_without_dataset_info_raises_value_error():
    with pytest.raises(ValueError, match='dataset_info'):
        build_dataset(video_cfg())


# ------------------------------------------------ 3. the registry module
def test_registry_module_warns_and_gives_the_builder_registries():
    sys.modules.pop('mmpose.datasets.registry', None)
    with pytest.deprecated_call(match='mmpose.datasets.builder'):
        registry = importlib.import_module('mmpose.datasets.registry')
    assert registry.DATASETS is builder.DATASETS is DATASETS
    assert registry.PIPELINES is builder.PIPELINES is PIPELINES
    assert DATASETS.get('TopDownCocoDataset') is not None
    assert PIPELINES.get('LoadImageFromFile') is LoadImageFromFile


def _imported_names(path, package):
    """Modules (and ``module.name``) a source file imports, relative
    imports resolved against ``package``."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split('.')
            base = parts[:len(parts) - node.level + 1] if node.level else []
            module = '.'.join(base + ([node.module] if node.module else []))
            yield module
            yield from (f'{module}.{alias.name}' for alias in node.names)


def test_nothing_in_the_package_imports_the_registry_module():
    offenders = []
    for path in (REPO / 'mmpose').rglob('*.py'):
        package = '.'.join(path.relative_to(REPO).parent.parts)
        if path.name == 'registry.py' and package == 'mmpose.datasets':
            continue
        if 'mmpose.datasets.registry' in set(_imported_names(path, package)):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


# ------------------------------------------- 4. LoadImageFromFile on 'img'
BGR = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
RGB = BGR[..., [2, 1, 0]]


def test_load_image_turns_a_given_bgr_image_into_rgb():
    results = LoadImageFromFile()(dict(img=BGR.copy()))
    np.testing.assert_array_equal(results['img'], RGB)
    assert results['image_file'] is None
    # image_file=None counts as absent
    results = LoadImageFromFile()(dict(img=BGR.copy(), image_file=None))
    np.testing.assert_array_equal(results['img'], RGB)


def test_load_image_converts_each_frame_of_a_4d_array_and_of_a_list():
    frames = np.stack([BGR, BGR + 100])
    results = LoadImageFromFile()(dict(img=frames.copy()))
    assert results['img'].shape == (2, 2, 3, 3)
    np.testing.assert_array_equal(results['img'][1], RGB + 100)
    results = LoadImageFromFile()(dict(img=[BGR.copy(), frames.copy()]))
    np.testing.assert_array_equal(results['img'][0], RGB)
    np.testing.assert_array_equal(results['img'][1][0], RGB)


def test_load_image_keeps_bgr_and_grayscale_requests():
    for step in (LoadImageFromFile(channel_order='bgr'),
                 LoadImageFromFile(color_type='grayscale')):
        np.testing.assert_array_equal(step(dict(img=BGR.copy()))['img'],
                                      BGR)


def test_load_image_reads_a_list_of_files_in_rgb():
    paths = [str(DATA / 'coco' / '000000000785.jpg'),
             str(DATA / 'coco' / '000000040083.jpg')]
    images = LoadImageFromFile()(dict(image_file=paths))['img']
    for img, path in zip(images, paths):
        np.testing.assert_array_equal(img, cv2.imread(path)[..., ::-1])


def test_load_image_without_image_refuses():
    with pytest.raises(KeyError, match='image_file'):
        LoadImageFromFile()(dict(bbox=[0, 0, 1, 1]))
    with pytest.raises(TypeError, match='np.ndarray'):
        LoadImageFromFile()(dict(img='not an image'))
    with pytest.raises(ValueError, match=r'\(2, 3\)'):
        LoadImageFromFile()(dict(img=np.zeros((2, 3), np.uint8)))


# --------------------------------------- 5. MeshH36M with plain string paths
def mesh_h36m():
    return build_reference_dataset('MeshH36MDataset',
                                   'mesh/hmr/hmr_res50_224x224.json',
                                   DATA / 'h36m' / 'test_h36m.npz',
                                   DATA / 'h36m')


def test_mesh_h36m_evaluates_029_results_with_plain_string_paths(tmp_path):
    dataset = mesh_h36m()
    gts = np.stack([r['joints_3d'] for r in dataset.db]).astype(np.float64)
    # right ankle 1 cm off: 10 mm on 1 of the 14 pelvis-centred joints; a
    # whole-pose offset of 1 m is removed by the pelvis centring
    bad = gts + 1.0
    bad[:, 0, 0] += 0.01
    one_by_one = [dict(keypoints_3d=bad[i:i + 1],
                       image_path=r['image_file'],
                       bboxes=np.ones((1, 6)))
                  for i, r in enumerate(dataset.db)]
    listed = [dict(keypoints_3d=bad,
                   image_path=[r['image_file'] for r in dataset.db])]
    for outputs in (one_by_one, listed):
        res = dataset.evaluate(outputs, str(tmp_path))
        assert res['MPJPE'] == pytest.approx(10.0 / 14, rel=1e-5)
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    assert [w['image'] for w in written] == [
        r['image_file'] for r in dataset.db
    ]


# ------------------------------------------------- 6. concatenated datasets
def coco_split(ann_file=COCO_ANN, **kwargs):
    cfg = dict(type='TopDownCocoDataset', ann_file=ann_file,
               img_prefix=COCO_DIR, data_cfg=top_down_cfg(), pipeline=[],
               dataset_info=load_dataset_info('coco'), test_mode=True)
    cfg.update(kwargs)
    return cfg


AP10K_ANN = str(DATA / 'ap10k' / 'test_ap10k_per_image.json')


def ap10k_split(**kwargs):
    return coco_split(AP10K_ANN, type='AnimalAP10KDataset',
                      dataset_info=load_dataset_info('ap10k'), **kwargs)


def test_concat_dataset_config_builds_each_dataset():
    coco, ap10k = build_dataset(coco_split()), build_dataset(ap10k_split())
    concat = build_dataset(dict(type='ConcatDataset',
                                datasets=[coco_split(), ap10k_split()]))
    assert isinstance(concat, torch.utils.data.ConcatDataset)
    assert [type(d).__name__ for d in concat.datasets] == [
        'TopDownCocoDataset', 'AnimalAP10KDataset'
    ]
    assert len(concat) == len(coco) + len(ap10k)
    assert concat[len(coco)]['bbox'] == ap10k.db[0]['bbox']


def test_list_of_ann_files_builds_one_dataset_per_file():
    cfg = coco_split(
        ann_file=[COCO_ANN, AP10K_ANN],
        type=['TopDownCocoDataset', 'AnimalAP10KDataset'],
        img_prefix=[COCO_DIR, COCO_DIR],
        dataset_info=[load_dataset_info('coco'),
                      load_dataset_info('ap10k')],
        data_cfg=top_down_cfg(num_joints=17))
    cfg['data_cfg'].update(num_joints=[17, 17], dataset_channel=[
        [list(range(17))], [list(range(8))]])
    concat = build_dataset(cfg)
    first, second = concat.datasets
    assert (first.ann_file, second.ann_file) == (COCO_ANN, AP10K_ANN)
    assert (first.dataset_name, second.dataset_name) == ('coco', 'ap10k')
    assert second.ann_info['dataset_channel'] == [list(range(8))]
    # shared keys stay shared
    assert first.ann_info['inference_channel'] == list(range(17))


def test_list_of_ann_files_with_a_short_list_is_refused():
    cfg = coco_split(ann_file=[COCO_ANN, COCO_ANN],
                     img_prefix=[COCO_DIR])
    with pytest.raises(ValueError, match='img_prefix lists 1'):
        build_dataset(cfg)


# --------------------------------------------------- 7. Body3D, 0.29 forms
def test_body3d_has_dataset_name_and_evaluates_without_res_folder(tmp_path):
    dataset = build_dataset(
        dict(type='Body3DH36MDataset', ann_file=H36M_3D, img_prefix='',
             data_cfg=dict(num_joints=17), pipeline=[],
             dataset_info=load_dataset_info('h36m'), test_mode=True))
    assert dataset.dataset_name == 'h36m'
    gts = dataset.data_info['joints_3d'][..., :3]
    # every joint 3 and 4 units off: error 5
    outputs = [dict(preds=gts + np.float32([3, 4, 0]),
                    target_image_paths=list(dataset.data_info['imgnames']))]
    assert dataset.evaluate(outputs)['MPJPE'] == pytest.approx(5.0)
    assert dataset.evaluate(outputs, None, 'mpjpe')['MPJPE'] == \
        pytest.approx(5.0)
    dataset.evaluate(outputs, str(tmp_path))
    assert (tmp_path / 'result_keypoints.json').exists()


# ------------------------------------------------ 8. AP-10K ids per image
def test_ap10k_numbers_instances_per_image_and_counts_every_image():
    dataset = build_dataset(ap10k_split())
    # image 785 holds two animals, image 40083 one, image 196141 none
    assert [(r['image_id'], r['bbox_id']) for r in dataset.db] == [
        (785, 0), (785, 1), (40083, 0)
    ]
    assert dataset.num_images == 3


def test_ap10k_drops_repeated_predictions_per_image(tmp_path):
    dataset = build_dataset(ap10k_split())
    # the last batch repeated, as a padding data loader does; (40083, 0)
    # must not be taken for a repeat of (785, 0)
    outputs = outputs_from_db(dataset, batch=2)
    result = dataset.evaluate(outputs + outputs[-1:], str(tmp_path))
    assert result['AP'] == pytest.approx(1.0)
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    assert sorted((w['image_id'], w['category_id']) for w in written) == [
        (785, 1), (785, 2), (40083, 2)
    ]


# ------------------------------------------------- 9. NVGesture evaluation
def test_nvgesture_reports_ap_per_modality_and_their_mean():
    dataset = build_dataset(
        dict(type='NVGestureDataset', ann_file=NVGESTURE_LST, vid_prefix='',
             data_cfg=dict(video_size=[16, 12], modality=['rgb', 'depth']),
             pipeline=[], dataset_info=load_dataset_info('nvgesture')))
    # time-averaged logits [N=2, L=3, T=1] peak at classes 2, 0 (rgb; one
    # right of two) and 2, 1 (depth; both right)
    rgb = torch.tensor([[[0.], [0.], [1.]], [[5.], [0.], [1.]]])
    depth = torch.tensor([[[0.], [0.], [1.]], [[0.], [4.], [1.]]])
    results = [dict(logits=dict(rgb=rgb, depth=depth),
                    label=torch.tensor([2, 1]))]
    assert dataset.evaluate(results) == {'AP_rgb': 0.5, 'AP_depth': 1.0,
                                         'AP_mean': 0.75}
    with pytest.raises(KeyError, match='mAP'):
        dataset.evaluate(results, metric='mAP')


# --------------------------------------------- 10. Halpe, COCO-style, flat
def halpe(ann_file):
    return build_dataset(dict(
        type='TopDownHalpeDataset', ann_file=str(DATA / 'halpe' / ann_file),
        img_prefix=COCO_DIR, data_cfg=top_down_cfg(num_joints=136),
        pipeline=[], test_mode=True))


@pytest.mark.parametrize('ann_file',
                         ['test_halpe_val.json', 'test_halpe_train.json'])
def test_halpe_evaluates_the_136_keypoints_flat(ann_file, tmp_path):
    dataset = halpe(ann_file)
    assert dataset.sigmas.shape == (136, )
    # the ground truth COCOeval reads is flat too, split files included
    assert {len(a['keypoints']) for a in dataset.coco.anns.values()} == {
        136 * 3
    }
    assert dataset.evaluate(outputs_from_db(dataset),
                            str(tmp_path))['AP'] == pytest.approx(1.0)
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    assert [len(w['keypoints']) for w in written] == [136 * 3] * 2
    assert 'foot_kpts' not in written[0]
    # the second person 100 px off and scored lower
    gts = np.stack([r['joints_3d'][:, :2] for r in dataset.db])
    result = dataset.evaluate(outputs_from_db(
        dataset, gts + [[[0, 0]], [[100, 100]]],
        np.stack([np.ones(136), np.full(136, 0.5)])))
    assert result['AP'] == pytest.approx(HALF_MATCHED_AP)


# ------------------------------------ 11. ground truth without annotations
@pytest.fixture
def test_dev_file(tmp_path):
    """The COCO sample without its annotations (a test-dev split)."""
    data = json.loads(open(COCO_ANN).read())
    del data['annotations']
    path = tmp_path / 'test_dev.json'
    path.write_text(json.dumps(data))
    return str(path)


def test_top_down_evaluate_without_annotations_warns_and_returns_nothing(
        test_dev_file, tmp_path):
    dataset = build_dataset(coco_split(
        test_dev_file, data_cfg=top_down_cfg(use_gt_bbox=False,
                                             bbox_file=COCO_DETS)))
    assert len(dataset) > 0
    with pytest.warns(UserWarning, match='no annotations'):
        result = dataset.evaluate(outputs_from_db(dataset), str(tmp_path))
    assert result == {}
    # the predictions are still written, for a test-dev submission
    written = json.loads((tmp_path / 'result_keypoints.json').read_text())
    assert written


def test_bottom_up_evaluate_without_annotations_warns(test_dev_file):
    dataset = build_dataset(dict(
        type='BottomUpCocoDataset', ann_file=test_dev_file,
        img_prefix=COCO_DIR, data_cfg=bottom_up_cfg(), pipeline=[],
        dataset_info=load_dataset_info('coco'), test_mode=True))
    assert len(dataset) == 4  # every image of the file
    pred = np.concatenate([np.random.RandomState(0).uniform(0, 300, (17, 2)),
                           np.ones((17, 1)), np.zeros((17, 1))], axis=1)
    outputs = [dict(preds=[pred], scores=[1.0],
                    image_paths=[osp.join(COCO_DIR, name)])
               for name in dataset.name2id]
    with pytest.warns(UserWarning, match='no annotations'):
        assert dataset.evaluate(outputs) == {}


def test_animal_evaluate_without_annotations_warns():
    dataset = build_dataset(ap10k_split())
    del dataset.coco.dataset['annotations']
    with pytest.warns(UserWarning, match='no annotations'):
        assert dataset.evaluate(outputs_from_db(dataset)) == {}


def test_training_on_a_file_without_annotations_names_it(test_dev_file):
    with pytest.raises(ValueError, match='has no annotations'):
        build_dataset(coco_split(test_dev_file, test_mode=False))


# ---------------------------------- 13. BottomUpGenerateHeatmapTarget orders
def heatmap_results(x=2.0, y=2.0, center=None):
    """One keypoint at (x, y) on a 16 x 16 heatmap, nothing masked."""
    results = dict(ann_info=dict(num_joints=1, num_scales=1,
                                 heatmap_size=[16]),
                   joints=[np.array([[[x, y, 1.0]]])],
                   mask=[np.ones((16, 16), dtype=bool)])
    if center is not None:
        results['center'] = [np.array([[[*center, 1.0]]])]
    return results


def test_heatmap_target_014_order_reads_use_udp():
    step = BottomUpGenerateHeatmapTarget(1, False)
    assert (step.use_udp, step.bg_weight, step.gen_center_heatmap) == (
        False, 1.0, False)
    target = step(heatmap_results())['target'][0]
    # Gaussian of sigma 1 at (2, 2): 1 there, exp(-1 / 2) one pixel right
    assert target[0, 2, 2] == pytest.approx(1.0)
    assert target[0, 2, 3] == pytest.approx(math.exp(-0.5))
    udp = BottomUpGenerateHeatmapTarget(1, True)
    assert udp.use_udp is True
    # UDP keeps the sub-pixel x = 2.5: pixels 2 and 3 both 0.5 away
    target = udp(heatmap_results(x=2.5))['target'][0]
    assert target[0, 2, 2] == pytest.approx(math.exp(-0.125))
    assert target[0, 2, 3] == pytest.approx(math.exp(-0.125))


def test_heatmap_target_029_order_reads_bg_weight():
    step = BottomUpGenerateHeatmapTarget(1, 0.1)
    assert (step.use_udp, step.bg_weight, step.gen_center_heatmap) == (
        False, 0.1, False)
    results = step(heatmap_results())
    masks = results['masks'][0]
    # the Gaussian window (x - 4 .. x + 4) covers columns 0..6: weight 1
    # there, the background weight 0.1 outside
    assert masks[0, 2, 2] == 1.0 and masks[0, 2, 6] == 1.0
    assert masks[0, 2, 7] == pytest.approx(0.1)
    assert masks[0, 10, 10] == pytest.approx(0.1)
    assert results['heatmaps'][0][0, 2, 3] == pytest.approx(math.exp(-0.5))


def test_heatmap_target_029_order_with_center_heatmap_and_udp():
    step = BottomUpGenerateHeatmapTarget((1, 2), 0.1, True, True)
    assert (step.use_udp, step.bg_weight, step.gen_center_heatmap) == (
        True, 0.1, True)
    step = BottomUpGenerateHeatmapTarget((1, 2), 0.1, True)
    assert step.use_udp is False
    results = step(heatmap_results(center=(8, 8)))
    target = results['target'][0]
    assert target.shape == (2, 16, 16)
    # the center (sigma 2) first: exp(-1 / 8) one pixel from its peak
    assert target[0, 8, 8] == pytest.approx(1.0)
    assert target[0, 8, 9] == pytest.approx(math.exp(-1 / 8))
    assert target[1, 2, 2] == pytest.approx(1.0)
    # the center window (8 - 7 .. 8 + 7) leaves column 0 to background
    assert results['masks'][0][0, 8, 0] == pytest.approx(0.1)
    assert results['masks'][0][0, 8, 1] == 1.0


def test_heatmap_target_keywords_and_bad_second_argument():
    step = BottomUpGenerateHeatmapTarget(sigma=(1, 2), bg_weight=0.1,
                                         gen_center_heatmap=True,
                                         use_udp=True)
    assert (step.use_udp, step.bg_weight, step.gen_center_heatmap) == (
        True, 0.1, True)
    with pytest.raises(TypeError, match="'udp'"):
        BottomUpGenerateHeatmapTarget(1, 'udp')
    with pytest.raises(ValueError, match='bg_weight given twice'):
        BottomUpGenerateHeatmapTarget(1, 0.1, bg_weight=0.5)


# ------------------------------------------------ 14. the 0.14 base modules
V014_BASES = [
    ('top_down.topdown_base_dataset', 'TopDownBaseDataset'),
    ('animal.animal_base_dataset', 'AnimalBaseDataset'),
    ('face.face_base_dataset', 'FaceBaseDataset'),
    ('fashion.fashion_base_dataset', 'FashionBaseDataset'),
    ('hand.hand_base_dataset', 'HandBaseDataset'),
    ('bottom_up.bottom_up_base_dataset', 'BottomUpBaseDataset'),
]


def v014_base(module, name):
    return getattr(
        importlib.import_module(f'mmpose.datasets.datasets.{module}'), name)


@pytest.mark.parametrize('module,name', V014_BASES)
def test_014_base_itself_is_both_a_type_and_an_import_error(module, name):
    base = v014_base(module, name)
    for error in (TypeError, ImportError, AbstractClassError):
        with pytest.raises(error, match=f'{name} is abstract'):
            base(COCO_ANN, COCO_DIR, top_down_cfg(), [])


def test_014_subclass_lacking_evaluate_is_refused():
    class NoEvaluate(v014_base('hand.hand_base_dataset', 'HandBaseDataset')):
        def _get_db(self):
            return []

    with pytest.raises(TypeError, match=r"lacks \['evaluate'\]"):
        NoEvaluate(COCO_ANN, COCO_DIR, top_down_cfg(), [])


def animal_014_dataset():
    """A dataset as 0.14 user code wrote it on AnimalBaseDataset."""
    base = v014_base('animal.animal_base_dataset', 'AnimalBaseDataset')

    class MyAnimalDataset(base):
        def __init__(self, ann_file, img_prefix, data_cfg, pipeline,
                     test_mode=False):
            super().__init__(ann_file, img_prefix, data_cfg, pipeline,
                             test_mode=test_mode)
            self.ann_info['flip_pairs'] = [[0, 1]]
            self.dataset_name = 'my_animals'
            self.db = self._get_db()

        def _get_db(self):
            db = []
            for img_id in self.img_ids:
                for obj in self.coco.loadAnns(
                        self.coco.getAnnIds(imgIds=img_id)):
                    kpts = np.array(obj['keypoints'], np.float32).reshape(
                        -1, 3)
                    center, scale = self._xywh2cs(*obj['bbox'])
                    visible = np.zeros_like(kpts)
                    visible[:, :2] = np.minimum(1, kpts[:, 2:3])
                    db.append(dict(
                        image_file=osp.join(self.img_prefix,
                                            self.id2name[img_id]),
                        center=center, scale=scale, bbox=obj['bbox'],
                        rotation=0, joints_3d=kpts * [1, 1, 0],
                        joints_3d_visible=visible, dataset=self.dataset_name,
                        bbox_score=1, bbox_id=len(db)))
            return db

        def evaluate(self, outputs, res_folder, metric='PCK', **kwargs):
            kpts = [dict(keypoints=out['preds'][i], bbox_id=bbox_id)
                    for out in outputs
                    for i, bbox_id in enumerate(out['bbox_ids'])]
            kpts = self._sort_and_unique_bboxes(kpts)
            res_file = osp.join(res_folder, 'result_keypoints.json')
            self._write_keypoint_results(kpts, res_file)
            return OrderedDict(self._report_metric(res_file, [metric]))

    with pytest.deprecated_call(match='AnimalBaseDataset'):
        return MyAnimalDataset(AP10K_ANN, COCO_DIR,
                               top_down_cfg(image_size=[256, 256]), [],
                               test_mode=True)


def test_014_user_subclass_of_a_base_works(tmp_path):
    dataset = animal_014_dataset()
    assert len(dataset) == 3 and dataset.num_images == 3
    assert dataset.ann_info['flip_pairs'] == [[0, 1]]
    # 200 x 150 box, square input: 200 x 200, padded by 1.25, over 200 px
    np.testing.assert_allclose(dataset.db[0]['scale'], [1.25, 1.25])
    sample = dataset[0]
    assert sample['ann_info'] is dataset.ann_info
    perfect = dataset.evaluate(outputs_from_db(dataset), str(tmp_path))
    assert perfect == {'PCK': 1.0}
    # 41 px off, above 0.2 * 200 = 40 for the first two animals, below
    # 0.2 * 300 = 60 for the third
    gts = np.stack([r['joints_3d'][:, :2] for r in dataset.db])
    result = dataset.evaluate(outputs_from_db(dataset, gts + [41, 0]),
                              str(tmp_path))
    assert result['PCK'] == pytest.approx(1 / 3)


def test_014_bottom_up_and_body_bases_work_for_subclasses():
    bottom_up = v014_base('bottom_up.bottom_up_base_dataset',
                          'BottomUpBaseDataset')

    class MyBottomUp(bottom_up):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.img_ids = [785]

        def _get_single(self, idx):
            return dict(image_file=osp.join(COCO_DIR, '000000000785.jpg'),
                        joints=[np.zeros((1, 17, 3), np.float32)],
                        mask=[np.ones((4, 4), bool)])

    with pytest.deprecated_call(match='BottomUpBaseDataset'):
        dataset = MyBottomUp(COCO_ANN, COCO_DIR, bottom_up_cfg(), [],
                             test_mode=True)
    assert len(dataset) == 1
    assert dataset.soft_nms is True  # 0.14's default
    assert dataset[0]['ann_info']['num_joints'] == 17

    top_down = v014_base('top_down.topdown_base_dataset',
                         'TopDownBaseDataset')

    class MyBodies(top_down):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.db = self._get_db()

        def _get_db(self):
            return [dict(image_file=osp.join(COCO_DIR, '000000000785.jpg'))]

        def evaluate(self, outputs, res_folder, metric='PCK', **kwargs):
            return {}

    with pytest.deprecated_call(match='TopDownBaseDataset'):
        bodies = MyBodies(COCO_ANN, COCO_DIR, top_down_cfg(), [])
    # the 0.14 body base leaves the annotation file to its subclasses
    assert bodies.coco is None and len(bodies) == 1


# --------------------------------------------------- 15. fliplr_joints
def test_fliplr_joints_multiplies_by_visibility_above_zero():
    joints = np.array([[10., 5., 0.], [20., 6., 0.]])
    visible = np.array([[0.5, 0.5, 0.], [0., 0., 0.]])
    flipped, flipped_visible = fliplr_joints(joints, visible, 100, [])
    # x -> 100 - 1 - x; a visibility of 0.5 keeps the joint whole (0.14
    # scaled it to 44.5, 2.5), an invisible one is zeroed
    np.testing.assert_allclose(flipped, [[89., 5., 0.], [0., 0., 0.]])
    np.testing.assert_array_equal(flipped_visible, visible)
