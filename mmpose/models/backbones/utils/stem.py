"""Conv-norm-activation layers with "same" padding, and the stride-2 3x3
stem convolution of the light-weight backbones built from one."""
from typing import Optional

from mmcv.cnn import ConvModule


def conv_norm_act(in_channels: int,
                  out_channels: int,
                  kernel_size: int,
                  stride: int = 1,
                  groups: int = 1,
                  conv_cfg: Optional[dict] = None,
                  norm_cfg: Optional[dict] = None,
                  act_cfg: Optional[dict] = None) -> ConvModule:
    """A :class:`ConvModule` padded by ``kernel_size // 2``: conv, then the
    norm layer of ``norm_cfg`` and the activation of ``act_cfg`` (each left
    out when None); the conv has a bias only without a norm layer.

    Args:
        in_channels (int): Input channels C_in.
        out_channels (int): Output channels C_out.
        kernel_size (int): Square kernel size (odd).
        stride (int): Stride. Default: 1.
        groups (int): Groups of the conv. Default: 1.
        conv_cfg (dict | None): Config of the convolution. Default: None.
        norm_cfg (dict | None): Config of the norm layer. Default: None.
        act_cfg (dict | None): Config of the activation. Default: None.

    Shape:
        x: ``[N, C_in, H, W]`` ->
        ``[N, C_out, ceil(H / stride), ceil(W / stride)]``.
    """
    return ConvModule(in_channels, out_channels, kernel_size, stride=stride,
                      padding=kernel_size // 2, groups=groups,
                      conv_cfg=conv_cfg, norm_cfg=norm_cfg, act_cfg=act_cfg)


def stem_conv3x3(out_channels: int,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None) -> ConvModule:
    """:func:`conv_norm_act` with a 3x3 kernel and stride 2 on an RGB input,
    as the MobileNet and ShuffleNet stems (``conv1``) use.

    Shape:
        x: ``[N, 3, H, W]`` -> ``[N, C, ceil(H / 2), ceil(W / 2)]``.
    """
    return conv_norm_act(
        3,
        out_channels,
        3,
        stride=2,
        conv_cfg=conv_cfg,
        norm_cfg=norm_cfg,
        act_cfg=act_cfg)
