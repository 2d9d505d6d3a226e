"""The pose rescoring net of DEKR (Geng et al., CVPR 2021; MMPose 0.29).

A small MLP predicts the OKS of each decoded pose from its normalised limb
vectors, limb lengths and keypoint scores; DEKR multiplies the pose scores by
it.

Where the weights come from (this package cannot download them):

- ``pretrained=None``: random weights. This is the explicit opt-in for a
  net without trained weights (tests, training from scratch).
- ``pretrained`` a local file or a URL whose file is in the torch hub cache
  (``<torch.hub.get_dir()>/checkpoints/<file name>``): loaded by
  :meth:`DekrRescoreNet.init_weight`.
- otherwise the weights are *pending*: a full DEKR checkpoint holding
  ``rescore_net.*`` (the official ones do) fills them when it is loaded. A
  net still pending when it is first called raises ``FileNotFoundError``
  naming the file it looked for.

Note:
    number of poses: P
    number of keypoints: K
    number of skeleton links: L
"""
import os.path as osp
from typing import Optional, Sequence

import numpy as np
import torch
from torch import nn

from mmpose.errors import ArgumentError

__all__ = ['DekrRescoreNet']


def _local_file(pretrained: str) -> str:
    """The file ``pretrained`` names: itself, or a URL's torch hub cache."""
    if '://' not in pretrained:
        return osp.expanduser(pretrained)
    return osp.join(torch.hub.get_dir(), 'checkpoints',
                    osp.basename(pretrained.split('?')[0]))


class DekrRescoreNet(nn.Module):
    """Predict the OKS score of decoded poses.

    Args:
        in_channels (int): Feature size, ``3 * L + K``.
        norm_indexes (Sequence[int]): Two skeleton links (indexes into the
            skeleton) whose mean length normalises the pose (the torso).
        pretrained (str | None): Weights file or URL (see the module
            docstring); None means random weights.
    """

    def __init__(self,
                 in_channels: int,
                 norm_indexes: Sequence[int],
                 pretrained: Optional[str] = None):
        super().__init__()
        if len(norm_indexes) != 2:
            raise ArgumentError('DekrRescoreNet: norm_indexes must name two '
                                f'skeleton links, got {norm_indexes!r}')
        self.in_channels = in_channels
        self.norm_indexes = list(norm_indexes)
        self.pretrained = pretrained
        self.weights_ready = pretrained is None
        hidden = 256
        self.l1 = nn.Linear(in_channels, hidden)
        self.l2 = nn.Linear(hidden, hidden)
        self.l3 = nn.Linear(hidden, 1)
        self.relu = nn.ReLU()

    def make_feature(self, poses: np.ndarray,
                     skeleton: Sequence[Sequence[int]]) -> torch.Tensor:
        """Limb vectors and lengths (divided by the torso length, at least
        1) and keypoint scores of each pose.

        Args:
            poses (np.ndarray[P, K, 3+]): x, y, score, ...
            skeleton (Sequence[Sequence[int]]): 0-based links ([L, 2]).

        Returns:
            torch.Tensor[P, 3 * L + K]: Features.
        """
        poses = torch.as_tensor(np.asarray(poses), dtype=torch.float32)
        links = torch.as_tensor(np.asarray(skeleton, dtype=np.int64))
        if links.ndim != 2 or links.shape[1] != 2:
            raise ArgumentError('DekrRescoreNet: skeleton must be [L, 2] '
                                f'links, got shape {tuple(links.shape)}')
        limbs = poses[:, links[:, 0], :2] - poses[:, links[:, 1], :2]
        lengths = limbs.norm(dim=2)  # [P, L]
        torso = lengths[:, self.norm_indexes].mean(dim=1).clamp(min=1)
        feature = torch.cat([
            (limbs / torso[:, None, None]).flatten(1),
            lengths / torso[:, None], poses[..., 2]
        ], dim=1)
        if feature.shape[1] != self.in_channels:
            raise ArgumentError(
                f'DekrRescoreNet: {links.shape[0]} links and '
                f'{poses.shape[1]} keypoints give {feature.shape[1]} '
                f'features, in_channels is {self.in_channels}')
        return feature

    def forward(self, poses: np.ndarray,
                skeleton: Sequence[Sequence[int]]) -> torch.Tensor:
        """Predicted OKS (torch.Tensor[P]) of ``poses`` (np.ndarray[P, K,
        3+])."""
        if not self.weights_ready:
            raise FileNotFoundError(
                f'DekrRescoreNet: no weights; {self.pretrained!r} was '
                f'expected at {_local_file(self.pretrained)}. Put the file '
                'there, load a DEKR checkpoint holding rescore_net.*, or set '
                'test_cfg.rescore_cfg.pretrained=None for random weights.')
        feature = self.make_feature(poses, skeleton).to(self.l1.weight)
        x = self.relu(self.l1(feature))
        x = self.relu(self.l2(x))
        return self.l3(x).squeeze(1)

    def init_weight(self) -> None:
        """Load ``pretrained`` when its file is available (see the module
        docstring)."""
        if self.pretrained is None:
            return
        path = _local_file(self.pretrained)
        if osp.isfile(path):
            from mmcv.runner import load_checkpoint
            load_checkpoint(self, path, map_location='cpu', strict=True)
            self.weights_ready = True

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # a checkpoint that carries this net's weights makes it ready
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
        names = ('l1.weight', 'l2.weight', 'l3.weight')
        if all(prefix + name in state_dict for name in names):
            self.weights_ready = True
