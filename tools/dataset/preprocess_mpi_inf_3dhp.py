"""Preprocess MPI-INF-3DHP for the 3D body datasets (MMPose 0.29's
tools/dataset/preprocess_mpi_inf_3dhp.py).

``data_root`` holds ``train/S1..S8/Seq1..Seq2`` (``camera.calibration``,
``annot.mat``, ``imageSequence/video_<cam>.avi``) and ``test/TS1..TS6``
(``annot_data.mat``, ``imageSequence/img_<frame:06d>.jpg``). Written to
``out_dir``:

- ``images/S<s>_Seq<q>_Cam<c>_<frame:06d>.jpg`` for the 8 training
  cameras (0, 1, 2, 4, 5, 6, 7, 8) of every training sequence, and
  ``images/TS<s>_<frame:06d>.jpg`` for the valid test frames;
- ``annotations/mpi_inf_3dhp_train.npz`` and
  ``mpi_inf_3dhp_test_valid.npz`` (``imgname``, ``center``, ``scale``,
  ``part`` [N, 17, 3], ``S`` [N, 17, 4] in metres; visibility 1 for the
  keypoints inside the 2048 x 2048 training frame), with 17 of the 28
  training joints;
- ``annotations/cameras_train.pkl`` (``S<s>_Seq<q>_Cam<c>``: ``R``,
  ``T`` in metres, ``c``, ``f``, ``w``, ``h``, ``name``) and
  ``cameras_test.pkl`` (``TS<s>``: intrinsics fitted to the test
  annotations by least squares);
- ``annotations/joint{2,3}d[_rel]_stats.pkl`` of the training poses
  (relative to the pelvis, keypoint 14, whose row keeps the absolute
  statistics).

A training sequence contributes at most the number of frames 0.29 lists
for it (and fewer, with a warning, when its annotations or video are
shorter). ``annot.mat`` is read with SciPy, the HDF5 ``annot_data.mat``
of the test set with ``h5py``.

    python tools/dataset/preprocess_mpi_inf_3dhp.py data_root out_dir
"""
import argparse
import os
import os.path as osp
import pickle
import shutil
import sys
import warnings
from typing import Dict, List, Tuple

import cv2
import numpy as np

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from dataset_tool_helpers import (box_center_scale,  # noqa: E402
                                  pose_stats, save_pose_npz,
                                  write_pose_stats)

from mmpose.errors import ArgumentError, MissingDependencyError  # noqa: E402

train_subjects = list(range(1, 9))
test_subjects = list(range(1, 7))
train_seqs = [1, 2]
train_cams = [0, 1, 2, 4, 5, 6, 7, 8]
#: frames of each training (subject, sequence)
train_frame_nums = {
    (1, 1): 6416, (1, 2): 12430, (2, 1): 6502, (2, 2): 6081,
    (3, 1): 12488, (3, 2): 12283, (4, 1): 6171, (4, 2): 6675,
    (5, 1): 12820, (5, 2): 12312, (6, 1): 6188, (6, 2): 6145,
    (7, 1): 6239, (7, 2): 6320, (8, 1): 6468, (8, 2): 6054
}
#: frames of each test subject
test_frame_nums = {1: 6151, 2: 6080, 3: 5838, 4: 6007, 5: 320, 6: 492}
train_img_size = (2048, 2048)
root_index = 14
#: the 17 keypoints (of the 28 training joints) in the order of the
#: 'mpi_inf_3dhp' table
joints_17 = [7, 5, 14, 15, 16, 9, 10, 11, 23, 24, 25, 18, 19, 20, 4, 3, 6]


