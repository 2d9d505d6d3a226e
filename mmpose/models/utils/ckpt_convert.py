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

__all__ = [
    'swin_converter', 'pvt_convert', 'tcformer_convert',
    'load_pretrained_backbone'
]

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
    (r'^(layers\.\d+\.blocks\.\d+)\.attn\.', r'\1.attn.w_msa.'),
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


# Renames inside one original PVT block: (original, new) name parts.
_PVT_BLOCK_RENAMES = (
    ('attn.q.', 'attn.attn.in_proj_'),
    ('attn.proj.', 'attn.attn.out_proj.'),
    ('mlp.fc1.', 'ffn.layers.0.'),
    ('mlp.dwconv.dwconv.', 'ffn.layers.1.'),
)


def _pvt_block_key(key: str, value: torch.Tensor, ckpt: dict,
                   use_abs_pos_embed: bool, use_conv_ffn: bool):
    """New ``(key, value)`` of a ``block{s}.{l}.*`` entry, or None to
    drop it (``kv``, merged into ``q``)."""
    stage, layer, rest = re.match(r'^block(\d+)\.(\d+)\.(.*)$', key).groups()
    if rest.startswith('attn.kv.'):
        return None
    if rest.startswith('attn.q.'):
        value = torch.cat([value, ckpt[key.replace('attn.q.', 'attn.kv.')]])
    renames = _PVT_BLOCK_RENAMES + (
        ('mlp.fc2.', f'ffn.layers.{4 if use_conv_ffn else 3}.'), )
    for old, new in renames:
        if rest.startswith(old):
            rest = new + rest[len(old):]
            break
    if re.match(r'^ffn\.layers\.[034]\.weight$', rest):
        value = value.reshape(*value.shape, 1, 1)
    layer = int(layer) + int(use_abs_pos_embed)
    return f'layers.{int(stage) - 1}.1.{layer}.{rest}', value


def pvt_convert(ckpt: Dict[str, torch.Tensor]
                ) -> 'OrderedDict[str, torch.Tensor]':
    """Convert an original PVT / PVTv2 ``state_dict`` (whai362/PVT) to
    :class:`PyramidVisionTransformer(V2)` names.

    Stages are counted from 0 (``layers.{s}.0`` patch embedding,
    ``layers.{s}.1`` position embedding then blocks, ``layers.{s}.2`` the
    stage norm); ``q`` and ``kv`` merge into the attention's ``in_proj``;
    linear FFN layers become 1x1 convs; the classifier, final norm and
    class token (also its slot in the last position embedding) are dropped.
    """
    use_abs_pos_embed = any(key.startswith('pos_embed') for key in ckpt)
    use_conv_ffn = any('dwconv' in key for key in ckpt)
    converted = OrderedDict()
    for key, value in ckpt.items():
        if key.startswith(('head', 'norm.', 'cls_token')):
            continue
        match = re.match(r'^(pos_embed|patch_embed|norm)(\d+)(.*)$', key)
        if key.startswith('block'):
            entry = _pvt_block_key(key, value, ckpt, use_abs_pos_embed,
                                   use_conv_ffn)
            if entry is None:
                continue
            key, value = entry
        elif match:
            kind, stage, rest = match.groups()
            stage = int(stage) - 1
            if kind == 'pos_embed':
                key = f'layers.{stage}.1.0.pos_embed'
                if stage == 3 and value.shape[1] == 50:  # cls + 7 * 7
                    value = value[:, 1:]
            elif kind == 'patch_embed':
                key = f'layers.{stage}.0' + rest.replace('.proj.',
                                                         '.projection.')
            else:
                key = f'layers.{stage}.2' + rest
        converted[key] = value
    return converted


def tcformer_convert(ckpt: Dict[str, torch.Tensor]
                     ) -> 'OrderedDict[str, torch.Tensor]':
    """Convert an original TCFormer ``state_dict`` to :class:`TCFormer`
    names (the patch embeddings' ``proj`` is mmcv's ``projection``)."""
    return OrderedDict(
        (key.replace('.proj.', '.projection.')
         if 'patch_embed' in key else key, value)
        for key, value in ckpt.items())


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
