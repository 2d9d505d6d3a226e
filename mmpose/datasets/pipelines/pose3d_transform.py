"""Transforms for 3D human pose: camera projection, root centering,
normalisation (by statistics or image size), 3D heatmaps, sequence tensors
and root-relative flip."""
import copy
import os.path as osp
from typing import Optional, Sequence

import mmcv
import numpy as np
import torch

from mmpose.core.camera import CAMERAS
from mmpose.core.post_processing import flip_permutation, fliplr_regression
from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import PIPELINES


def _require(results: dict, key: str, who: str):
    if key not in results:
        raise UnknownNameError(f'{who}: "{key}" is not in the results; '
                               f'available keys: {sorted(results)}')
    return results[key]


def _camera_of(results: dict, camera_param: Optional[dict], who: str,
               keys: Sequence[str]) -> dict:
    """A copy of the fixed ``camera_param`` or of the sample's one, checked
    to hold ``keys``."""
    camera = camera_param if camera_param is not None else _require(
        results, 'camera_param', who)
    missing = set(keys) - set(camera)
    if missing:
        raise UnknownNameError(f'{who}: camera_param lacks {sorted(missing)}'
                               f'; it has {sorted(camera)}')
    return copy.deepcopy(dict(camera))


@PIPELINES.register_module()
class CameraProjection:
    """Project the pose ``results[item]`` between world, camera and pixel
    frames.

    Args:
        item (str): the pose to project, ``np.ndarray[..., K, C]``.
        mode (str): 'world_to_camera', 'world_to_pixel', 'camera_to_world'
            or 'camera_to_pixel'.
        output_name (str | None): where to store the projection; None
            (default) replaces ``item``.
        camera_type (str): camera class registered in ``CAMERAS``.
            Default: 'SimpleCamera'.
        camera_param (dict | None): fixed camera parameters; None (default)
            reads ``results['camera_param']`` for every sample.

    Required keys: item, 'camera_param' (if camera_param is None).
    Modified keys: output_name (or item).
    """
    _MODES = ('world_to_camera', 'world_to_pixel', 'camera_to_world',
              'camera_to_pixel')

    def __init__(self,
                 item: str,
                 mode: str,
                 output_name: Optional[str] = None,
                 camera_type: str = 'SimpleCamera',
                 camera_param: Optional[dict] = None):
        if mode not in self._MODES:
            raise ArgumentError(f'Got invalid mode {mode!r}; allowed modes '
                                f'are {self._MODES}')
        self.item = item
        self.mode = mode
        self.output_name = output_name
        self.camera_type = camera_type
        self.static_camera = camera_param is not None
        if self.static_camera:
            self.camera = self._build_camera(camera_param)

    def _build_camera(self, param: dict):
        return CAMERAS.build(dict(type=self.camera_type, param=param))

    def __call__(self, results: dict) -> dict:
        joints = _require(results, self.item, 'CameraProjection')
        if self.static_camera:
            camera = self.camera
        else:
            camera = self._build_camera(
                _require(results, 'camera_param', 'CameraProjection'))
        output = getattr(camera, self.mode)(joints)
        results[self.output_name or self.item] = output
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(item={self.item!r}, mode='
                f'{self.mode!r}, output_name={self.output_name!r}, '
                f'camera_type={self.camera_type!r})')


