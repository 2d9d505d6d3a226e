"""Transforms of multi-view 3D pose (VoxelPose, MMPose 0.29): per-view
processing of a multi-view sample, 2D joints into the model's input crop,
synthetic 2D input heatmaps, and the 3D center heatmap target.

A multi-view sample is a dict ``{view index: single-view results}`` until
:class:`MultiItemProcess` turns it into one dict of per-view lists.
"""
from typing import Optional, Sequence

import numpy as np

from mmpose.core.post_processing import affine_transform, get_affine_transform
from mmpose.core.post_processing.voxel_grid import voxel_axes
from mmpose.errors import ArgumentError, ArgumentTypeError, UnsupportedError
from ..builder import PIPELINES
from .shared_transform import Compose

__all__ = [
    'MultiItemProcess', 'DiscardDuplicatedItems', 'AffineJoints',
    'GenerateInputHeatmaps', 'GenerateVoxel3DHeatmapTarget'
]


@PIPELINES.register_module()
class MultiItemProcess:
    """Run ``pipeline`` on every item of a multi-item (multi-view) sample
    and gather each key's outputs into a list, in item order.

    Args:
        pipeline (list[dict]): The single-item transforms.
    """

    def __init__(self, pipeline: Sequence[dict]):
        self.pipeline = Compose(pipeline)

    def __call__(self, results: dict) -> dict:
        merged = {}
        for item in results.values():
            for key, value in self.pipeline(item).items():
                merged.setdefault(key, []).append(value)
        return merged


@PIPELINES.register_module()
class DiscardDuplicatedItems:
    """Keep only the first element of the per-item lists named in
    ``keys_list`` (values every item shares, e.g. the 3D ground truth).

    Args:
        keys_list (list[str]): Keys to de-duplicate.
    """

    def __init__(self, keys_list: Sequence[str]):
        self.keys_list = keys_list

    def __call__(self, results: dict) -> dict:
        for key in self.keys_list:
            if key in results:
                if not isinstance(results[key], Sequence):
                    raise ArgumentTypeError(
                        f'DiscardDuplicatedItems: results[{key!r}] must be '
                        f'a per-item list, got {type(results[key]).__name__}')
                results[key] = results[key][0]
        return results


def _stacked(joints, what: str) -> np.ndarray:
    """Persons' joints (list or array) as a new np.ndarray[P, K, C]."""
    joints = np.array(joints, dtype=np.float32)
    if joints.ndim != 3:
        raise ArgumentError(f'{what} must be [P, K, C] (a list of [K, C] '
                            f'arrays), got shape {joints.shape}')
    return joints


def _like_input(original, array: np.ndarray):
    """``array`` as a list of per-person arrays when ``original`` was a
    list, else as is."""
    return list(array) if isinstance(original, (list, tuple)) else array


@PIPELINES.register_module()
class AffineJoints:
    """Map 2D joints into the model's input crop.

    The crop is ``results['center']``, ``results['scale']`` (pixels) and
    ``results['rotation']`` (degrees) onto ``ann_info['image_size']``.
    Visible joints are moved; those landing outside the crop become
    invisible.

    Args:
        item (str): Key of the joints ([P, K, C], x/y first). Default:
            'joints'.
        visible_item (str | None): Key of their visibility ([P, K, C']);
            None: all visible (and nothing is written back).

    Required keys: item, 'center', 'scale', 'rotation', 'ann_info',
    visible_item (if given).
    Modified keys: item, visible_item (if given).
    """

    def __init__(self, item: str = 'joints',
                 visible_item: Optional[str] = None):
        self.item = item
        self.visible_item = visible_item

    def __call__(self, results: dict) -> dict:
        image_size = results['ann_info']['image_size']
        original = results[self.item]
        if len(original) == 0:
            return results
        joints = _stacked(original, self.item)
        if self.visible_item is None:
            visible = np.ones_like(joints)
        else:
            visible = _stacked(results[self.visible_item], self.visible_item)
        trans = get_affine_transform(results['center'],
                                     np.asarray(results['scale']) / 200.0,
                                     results['rotation'], image_size)
        moved = visible[..., 0] > 0
        joints[moved, :2] = affine_transform(joints[moved, :2], trans)
        xy = joints[..., :2]
        outside = moved & ((xy < 0).any(-1) | (xy[..., 0] >= image_size[0])
                           | (xy[..., 1] >= image_size[1]))
        visible[outside] = 0
        results[self.item] = _like_input(original, joints)
        if self.visible_item is not None:
            results[self.visible_item] = _like_input(
                results[self.visible_item], visible)
        return results


