"""Detectors run in half precision under ``wrap_fp16_model`` (the fp16
configs' ``Fp16OptimizerHook`` path)."""
import torch

from mmpose.core.fp16 import wrap_fp16_model
from mmpose.models import build_posenet
from .helpers import tiny_top_down_cfg


def tiny_top_down():
    return build_posenet(tiny_top_down_cfg(flip_test=False))


def test_top_down_is_plain_fp32_by_default():
    model = tiny_top_down()
    assert model.fp16_enabled is False
    assert model.backbone.conv1.weight.dtype == torch.float32


def test_wrapped_top_down_casts_images_and_trains_in_half():
    torch.manual_seed(0)
    model = tiny_top_down()
    wrap_fp16_model(model)
    assert model.fp16_enabled is True
    assert model.backbone.conv1.weight.dtype == torch.float16
    # normalisation layers stay in float32 for stability
    assert model.backbone.bn1.weight.dtype == torch.float32
    seen = []
    model.backbone.register_forward_pre_hook(
        lambda module, args: seen.append(args[0].dtype))
    img = torch.rand(2, 3, 64, 64)
    target = torch.rand(2, 3, 4, 4)
    losses = model(img, target, torch.ones(2, 3, 1), img_metas=[{}] * 2)
    assert seen == [torch.float16]
    assert torch.isfinite(losses['mse_loss'])
    losses['mse_loss'].backward()
    assert model.backbone.conv1.weight.grad.abs().sum() > 0