@PIPELINES.register_module()
class GetRootCenteredPose:
    """Subtract the root joint from the pose ``results[item]``
    (``[..., K, C]``), optionally store the root and remove it.

    After removal the pose no longer matches flip_pairs / num_joints; the
    flag ``results[f'{item}_root_removed'] = True`` says so.

    Args:
        item (str): the pose to center.
        root_index (int): index of the root joint.
        visible_item (str | None): visibility item to remove the root from.
        remove_root (bool): drop the root joint. Default: False.
        root_name (str | None): key to store the root position ``[..., 1,
            C]`` under (and its index under ``f'{root_name}_index'`` when
            removed).
    """

    def __init__(self,
                 item: str,
                 root_index: int,
                 visible_item: Optional[str] = None,
                 remove_root: bool = False,
                 root_name: Optional[str] = None):
        self.item = item
        self.root_index = root_index
        self.remove_root = remove_root
        self.root_name = root_name
        self.visible_item = visible_item

    def __call__(self, results: dict) -> dict:
        joints = np.asarray(_require(results, self.item,
                                     'GetRootCenteredPose'))
        r = self.root_index
        if joints.ndim < 2 or not 0 <= r < joints.shape[-2]:
            raise ArgumentError(f'{self.item} must have shape [..., K, C] '
                                f'with K > root_index={r}, got {joints.shape}')
        root = joints[..., r:r + 1, :]
        centered = joints - root
        if self.root_name is not None:
            results[self.root_name] = root
        if self.remove_root:
            centered = np.delete(centered, r, axis=-2)
            if self.visible_item is not None:
                vis = _require(results, self.visible_item,
                               'GetRootCenteredPose')
                results[self.visible_item] = np.delete(vis, r, axis=-2)
            results[f'{self.item}_root_removed'] = True
            if self.root_name is not None:
                results[f'{self.root_name}_index'] = r
        results[self.item] = centered
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(item={self.item!r}, root_index='
                f'{self.root_index}, visible_item={self.visible_item!r}, '
                f'remove_root={self.remove_root}, root_name='
                f'{self.root_name!r})')


@PIPELINES.register_module()
class NormalizeJointCoordinate:
    """Normalise ``results[item]`` to ``(x - mean) / std``; the mean and std
    are stored as ``f'{item}_mean'`` and ``f'{item}_std'``.

    Args:
        item (str): the pose to normalise.
        mean (array | None): ``[K, C]`` means.
        std (array | None): ``[K, C]`` stds.
        norm_param_file (str | None): file (read with ``mmcv.load``) holding
            a dict with 'mean' and 'std'; overrides mean/std.
    """

    def __init__(self,
                 item: str,
                 mean: Optional[Sequence] = None,
                 std: Optional[Sequence] = None,
                 norm_param_file: Optional[str] = None):
        self.item = item
        self.norm_param_file = norm_param_file
        if norm_param_file is not None:
            if not osp.isfile(norm_param_file):
                raise FileNotFoundError('normalisation parameter file does '
                                        f'not exist: {norm_param_file}')
            norm_param = mmcv.load(norm_param_file)
            missing = {'mean', 'std'} - set(norm_param)
            if missing:
                raise UnknownNameError(f'{norm_param_file} lacks '
                                       f'{sorted(missing)}')
            mean, std = norm_param['mean'], norm_param['std']
        elif mean is None or std is None:
            raise ArgumentError('NormalizeJointCoordinate needs mean and std, '
                                'or norm_param_file')
        self.mean = np.array(mean, dtype=np.float32)
        self.std = np.array(std, dtype=np.float32)

    def __call__(self, results: dict) -> dict:
        pose = _require(results, self.item, 'NormalizeJointCoordinate')
        results[self.item] = (pose - self.mean) / self.std
        results[f'{self.item}_mean'] = self.mean.copy()
        results[f'{self.item}_std'] = self.std.copy()
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(item={self.item!r}, '
                f'norm_param_file={self.norm_param_file!r})')


