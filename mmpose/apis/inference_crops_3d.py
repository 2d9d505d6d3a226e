"""3D inference on box crops of one image (MMPose 0.29): both hands with an
``Interhand3D`` model (:func:`inference_interhand_3d_model`) and the SMPL
mesh of people with a ``ParametricMesh`` model of a 0.29 config
(:func:`inference_mesh_model`, drawn by :func:`vis_3d_mesh_result`).

Note:
    number of boxes: N
    number of keypoints: K
    mesh vertices, faces: V, F
"""
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

import cv2
import mmcv
import numpy as np
import torch
from torch import nn

from mmpose.core.visualization import imshow_bboxes, imshow_mesh_3d
from mmpose.datasets.datasets.mesh.mesh_base_dataset import MESH_FLIP_PAIRS
from mmpose.errors import ArgumentError, UnknownNameError, UnsupportedError
from .dataset_meta import resolve_dataset_meta
from .inference import (_as_boxes, _box2cs, _cfg, _check_model,
                        _model_device, _split_pipeline, _unwrap, _xywh2xyxy,
                        _xyxy2xywh)

__all__ = [
    'inference_interhand_3d_model', 'inference_mesh_model',
    'vis_3d_mesh_result'
]

ImageLike = Union[str, Path, np.ndarray]

#: ``data_cfg`` entries the InterHand3D test pipeline and decoding read.
DEPTH_KEYS = ('heatmap3d_depth_bound', 'heatmap_size_root',
              'root_depth_bound')


def _select_boxes(det_results: Sequence[dict], bbox_thr: Optional[float],
                  format: str) -> Tuple[list, np.ndarray, np.ndarray]:
    """The kept results and their boxes as ``(results, xywh, xyxy)``.

    Args:
        det_results (list[dict]): Per box ``'bbox'`` ([4] or [5]).
        bbox_thr (float | None): Keep only boxes scoring higher.
        format (str): 'xywh' or 'xyxy' boxes.
    """
    if format not in ('xyxy', 'xywh'):
        raise ArgumentError(
            f"format must be 'xyxy' or 'xywh', got {format!r}")
    if len(det_results) == 0:
        return [], np.zeros((0, 4)), np.zeros((0, 4))
    bboxes = _as_boxes(det_results)
    det_results = list(det_results)
    if bbox_thr is not None:
        if bboxes.shape[1] != 5:
            raise ArgumentError('bbox_thr needs boxes with a score (5 '
                                f'values), got {bboxes.shape[1]}')
        keep = bboxes[:, 4] > bbox_thr
        bboxes = bboxes[keep]
        det_results = [d for d, k in zip(det_results, keep) if k]
    if format == 'xyxy':
        return det_results, _xyxy2xywh(bboxes), bboxes
    return det_results, bboxes, _xywh2xyxy(bboxes)


def _crops_batch(model: nn.Module, img_or_path: ImageLike,
                 bboxes_xywh: np.ndarray, dataset_name: str, ann_info: dict,
                 **fields) -> Tuple[torch.Tensor, List[dict]]:
    """``(img [N, C, H, W], img_metas)`` of the box crops, each sample
    (box, ``ann_info`` and the extra ``fields``) through the config's test
    pipeline."""
    loader, pipeline = _split_pipeline(_cfg(model))
    frame = loader({'img_or_path': img_or_path})
    centers, scales = _box2cs(ann_info['image_size'], bboxes_xywh)
    # The pipeline transforms one sample at a time; the network then sees
    # all crops as one batch.
    samples = []
    for i, box in enumerate(bboxes_xywh):
        samples.append(
            pipeline(
                dict(img=frame['img'], image_file=frame['image_file'],
                     bbox=box[:4], center=centers[i], scale=scales[i],
                     bbox_score=float(box[4]) if len(box) == 5 else 1.0,
                     bbox_id=i, dataset=dataset_name, rotation=0,
                     ann_info=ann_info, **fields)))
    img = torch.stack([s['img'] for s in samples]).to(_model_device(model))
    return img, [s['img_metas'].data for s in samples]


def _zeros(*shape: int) -> np.ndarray:
    return np.zeros(shape, dtype=np.float32)


