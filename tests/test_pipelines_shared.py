"""Loading and shared transforms."""
from pathlib import Path

import numpy as np
import pytest
import torch
from mmcv.parallel import DataContainer

from mmpose.datasets import Compose as ComposeFromDatasets
from mmpose.datasets.pipelines import (Collect, Compose, LoadImageFromFile,
                                       MultitaskGatherTarget,
                                       NormalizeTensor,
                                       PhotometricDistortion, RenameKeys,
                                       ToTensor)
from mmpose.datasets.pipelines.shared_transform import \
    Compose as ComposeShared

COCO = Path(__file__).resolve().parent / 'data' / 'coco'
IMG = COCO / '000000000785.jpg'


def test_compose_exports_are_one_class():
    assert ComposeFromDatasets is Compose is ComposeShared


def test_load_image_rgb_bgr_gray_float():
    rgb = LoadImageFromFile()(dict(image_file=str(IMG)))['img']
    assert rgb.shape == (425, 640, 3) and rgb.dtype == np.uint8
    bgr = LoadImageFromFile(channel_order='bgr')(
        dict(image_file=str(IMG)))['img']
    np.testing.assert_array_equal(rgb, bgr[..., ::-1])
    gray = LoadImageFromFile(color_type='grayscale')(
        dict(image_file=str(IMG)))['img']
    assert gray.shape == (425, 640)
    f32 = LoadImageFromFile(to_float32=True)(dict(image_file=str(IMG)))['img']
    assert f32.dtype == np.float32
    np.testing.assert_array_equal(f32, rgb)


def test_load_image_errors_name_the_path(tmp_path):
    missing = tmp_path / 'nope.jpg'
    with pytest.raises(FileNotFoundError, match='nope.jpg'):
        LoadImageFromFile()(dict(image_file=str(missing)))
    corrupt = tmp_path / 'bad.jpg'
    corrupt.write_bytes(b'not a jpeg')
    with pytest.raises(OSError, match='bad.jpg'):
        LoadImageFromFile()(dict(image_file=str(corrupt)))


def test_to_tensor_and_normalize():
    img = np.array([[[0, 51, 255]]], dtype=np.uint8)  # 1x1x3
    out = ToTensor()(dict(img=img))
    t = out['img']
    assert t.shape == (3, 1, 1) and t.dtype == torch.float32
    np.testing.assert_allclose(t.ravel().numpy(), [0, 0.2, 1], rtol=1e-6)
    out = NormalizeTensor(mean=[0, 0.1, 0.5], std=[1, 0.5, 0.25])(out)
    np.testing.assert_allclose(out['img'].ravel().numpy(), [0, 0.2, 2],
                               rtol=1e-6)
    lst = ToTensor()(dict(img=[img, img]))['img']
    assert isinstance(lst, list) and lst[1].shape == (3, 1, 1)


@pytest.mark.parametrize('shape', [(6, 5, 3), (6, 5), (6, 5, 1),
                                   (6, 5, 4)])
def test_to_tensor_uint8_equals_transpose_then_divide(shape):
    img = np.random.RandomState(0).randint(0, 256, shape).astype(np.uint8)
    for view in (img, img[:, ::-1], img[::2]):
        chw = view if view.ndim == 3 else view[:, :, None]
        chw = np.array(chw.transpose(2, 0, 1), order='C')
        expected = torch.from_numpy(chw).to(torch.float32).div_(255.0)
        out = ToTensor()(dict(img=view))['img']
        assert out.dtype == torch.float32 and out.is_contiguous()
        assert torch.equal(out, expected)


def test_normalize_rejects_numpy_image():
    with pytest.raises(TypeError, match='ToTensor'):
        NormalizeTensor([0, 0, 0], [1, 1, 1])(dict(img=np.zeros((2, 2, 3))))


def test_collect_keys_meta_and_rename():
    results = dict(img=1, target=2, image_file='a.jpg', bbox_id=7,
                   ann_info=dict(flip_pairs=[[1, 2]]))
    data = Collect(keys=['img', ('target', 'heatmap')],
                   meta_keys=['image_file', 'flip_pairs'])(results)
    assert set(data) == {'img', 'heatmap', 'img_metas'}
    meta = data['img_metas']
    assert isinstance(meta, DataContainer) and meta.cpu_only
    assert meta.data == dict(image_file='a.jpg', flip_pairs=[[1, 2]],
                             bbox_id=7)
    data = Collect(keys=['img'], meta_keys=[], meta_name='metas')(
        dict(img=0))
    assert data['metas'].data == {}
    with pytest.raises(KeyError, match='missing'):
        Collect(keys=['missing'], meta_keys=[])(dict(img=0))


def test_compose_stops_on_none_and_accepts_callables():
    calls = []

    def first(r):
        calls.append(1)
        return None

    assert Compose([first, lambda r: calls.append(2)])({}) is None
    assert calls == [1]
    out = Compose([dict(type='RenameKeys', key_pairs=[('a', 'b')])])(
        dict(a=1))
    assert out == dict(b=1)
    with pytest.raises(TypeError):
        Compose([3])


def test_rename_keys():
    out = RenameKeys(key_pairs=[('a', 'x'), ('b', 'y')])(dict(a=1, b=2))
    assert out == dict(x=1, y=2)


def test_photometric_distortion_keeps_shape_and_dtype():
    np.random.seed(1)
    img = np.random.randint(0, 255, (8, 6, 3), np.uint8)
    t = PhotometricDistortion()
    changed = False
    for _ in range(5):
        out = t(dict(img=img.copy()))['img']
        assert out.shape == img.shape and out.dtype == np.uint8
        changed |= not np.array_equal(out, img)
    assert changed
    # brightness only: delta added with clipping
    assert np.array_equal(t.convert(np.array([250], np.uint8), beta=10),
                          [255])


def test_multitask_gather_target():
    joints = np.array([[8., 8., 0.]], np.float32)
    ann = dict(image_size=np.array([32, 32]), heatmap_size=np.array([8, 8]),
               num_joints=1, joint_weights=np.ones((1, 1), np.float32),
               use_different_joint_weights=False)
    t = MultitaskGatherTarget(
        pipeline_list=[[dict(type='TopDownGenerateTarget', sigma=1)],
                       [dict(type='TopDownGenerateTargetRegression')]],
        pipeline_indices=[0, 1, 0])
    out = t(dict(joints_3d=joints, joints_3d_visible=np.ones_like(joints),
                 ann_info=ann))
    assert len(out['target']) == 3
    assert out['target'][0].shape == (1, 8, 8)
    assert out['target'][0][0, 2, 2] == 1.0
    np.testing.assert_allclose(out['target'][1], [[0.25, 0.25]])
    assert out['target'][2] is out['target'][0]
