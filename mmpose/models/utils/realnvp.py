"""RealNVP normalising flow on 2-D points, the density model of RLE.

Dinh et al., Density estimation using Real NVP (ICLR 2017); used by
Li et al., Human Pose Regression with Residual Log-likelihood Estimation
(ICCV 2021) to learn the distribution of normalised regression errors.
"""
import torch
from torch import nn
from torch.distributions import MultivariateNormal

__all__ = ['RealNVP']


def _coupling_net(final: nn.Module = None) -> nn.Sequential:
    """2 -> 64 -> 64 -> 2 perceptron of one coupling layer (indices 0, 2, 4
    hold the linear layers, as in the checkpoints of MMPose 0.29)."""
    layers = [nn.Linear(2, 64), nn.LeakyReLU(), nn.Linear(64, 64),
              nn.LeakyReLU(), nn.Linear(64, 2)]
    if final is not None:
        layers.append(final)
    return nn.Sequential(*layers)


class RealNVP(nn.Module):
    """Six affine coupling layers over a standard 2-D Gaussian prior.

    Layer ``i`` keeps the coordinate where ``mask[i]`` is 1 and moves the
    other one by a scale (``s``, tanh-bounded) and shift (``t``) computed
    from the kept coordinate; the masks alternate between the coordinates.

    Buffers ``loc`` [2], ``cov`` [2, 2] and ``mask`` [6, 2] and the
    parameters of ``s`` and ``t`` use 0.29's state_dict names.
    """

    def __init__(self):
        super().__init__()
        self.register_buffer('loc', torch.zeros(2))
        self.register_buffer('cov', torch.eye(2))
        self.register_buffer('mask', torch.tensor([[0., 1.], [1., 0.]] * 3))
        self.s = nn.ModuleList(_coupling_net(nn.Tanh()) for _ in self.mask)
        self.t = nn.ModuleList(_coupling_net() for _ in self.mask)
        self.init_weights()

    def init_weights(self) -> None:
        """Near-identity start: small Xavier weights in every linear layer."""
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight, gain=0.01)

    @property
    def prior(self) -> MultivariateNormal:
        return MultivariateNormal(self.loc, self.cov)

    def backward_p(self, x: torch.Tensor):
        """Map data points to the latent space.

        Args:
            x (torch.Tensor[M, 2]): Points.

        Returns:
            tuple: latent points ``z`` [M, 2] and ``log|det dz/dx|`` [M].
        """
        z = x
        log_det = x.new_zeros(x.shape[0])
        for mask, s_net, t_net in zip(reversed(self.mask), reversed(self.s),
                                      reversed(self.t)):
            kept = mask * z
            scale = s_net(kept) * (1 - mask)
            shift = t_net(kept) * (1 - mask)
            z = kept + (1 - mask) * (z - shift) * torch.exp(-scale)
            log_det = log_det - scale.sum(dim=1)
        return z, log_det

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """Log density of points ``x`` [M, 2] under the flow, shape [M]."""
        z, log_det = self.backward_p(x)
        return self.prior.log_prob(z) + log_det