def inference_interhand_3d_model(model: nn.Module,
                                 img_or_path: ImageLike,
                                 det_results: Sequence[dict],
                                 bbox_thr: Optional[float] = None,
                                 format: str = 'xywh',
                                 dataset: str = 'InterHand3DDataset'
                                 ) -> List[dict]:
    """Estimate the 3D keypoints of both hands in each hand box of an image.

    The left hand's depths are shifted by the predicted relative root depth
    (so both hands share the right hand root's depth origin), and each
    hand's keypoint scores are multiplied by the predicted presence of that
    hand (0 or 1).

    Args:
        model (nn.Module): An ``Interhand3D`` model from
            ``init_pose_model``.
        img_or_path (str | np.ndarray): Image file or BGR image.
        det_results (list[dict]): Per box ``'bbox'`` (np.ndarray[4 or 5]).
        bbox_thr (float | None): Keep only boxes scoring higher.
        format (str): ``'xywh'`` or ``'xyxy'`` boxes. Default: 'xywh'.
        dataset (str): Dataset name; only ``'InterHand3DDataset'``.

    Returns:
        list[dict]: Per kept box, a copy of its ``det_results`` entry with
        ``keypoints_3d`` (np.ndarray[K, 4]: x, y in the image, depth,
        score; right hand first) and ``bbox`` (np.ndarray[4 or 5], xyxy).
    """
    if dataset != 'InterHand3DDataset':
        raise UnsupportedError(f'inference_interhand_3d_model supports '
                               f"dataset='InterHand3DDataset', got "
                               f'{dataset!r}')
    det_results, bboxes_xywh, bboxes_xyxy = _select_boxes(
        det_results, bbox_thr, format)
    if len(det_results) == 0:
        return []
    _check_model(model, ('Interhand3D', ), 'inference_interhand_3d_model')
    data_cfg = _cfg(model).data_cfg
    missing = [key for key in DEPTH_KEYS if key not in data_cfg]
    if missing:
        raise UnknownNameError(f'inference_interhand_3d_model: cfg.data_cfg '
                               f'has no {missing}')
    num_joints = int(data_cfg['num_joints'])
    meta = resolve_dataset_meta(_cfg(model), dataset, None, num_joints)
    ann_info = dict(image_size=np.asarray(data_cfg['image_size']),
                    num_joints=num_joints, flip_pairs=meta.flip_pairs,
                    **{key: data_cfg[key] for key in DEPTH_KEYS})
    img, img_metas = _crops_batch(
        model, img_or_path, bboxes_xywh, meta.dataset_name, ann_info,
        joints_3d=_zeros(num_joints, 3),
        joints_3d_visible=_zeros(num_joints, 3))
    with torch.no_grad():
        result = model(img=img, img_metas=img_metas, return_loss=False)

    poses = np.array(result['preds'], dtype=np.float32)  # [N, K, 4]
    half = poses.shape[1] // 2
    poses[:, half:, 2] += np.asarray(result['rel_root_depth']).reshape(-1, 1)
    hand_type = np.asarray(result['hand_type'], dtype=np.float32)
    poses[:, :half, 3] *= hand_type[:, :1]
    poses[:, half:, 3] *= hand_type[:, 1:2]
    return [
        dict(det, keypoints_3d=pose, bbox=box)
        for det, pose, box in zip(det_results, poses, bboxes_xyxy)
    ]


def inference_mesh_model(model: nn.Module,
                         img_or_path: ImageLike,
                         det_results: Sequence[dict],
                         bbox_thr: Optional[float] = None,
                         format: str = 'xywh',
                         dataset: str = 'MeshH36MDataset') -> List[dict]:
    """Recover the SMPL mesh of the person in each box of an image.

    Args:
        model (nn.Module): A ``ParametricMesh`` model of a 0.29 config (its
            ``smpl`` has ``type='SMPL'``) from ``init_pose_model``.
        img_or_path (str | np.ndarray): Image file or BGR image.
        det_results (list[dict]): Per box ``'bbox'`` (np.ndarray[4 or 5]).
        bbox_thr (float | None): Keep only boxes scoring higher.
        format (str): ``'xywh'`` or ``'xyxy'`` boxes. Default: 'xywh'.
        dataset (str): Dataset name; only ``'MeshH36MDataset'``.

    Returns:
        list[dict]: Per kept box, a copy of its ``det_results`` entry with
        ``bbox`` (xyxy), ``center`` and ``scale`` of the crop,
        ``keypoints_3d`` (np.ndarray[K, 3]), ``camera`` (np.ndarray[3]),
        ``vertices`` (np.ndarray[V, 3]) and ``faces`` (np.ndarray[F, 3]).
    """
    if dataset != 'MeshH36MDataset':
        raise UnsupportedError(f"inference_mesh_model supports dataset="
                               f"'MeshH36MDataset', got {dataset!r}")
    det_results, bboxes_xywh, bboxes_xyxy = _select_boxes(
        det_results, bbox_thr, format)
    if len(det_results) == 0:
        return []
    _check_model(model, ('ParametricMesh', ), 'inference_mesh_model')
    data_cfg = _cfg(model).data_cfg
    num_joints = int(data_cfg['num_joints'])
    ann_info = dict(image_size=np.asarray(data_cfg['image_size']),
                    num_joints=num_joints,
                    flip_pairs=[list(p) for p in MESH_FLIP_PAIRS])
    img, img_metas = _crops_batch(
        model, img_or_path, bboxes_xywh, dataset, ann_info,
        joints_2d=_zeros(num_joints, 2),
        joints_2d_visible=_zeros(num_joints, 1),
        joints_3d=_zeros(num_joints, 3),
        joints_3d_visible=_zeros(num_joints, 3), pose=_zeros(72),
        beta=_zeros(10), has_smpl=0)
    with torch.no_grad():
        preds = model(img=img, img_metas=img_metas, return_loss=False,
                      return_vertices=True, return_faces=True)
    if not isinstance(preds, dict):
        raise ArgumentError('inference_mesh_model needs a model of a 0.29 '
                            "config (smpl=dict(type='SMPL', ...)); this one "
                            'gives the 0.14 tuple outputs')
    return [
        dict(det, bbox=box, center=meta['center'], scale=meta['scale'],
             keypoints_3d=preds['keypoints_3d'][i],
             camera=preds['camera'][i], vertices=preds['vertices'][i],
             faces=preds['faces'])
        for i, (det, box, meta) in enumerate(
            zip(det_results, bboxes_xyxy, img_metas))
    ]


