"""Helpers shared by the dataset conversion scripts of ``tools/dataset``:
the header and category entries of the COCO-style jsons they write, and
the box and statistics files of the 3D body preprocessing scripts.

The scripts run as ``python tools/dataset/<script>.py``; each puts this
folder on ``sys.path`` to import this module.
"""
import os
import os.path as osp
import pickle
import time
from typing import Dict, List, Sequence, Tuple

import numpy as np

from mmpose.errors import ArgumentError

PIXEL_STD = 200  # pixels per unit of the 0.x box scale


def coco_info(description: str) -> dict:
    """The ``info`` entry of a converted json, dated today (as 0.x)."""
    now = time.localtime()
    return dict(description=description, version='1.0',
                year=time.strftime('%Y', now),
                date_created=time.strftime('%Y/%m/%d', now))


def table_category(table: str, name: str,
                   supercategory: str = 'animal') -> dict:
    """A COCO category whose keypoint names and skeleton (numbered from 1,
    as COCO does) are those of the package's ``dataset_info`` table."""
    from mmpose.datasets.dataset_info import table_dataset_info
    info = table_dataset_info(table)
    return dict(
        supercategory=supercategory, id=1, name=name,
        keypoints=[info.keypoint_id2name[i]
                   for i in range(info.keypoint_num)],
        skeleton=[[a + 1, b + 1] for a, b in info.skeleton])


def coco_dict(description: str, images: List[dict], annotations: List[dict],
              categories: List[dict]) -> dict:
    """A whole COCO-style annotation dict."""
    return dict(info=coco_info(description), images=images,
                annotations=annotations, categories=categories)


def write_json(obj: dict, path: str, indent=4) -> None:
    """Dump ``obj`` to ``path`` (its folder is created) and say how many
    images and annotations it holds."""
    import mmcv
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    mmcv.dump(obj, path, file_format='json', indent=indent)
    print(f'{len(obj.get("images", []))} images, '
          f'{len(obj.get("annotations", []))} annotations -> {path}')


def box_center_scale(keypoints: np.ndarray, scale_factor: float = 1.2
                     ) -> Tuple[np.ndarray, np.ndarray]:
    """Centres [N, 2] and scales [N] of the boxes enclosing each pose of
    ``keypoints`` [N, K, 2+] (x, y first): the scale is ``scale_factor``
    times the longer side, in units of 200 pixels."""
    xy = np.asarray(keypoints)[..., :2]
    low, high = xy.min(axis=1), xy.max(axis=1)
    centers = (low + high) / 2
    scales = scale_factor * (high - low).max(axis=1) / PIXEL_STD
    return centers, scales


def pose_stats(keypoints: np.ndarray) -> Dict[str, np.ndarray]:
    """``{'mean', 'std'}`` [K, C] of poses ``keypoints`` [..., K, C]."""
    keypoints = np.asarray(keypoints)
    if keypoints.ndim < 3:
        raise ArgumentError('pose statistics need poses [..., K, C], got '
                            f'shape {keypoints.shape}')
    flat = keypoints.reshape((-1, ) + keypoints.shape[-2:])
    return dict(mean=flat.mean(axis=0), std=flat.std(axis=0))


def write_pose_stats(out_dir: str, joints_2d: np.ndarray,
                     joints_3d: np.ndarray, root_index: int = 0,
                     keep_root: bool = False) -> None:
    """Write the statistics files of a 3D body training set into
    ``out_dir``: ``joint{2,3}d_stats.pkl`` (absolute poses) and
    ``joint{2,3}d_rel_stats.pkl`` (poses relative to keypoint
    ``root_index``). The relative ones leave the root out (H36M), or with
    ``keep_root`` keep K rows whose root row is the absolute statistics
    (MPI-INF-3DHP).

    Args:
        out_dir (str): Output folder.
        joints_2d (np.ndarray[N, K, 2+]): 2D poses (x, y first).
        joints_3d (np.ndarray[N, K, 3+]): 3D poses (x, y, z first).
        root_index (int): The root keypoint.
        keep_root (bool): See above.
    """
    for dim, joints in ((3, np.asarray(joints_3d)[..., :3]),
                        (2, np.asarray(joints_2d)[..., :2])):
        absolute = pose_stats(joints)
        relative_poses = joints - joints[..., root_index:root_index + 1, :]
        if keep_root:
            relative = pose_stats(relative_poses)
            for key in relative:
                relative[key][root_index] = absolute[key][root_index]
        else:
            relative = pose_stats(
                np.delete(relative_poses, root_index, axis=-2))
        for name, stats in ((f'joint{dim}d_stats', absolute),
                            (f'joint{dim}d_rel_stats', relative)):
            out_file = osp.join(out_dir, f'{name}.pkl')
            with open(out_file, 'wb') as f:
                pickle.dump(stats, f)
            print(f'statistics -> {out_file}')


def save_pose_npz(out_file: str, imgnames: Sequence[str],
                  centers: np.ndarray, scales: np.ndarray,
                  joints_2d: np.ndarray, joints_3d: np.ndarray) -> None:
    """Write the npz annotation layout of the 0.x 3D body datasets
    (``imgname``, ``center``, ``scale``, ``part``, ``S``)."""
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    np.savez(out_file, imgname=np.asarray(imgnames), center=centers,
             scale=scales, part=joints_2d, S=joints_3d)
    print(f'{len(imgnames)} samples -> {out_file}')
