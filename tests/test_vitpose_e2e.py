"""End to end, as HaMeR's ``vitpose_model.py`` drives the ViTPose fork: a
ViTPose-S whole-body checkpoint loaded by ``init_pose_model`` from the
config path, people boxes from an MMDetection-style result, top-down
inference on ``xyxy`` boxes and the drawing of the result; and a ViTPose+
checkpoint split by ``tools/model_split.py`` into the per-dataset models
(whose numbers tests/test_vitpose_model_split.py checks on a tiny model).

The weights are random (no pretrained ViTPose weights can be downloaded
here): what is checked is the shape of every step's output, not where the
keypoints land.
"""
import cv2
import numpy as np
import pytest
import torch
from mmcv import Config

from mmpose.apis import (inference_top_down_pose_model, init_pose_model,
                         process_mmdet_results, vis_pose_result)
from mmpose.models import build_posenet
from mmpose.utils.checkpoint import (load_checkpoint, load_checkpoint_file,
                                     save_checkpoint)
from .helpers import data_file
from .reference import REPO_ROOT
from .test_tools_029 import load_tool

pytestmark = pytest.mark.slow  # ViT-S models at 256x192 on the CPU

HEATMAP_DIR = 'configs/{}/2d_kpt_sview_rgb_img/topdown_heatmap/{}/'
WHOLEBODY_S = (HEATMAP_DIR.format('wholebody', 'coco-wholebody') +
               'ViTPose_small_wholebody_256x192.py')
PLUS_S = (HEATMAP_DIR.format('body', 'coco') +
          'vitPose+_small_coco+aic+mpii+ap10k+apt36k+wholebody_256x192_udp.py')
# file written by tools/model_split.py -> the per-dataset ViTPose-S config
PER_DATASET = {
    'coco': HEATMAP_DIR.format('body', 'coco') + 'ViTPose_small_coco_256x192',
    'aic': HEATMAP_DIR.format('body', 'aic') + 'ViTPose_small_aic_256x192',
    'mpii': HEATMAP_DIR.format('body', 'mpii') + 'ViTPose_small_mpii_256x192',
    'ap10k': HEATMAP_DIR.format('animal', 'ap10k') +
    'ViTPose_small_ap10k_256x192',
    'apt36k': HEATMAP_DIR.format('animal', 'apt36k') +
    'ViTPose_small_apt36k_256x192',
    'wholebody': WHOLEBODY_S[:-3],
}

IMAGE = 'coco/000000040083.jpg'
# One MMDetection result: per class an [N, 5] array of x1, y1, x2, y2,
# score (class 1, person: the image's annotated people, one below 0.5).
DET_RESULT = [
    np.array([[38.08, 110.95, 212.79, 285.66, 0.99],
              [257.76, 139.06, 397.81, 293.27, 0.90],
              [275.17, 126.5, 285.86, 194.76, 0.30]], dtype=np.float32),
    np.zeros((0, 5), dtype=np.float32),
]


def random_checkpoint(config: str, path) -> str:
    """Save the randomly initialised model of ``config`` to ``path``."""
    torch.manual_seed(0)
    model = build_posenet(Config.fromfile(str(REPO_ROOT / config)).model)
    save_checkpoint(model, str(path))
    return str(path)


def predict_and_draw(model, image):
    """HaMeR's ``ViTPoseModel.predict_pose`` and
    ``visualize_pose_results``."""
    people = process_mmdet_results(DET_RESULT, 1)
    results, _ = inference_top_down_pose_model(
        model, image, person_results=people, bbox_thr=0.5, format='xyxy')
    drawn = vis_pose_result(model, image, results, kpt_score_thr=0.3,
                            radius=4, thickness=1)
    return results, drawn


def check_people(results, num_keypoints):
    kept = DET_RESULT[0][DET_RESULT[0][:, 4] > 0.5]
    assert len(results) == len(kept)
    for person, box in zip(results, kept):
        np.testing.assert_allclose(person['bbox'], box)
        keypoints = person['keypoints']
        assert keypoints.shape == (num_keypoints, 3)
        assert np.isfinite(keypoints).all()
        # inside the (padded) crop of the person's box
        margin = 0.5 * max(box[2] - box[0], box[3] - box[1])
        assert (keypoints[:, 0] > box[0] - margin).all()
        assert (keypoints[:, 0] < box[2] + margin).all()
        assert (keypoints[:, 1] > box[1] - margin).all()
        assert (keypoints[:, 1] < box[3] + margin).all()


def test_hamer_style_wholebody_inference(tmp_path):
    checkpoint = random_checkpoint(WHOLEBODY_S, tmp_path / 'wholebody.pth')
    model = init_pose_model(str(REPO_ROOT / WHOLEBODY_S), checkpoint,
                            device='cpu')
    image = cv2.imread(str(data_file(IMAGE)))
    results, drawn = predict_and_draw(model, image)
    check_people(results, 133)
    assert drawn.shape == image.shape and drawn.dtype == np.uint8
    assert (drawn != image).any()  # the boxes at least are drawn


def empty_model(config: str):
    """The model of ``config`` with uninitialised weights (no init cost),
    to load a checkpoint into."""
    with torch.device('meta'):
        model = build_posenet(Config.fromfile(str(REPO_ROOT / config)).model)
    return model.to_empty(device='cpu')


def test_split_vitpose_plus_loads_into_the_per_dataset_configs(tmp_path):
    source = random_checkpoint(PLUS_S, tmp_path / 'vitpose+_small.pth')
    target = tmp_path / 'split'
    load_tool('model_split.py').main(
        ['--source', source, '--target', str(target)])
    moe = load_checkpoint_file(source)['state_dict']
    for idx, (name, config) in enumerate(PER_DATASET.items()):
        model = empty_model(f'{config}.py')
        load_checkpoint(model, str(target / f'{name}.pth'), strict=True)
        head = ('keypoint_head' if idx == 0 else
                f'associate_keypoint_heads.{idx - 1}')
        torch.testing.assert_close(
            model.keypoint_head.final_layer.weight,
            moe[f'{head}.final_layer.weight'], rtol=0, atol=0)
        fc2 = 'backbone.blocks.11.mlp.{}.bias'
        torch.testing.assert_close(
            model.backbone.blocks[11].mlp.fc2.bias,
            torch.cat([moe[fc2.format('fc2')],
                       moe[fc2.format(f'experts.{idx}')]]), rtol=0, atol=0)
