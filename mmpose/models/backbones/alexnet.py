"""AlexNet backbone.

"ImageNet Classification with Deep Convolutional Neural Networks",
Krizhevsky et al., NeurIPS 2012, in its single-GPU (torchvision) layout.
"""
import torch
from torch import nn

from mmpose.errors import ArgumentError
from mmpose.models.builder import BACKBONES

from .base_backbone import BaseBackbone

__all__ = ['AlexNet']


@BACKBONES.register_module()
class AlexNet(BaseBackbone):
    """AlexNet backbone.

    Five convolutions (``features``) with total stride 32 (for a 224x224
    input the features are ``[N, 256, 6, 6]``; for 256x192 ``[N, 256, 7,
    5]``). With ``num_classes > 0`` the classifier head is kept, which
    expects 224x224 inputs.

    Args:
        num_classes (int): Size of the classification output. With the
            default of -1 no classifier head is built and the network just
            returns features.

    Shape:
        x: ``[N, 3, H, W]`` -> ``[N, 256, H', W']`` (features) or
        ``[N, num_classes]`` (classification scores).
    """

    def __init__(self, num_classes: int = -1) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        if self.num_classes > 0:
            self.classifier = nn.Sequential(
                nn.Dropout(),
                nn.Linear(256 * 6 * 6, 4096),
                nn.ReLU(inplace=True),
                nn.Dropout(),
                nn.Linear(4096, 4096),
                nn.ReLU(inplace=True),
                nn.Linear(4096, num_classes),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            x (Tensor[N, 3, H, W]): Input images (224x224 when classifying).

        Returns:
            Tensor: Features ``[N, 256, H', W']`` or scores
            ``[N, num_classes]``.
        """
        x = self.features(x)
        if self.num_classes > 0:
            if x.shape[1:] != (256, 6, 6):
                raise ArgumentError(
                    'the AlexNet classifier needs [N, 256, 6, 6] features '
                    f'(a 224x224 input), but got {list(x.shape)}')
            x = self.classifier(x.flatten(1))
        return x