def get_pose_stats(kps: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """``mean`` and ``std`` [K, C] of poses [..., K, C]."""
    stats = pose_stats(kps)
    return stats['mean'], stats['std']


def get_annotations(joints_2d: np.ndarray, joints_3d: np.ndarray,
                    scale_factor: float = 1.2) -> tuple:
    """Centres [N, 2], scales [N] and the poses with visibility
    ([N, K, 3] and [N, K, 4]) of 2D poses [N, K, 2] and 3D poses
    [N, K, 3]; a keypoint is visible when inside the training frame."""
    width, height = train_img_size
    x, y = joints_2d[..., 0], joints_2d[..., 1]
    visible = ((x >= 0) & (x < width) & (y >= 0) & (y < height))
    visible = visible.astype(np.float32)[..., None]
    joints_2d = np.concatenate([joints_2d, visible], axis=-1)
    joints_3d = np.concatenate([joints_3d, visible], axis=-1)
    centers, scales = box_center_scale(joints_2d, scale_factor)
    return centers, scales, joints_2d, joints_3d


def read_calibration(path: str, cams: List[int]) -> Dict[int, dict]:
    """Size, intrinsics (``f``, ``c``) and extrinsics (``R``, ``T`` in
    metres) of cameras ``cams`` in a Skeletool ``camera.calibration``
    file (a header line, then 7 lines per camera: name, sensor, size,
    animated, intrinsic (4 x 4), extrinsic (4 x 4), radial)."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'camera file not found: {path}')
    with open(path) as f:
        lines = f.read().splitlines()
    cameras = {}
    for cam in cams:
        block = {}
        for line in lines[cam * 7 + 1:cam * 7 + 8]:
            key, *values = line.split()
            block[key] = values
        try:
            w, h = (int(v) for v in block['size'])
            K = np.array(block['intrinsic'], dtype=np.float64).reshape(4, 4)
            RT = np.array(block['extrinsic'], dtype=np.float64).reshape(4, 4)
        except (KeyError, ValueError) as err:
            raise ArgumentError(f'{path}: camera {cam} is malformed '
                                f'({err})') from None
        cameras[cam] = dict(R=RT[:3, :3], T=RT[:3, 3:] * 0.001,
                            c=K[[0, 1], [2, 2]].reshape(2, 1),
                            f=K[[0, 1], [0, 1]].reshape(2, 1), w=w, h=h)
    return cameras


def extract_video_frames(video_path: str, num_frames: int,
                         img_dir: str, prefix: str) -> List[str]:
    """Save the first ``num_frames`` frames as
    ``<img_dir>/<prefix>_<frame:06d>.jpg``; returns the names (fewer when
    the video is shorter)."""
    cap = cv2.VideoCapture(video_path)
    if not cap.isOpened():
        raise FileNotFoundError(f'cannot read video {video_path}')
    names = []
    while len(names) < num_frames:
        ok, img = cap.read()
        if not ok:
            break
        name = f'{prefix}_{len(names) + 1:06d}.jpg'
        cv2.imwrite(osp.join(img_dir, name), img)
        names.append(name)
    cap.release()
    return names


def _collect(parts: List[tuple]) -> tuple:
    """Concatenate per-sequence ``(imgnames, centers, scales, joints_2d,
    joints_3d)``."""
    if not parts:
        raise ArgumentError('no sequence to preprocess')
    return tuple(np.concatenate(arrays) for arrays in zip(*parts))


def load_trainset(data_root: str, out_dir: str) -> None:
    """Write the training images, annotations, cameras and statistics."""
    from scipy.io import loadmat
    img_dir = osp.join(out_dir, 'images')
    annot_dir = osp.join(out_dir, 'annotations')
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(annot_dir, exist_ok=True)
    parts, cameras, short = [], {}, []
    for subj in train_subjects:
        for seq in train_seqs:
            seq_path = osp.join(data_root, 'train', f'S{subj}', f'Seq{seq}')
            calibration = read_calibration(
                osp.join(seq_path, 'camera.calibration'), train_cams)
            annot = loadmat(osp.join(seq_path, 'annot.mat'))
            for cam in train_cams:
                name = f'S{subj}_Seq{seq}_Cam{cam}'
                cameras[name] = dict(calibration[cam],
                                     name=f'train_cam_{cam}')
                annot2 = np.asarray(annot['annot2'][cam][0])
                annot3 = np.asarray(annot['annot3'][cam][0])
                num = min(train_frame_nums[(subj, seq)], len(annot2))
                imgnames = extract_video_frames(
                    osp.join(seq_path, 'imageSequence', f'video_{cam}.avi'),
                    num, img_dir, name)
                if len(imgnames) < train_frame_nums[(subj, seq)]:
                    short.append(f'{name} ({len(imgnames)} of '
                                 f'{train_frame_nums[(subj, seq)]})')
                num = len(imgnames)
                joints_2d = annot2[:num].reshape(num, 28, 2)[:, joints_17]
                joints_3d = annot3[:num].reshape(num, 28, 3)[:, joints_17]
                centers, scales, joints_2d, joints_3d = get_annotations(
                    joints_2d, joints_3d * 0.001)
                parts.append((np.array(imgnames), centers, scales, joints_2d,
                              joints_3d))
    if short:
        warnings.warn(f'{len(short)} of {len(parts)} training videos have '
                      'fewer frames than 0.29 lists: '
                      + ', '.join(short))
    imgnames, centers, scales, joints_2d, joints_3d = _collect(parts)
    save_pose_npz(osp.join(annot_dir, 'mpi_inf_3dhp_train.npz'), imgnames,
                  centers, scales, joints_2d, joints_3d)
    out_file = osp.join(annot_dir, 'cameras_train.pkl')
    with open(out_file, 'wb') as f:
        pickle.dump(cameras, f)
    print(f'training cameras -> {out_file}')
    write_pose_stats(annot_dir, joints_2d, joints_3d, root_index=root_index,
                     keep_root=True)


def fit_intrinsics(annot2: np.ndarray, annot3: np.ndarray) -> dict:
    """``f`` and ``c`` [2, 1] of the pinhole camera projecting the camera
    space points ``annot3`` [..., 3] onto the pixels ``annot2`` [..., 2]
    (least squares of ``u z = f_x x + c_x z``, and the same for v)."""
    xyz = annot3.reshape(-1, 3)
    uv = annot2.reshape(-1, 2)
    fitted = [
        np.linalg.lstsq(xyz[:, [axis, 2]], uv[:, axis] * xyz[:, 2],
                        rcond=None)[0] for axis in (0, 1)
    ]
    (fx, cx), (fy, cy) = fitted
    return dict(f=np.array([[fx], [fy]]), c=np.array([[cx], [cy]]))


def read_test_annotations(path: str) -> Tuple[np.ndarray, ...]:
    """``annot2`` [N, 17, 2], ``annot3`` [N, 17, 3] and ``valid_frame``
    [N] of a test subject's ``annot_data.mat`` (MATLAB v7.3)."""
    try:
        import h5py
    except ImportError:
        raise MissingDependencyError(
            'reading the MPI-INF-3DHP test annotations (MATLAB v7.3) needs '
            'h5py: pip install h5py') from None
    if not osp.isfile(path):
        raise FileNotFoundError(f'annotation file not found: {path}')
    with h5py.File(path, 'r') as f:
        return (np.asarray(f['annot2']).reshape(-1, 17, 2),
                np.asarray(f['annot3']).reshape(-1, 17, 3),
                np.asarray(f['valid_frame']).reshape(-1))


def load_testset(data_root: str, out_dir: str,
                 valid_only: bool = True) -> None:
    """Write the test images, annotations and cameras (only the frames
    marked valid unless ``valid_only`` is False)."""
    img_dir = osp.join(out_dir, 'images')
    annot_dir = osp.join(out_dir, 'annotations')
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(annot_dir, exist_ok=True)
    parts, cameras = [], {}
    for subj in test_subjects:
        subj_path = osp.join(data_root, 'test', f'TS{subj}')
        annot2, annot3, valid = read_test_annotations(
            osp.join(subj_path, 'annot_data.mat'))
        w, h = (2048, 2048) if subj <= 4 else (1920, 1080)
        cameras[f'TS{subj}'] = dict(fit_intrinsics(annot2, annot3), w=w, h=h,
                                    name=f'test_cam_{subj}')
        frames = (np.nonzero(valid)[0] if valid_only else np.arange(
            min(test_frame_nums[subj], len(annot2))))
        centers, scales, joints_2d, joints_3d = get_annotations(
            annot2[frames], annot3[frames] * 0.001)
        imgnames = []
        for i in frames:
            name = f'TS{subj}_{i + 1:06d}.jpg'
            shutil.copyfile(
                osp.join(subj_path, 'imageSequence', f'img_{i + 1:06d}.jpg'),
                osp.join(img_dir, name))
            imgnames.append(name)
        parts.append((np.array(imgnames, dtype=str), centers, scales,
                      joints_2d, joints_3d))
    imgnames, centers, scales, joints_2d, joints_3d = _collect(parts)
    kind = 'valid' if valid_only else 'all'
    save_pose_npz(osp.join(annot_dir, f'mpi_inf_3dhp_test_{kind}.npz'),
                  imgnames, centers, scales, joints_2d, joints_3d)
    out_file = osp.join(annot_dir, 'cameras_test.pkl')
    with open(out_file, 'wb') as f:
        pickle.dump(cameras, f)
    print(f'test cameras -> {out_file}')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Preprocess MPI-INF-3DHP')
    parser.add_argument('data_root', type=str, help='data root')
    parser.add_argument('out_dir', type=str,
                        help='directory to save annotation files.')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    load_trainset(args.data_root, args.out_dir)
    load_testset(args.data_root, args.out_dir, valid_only=True)


if __name__ == '__main__':
    main()
