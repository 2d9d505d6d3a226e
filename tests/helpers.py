"""Helpers shared by several test modules: sample data paths, sample
datasets on their 0.14 reference configs and model outputs for them, a tiny
top-down model, a small random-weight detector, reading videos, free ports,
a synthetic COCO data set and a synthetic SMPL model."""
import functools
import importlib.util
import os.path as osp
import pickle
import socket
from pathlib import Path
from typing import Optional

import cv2
import mmcv
import numpy as np
import torch
from mmcv.runner import save_checkpoint

from mmpose.datasets import build_dataset
from .reference import reference_cfg

DATA = Path(__file__).resolve().parent / 'data'
TINY_CONFIGS = DATA / 'tiny_configs'
MEAN_PARAMS = DATA / 'smpl' / 'smpl_mean_params.npz'
SMPL_PARENTS = [
    -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19,
    20, 21
]

# A ResNet-18 with 8 base channels: 512x smaller, same code paths.
TINY_RESNET = dict(type='ResNet', depth=18, stem_channels=8, base_channels=8)
TINY_CHANNELS = 64
NUM_JOINTS = 3


def tiny_top_down_cfg(**test_cfg) -> dict:
    """A TopDown model config on :data:`TINY_RESNET` predicting
    :data:`NUM_JOINTS` heatmaps at 1/16 of the input; ``test_cfg`` entries
    override flip test on, default decoding and no ``shift_heatmap``."""
    return dict(
        type='TopDown',
        backbone=TINY_RESNET,
        keypoint_head=dict(
            type='TopDownSimpleHead',
            in_channels=TINY_CHANNELS,
            out_channels=NUM_JOINTS,
            num_deconv_layers=1,
            num_deconv_filters=(8, ),
            num_deconv_kernels=(4, ),
            loss_keypoint=dict(type='JointsMSELoss', use_target_weight=True)),
        train_cfg=dict(),
        test_cfg=dict(
            dict(flip_test=True, post_process='default',
                 shift_heatmap=False, modulate_kernel=11), **test_cfg))


def data_file(relative: str) -> Path:
    """``tests/data/<relative>``; a missing sample fails naming the file."""
    path = DATA / relative
    assert path.exists(), f'test data {path} is missing'
    return path


def build_reference_dataset(type_: str, config: str, ann_file, img_prefix,
                            data_cfg: Optional[dict] = None, **extra):
    """Dataset ``type_`` as the test split of the 0.14 reference config
    ``config`` builds it, on a sample annotation file, in test mode;
    ``data_cfg`` entries and ``extra`` arguments override the config's."""
    cfg = reference_cfg(config)['data']['test']
    assert cfg['type'] == type_, (config, cfg['type'])
    cfg.update(ann_file=str(ann_file), img_prefix=str(img_prefix) + '/',
               test_mode=True, **extra)
    cfg['data_cfg'].update(data_cfg or {})
    return build_dataset(cfg)


def outputs_from_db(dataset, keypoints=None, scores=None,
                    batch: Optional[int] = None) -> list:
    """Top-down model outputs for every sample of ``dataset``: keypoints
    (np.ndarray[N, K, 2], default: the ground truth) with ``scores``
    ([N, K], default 1), boxes from the samples, in batches of ``batch``
    (default: one batch)."""
    db = dataset.db
    if keypoints is None:
        keypoints = np.stack([r['joints_3d'][:, :2] for r in db])
    if scores is None:
        scores = np.ones(keypoints.shape[:2])
    preds = np.concatenate([keypoints, scores[..., None]], axis=2)
    boxes = np.array([[*r['center'], *r['scale'],
                       np.prod(r['scale'] * 200), 1.0] for r in db])
    batch = batch or len(db)
    return [dict(preds=preds[s:s + batch],
                 boxes=boxes[s:s + batch],
                 image_paths=[r['image_file'] for r in db[s:s + batch]],
                 bbox_ids=[r['bbox_id'] for r in db[s:s + batch]])
            for s in range(0, len(db), batch)]


