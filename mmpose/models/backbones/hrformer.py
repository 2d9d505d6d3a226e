"""HRFormer backbone.

Yuan et al., "HRFormer: High-Resolution Transformer for Dense Prediction",
NeurIPS 2021 (https://arxiv.org/abs/2110.09408). The HRNet layout (stem,
bottleneck stage, multi-resolution stages with fusion) with transformer
blocks in the branches: local-window self-attention followed by an FFN
holding a depthwise 3x3 convolution; the fusion downsamples with depthwise
convolutions.
"""
import copy
from typing import List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmcv.cnn import build_activation_layer, build_conv_layer, build_norm_layer
from mmcv.cnn.bricks.transformer import build_dropout
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError
from ..builder import BACKBONES
from ..utils.transformer import (WindowMSA, drop_path_rates, nchw_to_nlc,
                                 nlc_to_nchw, to_pair, window_partition,
                                 window_reverse)
from .hrnet import BLOCKS, HRModule, HRNet

__all__ = ['HRFormer']


class LocalWindowSelfAttention(nn.Module):
    """Self-attention inside non-overlapping windows of a token map that is
    centre-padded to multiples of the window size (the short-range part of
    Interlaced Sparse Self-Attention, https://arxiv.org/abs/1907.12273).

    Args:
        embed_dims (int): Channels C.
        num_heads (int): Attention heads.
        window_size (int | tuple[int]): Window ``(Wh, Ww)``.
        qkv_bias, qk_scale, attn_drop_rate, proj_drop_rate, with_rpe: see
            :class:`WindowMSA`.
        with_pad_mask (bool): Keep padded tokens out of the attention (only
            when both H and W are padded, as in MMPose 0.29).
            Default: False.

    Shapes:
        x ``[N, H*W, C]`` -> ``[N, H*W, C]``.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 window_size,
                 qkv_bias: bool = True,
                 qk_scale: Optional[float] = None,
                 attn_drop_rate: float = 0.,
                 proj_drop_rate: float = 0.,
                 with_rpe: bool = True,
                 with_pad_mask: bool = False) -> None:
        super().__init__()
        self.window_size = to_pair(window_size, 'window_size')
        self.with_pad_mask = with_pad_mask
        self.attn = WindowMSA(embed_dims, num_heads, self.window_size,
                              qkv_bias, qk_scale, attn_drop_rate,
                              proj_drop_rate, with_rpe)

    def forward(self, x: torch.Tensor, H: int, W: int) -> torch.Tensor:
        n, length, channels = x.shape
        wh, ww = self.window_size
        pad_h, pad_w = (-H) % wh, (-W) % ww
        # centre padding: (left, right, top, bottom) of the map
        padding = (pad_w // 2, pad_w - pad_w // 2, pad_h // 2,
                   pad_h - pad_h // 2)
        x = F.pad(x.view(n, H, W, channels), (0, 0) + padding)
        windows = window_partition(x, self.window_size).view(
            -1, wh * ww, channels)
        mask = None
        if self.with_pad_mask and pad_h > 0 and pad_w > 0:
            keys = F.pad(x.new_zeros(1, H, W, 1), (0, 0) + padding,
                         value=-float('inf'))
            keys = window_partition(keys, self.window_size).view(
                -1, 1, wh * ww)
            mask = keys.expand(-1, wh * ww, -1)
        out = self.attn(windows, mask).view(-1, wh, ww, channels)
        out = window_reverse(out, H + pad_h, W + pad_w)
        out = out[:, padding[2]:padding[2] + H, padding[0]:padding[0] + W]
        return out.reshape(n, length, channels)


class CrossFFN(nn.Module):
    """HRFormer's FFN: 1x1 conv, depthwise 3x3 conv, 1x1 conv, each followed
    by a norm and an activation.

    Args:
        in_features (int): Input channels.
        hidden_features (int | None): Hidden channels (``in_features``
            when None).
        out_features (int | None): Output channels (``in_features`` when
            None).
        act_cfg (dict): Activation after the 1x1 convs.
            Default: dict(type='GELU').
        dw_act_cfg (dict): Activation after the depthwise conv.
            Default: dict(type='GELU').
        norm_cfg (dict): Norm layers. Default: dict(type='SyncBN').

    Shapes:
        x ``[N, H*W, C_in]`` -> ``[N, H*W, C_out]``.
    """

    def __init__(self,
                 in_features: int,
                 hidden_features: Optional[int] = None,
                 out_features: Optional[int] = None,
                 act_cfg: dict = dict(type='GELU'),
                 dw_act_cfg: dict = dict(type='GELU'),
                 norm_cfg: dict = dict(type='SyncBN')) -> None:
        super().__init__()
        out_features = out_features or in_features
        hidden_features = hidden_features or in_features
        self.fc1 = nn.Conv2d(in_features, hidden_features, kernel_size=1)
        self.act1 = build_activation_layer(act_cfg)
        self.norm1 = build_norm_layer(norm_cfg, hidden_features)[1]
        self.dw3x3 = nn.Conv2d(
            hidden_features,
            hidden_features,
            kernel_size=3,
            padding=1,
            groups=hidden_features)
        self.act2 = build_activation_layer(dw_act_cfg)
        self.norm2 = build_norm_layer(norm_cfg, hidden_features)[1]
        self.fc2 = nn.Conv2d(hidden_features, out_features, kernel_size=1)
        self.act3 = build_activation_layer(act_cfg)
        self.norm3 = build_norm_layer(norm_cfg, out_features)[1]

    def forward(self, x: torch.Tensor, H: int, W: int) -> torch.Tensor:
        x = nlc_to_nchw(x, (H, W))
        x = self.act1(self.norm1(self.fc1(x)))
        x = self.act2(self.norm2(self.dw3x3(x)))
        x = self.act3(self.norm3(self.fc2(x)))
        return nchw_to_nlc(x)


class HRFormerBlock(nn.Module):
    """Transformer block of an HRFormer branch: local-window attention and
    :class:`CrossFFN`, each pre-normed and residual.

    Args:
        in_features (int): Channels C (input and output).
        out_features (int): Must equal ``in_features``.
        num_heads (int): Attention heads.
        window_size (int): Attention window side. Default: 7.
        mlp_ratio (float): FFN hidden channels / C. Default: 4.
        drop_path (float): Stochastic depth. Default: 0.
        act_cfg (dict): FFN activation. Default: dict(type='GELU').
        norm_cfg (dict): FFN norm. Default: dict(type='SyncBN').
        transformer_norm_cfg (dict): Pre-norms.
            Default: dict(type='LN', eps=1e-6).
        **kwargs: Passed to :class:`LocalWindowSelfAttention`.

    Shapes:
        x ``[N, C, H, W]`` -> ``[N, C, H, W]``.
    """

    expansion = 1

    def __init__(self,
                 in_features: int,
                 out_features: int,
                 num_heads: int,
                 window_size: int = 7,
                 mlp_ratio: float = 4.0,
                 drop_path: float = 0.0,
                 act_cfg: dict = dict(type='GELU'),
                 norm_cfg: dict = dict(type='SyncBN'),
                 transformer_norm_cfg: dict = dict(type='LN', eps=1e-6),
                 **kwargs) -> None:
        super().__init__()
        if in_features != out_features:
            raise ArgumentError(
                'HRFormerBlock: the residual block keeps its channels, so '
                f'out_features ({out_features}) must equal in_features '
                f'({in_features})')
        self.num_heads = num_heads
        self.window_size = window_size
        self.mlp_ratio = mlp_ratio
        self.norm1 = build_norm_layer(transformer_norm_cfg, in_features)[1]
        self.attn = LocalWindowSelfAttention(
            in_features, num_heads=num_heads, window_size=window_size,
            **kwargs)
        self.norm2 = build_norm_layer(transformer_norm_cfg, out_features)[1]
        self.ffn = CrossFFN(
            in_features,
            hidden_features=int(in_features * mlp_ratio),
            out_features=out_features,
            act_cfg=act_cfg,
            dw_act_cfg=act_cfg,
            norm_cfg=norm_cfg)
        self.drop_path = build_dropout(
            dict(type='DropPath', drop_prob=drop_path)
        ) if drop_path > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        x = nchw_to_nlc(x)
        x = x + self.drop_path(self.attn(self.norm1(x), h, w))
        x = x + self.drop_path(self.ffn(self.norm2(x), h, w))
        return nlc_to_nchw(x, (h, w))

    def extra_repr(self) -> str:
        return (f'num_heads={self.num_heads}, window_size={self.window_size}'
                f', mlp_ratio={self.mlp_ratio}')


class HRFormerModule(HRModule):
    """:class:`HRModule` with :class:`HRFormerBlock` branches and a fusion
    that downsamples by depthwise 3x3 + pointwise convolutions.

    Args (after those of :class:`HRModule`):
        num_heads (Sequence[int]): Heads per branch.
        num_window_sizes (Sequence[int]): Window side per branch.
        num_mlp_ratios (Sequence[float]): FFN ratio per branch.
        drop_paths (Sequence[float]): Stochastic depth of each block
            (the same schedule in every branch).
        with_rpe (bool): Relative position bias. Default: True.
        with_pad_mask (bool): Mask padded tokens. Default: False.
        transformer_norm_cfg (dict): Norm of the blocks' pre-norms.
    """

    def __init__(self,
                 num_branches: int,
                 block: type,
                 num_blocks: Sequence[int],
                 in_channels: List[int],
                 num_channels: Sequence[int],
                 num_heads: Sequence[int],
                 num_window_sizes: Sequence[int],
                 num_mlp_ratios: Sequence[float],
                 multiscale_output: bool = True,
                 drop_paths: Sequence[float] = (0.0, ),
                 with_rpe: bool = True,
                 with_pad_mask: bool = False,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='SyncBN', requires_grad=True),
                 transformer_norm_cfg: dict = dict(type='LN', eps=1e-6),
                 with_cp: bool = False,
                 upsample_cfg: dict = dict(
                     mode='bilinear', align_corners=False)) -> None:
        # read by _make_one_branch during HRModule.__init__
        self.block_args = [
            dict(
                num_heads=num_heads[i],
                window_size=num_window_sizes[i],
                mlp_ratio=num_mlp_ratios[i],
                norm_cfg=norm_cfg,
                transformer_norm_cfg=transformer_norm_cfg,
                with_rpe=with_rpe,
                with_pad_mask=with_pad_mask) for i in range(num_branches)
        ]
        self.drop_paths = list(drop_paths)
        super().__init__(num_branches, block, num_blocks, in_channels,
                         num_channels, multiscale_output, with_cp, conv_cfg,
                         norm_cfg, upsample_cfg, expansion=1)

    def _make_one_branch(self, branch_index: int, block: type,
                         num_blocks: Sequence[int],
                         num_channels: Sequence[int]) -> nn.Sequential:
        channels = num_channels[branch_index]
        if self.in_channels[branch_index] != channels:
            raise ArgumentError(
                f'HRFormerModule: branch {branch_index} has '
                f'{self.in_channels[branch_index]} input channels but '
                f'{channels} block channels; HRFormer blocks cannot change '
                'them')
        if len(self.drop_paths) < num_blocks[branch_index]:
            raise ArgumentError(
                f'HRFormerModule: {len(self.drop_paths)} drop_paths for '
                f'{num_blocks[branch_index]} blocks')
        return nn.Sequential(*[
            block(
                channels,
                channels,
                drop_path=self.drop_paths[i],
                **self.block_args[branch_index])
            for i in range(num_blocks[branch_index])
        ])

    def _fuse_down_step(self, in_ch: int, out_ch: int,
                        last: bool) -> nn.Sequential:
        """Stride-2 depthwise 3x3 conv + norm, 1x1 conv + norm (+ ReLU
        unless ``last``)."""
        layers = [
            build_conv_layer(
                self.conv_cfg,
                in_ch,
                in_ch,
                kernel_size=3,
                stride=2,
                padding=1,
                groups=in_ch,
                bias=False),
            self._norm(in_ch),
            self._conv(in_ch, out_ch, 1),
            self._norm(out_ch)
        ]
        if not last:
            layers.append(nn.ReLU(inplace=False))
        return nn.Sequential(*layers)


class HRFomerModule(HRFormerModule):
    """:class:`HRFormerModule` under MMPose 0.29's name (its spelling),
    whose fourth argument is ``num_inchannels``; :class:`HRFormer` builds
    its transformer stages from these.
    """

    def __init__(self, num_branches: int, block: type,
                 num_blocks: Sequence[int], num_inchannels: List[int],
                 *args, **kwargs) -> None:
        super().__init__(num_branches, block, num_blocks, num_inchannels,
                         *args, **kwargs)

    def get_num_inchannels(self) -> List[int]:
        """Channels of each output branch (0.29's accessor)."""
        return self.in_channels


@BACKBONES.register_module()
class HRFormer(HRNet):
    """HRFormer backbone.

    ``extra`` is HRNet's (``stage1`` .. ``stage4``) where the stages with
    ``block='HRFORMERBLOCK'`` also give per-branch ``num_heads``,
    ``window_sizes`` and ``mlp_ratios``. Further keys: ``drop_path_rate``
    (stochastic depth of the last block, rising linearly over the blocks of
    stages 2-4; default 0), ``with_rpe`` (default True), ``with_pad_mask``
    (default False) and ``upsample`` (default bilinear, not aligned).

    Args:
        extra (dict): Stage configuration, see above.
        in_channels (int): Input image channels. Default: 3.
        conv_cfg (dict | None): Config of conv layers. Default: None.
        norm_cfg (dict): Norm of the conv layers.
            Default: dict(type='BN', requires_grad=True).
        transformer_norm_cfg (dict): Pre-norms of the transformer blocks.
            Default: dict(type='LN', eps=1e-6).
        norm_eval (bool): Keep batch-norm layers in eval mode while
            training. Default: False.
        with_cp (bool): Gradient checkpointing in the bottleneck stage.
            Default: False.
        zero_init_residual (bool): Zero-init the last norm of residual
            blocks. Default: False.
        frozen_stages (int): Freeze the stem (0) and stages
            ``1..frozen_stages`` with their transitions; -1 freezes nothing.
            Default: -1.

    Shapes:
        x ``[N, in_channels, H, W]`` -> list of
        ``[N, stage4.num_channels[i], H/2**(i+2), W/2**(i+2)]`` (only
        ``i = 0`` unless ``stage4.multiscale_output``).
    """

    blocks_dict = {'BOTTLENECK': BLOCKS['BOTTLENECK'][0],
                   'HRFORMERBLOCK': HRFormerBlock}
    block_specs = {'BOTTLENECK': BLOCKS['BOTTLENECK'],
                   'HRFORMERBLOCK': (HRFormerBlock, 1)}
    #: keys a transformer stage of ``extra`` gives per branch
    TRANSFORMER_KEYS = ('num_heads', 'window_sizes', 'mlp_ratios')

    def __init__(self,
                 extra: dict,
                 in_channels: int = 3,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN', requires_grad=True),
                 transformer_norm_cfg: dict = dict(type='LN', eps=1e-6),
                 norm_eval: bool = False,
                 with_cp: bool = False,
                 zero_init_residual: bool = False,
                 frozen_stages: int = -1) -> None:
        self._check_extra(extra)
        extra = copy.deepcopy(extra)
        extra.setdefault('upsample', dict(mode='bilinear',
                                          align_corners=False))
        stage_depths = [
            extra[f'stage{i}']['num_blocks'][0] * extra[f'stage{i}']
            ['num_modules'] for i in (2, 3, 4)
        ]
        rates = drop_path_rates(
            extra.get('drop_path_rate', 0.), sum(stage_depths))
        for i, depth in zip((2, 3, 4), stage_depths):
            first = sum(stage_depths[:i - 2])
            extra[f'stage{i}']['drop_path_rates'] = rates[first:first + depth]
        self._check_frozen_stages(frozen_stages, 4)
        # read by _make_stage during HRNet.__init__
        self.transformer_norm_cfg = transformer_norm_cfg
        self.with_rpe = extra.get('with_rpe', True)
        self.with_pad_mask = extra.get('with_pad_mask', False)
        super().__init__(extra, in_channels, conv_cfg, norm_cfg, norm_eval,
                         with_cp, zero_init_residual)
        self.frozen_stages = frozen_stages
        self._freeze_stages()

    @classmethod
    def _check_extra(cls, extra: dict) -> None:
        super()._check_extra(extra)
        for index in (2, 3, 4):
            cfg = extra[f'stage{index}']
            if cfg['block'] != 'HRFORMERBLOCK':
                continue
            for key in cls.TRANSFORMER_KEYS:
                if key not in cfg:
                    raise UnknownNameError(
                        f'HRFormer: extra[\'stage{index}\'] is missing '
                        f'{key!r}')
                if len(cfg[key]) != cfg['num_branches']:
                    raise ArgumentError(
                        f'HRFormer: extra[\'stage{index}\'][{key!r}] = '
                        f'{list(cfg[key])} must have num_branches='
                        f'{cfg["num_branches"]} entries')

    def _make_module(self, layer_config: dict, index: int,
                     in_channels: List[int],
                     multiscale_output: bool) -> nn.Module:
        if layer_config['block'] != 'HRFORMERBLOCK':
            return super()._make_module(layer_config, index, in_channels,
                                        multiscale_output)
        blocks_per_module = layer_config['num_blocks'][0]
        return HRFomerModule(
            layer_config['num_branches'],
            HRFormerBlock,
            layer_config['num_blocks'],
            in_channels,
            layer_config['num_channels'],
            layer_config['num_heads'],
            layer_config['window_sizes'],
            layer_config['mlp_ratios'],
            multiscale_output,
            drop_paths=layer_config['drop_path_rates'][
                blocks_per_module * index:blocks_per_module * (index + 1)],
            with_rpe=self.with_rpe,
            with_pad_mask=self.with_pad_mask,
            conv_cfg=self.conv_cfg,
            norm_cfg=self.norm_cfg,
            transformer_norm_cfg=self.transformer_norm_cfg,
            with_cp=self.with_cp,
            upsample_cfg=self.upsample_cfg)

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        """0: the stem; 1: ``layer1``; 2-4: ``stage{i}``; each stage with
        the transition that follows it."""
        if stage == 0:
            return [self.conv1, self.norm1, self.conv2, self.norm2]
        modules = [getattr(self, 'layer1' if stage == 1 else f'stage{stage}')]
        transition = getattr(self, f'transition{stage}', None)
        return modules + ([] if transition is None else [transition])
