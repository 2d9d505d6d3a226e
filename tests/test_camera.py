"""SimpleCamera: world <-> camera <-> pixel, with and without distortion."""
import pickle

import numpy as np
import pytest

from mmpose.core.camera import CAMERAS, SimpleCamera, SingleCameraBase
from .helpers import data_file


def _camera(**extra):
    # camera rotated 90 degrees about z, placed at (1, 2, 3) in the world
    R = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32)
    param = dict(R=R, T=[[1.], [2.], [3.]], f=[[100.], [200.]],
                 c=[[50.], [60.]])
    param.update(extra)
    return SimpleCamera(param)


def test_registered_and_abstract_base():
    cam = CAMERAS.build(dict(type='SimpleCamera', param=dict(
        R=np.eye(3), T=np.zeros((3, 1)), K=[[1, 0, 0], [0, 1, 0]])))
    assert isinstance(cam, SingleCameraBase)
    with pytest.raises(TypeError):
        SingleCameraBase({})


def test_world_camera_round_trip_exact_values():
    cam = _camera()
    X_cam = np.array([[1., 0., 2.], [0., 1., 4.]], dtype=np.float32)
    # x_world = R x_cam + T
    X_world = cam.camera_to_world(X_cam)
    np.testing.assert_allclose(X_world, [[1., 3., 5.], [0., 2., 7.]])
    np.testing.assert_allclose(cam.world_to_camera(X_world), X_cam,
                               atol=1e-6)


def test_camera_to_pixel_pinhole():
    cam = _camera()
    X_cam = np.array([[[1., 0., 2.], [0., 1., 4.]]])  # [N=1, J=2, 3]
    uv = cam.camera_to_pixel(X_cam)
    assert uv.shape == (1, 2, 2)
    np.testing.assert_allclose(uv[0], [[100., 60.], [50., 110.]])
    world = cam.camera_to_world(X_cam)
    np.testing.assert_allclose(cam.world_to_pixel(world), uv, atol=1e-4)


def test_K_equals_f_and_c():
    a = _camera()
    b = SimpleCamera(dict(R=np.eye(3)[[1, 0, 2]] * [[-1], [1], [1]],
                          T=[[1.], [2.], [3.]],
                          K=[[100., 0., 50.], [0., 200., 60.]]))
    X = np.array([[0.3, -0.2, 2.]])
    np.testing.assert_allclose(a.camera_to_pixel(X), b.camera_to_pixel(X),
                               atol=1e-4)


def test_distortion_moves_points_and_inverts():
    cam = _camera(k=[0.1, 0.01, 0.0], p=[0.001, 0.002])
    X = np.array([[0.5, 0.25, 1.0], [0., 0., 3.]])
    uv = cam.camera_to_pixel(X)
    # hand-computed Brown-Conrady for the first point
    x, y = 0.5, 0.25
    r2 = x * x + y * y
    radial = 1 + 0.1 * r2 + 0.01 * r2**2
    tan = 2 * (0.002 * x + 0.001 * y)
    xd = x * (radial + tan) + 0.002 * r2
    yd = y * (radial + tan) + 0.001 * r2
    np.testing.assert_allclose(uv[0], [100 * xd + 50, 200 * yd + 60],
                               rtol=1e-5)
    np.testing.assert_allclose(uv[1], [50., 60.])  # optical axis: no shift
    uvz = np.concatenate([uv, X[:, 2:]], axis=-1)
    np.testing.assert_allclose(cam.pixel_to_camera(uvz), X, atol=1e-5)


def test_pixel_to_camera_without_distortion():
    cam = _camera()
    uvz = np.array([[100., 60., 2.]])
    np.testing.assert_allclose(cam.pixel_to_camera(uvz), [[1., 0., 2.]])


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match='intrinsic'):
        SimpleCamera(dict(R=np.eye(3), T=np.zeros((3, 1))))
    with pytest.raises(ValueError, match='"R"'):
        SimpleCamera(dict(R=np.eye(2), T=np.zeros((3, 1)), K=np.eye(2, 3)))
    with pytest.raises(ValueError, match='shape'):
        _camera().world_to_camera(np.zeros((4, 2)))


def test_h36m_camera_file_projects_in_front():
    path = data_file('h36m/cameras.pkl')
    with open(path, 'rb') as f:
        params = pickle.load(f)
    cam = SimpleCamera(next(iter(params.values())))
    assert cam.undistortion
    X_world = cam.camera_to_world(np.array([[0., 0., 5000.]]))
    uv = cam.world_to_pixel(X_world)
    np.testing.assert_allclose(uv[0], cam.param['c'].ravel(), atol=1e-2)
