"""A third-party backbone registered the way Lite-HRNet's own repository
does it for MMPose 0.x: through the 0.14 registry path, under the name of
MMPose's built-in ``LiteHRNet``. Imported by test_user_registrations.py
(its ``__module__`` is outside ``mmpose``)."""
from torch import nn

from mmpose.models.registry import BACKBONES


@BACKBONES.register_module()
class LiteHRNet(nn.Module):
    """Two strided 3x3 convolutions (1/4 resolution); returns a list of
    feature maps as Lite-HRNet does.

    Args:
        in_channels (int): Input channels. Default: 3.
        width (int): Output channels. Default: 8.
    """

    def __init__(self, in_channels=3, width=8):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Conv2d(in_channels, width, 3, stride=2, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(width, width, 3, stride=2, padding=1),
            nn.ReLU(inplace=True))

    def init_weights(self, pretrained=None):
        """Keep PyTorch's initialisation (no pretrained weights)."""

    def forward(self, x):
        return [self.layers(x)]