@PIPELINES.register_module()
class ImageCoordinateNormalization:
    """Map pixel coordinates to ``[-1, 1]`` across the image width, keeping
    the aspect ratio: ``(p - (w / 2, h / 2)) / (w / 2)`` (0.29).

    Required keys: each ``item``, 'image_width' and 'image_height'
    (``camera_param`` too with ``norm_camera``). Modifies keys: each
    ``item`` (and the focal length ``f`` and principal point ``c`` of
    'camera_param').

    Args:
        item (str | list[str]): The pose(s) ``[..., K, 2]`` to normalise.
        norm_camera (bool): Normalise the camera intrinsics the same way.
            Default: False.
        camera_param (dict | None): Fixed intrinsics (``f`` (2, 1), ``c``
            (2, 1)) used instead of each sample's 'camera_param'.
    """

    def __init__(self,
                 item,
                 norm_camera: bool = False,
                 camera_param: Optional[dict] = None):
        self.item = [item] if isinstance(item, str) else list(item)
        self.norm_camera = norm_camera
        self.camera_param = camera_param

    def __call__(self, results: dict) -> dict:
        who = 'ImageCoordinateNormalization'
        width = _require(results, 'image_width', who)
        height = _require(results, 'image_height', who)
        center = np.array([0.5 * width, 0.5 * height], dtype=np.float32)
        scale = np.float32(0.5 * width)
        for item in self.item:
            results[item] = (_require(results, item, who) - center) / scale
        if self.norm_camera:
            camera = _camera_of(results, self.camera_param, who, ('f', 'c'))
            camera['f'] = np.asarray(camera['f']) / scale
            camera['c'] = (np.asarray(camera['c']) - center[:, None]) / scale
            results['camera_param'] = {
                **results.get('camera_param', {}),
                **camera
            }
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(item={self.item}, '
                f'norm_camera={self.norm_camera})')


@PIPELINES.register_module()
class CollectCameraIntrinsics:
    """Pack the camera intrinsics into one vector 'intrinsics': ``f`` (2),
    ``c`` (2) and, with ``need_distortion``, ``k`` (3) and ``p`` (2), i.e.
    ``float[4]`` or ``float[9]`` (0.29).

    Required keys: 'camera_param' (unless ``camera_param`` is given).
    Modifies keys: 'intrinsics'.

    Args:
        camera_param (dict | None): Fixed camera parameters used for every
            sample instead of its 'camera_param'.
        need_distortion (bool): Append the distortion coefficients ``k`` and
            ``p``. Default: True.
    """

    def __init__(self,
                 camera_param: Optional[dict] = None,
                 need_distortion: bool = True):
        self.camera_param = camera_param
        self.need_distortion = need_distortion

    def __call__(self, results: dict) -> dict:
        keys = ('f', 'c', 'k', 'p') if self.need_distortion else ('f', 'c')
        sizes = (2, 2, 3, 2)
        camera = _camera_of(results, self.camera_param,
                            'CollectCameraIntrinsics', keys)
        parts = []
        for key, size in zip(keys, sizes):
            value = np.asarray(camera[key], dtype=np.float32).reshape(-1)
            if value.size != size:
                raise ArgumentError(f'CollectCameraIntrinsics: camera_param'
                                    f'[{key!r}] has {value.size} values, '
                                    f'expected {size}')
            parts.append(value)
        results['intrinsics'] = np.concatenate(parts)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(need_distortion='
                f'{self.need_distortion})')


@PIPELINES.register_module()
class PoseSequenceToTensor:
    """Convert a pose sequence ``[T, K, C]`` (or ``[K, C]``, T = 1) into a
    ``Tensor[K*C, T]``.

    Args:
        item (str): the pose sequence.
    """

    def __init__(self, item: str):
        self.item = item

    def __call__(self, results: dict) -> dict:
        seq = _require(results, self.item, 'PoseSequenceToTensor')
        if not isinstance(seq, np.ndarray) or seq.ndim not in (2, 3):
            raise ArgumentError(f'{self.item} must be an np.ndarray [T, K, C] '
                                f'or [K, C], got {type(seq).__name__} '
                                f'{getattr(seq, "shape", "")}')
        if seq.ndim == 2:
            seq = seq[None]
        T = seq.shape[0]
        seq = seq.transpose(1, 2, 0).reshape(-1, T)
        results[self.item] = torch.from_numpy(np.ascontiguousarray(seq))
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(item={self.item!r})'


