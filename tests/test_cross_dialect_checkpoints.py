"""A checkpoint trained on a 0.14 config loads with ``strict=True`` into the
model of the matching 0.29 config (and back) and gives the same outputs."""
import copy
import os.path as osp
from pathlib import Path

import mmcv
import pytest
import torch

from mmpose.models import build_posenet
from mmpose.utils.checkpoint import load_checkpoint

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / 'configs'

# (0.14 path, 0.29 path): one of each model generation the trees share
PAIRS = [
    ('top_down/resnet/coco/res50_coco_256x192.py',
     'body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/res50_coco_256x192.py'),
    ('top_down/hrnet/coco/hrnet_w32_coco_256x192.py',
     'body/2d_kpt_sview_rgb_img/topdown_heatmap/coco/'
     'hrnet_w32_coco_256x192.py'),
    ('bottom_up/higherhrnet/coco/higher_hrnet32_coco_512x512.py',
     'body/2d_kpt_sview_rgb_img/associative_embedding/coco/'
     'higherhrnet_w32_coco_512x512.py'),
    ('top_down/deeppose/coco/deeppose_res101_coco_256x192.py',
     'body/2d_kpt_sview_rgb_img/deeppose/coco/res101_coco_256x192.py'),
]


def _model(path: str):
    cfg = mmcv.Config.fromfile(str(CONFIGS / path))
    cfg.model.pretrained = None
    model = build_posenet(copy.deepcopy(cfg.model))
    return model.eval()


def _features(model, img):
    """Backbone + neck + head output of ``img`` (the shared computation)."""
    with torch.no_grad():
        out = model.backbone(img)
        if getattr(model, 'neck', None) is not None:
            out = model.neck(out)
        head = getattr(model, 'keypoint_head')
        return head(out)


def _flat(out):
    if isinstance(out, (list, tuple)):
        return torch.cat([_flat(o).flatten() for o in out])
    return out.flatten()


@pytest.mark.parametrize('old, new', PAIRS)
def test_0_14_checkpoint_loads_strictly_into_the_0_29_model(
        old, new, tmp_path):
    assert osp.isfile(CONFIGS / old) and osp.isfile(CONFIGS / new)
    torch.manual_seed(0)
    source = _model(old)
    for module in source.modules():  # non-trivial BN statistics
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 1.5)
    ckpt = tmp_path / 'old.pth'
    torch.save({'state_dict': source.state_dict(), 'meta': {}}, ckpt)
    target = _model(new)
    load_checkpoint(target, str(ckpt), map_location='cpu', strict=True)
    img = torch.rand(1, 3, 64, 64)
    torch.testing.assert_close(_flat(_features(target, img)),
                               _flat(_features(source, img)))
    # and back: the 0.29 model's checkpoint into the 0.14 model
    back = tmp_path / 'new.pth'
    torch.save({'state_dict': target.state_dict()}, back)
    load_checkpoint(_model(old), str(back), map_location='cpu', strict=True)
