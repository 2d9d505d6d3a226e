"""Transforms for 3D human pose: camera projection, root centering,
normalisation, 3D heatmaps, sequence tensors and root-relative flip."""
import os.path as osp
from typing import Optional, Sequence

import mmcv
import numpy as np
import torch

from mmpose.core.camera import CAMERAS
from mmpose.core.post_processing import flip_permutation, fliplr_regression
from mmpose.errors import ArgumentError, UnknownNameError
from ..registry import PIPELINES


def _require(results: dict, key: str, who: str):
    if key not in results:
        raise UnknownNameError(f'{who}: "{key}" is not in the results; '
                               f'available keys: {sorted(results)}')
    return results[key]


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
    volumetric Gaussian heatmaps valued in [0, 10].

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
    """

    def __init__(self, sigma: float = 2,
                 joint_indices: Optional[Sequence[int]] = None):
        self.sigma = sigma
        self.joint_indices = joint_indices

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
        results['target'] = target * 10
        results['target_weight'] = target_weight
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(sigma={self.sigma}, '
                f'joint_indices={self.joint_indices})')


@PIPELINES.register_module()
class RelativeJointRandomFlip:
    """Random horizontal flip of a pose ``[..., K, C]`` around its root
    joint's x, swapping flip pairs (and the visibility with them).

    Args:
        item (str): the pose to flip.
        root_index (int): index of the root joint (the flip center).
        visible_item (str | None): visibility item flipped along.
        flip_prob (float): probability of flipping. Default: 0.5.

    Required keys: item, 'ann_info' (with 'flip_pairs'). Modified keys:
    item, visible_item.
    """

    def __init__(self,
                 item: str,
                 root_index: int,
                 visible_item: Optional[str] = None,
                 flip_prob: float = 0.5):
        self.item = item
        self.root_index = root_index
        self.vis_item = visible_item
        self.flip_prob = flip_prob

    def __call__(self, results: dict) -> dict:
        if results.get(f'{self.item}_root_removed', False):
            raise RuntimeError(f'RelativeJointRandomFlip: the root joint of '
                               f'{self.item} was removed, so it cannot be '
                               'flipped around it')
        joints = np.asarray(_require(results, self.item,
                                     'RelativeJointRandomFlip'))
        if joints.ndim < 2 or joints.shape[-2] <= self.root_index:
            raise ArgumentError(f'{self.item} must have shape [..., K, C] '
                                f'with K > root_index={self.root_index}, got '
                                f'{joints.shape}')
        if np.random.rand() <= self.flip_prob:
            flip_pairs = results['ann_info']['flip_pairs']
            results[self.item] = fliplr_regression(
                joints, flip_pairs, center_mode='root',
                center_index=self.root_index)
            if self.vis_item is not None:
                vis = np.array(
                    _require(results, self.vis_item,
                             'RelativeJointRandomFlip'), copy=True)
                order = flip_permutation(flip_pairs, vis.shape[-2])
                results[self.vis_item] = vis[..., order, :]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(item={self.item!r}, root_index='
                f'{self.root_index}, visible_item={self.vis_item!r}, '
                f'flip_prob={self.flip_prob})')
