"""How MMPose 0.x draws a result when it is given only a dataset *name*.

Without ``dataset_info``, both 0.14 and 0.29 (its deprecated path) draw
with a fixed 20-colour palette, their own skeleton per dataset and, in 0.14,
a per-dataset keypoint radius; these differ from the colours (and for a few
datasets the links) of the ``dataset_info`` tables. The flip pairs, sigmas
and keypoint names still come from the tables; only the drawing style is
kept here.

Skeletons are written 1-based, as 0.x wrote them.
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

__all__ = ['PALETTE', 'LegacyStyle', 'legacy_style']

#: The 0.x visualisation palette (20 colours, given to OpenCV as they are).
PALETTE = np.array([[255, 128, 0], [255, 153, 51], [255, 178, 102],
                    [230, 230, 0], [255, 153, 255], [153, 204, 255],
                    [255, 102, 255], [255, 51, 255], [102, 178, 255],
                    [51, 153, 255], [255, 153, 153], [255, 102, 102],
                    [255, 51, 51], [153, 255, 153], [102, 255, 102],
                    [51, 255, 51], [0, 255, 0], [0, 0, 255], [255, 0, 0],
                    [255, 255, 255]])

# palette index used for links of the centre line and for unlisted points
_CENTRE, _WHITE = 9, 19

Links = Tuple[Tuple[int, int], ...]


class LegacyStyle:
    """Skeleton (1-based links), palette indices and radius of one layout."""

    def __init__(self, skeleton: Sequence[Sequence[int]] = (),
                 kpt_colors: Sequence[int] = (),
                 link_colors: Sequence[int] = (), radius: int = 4):
        self.skeleton_1based = [list(map(int, link)) for link in skeleton]
        self.kpt_colors = tuple(kpt_colors)
        self.link_colors = tuple(link_colors) or (_CENTRE, ) * len(skeleton)
        self.radius = radius

    def colours(self, num_keypoints: int) -> Tuple[np.ndarray, np.ndarray]:
        """Keypoint [K, 3] and link [L, 3] colours."""
        kpt = self.kpt_colors or (_WHITE, ) * num_keypoints
        return (PALETTE[list(kpt)].reshape(-1, 3),
                PALETTE[list(self.link_colors)].reshape(-1, 3))


def _shift(links: Sequence[Sequence[int]], by: int = 1) -> Links:
    return tuple((a + by, b + by) for a, b in links)


_COCO = LegacyStyle(
    ((16, 14), (14, 12), (17, 15), (15, 13), (12, 13), (6, 12), (7, 13),
     (6, 7), (6, 8), (7, 9), (8, 10), (9, 11), (2, 3), (1, 2), (1, 3), (2, 4),
     (3, 5), (4, 6), (5, 7)),
    (16, ) * 5 + (9, ) * 6 + (0, ) * 6,
    (0, 0, 0, 0, 7, 7, 7, 9, 9, 9, 9, 9, 16, 16, 16, 16, 16, 16, 16))
_HAND_LINK_COLORS = (0, ) * 4 + (4, ) * 4 + (8, ) * 4 + (12, ) * 4 + (16, ) * 4
# each hand: the wrist joined to four joints along each of five fingers
_HAND_LINKS_0 = tuple((0 if j == 0 else 4 * f + j, 4 * f + j + 1)
                      for f in range(5) for j in range(4))

_STYLES: Dict[str, Tuple[LegacyStyle, ...]] = {}


def _add(names: Sequence[str], *styles: LegacyStyle) -> None:
    for name in names:
        _STYLES[name] = styles


_add(('TopDownCocoDataset', 'BottomUpCocoDataset', 'TopDownOCHumanDataset',
      'TopDownPoseTrack18Dataset', 'AnimalMacaqueDataset'), _COCO)
_add(('TopDownCocoWholeBodyDataset', 'BottomUpCocoWholeBodyDataset'),
     LegacyStyle(
         _COCO.skeleton_1based + [[16, 18], [16, 19], [16, 20], [17, 21],
                                  [17, 22], [17, 23]] +
         list(_shift(_HAND_LINKS_0, 92)) + list(_shift(_HAND_LINKS_0, 113)),
         _COCO.kpt_colors + (0, ) * 6 + (_WHITE, ) * (68 + 42),
         _COCO.link_colors + (16, ) * 6 + _HAND_LINK_COLORS * 2,
         radius=1))
_add(('TopDownAicDataset', 'BottomUpAicDataset'),
     LegacyStyle(((3, 2), (2, 1), (1, 14), (14, 4), (4, 5), (5, 6), (9, 8),
                  (8, 7), (7, 10), (10, 11), (11, 12), (13, 14), (1, 7),
                  (4, 10)),
                 (9, 9, 9, 9, 9, 9, 16, 16, 16, 16, 16, 16, 0, 0),
                 (9, 9, 9, 9, 9, 9, 16, 16, 16, 16, 16, 0, 7, 7)))
_add(('TopDownMpiiDataset', 'TopDownMhpDataset', 'BottomUpMhpDataset'),
     LegacyStyle(((1, 2), (2, 3), (3, 7), (7, 4), (4, 5), (5, 6), (7, 8),
                  (8, 9), (9, 10), (9, 13), (13, 12), (12, 11), (9, 14),
                  (14, 15), (15, 16)),
                 (16, 16, 16, 16, 16, 16, 7, 7, 0, 0, 9, 9, 9, 9, 9, 9),
                 (16, 16, 16, 16, 16, 16, 7, 7, 0, 9, 9, 9, 9, 9, 9)))
_add(('TopDownMpiiTrbDataset', ),
     LegacyStyle(((13, 14), (14, 1), (14, 2), (1, 3), (2, 4), (3, 5), (4, 6),
                  (1, 7), (2, 8), (7, 8), (7, 9), (8, 10), (9, 11),
                  (10, 12)) + tuple((15 + 2 * i, 16 + 2 * i)
                                    for i in range(13)),
                 (16, ) * 14 + (0, ) * 26, (16, ) * 14 + (_WHITE, ) * 13))
# CrowdPose: shoulders, elbows, wrists, hips, knees, ankles (left, right),
# then top of head and neck
_add(('TopDownCrowdPoseDataset', 'BottomUpCrowdPoseDataset'),
     LegacyStyle(_shift(((12, 13), (13, 0), (13, 1), (0, 2), (2, 4), (1, 3),
                         (3, 5), (0, 6), (1, 7), (6, 7), (6, 8), (8, 10),
                         (7, 9), (9, 11))),
                 (0, 16) * 6 + (9, 9),
                 (9, 0, 16, 0, 0, 16, 16, 0, 16, 9, 0, 0, 16, 16)))
# JHMDB: neck, belly, head, then right/left shoulder, hip, elbow, knee,
# wrist, ankle
_add(('TopDownJhmdbDataset', ),
     LegacyStyle(_shift(((0, 2), (0, 1), (0, 3), (0, 4), (3, 7), (7, 11),
                         (4, 8), (8, 12), (1, 5), (1, 6), (5, 9), (9, 13),
                         (6, 10), (10, 14))),
                 (9, 9, 9) + (16, 0) * 6,
                 (9, 9, 16, 0, 16, 16, 0, 0, 16, 0, 16, 16, 0, 0)))
_add(('OneHand10KDataset', 'FreiHandDataset', 'PanopticDataset',
      'TopDownOneHand10KDataset', 'TopDownFreiHandDataset',
      'TopDownPanopticDataset'),
     LegacyStyle(_shift(_HAND_LINKS_0), (0, ) + _HAND_LINK_COLORS,
                 _HAND_LINK_COLORS))
# InterHand2.6M lists each finger tip first and the wrist last
_add(('InterHand2DDataset', ),
     LegacyStyle(tuple((4 * f + j + 1, 4 * f + j + 2) for f in range(5)
                       for j in range(3)) + tuple((4 * f + 4, 21)
                                                  for f in range(5)),
                 (0, 0, 0, 0, 4, 4, 4, 4, 8, 8, 8, 8, 12, 12, 12, 12, 16, 16,
                  16, 16, 0),
                 (0, 0, 0, 4, 4, 4, 8, 8, 8, 12, 12, 12, 16, 16, 16, 0, 4, 8,
                  12, 16)))
_add(('Face300WDataset', 'FaceAFLWDataset', 'FaceCOFWDataset',
      'FaceWFLWDataset'), LegacyStyle(radius=3))
_add(('AnimalHorse10Dataset', ),
     LegacyStyle(((1, 2), (2, 13), (13, 17), (17, 22), (22, 18), (18, 12),
                  (12, 11), (11, 9), (9, 10), (10, 13), (3, 4), (4, 5), (6, 7),
                  (7, 8), (14, 15), (15, 16), (19, 20), (20, 21)),
                 (4, 4, 6, 6, 6, 6, 6, 6, 4, 4, 4, 4, 4, 7, 7, 7, 4, 4, 7, 7,
                  7, 4), (4, ) * 10 + (6, ) * 4 + (7, ) * 4))
_add(('AnimalFlyDataset', ),
     LegacyStyle(((2, 1), (3, 1), (4, 1), (5, 4), (6, 5), (8, 7), (9, 8),
                  (10, 9), (12, 11), (13, 12), (14, 13), (16, 15), (17, 16),
                  (18, 17), (20, 19), (21, 20), (22, 21), (24, 23), (25, 24),
                  (26, 25), (28, 27), (29, 28), (30, 29), (31, 4), (32, 4)),
                 (0, ) * 32, (0, ) * 25))
_add(('AnimalLocustDataset', ),
     LegacyStyle(((2, 1), (3, 2), (4, 3), (5, 4), (7, 6), (8, 7), (10, 9),
                  (11, 10), (12, 11), (14, 13), (15, 14), (16, 15), (18, 17),
                  (19, 18), (20, 19), (22, 21), (23, 22), (25, 24), (26, 25),
                  (27, 26), (29, 28), (30, 29), (31, 30), (33, 32), (34, 33),
                  (35, 34)), (0, ) * 35, (0, ) * 26))
_add(('AnimalZebraDataset', ),
     LegacyStyle(((2, 1), (3, 2), (4, 3), (5, 3), (6, 8), (7, 8), (8, 3),
                  (9, 8)), (0, ) * 9, (0, ) * 8))
# ATRW (tigers): ears, nose, right/left front legs, right/left hind legs,
# tail and body centre
_add(('AnimalATRWDataset', ),
     LegacyStyle(_shift(((0, 2), (1, 2), (2, 14), (5, 6), (5, 14), (3, 4),
                         (3, 14), (13, 14), (9, 8), (8, 7), (7, 13), (12, 11),
                         (11, 10), (10, 13))),
                 (0, 16, 9, 16, 16, 0, 0, 16, 16, 16, 0, 0, 0, 9, 9),
                 (0, 16, 9, 0, 0, 16, 16, 9, 16, 16, 16, 0, 0, 0)))
# Animal-Pose: eyes, ear bases, nose, throat, tail base, withers, then
# elbows, knees and paws (left/right, front/back)
_add(('AnimalPoseDataset', ),
     LegacyStyle(_shift(((0, 1), (0, 2), (1, 3), (0, 4), (1, 4), (4, 5),
                         (5, 7), (6, 7), (5, 8), (8, 12), (12, 16), (5, 9),
                         (9, 13), (13, 17), (6, 10), (10, 14), (14, 18),
                         (6, 11), (11, 15), (15, 19))),
                 (0, 16, 0, 16, 9, 9, 9, 9) + (0, 16) * 6,
                 (9, 0, 16, 0, 16, 9, 9, 9, 0, 0, 0, 16, 16, 16, 0, 0, 0, 16,
                  16, 16)))
# DeepFashion: upper (6), lower (4) and full (8) body layouts, told by K
_add(('DeepFashionDataset', ),
     LegacyStyle(_shift(((0, 1), (0, 2), (1, 3), (0, 4), (1, 5), (4, 5))),
                 (0, 16) * 3, (9, 0, 16, 0, 16, 9)),
     LegacyStyle(_shift(((0, 1), (0, 2), (1, 3))), (0, 16) * 2, (9, 0, 16)),
     LegacyStyle(_shift(((0, 1), (0, 2), (1, 3), (0, 4), (1, 5), (4, 5),
                         (4, 6), (5, 7))), (0, 16) * 4,
                 (9, 0, 16, 0, 16, 9, 0, 16)))


def legacy_style(dataset: str, index: int = 0) -> Optional[LegacyStyle]:
    """The 0.x name-based drawing style of layout ``index`` of ``dataset``
    (None where 0.x had none)."""
    styles = _STYLES.get(dataset, ())
    return styles[index] if index < len(styles) else None
