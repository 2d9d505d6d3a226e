"""Input validation shared by the post-processing and evaluation functions."""
from typing import Optional, Sequence

import numpy as np

from mmpose.errors import ArgumentError

__all__ = ['check_array', 'check_same_leading']


def check_array(name: str,
                array,
                ndim: Optional[int] = None,
                last_dims: Optional[Sequence[Optional[int]]] = None,
                expected: str = '') -> np.ndarray:
    """Return ``array`` as an ndarray after checking its rank and trailing
    dimensions.

    Args:
        name (str): Argument name used in the error message.
        array (array-like): The value to check.
        ndim (int, optional): Required number of dimensions.
        last_dims (Sequence[int | None], optional): Required sizes of the
            trailing dimensions; ``None`` entries accept any size.
        expected (str): Human readable expected shape, e.g. ``'[N, K, 2]'``.

    Raises:
        ArgumentError: If the rank or a trailing dimension does not match
            (a ValueError and, as 0.x asserted shapes, an AssertionError).
    """
    array = np.asarray(array)
    shape_ok = ndim is None or array.ndim == ndim
    if shape_ok and last_dims is not None:
        last_dims = tuple(last_dims)
        shape_ok = array.ndim >= len(last_dims) and all(
            want is None or got == want
            for want, got in zip(last_dims,
                                 array.shape[array.ndim - len(last_dims):]))
    if not shape_ok:
        raise ArgumentError(f'{name} should have shape {expected or ndim}, '
                            f'but got shape {tuple(array.shape)}')
    return array


def check_same_leading(names: Sequence[str], arrays: Sequence[np.ndarray],
                       num_dims: int = 1) -> None:
    """Check that arrays agree on their first ``num_dims`` dimensions.

    Raises:
        ArgumentError: Naming every array and its shape when they disagree.
    """
    leading = {tuple(a.shape[:num_dims]) for a in arrays}
    if len(leading) > 1:
        shapes = ', '.join(f'{n}: {tuple(a.shape)}'
                           for n, a in zip(names, arrays))
        raise ArgumentError(
            f'{", ".join(names)} should agree on their first '
            f'{num_dims} dimension(s) (N, K), but got {shapes}')
