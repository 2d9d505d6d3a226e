"""Round channel numbers to hardware-friendly multiples."""
from typing import Optional


def make_divisible(value: float,
                   divisor: int,
                   min_value: Optional[int] = None,
                   min_ratio: float = 0.9) -> int:
    """Round ``value`` to the nearest multiple of ``divisor``.

    Used by width-scaled networks (MobileNet, ShuffleNet) so that every layer
    keeps a channel count divisible by ``divisor``.

    Args:
        value (int | float): The channel number to round.
        divisor (int): The result is a multiple of this.
        min_value (int | None): Lower bound of the result. Default: None,
            meaning ``divisor``.
        min_ratio (float): If rounding down would lose more than
            ``1 - min_ratio`` of ``value``, one more ``divisor`` is added.
            Default: 0.9.

    Returns:
        int: The rounded channel number.

    Example:
        >>> make_divisible(32 * 0.75, 8)
        24
        >>> make_divisible(10, 8)
        16
    """
    if min_value is None:
        min_value = divisor
    # round half up to the nearest multiple, but never below min_value
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if rounded < min_ratio * value:
        rounded += divisor
    return rounded