#: An MMDetection 2.x config (``format(base=path)`` names the config it
#: derives from) run on small inputs and keeping a few boxes of any score,
#: as random weights score every class about equally.
SMALL_DETECTOR = '''
_base_ = [{base!r}]
model = dict(test_cfg=dict(
    rpn=dict(nms_pre=200, max_per_img=50),
    rcnn=dict(score_thr=0.0, max_per_img=3)))
data = dict(test=dict(pipeline=[
    dict(type='LoadImageFromFile'),
    dict(type='MultiScaleFlipAug', img_scale=(224, 160), flip=False,
         transforms=[
             dict(type='Resize', keep_ratio=True),
             dict(type='RandomFlip'),
             dict(type='Normalize', mean=[123.675, 116.28, 103.53],
                  std=[58.395, 57.12, 57.375], to_rgb=True),
             dict(type='Pad', size_divisor=32),
             dict(type='DefaultFormatBundle'),
             dict(type='Collect', keys=['img']),
         ])
]))
'''


def build_detector(config: str):
    """The mmdet detector of ``config`` with random weights (no pretrained
    backbone)."""
    from mmdet.models import build_detector as build
    cfg = mmcv.Config.fromfile(config)
    cfg.model.pretrained = None
    return build(cfg.model)


def save_random_detector(config: str, path) -> str:
    """Save a two-stage detector of ``config``, random weights after
    ``torch.manual_seed(0)`` but a box classifier favouring class 0
    ('person', so the boxes kept are person boxes), with COCO's class
    names, to ``path``; returns the path."""
    from mmdet.core import get_classes
    torch.manual_seed(0)
    detector = build_detector(config)
    detector.roi_head.bbox_head.fc_cls.bias.data[0] = 10.0
    save_checkpoint(detector, str(path),
                    meta=dict(CLASSES=get_classes('coco')))
    return str(path)


def read_video_frames(path) -> list:
    """Every frame (np.ndarray[H, W, 3], BGR) of a video file."""
    cap = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    return frames


def _module_from(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.lru_cache(maxsize=None)
def processing_baselines():
    """``tools/benchmark_processing.py``: straightforward loop versions of
    decoding and OKS-NMS, and their synthetic inputs."""
    return _module_from(DATA.parents[1] / 'tools' / 'benchmark_processing.py',
                        'benchmark_processing')


def write_tiny_coco(out_dir: str) -> str:
    """Write the synthetic COCO set of ``tiny_configs/synthetic_coco.py``
    (2 images, 4 people) into ``out_dir``; returns the annotation file."""
    module = _module_from(TINY_CONFIGS / 'synthetic_coco.py',
                          'synthetic_coco')
    return module.write_tiny_coco(str(out_dir))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def write_synthetic_smpl(folder, num_vertices=6890, num_faces=1,
                         num_regressed=24, seed=0):
    """Write ``SMPL_NEUTRAL.pkl`` (SMPL file layout, random content) and a
    joints regressor ``.npy`` into ``folder``; return both paths.

    6890 vertices keep the SMPL topology the ``smplx`` extra joints index
    into; the content is random but well formed (normalised regressors and
    skinning weights).
    """
    rng = np.random.default_rng(seed)
    folder = str(folder)
    j_regressor = rng.random((24, num_vertices))
    weights = rng.random((num_vertices, 24))
    data = dict(
        v_template=rng.normal(size=(num_vertices, 3)),
        shapedirs=0.01 * rng.normal(size=(num_vertices, 3, 10)),
        posedirs=0.001 * rng.normal(size=(num_vertices, 3, 207)),
        J_regressor=j_regressor / j_regressor.sum(1, keepdims=True),
        weights=weights / weights.sum(1, keepdims=True),
        kintree_table=np.stack([
            np.array(SMPL_PARENTS, dtype=np.int64) % (2**32),
            np.arange(24)
        ]),
        f=rng.integers(0, num_vertices, size=(num_faces, 3)),
    )
    with open(osp.join(folder, 'SMPL_NEUTRAL.pkl'), 'wb') as f:
        pickle.dump(data, f)
    regressor = rng.random((num_regressed, num_vertices))
    regressor_path = osp.join(folder, 'joints_regressor.npy')
    np.save(regressor_path, regressor / regressor.sum(1, keepdims=True))
    return folder, regressor_path
