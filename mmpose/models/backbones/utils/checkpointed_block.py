"""Base of the blocks with a ``with_cp`` (gradient checkpointing) option."""
import torch
import torch.utils.checkpoint as cp
from torch import nn

from mmpose.errors import UnsupportedError


class CheckpointedBlock(nn.Module):
    """A block whose body is :meth:`_inner_forward`.

    With ``self.with_cp`` set and an input that requires grad, the body is
    recomputed in the backward pass instead of keeping its activations:
    less memory, slower training, the same outputs and gradients.

    Subclasses set ``self.with_cp`` and implement :meth:`_inner_forward`.
    """

    with_cp = False

    def _inner_forward(self, x: torch.Tensor) -> torch.Tensor:
        raise UnsupportedError(
            f'{type(self).__name__} must implement _inner_forward()')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the block to ``x [N, C_in, ...]``."""
        if self.with_cp and x.requires_grad:
            return cp.checkpoint(self._inner_forward, x, use_reentrant=False)
        return self._inner_forward(x)
