"""Preprocess Human3.6M for the 3D body datasets (MMPose 0.29's
tools/dataset/preprocess_h36m.py, after the h36m-fetch scripts of Aiden
Nibali).

Steps (all three run from the command line):

1. ``extract_tgz``: unpack ``Videos``, ``D2_Positions`` and
   ``D3_Positions_mono`` of the annotated subjects (``<original>/s1/
   Videos.tgz``, ...) into ``--extracted`` (member paths may not leave
   it);
2. ``generate_cameras_file``: the 4 cameras of the 11 subjects, read from
   ``metadata.xml``, into ``<processed>/annotation_body3d/cameras.pkl``
   (``R`` camera-to-world rotation, ``T`` in metres, ``c``, ``f``, ``k``,
   ``p``, ``w``, ``h``, ``name``, ``id``);
3. ``generate_annotations``: every ``--sample-rate``-th frame of each
   sequence (action "_ALL" left out) of train (S1, S5, S6, S7, S8) and
   test (S9, S11) subjects: the frame as ``<processed>/images/<subject>/
   <subject>_<sequence>.<camera>/..._<frame:06d>.jpg``, the 17 movable
   keypoints of the 32 in 2D (pixels) and 3D (metres, camera space), the
   box centre and scale (1.2 x the longer side of the keypoints' box, in
   units of 200 px) into ``annotation_body3d/fps<50 / rate>/h36m_<split>
   .npz``, and the statistics of the train poses
   (``joint{2,3}d[_rel]_stats.pkl``, relative ones without the root).

The pose files are NASA CDF files: read with ``spacepy.pycdf`` (as 0.29)
when SpacePy and its CDF library work, else with the pure-Python
``cdflib``.

    python tools/dataset/preprocess_h36m.py --metadata metadata.xml \
        --original data/h36m/original [--extracted ...] [--processed ...] \
        [--sample-rate 5]
"""
import argparse
import os
import os.path as osp
import pickle
import sys
import tarfile
import warnings
import xml.etree.ElementTree as ET
from typing import Dict, List, Optional, Tuple

import cv2
import numpy as np

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from dataset_tool_helpers import (box_center_scale,  # noqa: E402
                                  save_pose_npz, write_pose_stats)

from mmpose.errors import ArgumentError, MissingDependencyError  # noqa: E402

NUM_RAW_JOINTS = 32
#: the 17 of the 32 recorded joints the 0.x datasets use
MOVABLE_JOINTS = [0, 1, 2, 3, 6, 7, 8, 12, 13, 14, 15, 17, 18, 19, 25, 26, 27]
#: frame size of each camera, (width, height)
IMAGE_SIZES = {
    '54138969': (1000, 1002),
    '55011271': (1000, 1000),
    '58860488': (1000, 1000),
    '60457274': (1000, 1002),
}


def read_cdf_pose(path: str) -> np.ndarray:
    """The ``Pose`` variable of a Human3.6M CDF file."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'pose file not found: {path}')
    try:
        from spacepy import pycdf
    except Exception:  # not installed, or its CDF C library is missing
        pycdf = None
    if pycdf is not None:
        with pycdf.CDF(path) as cdf:
            return np.array(cdf['Pose'])
    try:
        import cdflib
    except ImportError:
        raise MissingDependencyError(
            'reading the Human3.6M pose files (NASA CDF) needs spacepy '
            '(pip install spacepy, as MMPose 0.29) or cdflib (pip install '
            'cdflib)') from None
    return np.asarray(cdflib.CDF(path).varget('Pose'))


def camera_rotation(angles: np.ndarray) -> np.ndarray:
    """Camera-to-world rotation of the metadata's three angles."""
    x, y, z = -angles[0], angles[1], -angles[2]
    cx, sx, cy, sy, cz, sz = (np.cos(x), np.sin(x), np.cos(y), np.sin(y),
                              np.cos(z), np.sin(z))
    r_x = np.array([[1, 0, 0], [0, cx, sx], [0, -sx, cx]])
    r_y = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    r_z = np.array([[cz, sz, 0], [-sz, cz, 0], [0, 0, 1]])
    return (r_x @ r_y @ r_z).T


