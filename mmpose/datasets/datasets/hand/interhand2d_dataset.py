"""InterHand2.6M, 2D keypoints of single hands."""
from typing import List

import numpy as np

from ...builder import DATASETS
from .interhand_base import InterHandBaseDataset


@DATASETS.register_module()
class InterHand2DDataset(InterHandBaseDataset):
    """InterHand2.6M 2D dataset for top-down hand pose estimation.

    `InterHand2.6M: A Dataset and Baseline for 3D Interacting Hand Pose
    Estimation from a Single RGB Image', ECCV'2020.

    Each view gives up to two single-hand instances (right, then left): the
    world joints are projected into the view, a hand whose wrist is not
    valid has no valid joint, and a hand with more than 11 valid joints is
    kept. Its box is the tightest box around the valid joints, padded by
    1.5. Metrics: ``'PCK'``, ``'AUC'``, ``'EPE'``.

    InterHand2.6M keypoint indexes (per hand)::

        0: 'thumb4', 1: 'thumb3', 2: 'thumb2', 3: 'thumb1',
        4: 'forefinger4', 5: 'forefinger3', 6: 'forefinger2',
        7: 'forefinger1', 8: 'middle_finger4', 9: 'middle_finger3',
        10: 'middle_finger2', 11: 'middle_finger1', 12: 'ring_finger4',
        13: 'ring_finger3', 14: 'ring_finger2', 15: 'ring_finger1',
        16: 'pinky_finger4', 17: 'pinky_finger3', 18: 'pinky_finger2',
        19: 'pinky_finger1', 20: 'wrist'

    Args:
        ann_file (str): Path to the annotation file.
        camera_file (str): Path to the camera file.
        joint_file (str): Path to the joint file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'interhand2d'
    BBOX_PADDING = 1.5
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'
    #: A hand needs more valid joints than this to become an instance.
    MIN_VALID_JOINTS = 11

    def _get_db(self) -> List[dict]:
        """Single-hand instances of every view (right hand first)."""
        db = []
        for frame in self._iter_frames():
            # (2, 21): right, left; a hand without a valid wrist is invalid
            valid = frame.joint_valid.reshape(2, 21)
            valid = valid * valid[:, 20:21]
            joints_img = frame.joints_img.reshape(2, 21, 2)
            size = np.array([frame.img_info['width'],
                             frame.img_info['height']], np.float32)
            kept = valid.sum(axis=1) > self.MIN_VALID_JOINTS
            for hand in np.flatnonzero(kept):
                # tightest box around the valid joints, started (as in 0.x)
                # from [width, height, 0, 0]
                pts = joints_img[hand][valid[hand] > 0]
                x1, y1 = np.minimum(size, pts.min(axis=0))
                x2, y2 = np.maximum(0, pts.max(axis=0))
                keypoints = np.concatenate(
                    [joints_img[hand], np.minimum(1, valid[hand])[:, None]],
                    axis=1)
                db.append(
                    self._make_record(
                        frame.image_file,
                        [float(x1), float(y1), float(x2 - x1),
                         float(y2 - y1)],
                        keypoints,
                        bbox_id=len(db),
                        image_id=frame.img_id))
        return db
