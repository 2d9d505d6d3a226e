"""A third-party neck registered the way TCFormer's pose code registers
its ``MTA`` neck for MMPose 0.x (``NECKS.register_module()``), under the
name of MMPose's built-in ``MTA``. Imported by test_user_registrations.py
(its ``__module__`` is outside ``mmpose``)."""
from torch import nn

from mmpose.models.builder import NECKS


@NECKS.register_module()
class MTA(nn.Module):
    """A 1x1 convolution of the first feature map; returns a list as
    TCFormer's MTA does.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
    """

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.proj = nn.Conv2d(in_channels, out_channels, 1)

    def init_weights(self):
        """Keep PyTorch's initialisation."""

    def forward(self, inputs):
        return [self.proj(inputs[0])]
