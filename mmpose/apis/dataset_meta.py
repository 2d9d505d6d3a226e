"""Per-dataset metadata used by the inference and visualisation APIs.

MMPose 0.x selects everything dataset specific at inference time by the
dataset *name* passed to ``inference_top_down_pose_model``,
``vis_pose_result`` and ``vis_pose_tracking_result``: the left/right flip
pairs (0-based keypoint indices) used by flip testing, the skeleton (limbs as
1-based keypoint pairs, as 0.x passes them to the drawing helpers), the
keypoint and limb colours (indices into the 0.x 20-colour palette), the
keypoint radius and, for faces, a zero score threshold.

The keypoint count and flip pairs are read from the registered dataset
classes (``NUM_JOINTS`` and ``FLIP_PAIRS``; DeepFashion's per-subset table),
so the classes stay their single source; the drawing style lives only here.
Bottom-up names share the layout of their top-down counterparts.

Note:
    number of keypoints: K
    number of limbs: L
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from mmpose.datasets import DATASETS
from mmpose.datasets.datasets.fashion import deepfashion_dataset

__all__ = [
    'PALETTE', 'DatasetMeta', 'DATASET_METAS', 'get_dataset_meta',
    'get_flip_pairs', 'dataset_names'
]

#: The 0.x visualisation palette (20 colours, passed to OpenCV as given).
PALETTE = np.array([[255, 128, 0], [255, 153, 51], [255, 178, 102],
                    [230, 230, 0], [255, 153, 255], [153, 204, 255],
                    [255, 102, 255], [255, 51, 255], [102, 178, 255],
                    [51, 153, 255], [255, 153, 153], [255, 102, 102],
                    [255, 51, 51], [153, 255, 153], [102, 255, 102],
                    [51, 255, 51], [0, 255, 0], [0, 0, 255], [255, 0, 0],
                    [255, 255, 255]])

# Palette indices by side, as the 0.x body palettes use them.
_L, _R, _C, _W = 0, 16, 9, 19

Pairs = Tuple[Tuple[int, int], ...]


@dataclass(frozen=True)
class DatasetMeta:
    """What inference and drawing need to know about one keypoint layout.

    Attributes:
        num_keypoints (int): K.
        flip_pairs (tuple): Mirrored keypoint pairs, 0-based.
        skeleton (tuple): Limbs as 1-based keypoint pairs ([L, 2]).
        kpt_colors (tuple[int]): Palette index of each keypoint ([K]).
        limb_colors (tuple[int]): Palette index of each limb ([L]).
        radius (int): Keypoint circle radius.
        kpt_score_thr (float | None): Overrides the caller's threshold when
            set (0 for faces, whose landmarks are always drawn).
    """
    num_keypoints: int
    flip_pairs: Pairs
    skeleton: Pairs = ()
    kpt_colors: Tuple[int, ...] = field(default=())
    limb_colors: Tuple[int, ...] = field(default=())
    radius: int = 4
    kpt_score_thr: Optional[float] = None

    def __post_init__(self):
        kpt_colors = self.kpt_colors or (_W, ) * self.num_keypoints
        limb_colors = self.limb_colors or (_C, ) * len(self.skeleton)
        object.__setattr__(self, 'kpt_colors', tuple(kpt_colors))
        object.__setattr__(self, 'limb_colors', tuple(limb_colors))
        if len(self.kpt_colors) != self.num_keypoints:
            raise ValueError(f'{len(self.kpt_colors)} keypoint colours for '
                             f'{self.num_keypoints} keypoints')
        if len(self.limb_colors) != len(self.skeleton):
            raise ValueError(f'{len(self.limb_colors)} limb colours for '
                             f'{len(self.skeleton)} limbs')
        used = np.asarray(self.flip_pairs, dtype=np.int64).reshape(-1)
        links = np.asarray(self.skeleton, dtype=np.int64).reshape(-1)
        if (used.size and (used.min() < 0 or used.max() >= self.num_keypoints)
                or links.size and
                (links.min() < 1 or links.max() > self.num_keypoints)):
            raise ValueError('flip pair or skeleton index out of range for '
                             f'{self.num_keypoints} keypoints')

    @property
    def pose_kpt_color(self) -> np.ndarray:
        """np.ndarray[K, 3]: keypoint colours."""
        return PALETTE[list(self.kpt_colors)].reshape(-1, 3)

    @property
    def pose_limb_color(self) -> np.ndarray:
        """np.ndarray[L, 3]: limb colours."""
        return PALETTE[list(self.limb_colors)].reshape(-1, 3)


def _pairs(*pairs: Sequence[int]) -> Pairs:
    return tuple((int(a), int(b)) for a, b in pairs)


def _layout(dataset: str) -> Tuple[int, Pairs]:
    """K and flip pairs of a registered dataset class."""
    cls = DATASETS.get(dataset)
    if cls is None:
        raise KeyError(f'{dataset} is not in the DATASETS registry')
    return cls.NUM_JOINTS, _pairs(*cls.FLIP_PAIRS)


def _shift(pairs: Sequence[Sequence[int]], by: int = 1) -> Pairs:
    """0-based limbs to the 1-based form the drawing helpers take."""
    return tuple((a + by, b + by) for a, b in pairs)


# --------------------------------------------------------------- human body
_COCO_SKELETON = _pairs((16, 14), (14, 12), (17, 15), (15, 13), (12, 13),
                        (6, 12), (7, 13), (6, 7), (6, 8), (7, 9), (8, 10),
                        (9, 11), (2, 3), (1, 2), (1, 3), (2, 4), (3, 5),
                        (4, 6), (5, 7))
_COCO_LIMB_COLORS = (0, 0, 0, 0, 7, 7, 7, 9, 9, 9, 9, 9, 16, 16, 16, 16, 16,
                     16, 16)
_COCO_KPT_COLORS = (16, ) * 5 + (9, ) * 6 + (0, ) * 6
COCO = DatasetMeta(*_layout('TopDownCocoDataset'), _COCO_SKELETON,
                   _COCO_KPT_COLORS, _COCO_LIMB_COLORS)

_HAND_LIMB_COLORS = (0, ) * 4 + (4, ) * 4 + (8, ) * 4 + (12, ) * 4 + (16, ) * 4
# Each hand: the wrist joined to four joints along each of five fingers.
_HAND_LIMBS_0 = tuple(
    (0 if j == 0 else 4 * f + j, 4 * f + j + 1) for f in range(5)
    for j in range(4))
WHOLEBODY = DatasetMeta(
    *_layout('TopDownCocoWholeBodyDataset'),
    _COCO_SKELETON + _pairs((16, 18), (16, 19), (16, 20), (17, 21), (17, 22),
                            (17, 23)) + _shift(_HAND_LIMBS_0, 92) +
    _shift(_HAND_LIMBS_0, 113),
    _COCO_KPT_COLORS + (0, ) * 6 + (_W, ) * (68 + 42),
    _COCO_LIMB_COLORS + (16, ) * 6 + _HAND_LIMB_COLORS * 2,
    radius=1)

AIC = DatasetMeta(
    *_layout('TopDownAicDataset'),
    _pairs((3, 2), (2, 1), (1, 14), (14, 4), (4, 5), (5, 6), (9, 8), (8, 7),
           (7, 10), (10, 11), (11, 12), (13, 14), (1, 7), (4, 10)),
    (9, 9, 9, 9, 9, 9, 16, 16, 16, 16, 16, 16, 0, 0),
    (9, 9, 9, 9, 9, 9, 16, 16, 16, 16, 16, 0, 7, 7))

MPII = DatasetMeta(
    *_layout('TopDownMpiiDataset'),
    _pairs((1, 2), (2, 3), (3, 7), (7, 4), (4, 5), (5, 6), (7, 8), (8, 9),
           (9, 10), (9, 13), (13, 12), (12, 11), (9, 14), (14, 15), (15, 16)),
    (16, 16, 16, 16, 16, 16, 7, 7, 0, 0, 9, 9, 9, 9, 9, 9),
    (16, 16, 16, 16, 16, 16, 7, 7, 0, 9, 9, 9, 9, 9, 9))

MPII_TRB = DatasetMeta(
    *_layout('TopDownMpiiTrbDataset'),
    _pairs((13, 14), (14, 1), (14, 2), (1, 3), (2, 4), (3, 5), (4, 6), (1, 7),
           (2, 8), (7, 8), (7, 9), (8, 10), (9, 11), (10, 12)) +
    tuple((15 + 2 * i, 16 + 2 * i) for i in range(13)),
    (16, ) * 14 + (0, ) * 26, (16, ) * 14 + (_W, ) * 13)

# CrowdPose: shoulders, elbows, wrists, hips, knees, ankles (left, right),
# then top of head and neck.
CROWDPOSE = DatasetMeta(
    *_layout('TopDownCrowdPoseDataset'),
    _shift(((12, 13), (13, 0), (13, 1), (0, 2), (2, 4), (1, 3), (3, 5),
            (0, 6), (1, 7), (6, 7), (6, 8), (8, 10), (7, 9), (9, 11))),
    (0, 16) * 6 + (9, 9),
    (9, 0, 16, 0, 0, 16, 16, 0, 16, 9, 0, 0, 16, 16))

# JHMDB: neck, belly, head, then right/left shoulder, hip, elbow, knee,
# wrist, ankle.
JHMDB = DatasetMeta(
    *_layout('TopDownJhmdbDataset'),
    _shift(((0, 2), (0, 1), (0, 3), (0, 4), (3, 7), (7, 11), (4, 8), (8, 12),
            (1, 5), (1, 6), (5, 9), (9, 13), (6, 10), (10, 14))),
    (9, 9, 9) + (16, 0) * 6,
    (9, 9, 16, 0, 16, 16, 0, 0, 16, 0, 16, 16, 0, 0))

# -------------------------------------------------------------------- hands
HAND = DatasetMeta(*_layout('OneHand10KDataset'), _shift(_HAND_LIMBS_0),
                   (0, ) + _HAND_LIMB_COLORS, _HAND_LIMB_COLORS)
# InterHand2.6M orders each finger tip first and puts the wrist last.
INTERHAND = DatasetMeta(
    *_layout('InterHand2DDataset'),
    tuple((4 * f + j + 1, 4 * f + j + 2) for f in range(5)
          for j in range(3)) + tuple((4 * f + 4, 21) for f in range(5)),
    (0, 0, 0, 0, 4, 4, 4, 4, 8, 8, 8, 8, 12, 12, 12, 12, 16, 16, 16, 16, 0),
    (0, 0, 0, 4, 4, 4, 8, 8, 8, 12, 12, 12, 16, 16, 16, 0, 4, 8, 12, 16))

# -------------------------------------------------------------------- faces
_FACE = dict(radius=3, kpt_score_thr=0.)
FACE_300W = DatasetMeta(*_layout('Face300WDataset'), **_FACE)
FACE_AFLW = DatasetMeta(*_layout('FaceAFLWDataset'), **_FACE)
FACE_COFW = DatasetMeta(*_layout('FaceCOFWDataset'), **_FACE)
FACE_WFLW = DatasetMeta(*_layout('FaceWFLWDataset'), **_FACE)

# ------------------------------------------------------------------ animals
HORSE10 = DatasetMeta(
    *_layout('AnimalHorse10Dataset'),
    _pairs((1, 2), (2, 13), (13, 17), (17, 22), (22, 18), (18, 12), (12, 11),
           (11, 9), (9, 10), (10, 13), (3, 4), (4, 5), (6, 7), (7, 8),
           (14, 15), (15, 16), (19, 20), (20, 21)),
    (4, 4, 6, 6, 6, 6, 6, 6, 4, 4, 4, 4, 4, 7, 7, 7, 4, 4, 7, 7, 7, 4),
    (4, ) * 10 + (6, ) * 4 + (7, ) * 4)
FLY = DatasetMeta(
    *_layout('AnimalFlyDataset'),
    _pairs((2, 1), (3, 1), (4, 1), (5, 4), (6, 5), (8, 7), (9, 8), (10, 9),
           (12, 11), (13, 12), (14, 13), (16, 15), (17, 16), (18, 17),
           (20, 19), (21, 20), (22, 21), (24, 23), (25, 24), (26, 25),
           (28, 27), (29, 28), (30, 29), (31, 4), (32, 4)),
    (0, ) * 32, (0, ) * 25)
LOCUST = DatasetMeta(
    *_layout('AnimalLocustDataset'),
    _pairs((2, 1), (3, 2), (4, 3), (5, 4), (7, 6), (8, 7), (10, 9), (11, 10),
           (12, 11), (14, 13), (15, 14), (16, 15), (18, 17), (19, 18),
           (20, 19), (22, 21), (23, 22), (25, 24), (26, 25), (27, 26),
           (29, 28), (30, 29), (31, 30), (33, 32), (34, 33), (35, 34)),
    (0, ) * 35, (0, ) * 26)
ZEBRA = DatasetMeta(
    *_layout('AnimalZebraDataset'),
    _pairs((2, 1), (3, 2), (4, 3), (5, 3), (6, 8), (7, 8), (8, 3), (9, 8)),
    (0, ) * 9, (0, ) * 8)
# ATRW (tigers): ears, nose, right/left front legs, right/left hind legs,
# tail and body centre.
ATRW = DatasetMeta(
    *_layout('AnimalATRWDataset'),
    _shift(((0, 2), (1, 2), (2, 14), (5, 6), (5, 14), (3, 4), (3, 14),
            (13, 14), (9, 8), (8, 7), (7, 13), (12, 11), (11, 10), (10, 13))),
    (0, 16, 9, 16, 16, 0, 0, 16, 16, 16, 0, 0, 0, 9, 9),
    (0, 16, 9, 0, 0, 16, 16, 9, 16, 16, 16, 0, 0, 0))
# Animal-Pose: eyes, ear bases, nose, throat, tail base, withers, then
# elbows, knees and paws (left/right, front/back).
ANIMALPOSE = DatasetMeta(
    *_layout('AnimalPoseDataset'),
    _shift(((0, 1), (0, 2), (1, 3), (0, 4), (1, 4), (4, 5), (5, 7), (6, 7),
            (5, 8), (8, 12), (12, 16), (5, 9), (9, 13), (13, 17), (6, 10),
            (10, 14), (14, 18), (6, 11), (11, 15), (15, 19))),
    (0, 16, 0, 16, 9, 9, 9, 9) + (0, 16) * 6,
    (9, 0, 16, 0, 16, 9, 9, 9, 0, 0, 0, 16, 16, 16, 0, 0, 0, 16, 16, 16))

# ------------------------------------------------------------------ fashion
# DeepFashion has three keypoint layouts (subsets); K picks one.


def _fashion_layout(subset: str) -> Tuple[int, Pairs]:
    """K and flip pairs of a DeepFashion subset."""
    table = deepfashion_dataset.SUBSETS[subset]
    return table['num_joints'], _pairs(*table['flip_pairs'])


FASHION_UPPER = DatasetMeta(
    *_fashion_layout('upper'),
    _shift(((0, 1), (0, 2), (1, 3), (0, 4), (1, 5), (4, 5))), (0, 16) * 3,
    (9, 0, 16, 0, 16, 9))
FASHION_LOWER = DatasetMeta(
    *_fashion_layout('lower'), _shift(((0, 1), (0, 2), (1, 3))), (0, 16) * 2,
    (9, 0, 16))
FASHION_FULL = DatasetMeta(
    *_fashion_layout('full'),
    _shift(((0, 1), (0, 2), (1, 3), (0, 4), (1, 5), (4, 5), (4, 6), (5, 7))),
    (0, 16) * 4, (9, 0, 16, 0, 16, 9, 0, 16))

#: Dataset name -> metadata (one layout, or several told apart by K).
DATASET_METAS: Dict[str, Tuple[DatasetMeta, ...]] = {}


def _register(names: Sequence[str], *metas: DatasetMeta) -> None:
    for name in names:
        DATASET_METAS[name] = metas


_register(('TopDownCocoDataset', 'BottomUpCocoDataset',
           'TopDownOCHumanDataset', 'TopDownPoseTrack18Dataset',
           'AnimalMacaqueDataset'), COCO)
_register(('TopDownCocoWholeBodyDataset', 'BottomUpCocoWholeBodyDataset'),
          WHOLEBODY)
_register(('TopDownAicDataset', 'BottomUpAicDataset'), AIC)
_register(('TopDownMpiiDataset', 'TopDownMhpDataset', 'BottomUpMhpDataset'),
          MPII)
_register(('TopDownMpiiTrbDataset', ), MPII_TRB)
_register(('TopDownCrowdPoseDataset', 'BottomUpCrowdPoseDataset'), CROWDPOSE)
_register(('TopDownJhmdbDataset', ), JHMDB)
_register(('OneHand10KDataset', 'FreiHandDataset', 'PanopticDataset',
           'TopDownOneHand10KDataset', 'TopDownFreiHandDataset',
           'TopDownPanopticDataset'), HAND)
_register(('InterHand2DDataset', ), INTERHAND)
_register(('Face300WDataset', ), FACE_300W)
_register(('FaceAFLWDataset', ), FACE_AFLW)
_register(('FaceCOFWDataset', ), FACE_COFW)
_register(('FaceWFLWDataset', ), FACE_WFLW)
_register(('AnimalHorse10Dataset', ), HORSE10)
_register(('AnimalFlyDataset', ), FLY)
_register(('AnimalLocustDataset', ), LOCUST)
_register(('AnimalZebraDataset', ), ZEBRA)
_register(('AnimalATRWDataset', ), ATRW)
_register(('AnimalPoseDataset', ), ANIMALPOSE)
_register(('DeepFashionDataset', ), FASHION_UPPER, FASHION_LOWER,
          FASHION_FULL)


def dataset_names() -> List[str]:
    """Every dataset name the inference APIs know, sorted."""
    return sorted(DATASET_METAS)


def get_dataset_meta(dataset: str,
                     num_keypoints: Optional[int] = None) -> DatasetMeta:
    """Metadata of a dataset name.

    Args:
        dataset (str): Dataset class name, e.g. 'TopDownCocoDataset'.
        num_keypoints (int, optional): K of the model; picks the layout of
            datasets with several (DeepFashion) and is checked against the
            others.

    Returns:
        DatasetMeta: The dataset's keypoint layout and drawing style.

    Raises:
        ValueError: Unknown name, or K that does not match the dataset.
    """
    if dataset not in DATASET_METAS:
        raise ValueError(f'unknown dataset {dataset!r}; the inference APIs '
                         f'know: {", ".join(dataset_names())}')
    metas = DATASET_METAS[dataset]
    if num_keypoints is None:
        return metas[0]
    for meta in metas:
        if meta.num_keypoints == num_keypoints:
            return meta
    expected = ' or '.join(str(m.num_keypoints) for m in metas)
    raise ValueError(f'{dataset} has {expected} keypoints, but the model or '
                     f'result has {num_keypoints}')


def get_flip_pairs(dataset: str,
                   num_keypoints: Optional[int] = None) -> List[List[int]]:
    """Left/right keypoint pairs (0-based) of a dataset name, as the
    ``ann_info['flip_pairs']`` lists of 0.x."""
    return [list(p) for p in get_dataset_meta(dataset,
                                              num_keypoints).flip_pairs]