@PIPELINES.register_module()
class GenerateInputHeatmaps:
    """Draw 2D heatmaps from 2D joints, standing in for a 2D model (used to
    train and test VoxelPose on Shelf and Campus).

    Each person's Gaussians get a sigma that grows with the person's size:
    ``sigma * sqrt(2 s / base_size^2)``, ``s`` the squared longer side of
    its visible joints' box on the heatmap, clipped to ``[(base_size/2)^2,
    (2 base_size)^2]``; persons without visible joints are skipped. Every
    joint of a drawn person is drawn in the window of 3 sigmas around its
    (truncated) heatmap position, peak value ``scale``; overlapping persons
    keep the maximum.

    Args:
        item (str): Key of the 2D joints ([P, K, 2 or 3] in input-image
            pixels). Default: 'joints'.
        visible_item (str | None): Key of their visibility; None: visible.
        obscured (float): Probability of leaving a person out. Default: 0.
        from_pred (bool): Joints are predictions: the peak is ``scale``, or
            the joint's 3rd value (its score) when ``scale`` is None, else
            1. False: ground truth, the peak is ``scale`` or drawn as set by
            ``heatmap_cfg``. Default: True.
        sigma (float): Gaussian sigma at ``base_size``. Default: 3.
        scale (float | None): Peak value. Default: None.
        base_size (int): Reference person size (heatmap pixels).
            Default: 96.
        target_type (str): Only 'gaussian'.
        heatmap_cfg (dict | None): Random peaks for ground truth:
            ``base_scale + N(0, 1) * offset`` with probability
            ``threshold`` (else ``scale``), then for each of ``extra``
            (``joint_ids``, ``scale_factor``, ``threshold``) multiplied by
            ``scale_factor`` with probability ``threshold``.

    Required keys: item, 'ann_info' ('image_size', 'heatmap_size' (one
    scale), 'num_joints', 'num_scales'), visible_item (if given).
    Added keys: 'input_heatmaps' ([np.ndarray[K, H, W]]).
    """

    def __init__(self,
                 item: str = 'joints',
                 visible_item: Optional[str] = None,
                 obscured: float = 0.0,
                 from_pred: bool = True,
                 sigma: float = 3,
                 scale: Optional[float] = None,
                 base_size: int = 96,
                 target_type: str = 'gaussian',
                 heatmap_cfg: Optional[dict] = None):
        if not from_pred and scale is None:
            raise ArgumentError('GenerateInputHeatmaps: ground-truth joints '
                                '(from_pred=False) need a peak value '
                                '`scale`, got None')
        if target_type != 'gaussian':
            raise UnsupportedError(
                f'GenerateInputHeatmaps: target_type={target_type!r} is not '
                "supported; only 'gaussian'")
        self.item = item
        self.visible_item = visible_item
        self.obscured = obscured
        self.from_pred = from_pred
        self.sigma = sigma
        self.scale = scale
        self.base_size = base_size
        self.target_type = target_type
        self.heatmap_cfg = heatmap_cfg

    def _sigmas(self, joints: np.ndarray, visible: np.ndarray) -> np.ndarray:
        """Per-person sigma [P]; 0 for persons without visible joints."""
        seen = visible[..., 0] == 1
        lo = np.where(seen[..., None], joints, np.inf).min(1)
        hi = np.where(seen[..., None], joints, -np.inf).max(1)
        side2 = np.clip(
            np.max(hi - lo, axis=-1)**2, (self.base_size / 2)**2,
            (self.base_size * 2)**2)
        side2 = np.where(seen.any(-1), side2, 0.)
        return self.sigma * np.sqrt(2 * side2 / self.base_size**2)

    def _peaks(self, joints: np.ndarray) -> np.ndarray:
        """Peak value per person and joint [P, K]."""
        shape = joints.shape[:2]
        if self.from_pred:
            if self.scale is None and joints.shape[-1] == 3:
                return joints[..., 2]
            return np.full(shape, 1.0 if self.scale is None else self.scale)
        scale = np.full(shape, self.scale, dtype=np.float64)
        cfg = self.heatmap_cfg
        if cfg is None:
            return scale
        random_base = cfg['base_scale'] + np.random.randn(*shape) * cfg[
            'offset']
        scale = np.where(
            np.random.rand(*shape) < cfg['threshold'], random_base, scale)
        for extra in cfg['extra']:
            chosen = np.isin(np.arange(shape[1]), extra['joint_ids'])
            hit = chosen & (np.random.rand(*shape) < extra['threshold'])
            scale = np.where(hit, scale * extra['scale_factor'], scale)
        return scale

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        if cfg['num_scales'] != 1:
            raise UnsupportedError(
                'GenerateInputHeatmaps supports one scale, got '
                f'num_scales={cfg["num_scales"]}')
        width, height = cfg['heatmap_size'][0]
        num_joints = cfg['num_joints']
        target = np.zeros((num_joints, height, width), dtype=np.float32)
        if len(results[self.item]) > 0:
            target = self._draw(results, target)
        results['input_heatmaps'] = [target]
        return results

    def _draw(self, results: dict, target: np.ndarray) -> np.ndarray:
        cfg = results['ann_info']
        num_joints, height, width = target.shape
        joints = _stacked(results[self.item], self.item)[:, :num_joints]
        visible = (np.ones_like(joints) if self.visible_item is None else
                   _stacked(results[self.visible_item], self.visible_item))
        stride = np.asarray(cfg['image_size'], np.float64) / [width, height]
        sigma = self._sigmas(joints[..., :2] / stride, visible)
        keep = (sigma > 0) & (np.random.rand(len(joints)) >= self.obscured)
        joints, sigma = joints[keep], sigma[keep]
        peaks = self._peaks(joints)
        # Window of each Gaussian as in 0.x: integer centre mu (truncated),
        # corners ul = int(mu - 3 sigma), br = int(mu + 3 sigma + 1), and
        # patch offsets 0..ceil(6 sigma + 1) - 1 around ul, centre at
        # floor((6 sigma + 1) / 2).
        radius = 3 * sigma[:, None, None]
        mu = np.trunc(joints[..., :2] / stride)
        ul = np.trunc(mu - radius)
        br = np.trunc(mu + radius + 1)
        size = 2 * radius + 1
        centre = np.floor(size / 2)
        ys, xs = np.arange(height), np.arange(width)
        # [P, K, H or W] one-dimensional factors of each Gaussian
        dx = xs - ul[..., :1]
        dy = ys - ul[..., 1:]
        in_x = (dx >= 0) & (xs < br[..., :1]) & (dx < np.ceil(size))
        in_y = (dy >= 0) & (ys < br[..., 1:]) & (dy < np.ceil(size))
        two_var = (2 * sigma**2)[:, None, None]
        gx = np.where(in_x, np.exp(-(dx - centre)**2 / two_var), 0.)
        gy = np.where(in_y, np.exp(-(dy - centre)**2 / two_var), 0.)
        heatmaps = (gy[..., :, None] * gx[..., None, :] *
                    peaks[..., None, None])
        target = np.maximum(target, heatmaps.max(0, initial=0.))
        return np.clip(target, 0, 1).astype(np.float32)


