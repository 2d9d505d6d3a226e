"""Known answers of the inference APIs.

The networks here are stand-ins whose heatmaps (and tags) the test chooses;
everything after them is the real code: the box to center/scale rule, the
crop, flip test with ``shift_heatmap``, heatmap decoding, grouping and the
way back to image coordinates. Every expected coordinate is worked out by
hand from the 0.x rules written next to it.
"""
import mmcv
import numpy as np
import pytest
import torch
from torch import nn

from mmpose.apis import (inference_bottom_up_pose_model,
                         inference_top_down_pose_model, init_pose_model,
                         vis_pose_result)
from .helpers import DATA

TOP_DOWN_CFG = str(DATA / 'demo' / 'tiny_top_down_coco.py')
BOTTOM_UP_CFG = str(DATA / 'demo' / 'tiny_bottom_up_coco.py')
K = 17
# COCO's left/right keypoint pairs (nose, eyes, ears, shoulders, elbows,
# wrists, hips, knees, ankles), written out independently of the library.
COCO_PAIRS = np.array([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12],
                       [13, 14], [15, 16]])
MIRROR = np.arange(K)
MIRROR[COCO_PAIRS[:, 0]], MIRROR[COCO_PAIRS[:, 1]] = (COCO_PAIRS[:, 1],
                                                      COCO_PAIRS[:, 0])


def gradient_image(height: int, width: int) -> np.ndarray:
    """BGR uint8 image getting darker to the right: every crop's left half
    is the brighter one unless the crop was mirrored."""
    row = np.linspace(255, 0, width).astype(np.uint8)
    return np.repeat(np.repeat(row[None, :, None], height, 0), 3, 2)


def mirrored(x: torch.Tensor) -> torch.Tensor:
    """Per image of a batch [N, C, H, W]: is its right half brighter?"""
    half = x.shape[-1] // 2
    return x[..., :half].mean((1, 2, 3)) < x[..., half:].mean((1, 2, 3))


def mirror_equivariant(maps: np.ndarray):
    """A stand-in head: ``maps`` [C, h, w] for an upright input and, for a
    mirrored one, what a mirror-equivariant network gives: left/right
    channels swapped and every row reversed."""
    upright = torch.from_numpy(maps)
    channels = np.concatenate([MIRROR, K + MIRROR])[:len(maps)]
    flipped = torch.from_numpy(maps[channels, :, ::-1].copy())

    def forward(x):
        pick = mirrored(x)[:, None, None, None]
        return torch.where(pick, flipped, upright)

    return forward


