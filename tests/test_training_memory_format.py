"""Training stores weights channels-last by default, with the same numbers
as NCHW up to float rounding."""
import copy
import os.path as osp

import mmcv
import torch

from mmpose.apis.train import set_training_memory_format
from mmpose.models import build_posenet

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CFG = osp.join(ROOT, 'tests', 'data', 'demo', 'tiny_top_down_coco.py')


def tiny_model():
    cfg = mmcv.Config.fromfile(CFG)
    torch.manual_seed(0)
    return cfg, build_posenet(cfg.model).train()


def is_nhwc(model):
    weights = [p for p in model.parameters() if p.dim() == 4]
    return all(
        w.is_contiguous(memory_format=torch.channels_last) for w in weights)


def test_default_is_channels_last_and_config_can_keep_nchw():
    cfg, model = tiny_model()
    set_training_memory_format(model, cfg)
    assert is_nhwc(model)
    cfg.channels_last = False
    _, model = tiny_model()
    set_training_memory_format(model, cfg)
    assert not is_nhwc(model)


def test_models_with_5d_weights_stay_as_they_are():
    cfg = mmcv.Config(dict())
    model = torch.nn.Sequential(torch.nn.Conv3d(2, 2, 3),
                                torch.nn.Conv2d(2, 2, 3))
    set_training_memory_format(model, cfg)
    assert model[1].weight.is_contiguous()


def test_two_sgd_steps_match_nchw():
    cfg, nchw = tiny_model()
    nhwc = copy.deepcopy(nchw)
    set_training_memory_format(nhwc, cfg)
    gen = torch.Generator().manual_seed(0)
    width, height = cfg.data_cfg.image_size
    hm_width, hm_height = cfg.data_cfg.heatmap_size
    batch = dict(
        img=torch.randn(2, 3, height, width, generator=gen),
        target=torch.rand(2, cfg.data_cfg.num_output_channels, hm_height,
                          hm_width, generator=gen),
        target_weight=torch.ones(2, cfg.data_cfg.num_output_channels, 1),
        img_metas=[{}, {}])
    losses = {}
    for name, model in (('nchw', nchw), ('nhwc', nhwc)):
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(2):
            loss = sum(v for k, v in model(**batch).items() if 'loss' in k)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        losses[name] = loss.item()
    assert abs(losses['nhwc'] - losses['nchw']) <= 1e-5 * losses['nchw']
    for a, b in zip(nhwc.parameters(), nchw.parameters()):
        torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-6)
