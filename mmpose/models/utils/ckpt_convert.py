"""Loading ImageNet-pretrained transformer weights from their original
repositories into this package's module names.

Each ``*_convert`` maps an original checkpoint's ``state_dict`` to the
names used here (mmcv's ``PatchEmbed``/``FFN`` layout);
:func:`load_pretrained_backbone` reads a checkpoint, converts it when asked
and loads it non-strictly, as MMPose 0.29 did.
"""
import re
from collections import OrderedDict
from typing import Callable, Dict, Optional

import torch
from mmcv.runner import load_state_dict
from torch import nn

from mmpose.utils import get_root_logger

__all__ = ['swin_converter', 'pvt_convert', 'load_pretrained_backbone']

# PatchMerging: the original concatenates the 2x2 neighbours as
# [(0,0), (1,0), (0,1), (1,1)] blocks of C channels; nn.Unfold (mmcv) orders
# them channel-major as (0,0), (0,1), (1,0), (1,1).
_UNFOLD_ORDER = [0, 2, 1, 3]


def _unfold_reduction(weight: torch.Tensor) -> torch.Tensor:
    out_channels, in_channels = weight.shape
    weight = weight.reshape(out_channels, 4, in_channels // 4)
    return weight[:, _UNFOLD_ORDER].transpose(1, 2).reshape(
        out_channels, in_channels)


def _unfold_norm(weight: torch.Tensor) -> torch.Tensor:
    weight = weight.reshape(4, -1)
    return weight[_UNFOLD_ORDER].transpose(0, 1).reshape(-1)


# (pattern, replacement) applied in order to every key of the original
# Swin Transformer checkpoints.
_SWIN_RENAMES = (
    (r'^layers\.(\d+)\.blocks\.(\d+)\.attn\.', r'layers.\1.blocks.\2.attn.w_msa.'),
    (r'\.mlp\.fc1\.', '.ffn.layers.0.0.'),
    (r'\.mlp\.fc2\.', '.ffn.layers.1.'),
    (r'^layers\.', 'stages.'),
    (r'^patch_embed\.proj\.', 'patch_embed.projection.'),
)


def swin_converter(ckpt: Dict[str, torch.Tensor]
                   ) -> 'OrderedDict[str, torch.Tensor]':
    """Convert an original Swin Transformer ``state_dict`` (microsoft/
    Swin-Transformer) to :class:`SwinTransformer` names, prefixed with
    ``backbone.`` (the classification head is dropped)."""
    converted = OrderedDict()
    for key, value in ckpt.items():
        if key.startswith('head'):
            continue
        if '.downsample.reduction.' in key:
            value = _unfold_reduction(value)
        elif '.downsample.norm.' in key:
            value = _unfold_norm(value)
        for pattern, replacement in _SWIN_RENAMES:
            key = re.sub(pattern, replacement, key)
        converted['backbone.' + key] = value
    return converted


# Original PVT (whai362/PVT) names -> PyramidVisionTransformer(V2) names.
_PVT_RENAMES = (
    (r'^pos_embed(\d)$', None),  # handled in pvt_convert
    (r'^patch_embed(\d)\.proj\.', 'layers.{s}.0.projection.'),
    (r'^patch_embed(\d)\.norm\.', 'layers.{s}.0.norm.'),
    (r'^block(\d)\.(\d+)\.norm1\.', 'layers.{s}.1.{b}.norm1.'),
    (r'^block(\d)\.(\d+)\.norm2\.', 'layers.{s}.1.{b}.norm2.'),
    (r'^block(\d)\.(\d+)\.attn\.proj\.', 'layers.{s}.1.{b}.attn.attn.out_proj.'),
    (r'^block(\d)\.(\d+)\.attn\.sr\.', 'layers.{s}.1.{b}.attn.sr.'),
    (r'^block(\d)\.(\d+)\.attn\.norm\.', 'layers.{s}.1.{b}.attn.norm.'),
    (r'^block(\d)\.(\d+)\.mlp\.fc1\.', 'layers.{s}.1.{b}.ffn.layers.0.'),
    (r'^block(\d)\.(\d+)\.mlp\.dwconv\.dwconv\.', 'layers.{s}.1.{b}.ffn.layers.1.'),
    (r'^block(\d)\.(\d+)\.mlp\.fc2\.', 'layers.{s}.1.{b}.ffn.layers.{fc2}.'),
    (r'^norm(\d)\.', 'layers.{s}.2.'),
)


def pvt_convert(ckpt: Dict[str, torch.Tensor]
                ) -> 'OrderedDict[str, torch.Tensor]':
    """Convert an original PVT / PVTv2 ``state_dict`` to
    :class:`PyramidVisionTransformer(V2)` names (stages counted from 0;
    fully connected layers become 1x1 convs; ``q`` and ``kv`` are merged
    into the attention's ``in_proj``)."""
    use_conv_ffn = any('dwconv' in key for key in ckpt)
    converted = OrderedDict()
    for key, value in ckpt.items():
        if key.startswith('head'):
            continue
        match = re.match(r'^pos_embed(\d)$', key)
        if match:
            stage = int(match.group(1)) - 1
            converted[f'pos_embed.{stage}.pos_embed'] = value
            continue
        match = re.match(r'^block(\d)\.(\d+)\.attn\.(q|kv)\.(weight|bias)$',
                         key)
        if match:
            stage, block, which, kind = match.groups()
            if which == 'kv':
                continue
            kv = ckpt[f'block{stage}.{block}.attn.kv.{kind}']
            converted[f'layers.{int(stage) - 1}.1.{block}.attn.attn.'
                      f'in_proj_{kind}'] = torch.cat([value, kv])
            continue
        new_key = key
        for pattern, template in _PVT_RENAMES[1:]:
            match = re.match(pattern, key)
            if match:
                groups = match.groups()
                new_key = re.sub(pattern, template.format(
                    s=int(groups[0]) - 1,
                    b=groups[1] if len(groups) > 1 else '',
                    fc2=4 if use_conv_ffn else 3), key)
                break
        if re.search(r'\.ffn\.layers\.\d\.weight$', new_key) and \
                value.dim() == 2:
            value = value[..., None, None]
        converted[new_key] = value
    return converted


def load_pretrained_backbone(
        module: nn.Module,
        filename: str,
        converter: Optional[Callable[[dict], dict]] = None,
        adapt: Optional[Callable[[dict], dict]] = None) -> None:
    """Load ``filename`` into a backbone non-strictly.

    The state dict is the checkpoint's ``state_dict`` or ``model`` entry (or
    the checkpoint itself), passed through ``converter`` when given; the
    prefixes ``backbone.`` and ``module.`` are removed and ``adapt`` may
    reshape entries to the module (e.g. position tables) before loading.
    """
    from mmpose.utils.checkpoint import load_checkpoint_file
    logger = get_root_logger()
    checkpoint = load_checkpoint_file(filename, map_location='cpu')
    state_dict = checkpoint
    for key in ('state_dict', 'model'):
        if isinstance(checkpoint, dict) and key in checkpoint:
            state_dict = checkpoint[key]
            break
    if converter is not None:
        state_dict = converter(state_dict)
    state_dict = OrderedDict(
        (re.sub(r'^(module\.)?(backbone\.)?', '', key), value)
        for key, value in state_dict.items())
    if adapt is not None:
        state_dict = adapt(state_dict)
    load_state_dict(module, state_dict, strict=False, logger=logger)
