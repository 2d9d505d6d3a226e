"""Channel shuffle of ShuffleNet."""
import torch

from mmpose.errors import ArgumentError


def channel_shuffle(x: torch.Tensor, groups: int) -> torch.Tensor:
    """Interleave the channels of ``groups`` groups.

    The channels, seen as a ``[groups, C // groups]`` grid, are transposed so
    that the next grouped convolution sees channels from every group.

    Args:
        x (Tensor[N, C, H, W]): Input feature map.
        groups (int): Number of groups; must divide ``C``.

    Returns:
        Tensor[N, C, H, W]: The shuffled feature map.
    """
    batch_size, num_channels, height, width = x.size()
    if num_channels % groups != 0:
        raise ArgumentError(f'the number of channels ({num_channels}) must be '
                            f'divisible by groups ({groups})')
    channels_per_group = num_channels // groups
    x = x.view(batch_size, groups, channels_per_group, height, width)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(batch_size, num_channels, height, width)