def _side_view(meshes: List[np.ndarray], focal: float,
               size: Tuple[int, int]) -> List[np.ndarray]:
    """The meshes turned 90 degrees about the vertical axis and moved so
    that all of them fill 80 % of a ``size`` (w, h) view."""
    rotation = cv2.Rodrigues(np.array([0., np.pi / 2, 0.]))[0]
    turned = [m @ rotation for m in meshes]
    points = np.concatenate(turned)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = high - low
    shift = -(low + high) / 2
    shift[2] = max(extent[0] * focal / (0.8 * size[0]),
                   extent[1] * focal / (0.8 * size[1])) - low[2]
    return [m + shift for m in turned]


def vis_3d_mesh_result(model: nn.Module,
                       result: Sequence[dict],
                       img: Union[str, np.ndarray, None] = None,
                       show: bool = False,
                       out_file: Optional[str] = None) -> np.ndarray:
    """Draw the meshes of :func:`inference_mesh_model` over the image (with
    their boxes), beside a side view of them.

    Each mesh is placed in the camera from its weak-perspective camera
    ``(s, tx, ty)``: depth ``2 f / (200 * scale_x * s)``, shifted by its
    box centre's offset from the image centre (f: the model's
    ``loss_mesh.focal_length``, else 5000).

    Args:
        model (nn.Module): The ``ParametricMesh`` model.
        result (list[dict]): Per person ``bbox``, ``center``, ``scale``,
            ``camera``, ``vertices`` and ``faces``.
        img (str | np.ndarray): The image the results come from.
        show (bool): Show the drawing.
        out_file (str | None): Write the drawing there.

    Returns:
        np.ndarray[H, 2W, 3]: Front view over the image, then side view.
    """
    if img is None or len(result) == 0:
        raise ArgumentError('vis_3d_mesh_result needs the image and at '
                            'least one result')
    loss_mesh = getattr(_unwrap(model), 'loss_mesh', None)
    focal = float(getattr(loss_mesh, 'focal_length', 5000.))
    img = mmcv.imread(img).copy()
    height, width = img.shape[:2]
    img_center = np.array([width, height], dtype=np.float64) / 2
    imshow_bboxes(img, np.stack([np.asarray(r['bbox'])[:4] for r in result]),
                  colors='green', thickness=2, show=False)
    meshes = []
    for res in result:
        s, tx, ty = np.asarray(res['camera'], dtype=np.float64)
        vertices = np.asarray(res['vertices'], dtype=np.float64)
        depth = 2 * focal / (np.asarray(res['scale'])[0] * 200. * s + 1e-9)
        offset = (np.asarray(res['center']) - img_center) / focal * (
            vertices[:, 2].mean() + depth)
        meshes.append(vertices + np.array([tx + offset[0], ty + offset[1],
                                           depth]))
    faces = [r['faces'] for r in result]
    front = imshow_mesh_3d(img, meshes, faces, img_center, focal)
    side = imshow_mesh_3d(
        np.full_like(img, 255), _side_view(meshes, focal, (width, height)),
        faces, img_center, focal)
    drawing = np.concatenate([front, side], axis=1)
    if show:
        mmcv.imshow(drawing)
    if out_file is not None:
        mmcv.imwrite(drawing, out_file)
    return drawing