class PreprocessH36m:
    """Preprocess Human3.6M.

    Args:
        metadata (str): Path to ``metadata.xml``.
        original_dir (str): Folder of the original archives, those of
            subject 1 under ``s1/``.
        extracted_dir (str, optional): Where archives are unpacked.
            Default: ``extracted`` beside ``original_dir``.
        processed_dir (str, optional): Where images and annotations go.
            Default: ``processed`` beside ``original_dir``.
        sample_rate (int): Keep one frame in ``sample_rate``. Default: 5.
    """

    subjects_annot = ['S1', 'S5', 'S6', 'S7', 'S8', 'S9', 'S11']
    subjects_splits = {
        'train': ['S1', 'S5', 'S6', 'S7', 'S8'],
        'test': ['S9', 'S11']
    }
    extract_files = ['Videos', 'D2_Positions', 'D3_Positions_mono']
    movable_joints = MOVABLE_JOINTS
    scale_factor = 1.2

    def __init__(self,
                 metadata: str,
                 original_dir: str,
                 extracted_dir: Optional[str] = None,
                 processed_dir: Optional[str] = None,
                 sample_rate: int = 5):
        if sample_rate < 1:
            raise ArgumentError(
                f'sample_rate must be at least 1, got {sample_rate}')
        self.metadata = metadata
        self.original_dir = original_dir
        self.sample_rate = sample_rate
        parent = osp.dirname(osp.abspath(original_dir))
        self.extracted_dir = extracted_dir or osp.join(parent, 'extracted')
        self.processed_dir = processed_dir or osp.join(parent, 'processed')
        self.subjects: List[str] = []
        self.sequence_mappings: Dict[str, Dict[Tuple[str, str], str]] = {}
        self.action_names: Dict[str, str] = {}
        self.camera_ids: List[str] = []
        self.cameras_raw: List[float] = []
        self._load_metadata()

    # ------------------------------------------------------------ metadata
    def _load_metadata(self) -> None:
        """Subjects, sequence names, action names, camera ids and the raw
        camera parameters of ``metadata.xml``."""
        if not osp.isfile(self.metadata):
            raise FileNotFoundError(f'metadata file not found: '
                                    f'{self.metadata}')
        root = ET.parse(self.metadata).getroot()
        rows = [[cell.text for cell in row] for row in root.find('mapping')]
        # row 0: two blank cells, then the subjects; rows 1-32: action id,
        # subaction id and the sequence name of each subject
        self.subjects = rows[0][2:]
        self.sequence_mappings = {subject: {} for subject in self.subjects}
        for action, subaction, *prefixes in rows[1:33]:
            for subject, prefix in zip(self.subjects, prefixes):
                self.sequence_mappings[subject][(action, subaction)] = prefix
        self.action_names = {
            str(i + 1): elem.text
            for i, elem in enumerate(root.find('actionnames'))
        }
        self.camera_ids = [
            elem.text for elem in root.find('dbcameras/index2id')
        ]
        self.cameras_raw = [
            float(num) for num in root.find('w0').text.strip()[1:-1].split()
        ]

    def _get_base_filename(self, subject: str, action: str, subaction: str,
                           camera: str) -> str:
        return f'{self.sequence_mappings[subject][(action, subaction)]}' \
            f'.{camera}'

    def _get_camera_params(self, camera: int, subject: int) -> dict:
        """Parameters of camera ``camera`` (0-3) for subject number
        ``subject`` (1-11)."""
        raw = np.asarray(self.cameras_raw)
        start = 6 * (camera * 11 + (subject - 1))
        extrinsics = raw[start:start + 6]
        intrinsics = raw[264 + camera * 9:264 + (camera + 1) * 9]
        if len(extrinsics) != 6 or len(intrinsics) != 9:
            raise ArgumentError(
                f'{self.metadata}: w0 has {len(raw)} values, too few for '
                f'camera {camera} of subject {subject}')
        camera_id = self.camera_ids[camera]
        width, height = IMAGE_SIZES[camera_id]
        return {
            'R': camera_rotation(extrinsics[:3]),
            'T': extrinsics[3:6].reshape(3, 1) * 0.001,  # mm -> m
            'c': intrinsics[2:4, None],
            'f': intrinsics[0:2, None],
            'k': intrinsics[4:7, None],
            'p': intrinsics[7:9, None],
            'w': width,
            'h': height,
            'name': f'camera{camera + 1}',
            'id': camera_id
        }

    # --------------------------------------------------------------- steps
    def extract_tgz(self) -> None:
        """Unpack the archives of the annotated subjects."""
        os.makedirs(self.extracted_dir, exist_ok=True)
        for subject in self.subjects_annot:
            for name in self.extract_files:
                archive = osp.join(self.original_dir, subject.lower(),
                                   f'{name}.tgz')
                print(f'Extracting {archive} ...')
                with tarfile.open(archive) as tar:
                    safe_extract(tar, self.extracted_dir)
        print('Extraction done.')

    def generate_cameras_file(self) -> None:
        """Write ``cameras.pkl``: ``{(subject, camera id): params}``."""
        cameras = {(f'S{subject}', self.camera_ids[camera]):
                   self._get_camera_params(camera, subject)
                   for subject in range(1, 12) for camera in range(4)}
        out_dir = osp.join(self.processed_dir, 'annotation_body3d')
        os.makedirs(out_dir, exist_ok=True)
        out_file = osp.join(out_dir, 'cameras.pkl')
        with open(out_file, 'wb') as f:
            pickle.dump(cameras, f)
        print(f'Camera parameters -> {out_file}')

    def generate_annotations(self) -> None:
        """Write the npz annotations of both splits and the train
        statistics."""
        out_dir = osp.join(self.processed_dir, 'annotation_body3d',
                           f'fps{50 // self.sample_rate}')
        os.makedirs(out_dir, exist_ok=True)
        for split, subjects in self.subjects_splits.items():
            sequences = [
                self._load_annotations(subject, action, subaction, camera)
                for subject in subjects
                for action, subaction in self.sequence_mappings[subject]
                if action != '1'  # action 1 is "_ALL"
                for camera in self.camera_ids
            ]
            if not sequences:
                raise ArgumentError(f'no sequence of the {split} subjects '
                                    f'{subjects} in {self.metadata}')
            imgnames, centers, scales, kps_2d, kps_3d = (
                np.concatenate(parts) for parts in zip(*sequences))
            save_pose_npz(osp.join(out_dir, f'h36m_{split}.npz'), imgnames,
                          centers, scales, kps_2d, kps_3d)
            if split == 'train':
                write_pose_stats(out_dir, kps_2d, kps_3d, root_index=0)

    def _load_annotations(self, subject: str, action: str, subaction: str,
                          camera: str) -> tuple:
        """``(imgnames, centers, scales, keypoints_2d, keypoints_3d)`` of
        one sequence, its sampled frames written as images."""
        subj_dir = osp.join(self.extracted_dir, subject)
        basename = self._get_base_filename(subject, action, subaction, camera)
        poses = osp.join(subj_dir, 'MyPoseFeatures')
        kps_2d = self._sampled_pose(
            osp.join(poses, 'D2_Positions', f'{basename}.cdf'), 2)
        kps_3d = self._sampled_pose(
            osp.join(poses, 'D3_Positions_mono', f'{basename}.cdf'), 3)
        kps_3d[..., :3] /= 1000.  # mm -> m
        if len(kps_2d) != len(kps_3d):
            raise ArgumentError(f'{subject} {basename}: {len(kps_2d)} 2D '
                                f'and {len(kps_3d)} 3D poses')
        centers, scales = box_center_scale(kps_2d, self.scale_factor)

        sub_base = f'{subject}_{basename.replace(" ", "_")}'
        img_dir = osp.join(self.processed_dir, 'images', subject, sub_base)
        os.makedirs(img_dir, exist_ok=True)
        imgnames = self._extract_frames(
            osp.join(subj_dir, 'Videos', f'{basename}.mp4'),
            osp.join(subject, sub_base, sub_base), len(centers))
        num = len(imgnames)
        if num < len(centers):
            warnings.warn(f'{subject} {basename}: the video has {num} of '
                          f'the {len(centers)} annotated frames; the '
                          'others are left out')
        print(f'{subject} {basename}: {num} samples')
        return (np.array(imgnames), centers[:num], scales[:num],
                kps_2d[:num], kps_3d[:num])

    def _sampled_pose(self, path: str, dim: int) -> np.ndarray:
        """Every ``sample_rate``-th pose of a CDF file, its movable
        joints, with a visibility of 1: [N, 17, dim + 1]."""
        pose = read_cdf_pose(path)
        width = NUM_RAW_JOINTS * dim
        if pose.size % width:
            raise ArgumentError(f'{path}: Pose has {pose.size} values, not a '
                                f'multiple of {NUM_RAW_JOINTS} x {dim}')
        pose = pose.reshape(-1, NUM_RAW_JOINTS, dim)[::self.sample_rate,
                                                     self.movable_joints]
        return np.concatenate([pose, np.ones(pose.shape[:2] + (1, ))],
                              axis=2)

    def _extract_frames(self, video_path: str, prefix: str,
                        num_samples: int) -> List[str]:
        """Save every ``sample_rate``-th frame (at most ``num_samples``) as
        ``<processed>/images/<prefix>_<frame:06d>.jpg`` (kept when already
        there); returns the names relative to ``images``."""
        cap = cv2.VideoCapture(video_path)
        if not cap.isOpened():
            raise FileNotFoundError(f'cannot read video {video_path}')
        imgnames = []
        index = 0
        while len(imgnames) < num_samples:
            ok, img = cap.read()
            if not ok:
                break
            if index % self.sample_rate == 0:
                imgname = f'{prefix}_{index + 1:06d}.jpg'
                dest = osp.join(self.processed_dir, 'images', imgname)
                if not osp.exists(dest):
                    cv2.imwrite(dest, img)
                imgnames.append(imgname)
            index += 1
        cap.release()
        return imgnames


