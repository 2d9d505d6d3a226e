"""Properties giving access to norm layers by their 0.x role names."""
from torch import nn


def named_norm(index: int) -> property:
    """A read-only property ``norm{index}``: the norm layer registered under
    the name kept in ``self.norm{index}_name``.

    ``mmcv.cnn.build_norm_layer`` names a norm layer after its type (``bn1``,
    ``gn1``, ...), so blocks store that name and read the layer through
    this property.

    Args:
        index (int): The postfix of the norm layer (``norm1`` -> 1).

    Returns:
        property: The property, to assign as a class attribute
        (``norm1 = named_norm(1)``).
    """
    name_attr = f'norm{index}_name'

    def get_norm(self: nn.Module) -> nn.Module:
        return getattr(self, getattr(self, name_attr))

    return property(
        get_norm,
        doc=f'nn.Module: the normalization layer named "norm{index}".')