@PIPELINES.register_module()
class Generate3DHeatmapTarget:
    """Encode 3D joints (x, y in input pixels, z relative depth) as
    volumetric Gaussian heatmaps valued in [0, max_bound] (0.14: 10).

    Only the voxels within 3 sigma of each joint (coordinates rounded and
    clipped to the volume) are filled.

    Required keys: 'joints_3d', 'joints_3d_visible', 'ann_info' (with
    'image_size', 'heatmap_size' (W, H, D), 'heatmap3d_depth_bound',
    'joint_weights', 'use_different_joint_weights'). Modifies keys:
    'target' (``float32[K, D, H, W]``) and 'target_weight'
    (``float32[K, 1]``).

    Args:
        sigma: Gaussian std in voxels. Default: 2.
        joint_indices (list | None): joints to encode; None encodes all.
        max_bound (float | None): Peak value of the heatmaps (0.29); None
            keeps 0.14's 10.
    """

    def __init__(self,
                 sigma: float = 2,
                 joint_indices: Optional[Sequence[int]] = None,
                 max_bound: Optional[float] = None):
        self.sigma = sigma
        self.joint_indices = joint_indices
        self.max_bound = max_bound

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        joints_3d = np.asarray(results['joints_3d'])
        visible = np.asarray(results['joints_3d_visible'])
        image_size = np.asarray(cfg['image_size'])
        W, H, D = (int(v) for v in cfg['heatmap_size'])
        bound = cfg['heatmap3d_depth_bound']
        weights = np.asarray(cfg['joint_weights'], np.float32).reshape(-1)
        if self.joint_indices is not None:
            joints_3d = joints_3d[self.joint_indices]
            visible = visible[self.joint_indices]
            weights = weights[self.joint_indices]
        K = joints_3d.shape[0]

        mu = np.stack([joints_3d[:, 0] * W / image_size[0],
                       joints_3d[:, 1] * H / image_size[1],
                       (joints_3d[:, 2] / bound + 0.5) * D], axis=-1)
        target_weight = visible[:, 0].astype(np.float32) * (
            mu[:, 2] >= 0) * (mu[:, 2] < D)
        if cfg.get('use_different_joint_weights', False):
            target_weight = target_weight * weights
        target_weight = target_weight[:, None].astype(np.float32)

        tmp_size = 3 * self.sigma
        offsets = np.arange(2 * tmp_size + 1, dtype=np.float32) - tmp_size
        limits = np.array([W - 1, H - 1, D - 1], dtype=np.float32)
        # voxel coordinates per axis around each joint: [K, S, 3]
        coords = np.clip(
            np.round(offsets[None, :, None] + mu[:, None, :]), 0, limits)
        g = np.exp(-(coords - mu[:, None, :])**2 / (2 * self.sigma**2))
        local = (g[:, :, None, None, 2] * g[:, None, :, None, 1] *
                 g[:, None, None, :, 0])  # [K, Sz, Sy, Sx]
        S = coords.shape[1]
        idx_k = np.broadcast_to(np.arange(K)[:, None, None, None],
                                (K, S, S, S))
        idx = coords.astype(np.int64)
        target = np.zeros((K, D, H, W), dtype=np.float32)
        # Clipped voxels repeat with identical values, so write order is
        # irrelevant.
        target[idx_k, idx[:, :, None, None, 2], idx[:, None, :, None, 1],
               idx[:, None, None, :, 0]] = local
        peak = 10 if self.max_bound is None else self.max_bound
        results['target'] = target * peak
        results['target_weight'] = target_weight
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sigma={self.sigma}, '
                f'joint_indices={self.joint_indices}, '
                f'max_bound={self.max_bound})')


