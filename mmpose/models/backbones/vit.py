"""Plain Vision Transformer backbone of ViTPose.

Paper ref: Yufei Xu, Jing Zhang, Qiming Zhang and Dacheng Tao. "ViTPose:
Simple Vision Transformer Baselines for Human Pose Estimation" (NeurIPS
2022); code: the ViTAE-Transformer/ViTPose fork of MMPose 0.24, whose
arguments, parameter names and numbers this backbone keeps.

The image is cut into patch tokens, a learned position embedding is added,
``depth`` pre-norm transformer blocks run over all tokens and the tokens
are laid out again as one feature map. The layers are in
:mod:`mmpose.models.utils.vit_layers` (shared with :class:`ViTMoE`).
"""
import re
from collections import OrderedDict
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
import torch.utils.checkpoint as cp
from mmcv.cnn import constant_init, trunc_normal_init
from mmcv.cnn.utils.weight_init import trunc_normal_
from torch import nn

from mmpose.errors import ArgumentError
from ..builder import BACKBONES, build_backbone
from ..utils.ckpt_convert import load_pretrained_backbone
from ..utils.transformer import drop_path_rates
from ..utils.vit_layers import (HybridEmbed, NormLayer, ViTBlock,
                                ViTPatchEmbed, norm_layer_factory)
from .base_backbone import BaseBackbone

__all__ = ['ViT']

#: How a pretrained patch-embedding kernel of another size is fitted.
PATCH_PADDING_MODES = ('pad', 'bilinear', 'bicubic')


def _check_patch_padding(mode: str) -> str:
    if mode not in PATCH_PADDING_MODES:
        raise ArgumentError(f'patch_padding must be one of '
                            f'{PATCH_PADDING_MODES}, got {mode!r}')
    return mode


