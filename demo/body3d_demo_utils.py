"""Helpers of the two-stage 3D demos (2D pose detection, then 2D-to-3D
lifting): converting 2D keypoints between dataset definitions, the lifter's
sequence settings, and preparing lifted poses for drawing."""
from typing import Dict, Sequence, Tuple

import numpy as np

import demo_utils  # noqa: F401  (puts the repository on sys.path)
from mmpose.errors import UnsupportedError

#: 2D detector datasets whose keypoints follow COCO's 17-point definition.
COCO_STYLE = ('TopDownCocoDataset', 'TopDownPoseTrack18Dataset',
              'TopDownPoseTrack18VideoDataset')


def _mix(num_out: int, num_in: int, copies: Tuple[Sequence[int],
                                                  Sequence[int]],
         means: Dict[int, Dict[int, float]]) -> np.ndarray:
    """A [num_out, num_in] matrix taking output keypoints ``copies[0]``
    from inputs ``copies[1]`` and the others as weighted sums ``means``
    (output -> {input: weight})."""
    weights = np.zeros((num_out, num_in))
    weights[list(copies[0]), list(copies[1])] = 1
    for dst, terms in means.items():
        weights[dst, list(terms)] = list(terms.values())
    return weights


_PELVIS, _SHOULDERS = {11: .5, 12: .5}, {5: .5, 6: .5}
_TORSO = {5: .25, 6: .25, 11: .25, 12: .25}
_EYES = {1: .5, 2: .5}

#: (2D dataset family, lifter dataset) -> (weights [K_out, K_in], index of
#: the output keypoint whose score an extrapolated keypoint takes or None)
CONVERSIONS = {
    ('coco', 'Body3DH36MDataset'): (_mix(
        17, 17,
        ([1, 2, 3, 4, 5, 6, 9, 11, 12, 13, 14, 15, 16],
         [12, 14, 16, 11, 13, 15, 0, 5, 7, 9, 6, 8, 10]),
        # pelvis, spine, thorax, head
        {0: _PELVIS, 7: _TORSO, 8: _SHOULDERS, 10: _EYES}), None),
    ('coco', 'Body3DMpiInf3dhpDataset'): (_mix(
        17, 17,
        (list(range(2, 14)), [6, 8, 10, 5, 7, 9, 12, 14, 16, 11, 13, 15]),
        # head top = head + (head - neck) / 3, neck, pelvis, spine, head
        {0: {1: 2 / 3, 2: 2 / 3, 5: -1 / 6, 6: -1 / 6}, 1: _SHOULDERS,
         14: _PELVIS, 15: _TORSO, 16: _EYES}), (0, 16)),
}


def convert_keypoint_definition(keypoints: np.ndarray, pose_det_dataset: str,
                                pose_lift_dataset: str) -> np.ndarray:
    """2D keypoints of the detector's dataset in the lifter's definition
    (as MMPose 0.29's demos): Human3.6M to Human3.6M unchanged, COCO-style
    to Human3.6M or MPI-INF-3DHP with the missing joints (pelvis, spine,
    thorax, neck, head, head top) from their neighbours.

    Args:
        keypoints (np.ndarray[K, C]): x, y (and score) of each keypoint.
        pose_det_dataset (str): The 2D model's dataset type.
        pose_lift_dataset (str): The lifter's dataset type.

    Returns:
        np.ndarray[K', C]: The converted keypoints.
    """
    if pose_det_dataset == 'TopDownH36MDataset' and \
            pose_lift_dataset == 'Body3DH36MDataset':
        return keypoints
    family = 'coco' if pose_det_dataset in COCO_STYLE else pose_det_dataset
    if (family, pose_lift_dataset) not in CONVERSIONS:
        raise UnsupportedError(
            f'no keypoint conversion from {pose_det_dataset!r} to '
            f'{pose_lift_dataset!r}; supported: TopDownH36MDataset to '
            f'Body3DH36MDataset and {list(COCO_STYLE)} to '
            f'{sorted({lift for _, lift in CONVERSIONS})}')
    weights, score_from = CONVERSIONS[(family, pose_lift_dataset)]
    converted = weights @ np.asarray(keypoints, dtype=np.float64)
    if score_from is not None and converted.shape[1] > 2:
        # an extrapolated keypoint keeps the score of its source keypoint
        converted[score_from[0], 2:] = converted[score_from[1], 2:]
    return converted.astype(np.float32)


def sequence_settings(cfg) -> Tuple[bool, int, int]:
    """``(causal, seq_len, seq_frame_interval)`` of a lifter config's
    ``test_data_cfg`` (0.29) or ``data_cfg``; 0.x's misspelt ``casual`` is
    read too."""
    data_cfg = cfg.get('test_data_cfg', cfg.get('data_cfg', {}))
    causal = data_cfg.get('causal', data_cfg.get('casual', False))
    return (bool(causal), int(data_cfg.get('seq_len', 1)),
            int(data_cfg.get('seq_frame_interval', 1)))


def rebase_height(keypoints_3d: np.ndarray, axis: int = 2) -> np.ndarray:
    """Shift poses [..., K, C] along ``axis`` so that their lowest keypoint
    is at 0 (standing on the ground)."""
    keypoints_3d = keypoints_3d.copy()
    keypoints_3d[..., axis] -= keypoints_3d[..., axis].min(
        axis=-1, keepdims=True)
    return keypoints_3d
