"""PoseTrack18 dataset for top-down pose estimation."""
import os
import os.path as osp
from collections import defaultdict
from typing import Any, Dict, List, Tuple

import numpy as np

from mmpose.errors import UnknownNameError

from ...dataset_info import table_dataset_info
from ...builder import DATASETS
from ..base import write_json
from ..base.posetrack_eval import HEAD_BIAS, posetrack_ap, to_eval_joints
from .topdown_coco_dataset import TopDownCocoDataset


@DATASETS.register_module()
class TopDownPoseTrack18Dataset(TopDownCocoDataset):
    """PoseTrack18 dataset for top-down pose estimation.

    `Posetrack: A benchmark for human pose estimation and tracking' CVPR'2018.

    Loading, detected boxes, rescoring and OKS-NMS are those of COCO.
    ``'mAP'`` writes one prediction file per video to
    ``${res_folder}/preds/<video>.json`` (PoseTrack18 format: ``keypoints``,
    per-joint ``scores``, ``score``, ``track_id``) and computes the PoseTrack
    per-frame multi-person AP natively (see
    :mod:`mmpose.datasets.datasets.base.posetrack_eval`): ``Head AP``,
    ``Shou AP``, ``Elb AP``, ``Wri AP``, ``Hip AP``, ``Knee AP``,
    ``Ankl AP``, ``Total AP`` (percent). Ground-truth annotations need
    ``bbox_head`` ``[x, y, w, h]``.

    PoseTrack2018 keypoint indexes::

        0: 'nose', 1: 'head_bottom', 2: 'head_top', 3: 'left_ear',
        4: 'right_ear', 5: 'left_shoulder', 6: 'right_shoulder',
        7: 'left_elbow', 8: 'right_elbow', 9: 'left_wrist',
        10: 'right_wrist', 11: 'left_hip', 12: 'right_hip', 13: 'left_knee',
        14: 'right_knee', 15: 'left_ankle', 16: 'right_ankle'

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'posetrack18'

    @staticmethod
    def _video_name(file_name: str) -> str:
        """Video of a frame: the folder holding it."""
        return osp.basename(osp.dirname(file_name))

    def _write_video_predictions(self, kept: Dict[Any, List[dict]],
                                 pred_folder: str) -> None:
        """One PoseTrack18-format prediction file per video (keypoint names
        and the 1-based skeleton of the PoseTrack18 table)."""
        info = table_dataset_info(self.DATASET_INFO)
        category = {
            'supercategory': 'person',
            'id': 1,
            'name': 'person',
            'keypoints': [info.keypoint_id2name[k]
                          for k in range(info.keypoint_num)],
            'skeleton': [[a + 1, b + 1] for a, b in info.skeleton],
        }
        videos = defaultdict(lambda: {'images': [], 'annotations': []})
        for img_id in self.img_ids:
            file_name = self.id2name[img_id]
            video = videos[self._video_name(file_name)]
            video['images'].append({'id': img_id, 'file_name': file_name})
            for track_id, k in enumerate(kept.get(img_id, [])):
                kpts = np.asarray(k['keypoints'])
                video['annotations'].append({
                    'image_id': img_id,
                    'keypoints': kpts.reshape(-1).tolist(),
                    'scores': kpts[:, 2].tolist(),
                    'score': float(k['score']),
                    'track_id': track_id,
                })
        os.makedirs(pred_folder, exist_ok=True)
        for name, video in videos.items():
            video['categories'] = [category]
            write_json(video, osp.join(pred_folder, f'{name}.json'))

    def _ground_truth_frames(self) -> Tuple[List[Any], List[dict]]:
        """Frames with at least one annotated person, by video then frame.
        """
        frame_ids, frames = [], []
        order = sorted(
            range(len(self.img_ids)),
            key=lambda n: (self._video_name(self.id2name[self.img_ids[n]]), n))
        for img_id in (self.img_ids[n] for n in order):
            anns = self.coco.loadAnns(self.coco.getAnnIds(imgIds=img_id))
            if not anns:
                continue
            for ann in anns:
                if 'bbox_head' not in ann:
                    raise UnknownNameError(f'{self.ann_file}: annotation id '
                                           f"{ann.get('id')} (image {img_id}) "
                                           'has no bbox_head for the '
                                           'PoseTrack evaluation')
            points, present, _ = to_eval_joints(
                np.array([self._parse_keypoints(a) for a in anns]))
            head = np.array([a['bbox_head'] for a in anns], dtype=np.float64)
            img = self.coco.imgs[img_id]
            ignore = [
                np.stack([np.asarray(xs, np.float64),
                          np.asarray(ys, np.float64)], axis=1)
                for xs, ys in zip(img.get('ignore_regions_x', []),
                                  img.get('ignore_regions_y', []))
                if len(xs) > 0
            ]
            frame_ids.append(img_id)
            frames.append({
                'points': points,
                'present': present,
                'head_size': HEAD_BIAS * np.linalg.norm(head[:, 2:4], axis=1),
                'ignore': ignore,
            })
        return frame_ids, frames

    def _evaluate_map(self, kpts: List[dict],
                      res_folder: str) -> List[Tuple[str, float]]:
        """Rescoring, OKS-NMS, per-video files and PoseTrack AP."""
        kept = self._rescore_and_nms(kpts)
        self._write_video_predictions(kept, osp.join(res_folder, 'preds'))
        frame_ids, gt_frames = self._ground_truth_frames()
        pred_frames = []
        for img_id in frame_ids:
            people = kept.get(img_id, [])
            kp = np.array([np.asarray(k['keypoints']) for k in people],
                          dtype=np.float64).reshape(-1, 17, 3)
            points, present, scores = to_eval_joints(kp)
            pred_frames.append({
                'points': points,
                'present': present,
                'scores': scores
            })
        return posetrack_ap(gt_frames, pred_frames)