# ---------------------------------------------------------------- top-down
# Heatmaps are 12 x 16 (input 96 x 128, stride 8). Joint k peaks (value 1)
# at (x, y) with one neighbour at 0.5: right of it, above it, or none.
JOINTS = np.arange(K)
PEAK_X = np.where(JOINTS == 0, 1, 2 + (JOINTS % 4) * 2)
PEAK_Y = 2 + (JOINTS // 4) * 3
PATTERN = np.where(JOINTS == 0, 'right',
                   np.array(['none', 'right', 'up'])[JOINTS % 3])
RIGHT, UP = PATTERN == 'right', PATTERN == 'up'


def top_down_heatmaps() -> np.ndarray:
    maps = np.zeros((K, 16, 12), np.float32)
    maps[JOINTS, PEAK_Y, PEAK_X] = 1.
    maps[JOINTS[RIGHT], PEAK_Y[RIGHT], PEAK_X[RIGHT] + 1] = .5
    maps[JOINTS[UP], PEAK_Y[UP] - 1, PEAK_X[UP]] = .5
    return maps


def expected_heatmap_coords(shift_heatmap: bool) -> np.ndarray:
    """[K, 3] decoded (x, y, score) in heatmap pixels.

    Decoding takes the maximum (the first one on a tie) and moves it 0.25
    towards the higher horizontal and vertical neighbour (not at all on a
    tie, nor when the maximum is in the two outer columns/rows).

    Without ``shift_heatmap`` the flipped-back map equals the upright one,
    so the average is the map itself: 'right' -> (x + .25, y), 'up' ->
    (x, y - .25), 'none' -> (x, y); joint 0 sits in column 1, where no
    shift applies: (1, y). All with score 1.

    With it the flipped-back map moves one column right before averaging:
    'none' -> .5 at x and x + 1, maximum x, right side higher: (x + .25, y),
    score .5; 'right' -> .5, .75, .25 at x, x + 1, x + 2: (x + .75, y), .75;
    'up' -> as 'none' plus .25 above both: (x + .25, y - .25), .5; joint 0
    -> maximum .75 in column 2, now inside: (1.75, y), .75.
    """
    x, y = PEAK_X.astype(float), PEAK_Y.astype(float)
    dy = np.where(UP, -.25, 0.)
    if not shift_heatmap:
        dx = np.where(RIGHT & (JOINTS > 0), .25, 0.)
        return np.stack([x + dx, y + dy, np.ones(K)], 1)
    dx = np.where(RIGHT, .75, .25)
    score = np.where(RIGHT, .75, .5)
    return np.stack([x + dx, y + dy, score], 1)


# Boxes as (x, y, w, h), their (x1, y1, x2, y2) twins (0.x counts pixels
# inclusively: w = x2 - x1 + 1) and the affine back to the image, worked
# out by hand. The input aspect ratio is 96 / 128 = 0.75: a box is widened
# or heightened to it, padded by 1.25, and its heatmap pixel is then
# (box width in px) / 12 wide; image x = hx * stride + cx - width / 2.
BOXES = [
    # 60 x 80 is already 3:4 -> 75 x 100 px, center (70, 60)
    dict(xywh=[40, 20, 60, 80], xyxy=[40, 20, 99, 99],
         stride=6.25, origin=(70 - 37.5, 60 - 50)),
    # 30 x 80 is too narrow -> 60 x 80 -> 75 x 100 px, center (115, 90)
    dict(xywh=[100, 50, 30, 80], xyxy=[100, 50, 129, 129],
         stride=6.25, origin=(115 - 37.5, 90 - 50)),
    # 120 x 40 is too wide -> 120 x 160 -> 150 x 200 px, center (70, 30)
    dict(xywh=[10, 10, 120, 40], xyxy=[10, 10, 129, 49],
         stride=12.5, origin=(70 - 75, 30 - 100)),
]


def controlled_top_down(flip_test: bool, shift_heatmap: bool):
    cfg = mmcv.Config.fromfile(TOP_DOWN_CFG)
    cfg.model.test_cfg.update(flip_test=flip_test,
                              shift_heatmap=shift_heatmap,
                              post_process='default')
    model = init_pose_model(cfg, device='cpu')
    model.backbone = nn.Identity()
    model.keypoint_head.forward = mirror_equivariant(top_down_heatmaps())
    return model


@pytest.mark.parametrize('flip_test, shift_heatmap',
                         [(False, False), (True, False), (True, True)])
@pytest.mark.parametrize('box_format', ['xywh', 'xyxy'])
def test_top_down_keypoints_land_where_the_heatmaps_say(
        flip_test, shift_heatmap, box_format):
    model = controlled_top_down(flip_test, shift_heatmap)
    people = [dict(bbox=np.array(b[box_format], float), track_id=i)
              for i, b in enumerate(BOXES)]
    results, _ = inference_top_down_pose_model(
        model, gradient_image(200, 256), people, format=box_format,
        dataset='TopDownCocoDataset')
    assert len(results) == len(BOXES)
    heat = expected_heatmap_coords(shift_heatmap and flip_test)
    for result, box in zip(results, BOXES):
        expected = heat.copy()
        expected[:, :2] = heat[:, :2] * box['stride'] + box['origin']
        np.testing.assert_allclose(result['keypoints'], expected, atol=1e-4)
        # the box comes back as x1, y1, x2, y2 whatever went in
        np.testing.assert_allclose(result['bbox'], box['xyxy'])
    assert [r['track_id'] for r in results] == [0, 1, 2]


# ---------------------------------------------------------------- bottom-up
# A 256 x 256 image is resized to the 128 x 128 input; the heatmaps are
# 32 x 32 and stay there (project2image=False), so one heatmap pixel is
# 256 / 32 = 8 image pixels and the map's origin is the image's (center
# 128 = 256 / 2). Person A (tag 1, score .9) has joint k at
# (3 + 3 (k % 4), 3 + 3 (k // 4)), person B (tag 4, score .6) 16 columns
# to the right. Even joints have a .5-neighbour on the right, odd joints
# one below.
EVEN = JOINTS % 2 == 0


def bottom_up_people():
    x = 3 + 3 * (JOINTS % 4)
    y = 3 + 3 * (JOINTS // 4)
    return {'A': (x, y, .9, 1.), 'B': (x + 16, y, .6, 4.)}


def bottom_up_maps() -> np.ndarray:
    """[2K, 32, 32]: K heatmaps, then K tag maps."""
    maps = np.zeros((2 * K, 32, 32), np.float32)
    for x, y, value, tag in bottom_up_people().values():  # two people
        maps[JOINTS, y, x] = value
        maps[JOINTS[EVEN], y[EVEN], x[EVEN] + 1] = value / 2
        maps[JOINTS[~EVEN], y[~EVEN] + 1, x[~EVEN]] = value / 2
        maps[K + JOINTS, y, x] = tag
    return maps


def controlled_bottom_up(flip_test: bool):
    cfg = mmcv.Config.fromfile(BOTTOM_UP_CFG)
    cfg.model.test_cfg.update(flip_test=flip_test, project2image=False)
    model = init_pose_model(cfg, device='cpu')
    model.backbone = nn.Identity()
    head = mirror_equivariant(bottom_up_maps())
    model.keypoint_head.forward = lambda x: [head(x)]
    return model


@pytest.mark.parametrize('flip_test', [False, True])
def test_bottom_up_groups_two_people_at_the_chosen_places(flip_test):
    """Grouping adds half a pixel and a quarter towards the higher
    neighbour, a quarter away on a tie: even joints (x + .75, y + .25),
    odd joints (x + .25, y + .75); then x8 into the image. With flip test
    the flipped-back maps equal the upright ones, so nothing changes. As in
    0.x the way back to the image (``transform_preds``) writes 1 into the
    keypoint score column; the heatmap value is the person's score."""
    model = controlled_bottom_up(flip_test)
    results, _ = inference_bottom_up_pose_model(model,
                                                gradient_image(256, 256))
    assert len(results) == 2
    for result, name in zip(results, 'AB'):  # highest score first
        x, y, value, _ = bottom_up_people()[name]
        expected = np.stack([
            8 * (x + np.where(EVEN, .75, .25)),
            8 * (y + np.where(EVEN, .25, .75)),
            np.ones(K)], 1)
        np.testing.assert_allclose(result['keypoints'], expected, atol=1e-4)
        assert result['score'] == pytest.approx(value)


def isolated_peaks(size: int, stride: int) -> np.ndarray:
    """[2K, size, size]: the people's single-pixel peaks and tags at
    ``stride`` times their 32 x 32 places."""
    maps = np.zeros((2 * K, size, size), np.float32)
    for x, y, value, tag in bottom_up_people().values():  # two people
        maps[JOINTS, stride * y, stride * x] = value
        maps[K + JOINTS, stride * y, stride * x] = tag
    return maps


def test_bottom_up_aggregates_two_scales():
    """Scales 2 and 1 (flip test on). The 64 x 64 maps of scale 2 set the
    size; scale 1's 32 x 32 maps are resized to it (bilinear, pixel
    centres): a peak v at i becomes .75 v at 2i and 2i + 1 and .25 v at
    2i - 1 and 2i + 2 per axis. Summed with scale 2's peak v at 2i and
    halved: 1.5625 v / 2 at (2x, 2y), .5625 v / 2 right of and below it,
    .1875 v / 2 left of and above it, so grouping gives (2x + .75,
    2y + .75) with score .78125 v. Tags come from scale 1 alone: .5625 T
    at the peaks (still more than 1 apart). One pixel of the 64 map is 4
    image pixels: (8x + 3, 8y + 3)."""
    cfg = mmcv.Config.fromfile(BOTTOM_UP_CFG)
    cfg.model.test_cfg.update(flip_test=True, project2image=False)
    cfg.test_pipeline[1].test_scale_factor = [1, 2]
    model = init_pose_model(cfg, device='cpu')
    model.backbone = nn.Identity()
    heads = {128: mirror_equivariant(isolated_peaks(32, 1)),
             256: mirror_equivariant(isolated_peaks(64, 2))}
    model.keypoint_head.forward = lambda x: [heads[x.shape[-1]](x)]
    results, _ = inference_bottom_up_pose_model(model,
                                                gradient_image(256, 256))
    assert len(results) == 2
    for result, name in zip(results, 'AB'):
        x, y, value, _ = bottom_up_people()[name]
        expected = np.stack([8 * x + 3., 8 * y + 3., np.ones(K)], 1)
        np.testing.assert_allclose(result['keypoints'], expected, atol=1e-4)
        assert result['score'] == pytest.approx(.78125 * value)


# ----------------------------------------------------------- visualisation
# COCO's 0.x palette entries (B, G, R as cv2 draws them) for the keypoints
# drawn below and for the shoulder-to-shoulder limb.
COCO_KPT_COLOR = {0: (0, 255, 0), 3: (0, 255, 0), 4: (0, 255, 0),
                  7: (51, 153, 255), 8: (51, 153, 255),
                  11: (255, 128, 0), 14: (255, 128, 0), 15: (255, 128, 0)}
SHOULDER_LIMB_COLOR = (51, 153, 255)


def coco_drawing(visible: dict) -> np.ndarray:
    """Draw one COCO pose on black: keypoint k at ``visible[k]`` with
    score 1, every other keypoint at (20 + 20 k, 40) with score 0."""
    kpts = np.zeros((K, 3))
    kpts[:, 0] = 20 + 20 * np.arange(K)
    kpts[:, 1] = 40
    for k, (x, y) in visible.items():
        kpts[k] = [x, y, 1.]
    img = np.zeros((200, 400, 3), np.uint8)
    return vis_pose_result(controlled_top_down(False, False), img,
                           [dict(keypoints=kpts)],
                           dataset='TopDownCocoDataset')


def test_vis_pose_result_paints_coco_keypoint_colours():
    """No skeleton edge joins these keypoints, so no limb is drawn (a limb
    needs both ends above the threshold): each joint's pixel is exactly its
    palette colour and the others stay black."""
    drawn = coco_drawing({k: (20 + 20 * k, 40) for k in COCO_KPT_COLOR})
    for k, colour in COCO_KPT_COLOR.items():
        assert tuple(drawn[40, 20 + 20 * k]) == colour, f'keypoint {k}'
    for k in sorted(set(range(K)) - set(COCO_KPT_COLOR)):
        assert tuple(drawn[40, 20 + 20 * k]) == (0, 0, 0), f'keypoint {k}'


def test_vis_pose_result_paints_coco_limb_colour():
    drawn = coco_drawing({5: (100, 150), 6: (300, 150)})
    assert tuple(drawn[150, 200]) == SHOULDER_LIMB_COLOR
    assert tuple(drawn[100, 200]) == (0, 0, 0)
