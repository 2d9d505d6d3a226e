"""The stride-2 3x3 stem convolution of the light-weight backbones."""
from typing import Optional

from mmcv.cnn import ConvModule


def stem_conv3x3(out_channels: int,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None) -> ConvModule:
    """Conv-norm-activation with a 3x3 kernel, stride 2 and padding 1 on an
    RGB input, as the MobileNet and ShuffleNet stems (``conv1``) use.

    Args:
        out_channels (int): Output channels C.
        conv_cfg (dict | None): Config of the convolution. Default: None.
        norm_cfg (dict | None): Config of the norm layer. Default: None.
        act_cfg (dict | None): Config of the activation. Default: None.

    Shape:
        x: ``[N, 3, H, W]`` -> ``[N, C, ceil(H / 2), ceil(W / 2)]``.
    """
    return ConvModule(
        in_channels=3,
        out_channels=out_channels,
        kernel_size=3,
        stride=2,
        padding=1,
        conv_cfg=conv_cfg,
        norm_cfg=norm_cfg,
        act_cfg=act_cfg)
