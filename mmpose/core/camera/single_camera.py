"""Pinhole camera with optional radial/tangential (Brown-Conrady)
distortion."""
from typing import Tuple

import numpy as np

from mmpose.errors import ArgumentError, ArgumentTypeError
from .camera_base import CAMERAS, SingleCameraBase


def _check_points(X, dims: Tuple[int, ...], what: str,
                  array_type: type = np.ndarray) -> None:
    if not isinstance(X, array_type):
        kind = {np.ndarray: 'np.ndarray'}.get(array_type, array_type.__name__)
        raise ArgumentTypeError(f'{what} must be a {kind}, '
                                f'got {type(X).__name__}')
    if X.ndim < 2 or X.shape[-1] not in dims:
        raise ArgumentError(f'{what} must have shape [..., J, C] with C in '
                            f'{dims}, got shape {X.shape}')


def _as_array(param: dict, key: str, shape: Tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(param[key], dtype=np.float32)
    if arr.size != int(np.prod(shape)):
        raise ArgumentError(
            f'camera parameter "{key}" must have shape {shape}, '
            f'got {arr.shape}')
    return arr.reshape(shape)


@CAMERAS.register_module()
class SimpleCamera(SingleCameraBase):
    """Pinhole camera model with optional lens distortion.

    Note:
        Points are row vectors ``[..., J, C]``: ``[J, C]`` one person,
        ``[N, J, C]`` a batch, ``[N, T, J, C]`` a batch of sequences.

    Args:
        param (dict): camera parameters:

            - R (3x3): rotation, camera-to-world (``x_w = R @ x_c + T``)
            - T (3x1): translation, camera-to-world
            - K (2x3, optional): intrinsics ``[[fx, 0, cx], [0, fy, cy]]``
            - f (2x1, optional): focal lengths, used with ``c`` if no ``K``
            - c (2x1, optional): principal point, used with ``f`` if no ``K``
            - k (3 or 6, optional): radial distortion coefficients
            - p (2, optional): tangential distortion coefficients

            Distortion is applied only when both ``k`` and ``p`` are given.
    """
    # The projections only use operators NumPy and PyTorch share; a
    # subclass holding tensors sets these two (see SimpleCameraTorch).
    array_type = np.ndarray
    concatenate = staticmethod(np.concatenate)

    def __init__(self, param: dict):
        self.param = {}
        R = _as_array(param, 'R', (3, 3))
        T = _as_array(param, 'T', (3, 1))
        # Matrices are stored transposed because points are row vectors.
        self.param['R_c2w'] = R.T
        self.param['T_c2w'] = T.T
        self.param['R_w2c'] = R
        self.param['T_w2c'] = -self.param['T_c2w'] @ self.param['R_w2c']

        if 'K' in param:
            K = _as_array(param, 'K', (2, 3))
            self.param['K'] = K.T
            self.param['f'] = np.array([[K[0, 0]], [K[1, 1]]], np.float32)
            self.param['c'] = np.array([[K[0, 2]], [K[1, 2]]], np.float32)
        elif 'f' in param and 'c' in param:
            f = _as_array(param, 'f', (2, 1))
            c = _as_array(param, 'c', (2, 1))
            self.param['K'] = np.concatenate((np.diagflat(f), c), axis=-1).T
            self.param['f'] = f
            self.param['c'] = c
        else:
            raise ArgumentError(
                'camera intrinsic parameters are missing: give '
                '"K", or both "f" and "c"; got keys '
                f'{sorted(param)}')

        self.undistortion = 'k' in param and 'p' in param
        if self.undistortion:
            k = np.asarray(param['k'], dtype=np.float32).ravel()
            p = np.asarray(param['p'], dtype=np.float32).ravel()
            if k.size not in (3, 6):
                raise ArgumentError('radial distortion "k" must have 3 or 6 '
                                    f'values, got {k.size}')
            if p.size != 2:
                raise ArgumentError('tangential distortion "p" must have 2 '
                                    f'values, got {p.size}')
            self.param['k'] = k
            self.param['p'] = p

    def world_to_camera(self, X: np.ndarray) -> np.ndarray:
        _check_points(X, (3, ), 'world points', self.array_type)
        return X @ self.param['R_w2c'] + self.param['T_w2c']

    def camera_to_world(self, X: np.ndarray) -> np.ndarray:
        _check_points(X, (3, ), 'camera points', self.array_type)
        return X @ self.param['R_c2w'] + self.param['T_c2w']

    def _distort(self, xy: np.ndarray) -> np.ndarray:
        """Apply lens distortion to normalised image points ``[..., 2]``."""
        k, p = self.param['k'], self.param['p']
        r2 = (xy**2).sum(-1)
        r4 = r2 * r2
        r6 = r4 * r2
        radial = 1 + k[0] * r2 + k[1] * r4 + k[2] * r6
        if k.size == 6:
            radial = radial / (1 + k[3] * r2 + k[4] * r4 + k[5] * r6)
        x, y = xy[..., 0], xy[..., 1]
        tangential = 2 * (p[1] * x + p[0] * y)
        # The extra term r2 * (p1, p0) completes the tangential model
        # x' = x (radial + 2 p1 x + 2 p0 y) + p1 r2 (and its mirror for y).
        return (xy * (radial + tangential)[..., None] +
                r2[..., None] * p[[1, 0]])

    def camera_to_pixel(self, X: np.ndarray) -> np.ndarray:
        _check_points(X, (3, ), 'camera points', self.array_type)
        _X = X / X[..., 2:]  # a new array: safe to modify in place
        if self.undistortion:
            _X[..., :2] = self._distort(_X[..., :2])
        return _X @ self.param['K']

    def pixel_to_camera(self, X: np.ndarray,
                        num_iters: int = 10) -> np.ndarray:
        """Pixel coordinates with depth ``[..., 3]`` (u, v, z) -> camera
        frame ``[..., 3]``.

        With distortion, the normalised point is found by fixed-point
        iteration of ``num_iters`` steps, exact to float precision for the
        moderate distortion of real lenses.
        """
        _check_points(X, (3, ), 'pixel points with depth', self.array_type)
        f = self.param['f'].T
        c = self.param['c'].T
        xy_d = (X[..., :2] - c) / f
        xy = xy_d
        if self.undistortion:
            for _ in range(num_iters):  # iterations, not points
                err = self._distort(xy) - xy_d
                xy = xy - err
        depth = X[..., 2:]
        return self.concatenate([xy * depth, depth], -1)