def safe_extract(tar: tarfile.TarFile, path: str) -> None:
    """Extract ``tar`` into ``path``, refusing members that would land
    outside it."""
    root = osp.realpath(path)
    for member in tar.getmembers():
        target = osp.realpath(osp.join(root, member.name))
        if osp.commonpath([root, target]) != root:
            raise ArgumentError(f'{tar.name}: member {member.name!r} would '
                                f'be extracted outside {path}')
    tar.extractall(root)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Preprocess Human3.6M')
    parser.add_argument('--metadata', type=str, required=True,
                        help='Path to metadata.xml')
    parser.add_argument(
        '--original', type=str, required=True,
        help='Directory of the original dataset with all files compressed. '
        'The .tgz files of subject 1 are under the subdirectory "s1".')
    parser.add_argument(
        '--extracted', type=str, default=None,
        help='Directory of the extracted files. Default: "extracted" beside '
        'the original directory.')
    parser.add_argument(
        '--processed', type=str, default=None,
        help='Directory of the processed files. Default: "processed" beside '
        'the original directory.')
    parser.add_argument('--sample-rate', type=int, default=5,
                        help='Downsample FPS to `1 / sample_rate`. Default: '
                        '5.')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    h36m = PreprocessH36m(
        metadata=args.metadata,
        original_dir=args.original,
        extracted_dir=args.extracted,
        processed_dir=args.processed,
        sample_rate=args.sample_rate)
    h36m.extract_tgz()
    h36m.generate_cameras_file()
    h36m.generate_annotations()


if __name__ == '__main__':
    main()