@BACKBONES.register_module()
class ViT(BaseBackbone):
    """Vision Transformer backbone of ViTPose.

    Args:
        img_size (int | tuple[int]): Input (h, w); the position embedding
            has one entry per patch of it. Default: 224.
        patch_size (int | tuple[int]): Patch size. Default: 16.
        in_chans (int): Image channels. Default: 3.
        num_classes (int): Kept for the fork's signature (unused).
            Default: 80.
        embed_dim (int): Token channels C. Default: 768.
        depth (int): Transformer blocks. Default: 12.
        num_heads (int): Attention heads. Default: 12.
        mlp_ratio (float): MLP hidden channels over C. Default: 4.
        qkv_bias (bool): Bias in the ``qkv`` projections. Default: False.
        qk_scale (float | None): Attention scale; ``(C / heads) ** -0.5``
            when None. Default: None.
        drop_rate (float): Dropout after projections. Default: 0.
        attn_drop_rate (float): Dropout on attention weights. Default: 0.
        drop_path_rate (float): Stochastic depth of the last block (rising
            linearly from 0 over the blocks). Default: 0.
        hybrid_backbone (nn.Module | dict | None): A CNN (or its backbone
            config) whose last feature map replaces the patch embedding.
            Default: None.
        norm_layer (None | dict | callable): Norm of the blocks and of
            ``last_norm``; None is LayerNorm with ``eps=1e-6``.
        use_checkpoint (bool): Gradient checkpointing of each block while
            training (less memory, same results). Default: False.
        frozen_stages (int): As the fork: >= 0 freezes the patch embedding
            and ``blocks[1..frozen_stages]`` (block 0 is never frozen);
            -1 freezes nothing. Default: -1.
        ratio (int): Patch overlap ratio (stride ``patch_size // ratio``).
            Default: 1.
        last_norm (bool): Normalise the output tokens. Default: True.
        patch_padding (str): How :meth:`init_weights` fits a pretrained
            patch kernel of another size: 'pad' (zero padding), 'bilinear'
            or 'bicubic' (resizing). Default: 'pad'.
        freeze_attn (bool): Freeze every block's ``norm1`` and attention.
            Default: False.
        freeze_ffn (bool): Freeze the position and patch embeddings and
            every block's ``norm2`` and MLP. Default: False.

    Shapes:
        x ``[N, in_chans, H, W]`` -> ``[N, C, Hp, Wp]``, with ``(Hp, Wp)``
        the token grid (``img_size / patch_size * ratio`` for an
        ``img_size`` input, which the position embedding requires).

    Example:
        >>> import torch
        >>> from mmpose.models import ViT
        >>> vit = ViT(img_size=(256, 192), embed_dim=64, depth=2,
        ...           num_heads=2, qkv_bias=True)
        >>> vit.init_weights()
        >>> vit(torch.rand(1, 3, 256, 192)).shape
        torch.Size([1, 64, 16, 12])
    """

    def __init__(self,
                 img_size: Union[int, Sequence[int]] = 224,
                 patch_size: Union[int, Sequence[int]] = 16,
                 in_chans: int = 3,
                 num_classes: int = 80,
                 embed_dim: int = 768,
                 depth: int = 12,
                 num_heads: int = 12,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = False,
                 qk_scale: Optional[float] = None,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 hybrid_backbone: Union[None, nn.Module, dict] = None,
                 norm_layer: NormLayer = None,
                 use_checkpoint: bool = False,
                 frozen_stages: int = -1,
                 ratio: int = 1,
                 last_norm: bool = True,
                 patch_padding: str = 'pad',
                 freeze_attn: bool = False,
                 freeze_ffn: bool = False):
        super().__init__()
        _check_patch_padding(patch_padding)
        self._check_frozen_stages(frozen_stages, depth - 1)
        make_norm = norm_layer_factory(norm_layer)
        self.num_classes = num_classes
        self.num_features = self.embed_dim = embed_dim
        self.depth = depth
        self.frozen_stages = frozen_stages
        self.use_checkpoint = use_checkpoint
        self.patch_padding = patch_padding
        self.freeze_attn = freeze_attn
        self.freeze_ffn = freeze_ffn

        if hybrid_backbone is not None:
            if isinstance(hybrid_backbone, dict):
                hybrid_backbone = build_backbone(hybrid_backbone)
            self.patch_embed = HybridEmbed(hybrid_backbone, img_size,
                                           in_chans, embed_dim)
        else:
            self.patch_embed = ViTPatchEmbed(img_size, patch_size, in_chans,
                                             embed_dim, ratio)
        # One entry per patch plus the (unused) class token entry of the
        # pretrained checkpoints, which is added to every patch.
        self.pos_embed = nn.Parameter(
            torch.zeros(1, self.patch_embed.num_patches + 1, embed_dim))
        self.blocks = nn.ModuleList(
            ViTBlock(
                embed_dim,
                num_heads,
                mlp_ratio=mlp_ratio,
                qkv_bias=qkv_bias,
                qk_scale=qk_scale,
                drop=drop_rate,
                attn_drop=attn_drop_rate,
                drop_path=rate,
                norm_layer=make_norm,
                **self._expert_args())
            for rate in drop_path_rates(drop_path_rate, depth))
        self.last_norm = make_norm(embed_dim) if last_norm else nn.Identity()
        trunc_normal_(self.pos_embed, std=.02)
        self._freeze_stages()

    def _expert_args(self) -> dict:
        """Extra :class:`ViTBlock` arguments (the experts of ViTMoE)."""
        return {}

    # ------------------------------------------------------------ freezing
    def _stage_modules(self, stage: int):
        # The fork freezes blocks[stage] for stages 1..frozen_stages.
        return [self.patch_embed] if stage == 0 else [self.blocks[stage]]

    def _freeze_stages(self) -> None:
        """Freeze ``frozen_stages``, then (with ``freeze_attn`` /
        ``freeze_ffn``) the attention or feed-forward half of every
        block."""
        super()._freeze_stages()
        if self.freeze_attn:
            self._freeze_modules(m for block in self.blocks
                                 for m in (block.attn, block.norm1))
        if self.freeze_ffn:
            self.pos_embed.requires_grad = False
            self._freeze_modules([self.patch_embed] + [
                m for block in self.blocks for m in (block.mlp, block.norm2)
            ])

    # ------------------------------------------------------------ weights
    def init_weights(self,
                     pretrained: Optional[str] = None,
                     patch_padding: Optional[str] = None,
                     part_features: Optional[int] = None) -> None:
        """Load ``pretrained`` (a ViTPose, MAE or ImageNet ViT checkpoint,
        non-strictly) or initialise from scratch (truncated-normal linear
        weights, std 0.02; unit LayerNorms).

        A checkpoint's position embedding of another grid (square, with a
        class token) is resized bicubically to this one; a patch kernel of
        another size is fitted by ``patch_padding``; dense MLP ``fc2``
        layers are split into the shared ``fc2`` and the experts (their
        last ``part_features`` output channels) of a :class:`ViTMoE`.

        Args:
            pretrained (str | None): Checkpoint path or URL.
            patch_padding (str | None): 'pad', 'bilinear' or 'bicubic';
                None uses the constructor's.
            part_features (int | None): Expert channels; None uses the
                model's.
        """
        if not isinstance(pretrained, str):
            super().init_weights(pretrained)
            return
        patch_padding = _check_patch_padding(patch_padding
                                             or self.patch_padding)
        if part_features is None:
            part_features = getattr(self, 'part_features', None)

        def adapt(state_dict: dict) -> dict:
            self._fit_patch_embed(state_dict, patch_padding)
            self._fit_pos_embed(state_dict)
            return self._split_experts(state_dict, part_features)

        load_pretrained_backbone(self, pretrained, unwrap_vit_checkpoint,
                                 adapt)

    def _init_from_scratch(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Linear):
                trunc_normal_init(m, std=.02, bias=0.)
            elif isinstance(m, nn.LayerNorm):
                constant_init(m, 1., bias=0.)

    def _fit_patch_embed(self, state_dict: dict, mode: str) -> None:
        key = 'patch_embed.proj.weight'
        if key not in state_dict or not isinstance(self.patch_embed,
                                                   ViTPatchEmbed):
            return
        weight = state_dict[key]
        size = tuple(self.patch_embed.proj.weight.shape[2:])
        if tuple(weight.shape[2:]) == size:
            return
        if mode == 'pad':
            (pad_h, pad_w) = (size[0] - weight.shape[2],
                              size[1] - weight.shape[3])
            state_dict[key] = F.pad(weight, (pad_w // 2, pad_w - pad_w // 2,
                                             pad_h // 2, pad_h - pad_h // 2))
        else:
            state_dict[key] = F.interpolate(
                weight, size=size, mode=mode, align_corners=False)

    def _fit_pos_embed(self, state_dict: dict) -> None:
        pos_embed = state_dict.get('pos_embed')
        if pos_embed is None or pos_embed.shape == self.pos_embed.shape:
            return
        tokens, channels = pos_embed.shape[-2:]
        side = int((tokens - 1)**0.5)
        if side * side != tokens - 1 or channels != self.embed_dim:
            raise ArgumentError(
                f'pretrained pos_embed {tuple(pos_embed.shape)}: expected a '
                f'class token plus a square grid of {self.embed_dim}-channel '
                f'entries (this model: {tuple(self.pos_embed.shape)})')
        grid = pos_embed[:, 1:].reshape(1, side, side,
                                        channels).permute(0, 3, 1, 2)
        grid = F.interpolate(
            grid.float(),
            size=self.patch_embed.patch_shape,
            mode='bicubic',
            align_corners=False)
        state_dict['pos_embed'] = torch.cat(
            [pos_embed[:, :1],
             grid.permute(0, 2, 3, 1).flatten(1, 2)], dim=1)

    def _split_experts(self, state_dict: dict,
                       part_features: Optional[int]) -> dict:
        """Dense ``blocks.<i>.mlp.fc2`` entries (C output channels) split
        into ``fc2`` (the first C - part_features) and every
        ``experts.<j>`` (the last part_features)."""
        if part_features is None:
            return state_dict
        own_keys = self.state_dict().keys()
        split = OrderedDict(state_dict)
        for key in own_keys:
            dense_key = re.sub(r'experts\.\d+\.', 'fc2.', key)
            if dense_key == key or dense_key not in state_dict:
                continue
            dense = state_dict[dense_key]
            if dense.shape[0] != self.embed_dim:
                continue  # already an expert checkpoint
            split[key] = dense[-part_features:]
            split[dense_key] = dense[:-part_features]
        return split

    # ------------------------------------------------------------ forward
    def get_num_layers(self) -> int:
        """Number of transformer blocks (for layer-wise lr decay)."""
        return len(self.blocks)

    @torch.jit.ignore
    def no_weight_decay(self) -> set:
        """Parameter names trained without weight decay."""
        return {'pos_embed', 'cls_token'}

    def _encode(self,
                x: torch.Tensor,
                indices: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Tokens of ``x`` through the blocks (``indices``: per-sample
        expert of ViTMoE), as a map ``[N, C, Hp, Wp]``."""
        tokens, (height, width) = self.patch_embed(x)
        if tokens.shape[1] + 1 != self.pos_embed.shape[1]:
            raise ArgumentError(
                f'ViT: a {tuple(x.shape[2:])} input gives a {height}x{width} '
                f'token grid, but the position embedding has '
                f'{self.pos_embed.shape[1] - 1} entries (img_size '
                f'{getattr(self.patch_embed, "img_size", None)})')
        # the class-token entry of the embedding is added to every token
        tokens = tokens + self.pos_embed[:, 1:] + self.pos_embed[:, :1]
        args: Tuple[torch.Tensor, ...] = () if indices is None else (indices,)
        for block in self.blocks:
            if self.use_checkpoint and tokens.requires_grad:
                tokens = cp.checkpoint(
                    block, tokens, *args, use_reentrant=False)
            else:
                tokens = block(tokens, *args)
        tokens = self.last_norm(tokens)
        return tokens.permute(0, 2, 1).reshape(x.shape[0], -1, height,
                                               width).contiguous()

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The feature map ``[N, C, Hp, Wp]`` of images ``[N, 3, H, W]``."""
        return self._encode(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_features(x)


def unwrap_vit_checkpoint(state_dict: dict) -> dict:
    """The backbone weights of a checkpoint's parameter dict: a DeepSpeed
    ``module`` entry is opened and, for a MoBY checkpoint (keys under
    ``encoder.``), the online encoder's weights are kept."""
    inner = state_dict.get('module')
    if isinstance(inner, dict):
        state_dict = inner
    if state_dict and min(state_dict).startswith('encoder'):
        state_dict = OrderedDict(
            (key[len('encoder.'):], value)
            for key, value in state_dict.items()
            if key.startswith('encoder.'))
    return state_dict
