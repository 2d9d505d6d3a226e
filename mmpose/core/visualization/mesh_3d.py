"""Drawing of 3D triangle meshes over an image (0.29's ``imshow_mesh_3d``)
with a small software renderer: pinhole projection, painter's order and
Lambert shading, so no OpenGL package is needed.

Vertices are in camera coordinates (x right, y down, z forward, as OpenCV).

Note:
    number of meshes: M
    vertices of a mesh: V
    faces of a mesh: F
"""
from typing import Sequence, Tuple, Union

import cv2
import numpy as np

from mmpose.errors import ArgumentError

__all__ = ['imshow_mesh_3d']

#: share of the light that does not depend on the face orientation
AMBIENT = 0.3


def _shaded_faces(vertices: np.ndarray, faces: np.ndarray,
                  camera_center: np.ndarray,
                  focal_length: np.ndarray) -> Tuple[np.ndarray, np.ndarray,
                                                     np.ndarray]:
    """Projected triangles [F', 3, 2], their depth [F'] and brightness
    [F'] for the faces in front of the camera."""
    tri = vertices[faces]  # [F, 3, 3]
    in_front = (tri[..., 2] > 1e-6).all(axis=1)
    tri = tri[in_front]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    norms = np.linalg.norm(normals, axis=1, keepdims=True)
    normals = normals / np.maximum(norms, 1e-12)
    # light from the camera: brightness by how squarely a face looks at it
    lambert = np.abs(normals[:, 2])
    brightness = AMBIENT + (1 - AMBIENT) * lambert
    points = tri[..., :2] / tri[..., 2:] * focal_length + camera_center
    return points, tri[..., 2].mean(axis=1), brightness


def imshow_mesh_3d(img: np.ndarray,
                   vertices: Union[np.ndarray, Sequence[np.ndarray]],
                   faces: Union[np.ndarray, Sequence[np.ndarray]],
                   camera_center: Sequence[float],
                   focal_length: Union[float, Sequence[float]],
                   colors: Union[Tuple[int, int, int],
                                 Sequence[Tuple[int, int, int]]] = (76, 76,
                                                                    204)
                   ) -> np.ndarray:
    """Render meshes over a copy of ``img``.

    Args:
        img (np.ndarray[H, W, 3]): BGR image.
        vertices (np.ndarray[V, 3] | list): Vertices of each mesh in camera
            coordinates.
        faces (np.ndarray[F, 3] | list): Vertex indices of each mesh's
            triangles.
        camera_center (Sequence[float]): Principal point ``(cx, cy)``.
        focal_length (float | Sequence[float]): ``f`` or ``(fx, fy)``.
        colors (tuple | list[tuple]): BGR colour of all or of each mesh.

    Returns:
        np.ndarray[H, W, 3]: The drawing; pixels no face covers keep the
        image.
    """
    if isinstance(vertices, np.ndarray) and vertices.ndim == 2:
        vertices, faces = [vertices], [faces]
    if len(vertices) != len(faces):
        raise ArgumentError(f'imshow_mesh_3d: {len(vertices)} vertex arrays '
                            f'but {len(faces)} face arrays')
    colors = np.asarray(colors, dtype=np.float64).reshape(-1, 3)
    if len(colors) == 1:
        colors = np.repeat(colors, len(vertices), axis=0)
    center = np.asarray(camera_center, dtype=np.float64).reshape(2)
    focal = np.broadcast_to(
        np.asarray(focal_length, dtype=np.float64).reshape(-1), (2, ))

    parts = [
        _shaded_faces(np.asarray(v, np.float64), np.asarray(f, np.int64),
                      center, focal) for v, f in zip(vertices, faces)
    ]
    points = np.concatenate([p[0] for p in parts])
    depth = np.concatenate([p[1] for p in parts])
    face_colors = np.concatenate([
        p[2][:, None] * color[None] for p, color in zip(parts, colors)
    ])
    canvas = img.copy()
    # Painter's order, far to near; OpenCV fills one polygon per call.
    fixed = np.round(points * 16).astype(np.int32)  # 4 fractional bits
    for i in np.argsort(-depth):
        cv2.fillConvexPoly(canvas, fixed[i], face_colors[i].tolist(),
                           lineType=cv2.LINE_8, shift=4)
    return canvas