@PIPELINES.register_module()
class GenerateVoxel3DHeatmapTarget:
    """The 3D heatmap target of the center detector: a Gaussian (sigma in
    mm) around chosen joints of each person, on the voxel grid of
    ``ann_info`` (``space_size``, ``space_center``, ``cube_size``), kept
    within 3 sigmas per axis, maximum over persons, clipped to [0, 1].

    Args:
        sigma (float): Gaussian sigma (mm). Default: 200.
        joint_indices (list | None): The joints targeted; an entry may be a
            list of joints whose mean is used (e.g. [[11, 12]], the mid-hip).
            None: all joints.

    Required keys: 'joints_3d' ([P, K, 3]), 'joints_3d_visible', 'ann_info'.
    Added keys: 'targets_3d' (np.ndarray[J, X, Y, Z], or [X, Y, Z] when
    J = 1).
    """

    def __init__(self, sigma: float = 200.0, joint_indices=None):
        self.sigma = sigma
        self.joint_indices = joint_indices

    def _points(self, array: np.ndarray) -> np.ndarray:
        """[P, J, C]: the chosen joints (means of joint groups)."""
        indices = (range(array.shape[1]) if self.joint_indices is None else
                   self.joint_indices)
        return np.stack(
            [np.mean(array[:, np.atleast_1d(i)], axis=1) for i in indices],
            axis=1)

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        axes = voxel_axes(cfg['space_size'], cfg['space_center'],
                          cfg['cube_size'])
        joints = np.asarray(results['joints_3d'], np.float64)
        if joints.ndim != 3 or joints.shape[-1] != 3:
            raise ArgumentError('joints_3d must be [P, K, 3], got shape '
                                f'{joints.shape}')
        visible = np.asarray(results['joints_3d_visible'], np.float64)
        centers = self._points(joints)  # [P, J, 3]
        valid = self._points(visible[..., :1])[..., 0] >= 1  # [P, J]
        reach = 3 * self.sigma
        factors = []
        for d, axis in enumerate(axes):  # x, y, z: [P, J, n_d]
            offset = axis - centers[..., d:d + 1]
            factors.append(
                np.where(
                    np.abs(offset) <= reach,
                    np.exp(-offset**2 / (2 * self.sigma**2)), 0.))
        gx, gy, gz = factors
        volumes = (gx[..., :, None, None] * gy[..., None, :, None] *
                   gz[..., None, None, :]) * valid[..., None, None, None]
        target = np.clip(volumes.max(0, initial=0.), 0, 1).astype(np.float32)
        results['targets_3d'] = target[0] if len(target) == 1 else target
        return results