@PIPELINES.register_module()
class RelativeJointRandomFlip:
    """Random horizontal flip of poses ``[..., K, C]``, swapping flip pairs
    (and the visibility with them).

    0.14 form: one ``item`` flipped around the x of its joint
    ``root_index``. 0.29 form: ``item`` and ``visible_item`` lists with one
    ``flip_cfg`` each (``center_mode`` 'static' with ``center_x`` or 'root'
    with ``center_index``, see
    :func:`mmpose.core.post_processing.fliplr_regression`); all of them
    flip together.

    Args:
        item (str | list[str]): The pose(s) to flip.
        root_index (int | None): 0.14: index of the root joint (the flip
            center).
        visible_item (str | list[str] | None): Visibility flipped along.
        flip_prob (float): Probability of flipping. Default: 0.5.
        flip_cfg (dict | list[dict] | None): 0.29: flip center of each item.
        flip_camera (bool): 0.29: mirror the camera along (negate the x of
            its principal point ``c`` and its tangential distortion ``p``,
            which suits image-normalised coordinates). Default: False.
        camera_param (dict | None): 0.29: fixed camera flipped instead of
            the sample's 'camera_param'.

    Required keys: the items, 'ann_info' (with 'flip_pairs'), 'camera_param'
    with ``flip_camera``. Modified keys: the items, visible items and
    'camera_param'.
    """

    def __init__(self,
                 item,
                 root_index: Optional[int] = None,
                 visible_item=None,
                 flip_prob: float = 0.5,
                 flip_cfg=None,
                 flip_camera: bool = False,
                 camera_param: Optional[dict] = None):
        if (root_index is None) == (flip_cfg is None):
            raise ArgumentError('RelativeJointRandomFlip needs root_index '
                                f'(0.14) or flip_cfg (0.29), got root_index='
                                f'{root_index} and flip_cfg={flip_cfg}')
        self.item = item
        self.root_index = root_index
        self.vis_item = visible_item
        self.flip_prob = flip_prob
        self.flip_cfg = flip_cfg
        self.flip_camera = flip_camera
        self.camera_param = camera_param
        items = [item] if isinstance(item, str) else list(item)
        if flip_cfg is None:
            cfgs = [dict(center_mode='root', center_index=root_index)]
        else:
            cfgs = [flip_cfg] if isinstance(flip_cfg, dict) else list(
                flip_cfg)
        vis = visible_item if isinstance(visible_item, (list, tuple)) else \
            [visible_item] * len(items)
        if not len(items) == len(cfgs) == len(vis):
            raise ArgumentError(f'RelativeJointRandomFlip: {len(items)} items'
                                f', {len(cfgs)} flip_cfg and {len(vis)} '
                                'visible items')
        self._flips = list(zip(items, cfgs, vis))

    def _flip(self, results: dict, item: str, cfg: dict,
              vis_item: Optional[str]) -> None:
        who = 'RelativeJointRandomFlip'
        if results.get(f'{item}_root_removed', False) and \
                cfg.get('center_mode') == 'root':
            raise ArgumentError(f'{who}: the root joint of {item} was '
                                'removed, so it cannot be flipped around it')
        joints = np.asarray(_require(results, item, who))
        flip_pairs = results['ann_info']['flip_pairs']
        results[item] = fliplr_regression(joints, flip_pairs, **cfg)
        if vis_item is not None:
            vis = np.array(_require(results, vis_item, who), copy=True)
            order = flip_permutation(flip_pairs, vis.shape[-2])
            results[vis_item] = vis[..., order, :]

    def __call__(self, results: dict) -> dict:
        if np.random.rand() <= self.flip_prob:
            for item, cfg, vis_item in self._flips:
                self._flip(results, item, cfg, vis_item)
            if self.flip_camera:
                self._flip_camera(results)
        return results

    def _flip_camera(self, results: dict) -> None:
        camera = _camera_of(results, self.camera_param,
                            'RelativeJointRandomFlip', ('c', ))
        camera['c'] = np.array(camera['c'], dtype=np.float32)
        camera['c'][0] *= -1
        if 'p' in camera:
            camera['p'] = np.array(camera['p'], dtype=np.float32)
            camera['p'][0] *= -1
        results['camera_param'] = {**results.get('camera_param', {}),
                                   **camera}

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(item={self.item!r}, root_index='
                f'{self.root_index}, visible_item={self.vis_item!r}, '
                f'flip_prob={self.flip_prob}, flip_cfg={self.flip_cfg})')
