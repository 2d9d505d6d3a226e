"""SmoothNet as a temporal filter (Zeng et al., "SmoothNet: A Plug-and-Play
Network for Refining Human Poses in Videos", ECCV 2022).

Each coordinate track is refined on its own: a sliding window of
``window_size`` frames goes through an MLP along time, and the overlapping
window outputs are averaged.
"""
from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from mmpose.errors import ArgumentError
from .builder import FILTERS
from .filter import TemporalFilter, check_pose_sequence

__all__ = ['FILTERS', 'SmoothNet', 'SmoothNetResBlock', 'SmoothNetFilter']


class SmoothNetResBlock(nn.Module):
    """Two linear layers (dropout, LeakyReLU 0.2 after each) plus the input.

    Args:
        in_channels (int): Input and output feature size.
        hidden_channels (int): Hidden feature size.
        dropout (float): Dropout probability. Default: 0.5.
    """

    def __init__(self,
                 in_channels: int,
                 hidden_channels: int,
                 dropout: float = 0.5):
        super().__init__()
        self.linear1 = nn.Linear(in_channels, hidden_channels)
        self.linear2 = nn.Linear(hidden_channels, in_channels)
        self.lrelu = nn.LeakyReLU(0.2)
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[..., in_channels] -> [..., in_channels]."""
        y = self.lrelu(self.dropout(self.linear1(x)))
        y = self.lrelu(self.dropout(self.linear2(y)))
        return x + y


class SmoothNet(nn.Module):
    """The SmoothNet MLP over sliding windows of a sequence.

    Args:
        window_size (int): Input window length.
        output_size (int): Output window length (<= ``window_size``); window
            ``i`` refines frames ``i .. i + output_size - 1``.
        hidden_size (int): Feature size of the encoder, residual blocks and
            decoder. Default: 512.
        res_hidden_size (int): Hidden size inside the residual blocks.
            Default: 256.
        num_blocks (int): Number of residual blocks. Default: 3.
        dropout (float): Dropout probability. Default: 0.5.

    Note:
        batch size: N
        channels (keypoints x coordinates): C
        frames: T
    """

    def __init__(self,
                 window_size: int,
                 output_size: int,
                 hidden_size: int = 512,
                 res_hidden_size: int = 256,
                 num_blocks: int = 3,
                 dropout: float = 0.5):
        super().__init__()
        if not 0 < output_size <= window_size:
            raise ArgumentError(f'SmoothNet: output_size should be in [1, '
                                f'window_size={window_size}], got '
                                f'{output_size}')
        self.window_size = window_size
        self.output_size = output_size
        self.encoder = nn.Sequential(
            nn.Linear(window_size, hidden_size), nn.LeakyReLU(0.1))
        self.res_blocks = nn.Sequential(*[
            SmoothNetResBlock(hidden_size, res_hidden_size, dropout)
            for _ in range(num_blocks)
        ])
        self.decoder = nn.Linear(hidden_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Refine sequences [N, C, T] (T >= window_size) -> [N, C, T].

        Frames no output window covers (the last ``window_size -
        output_size`` ones) keep their input values.
        """
        n, c, t = x.shape
        if t < self.window_size:
            raise ArgumentError(f'SmoothNet: the sequence has {t} frames, '
                                f'fewer than window_size={self.window_size}')
        windows = x.unfold(2, self.window_size, 1)  # [N, C, W, window]
        y = self.decoder(self.res_blocks(self.encoder(windows)))
        num_windows = windows.shape[2]
        covered = num_windows + self.output_size - 1

        # Sum the overlapping window outputs per frame with a 1D fold.
        def overlap_add(values: torch.Tensor) -> torch.Tensor:
            cols = values.reshape(-1, num_windows, self.output_size)
            return F.fold(
                cols.transpose(1, 2),
                output_size=(1, covered),
                kernel_size=(1, self.output_size)).reshape(-1, covered)

        total = overlap_add(y).reshape(n, c, covered)
        count = overlap_add(y.new_ones(1, num_windows, self.output_size))
        return torch.cat([total / count, x[..., covered:]], dim=2)


@FILTERS.register_module(name=['SmoothNetFilter', 'SmoothNet', 'smoothnet'])
class SmoothNetFilter(TemporalFilter):
    """SmoothNet with pretrained weights as a temporal filter.

    Sequences shorter than ``window_size`` are returned unchanged.

    Args:
        window_size (int): Input window length of the network.
        output_size (int): Output window length of the network.
        checkpoint (str | None): SmoothNet weights (a local path or URL);
            they must match ``window_size``/``output_size``. None keeps a
            randomly initialised network. Default: None.
        hidden_size (int): See :class:`SmoothNet`. Default: 512.
        res_hidden_size (int): See :class:`SmoothNet`. Default: 256.
        num_blocks (int): See :class:`SmoothNet`. Default: 3.
        device (str): Device the network runs on. Default: 'cpu'.
        root_index (int | None): When given, the keypoints are smoothed
            relative to this root keypoint (as the network was trained) and
            moved back; the root itself is kept as is. Default: None.
    """

    def __init__(self,
                 window_size: int,
                 output_size: int,
                 checkpoint: Optional[str] = None,
                 hidden_size: int = 512,
                 res_hidden_size: int = 256,
                 num_blocks: int = 3,
                 device: str = 'cpu',
                 root_index: Optional[int] = None):
        super().__init__(window_size)
        self.device = device
        self.root_index = root_index
        self.smoothnet = SmoothNet(window_size, output_size, hidden_size,
                                   res_hidden_size, num_blocks)
        if checkpoint:
            from mmpose.utils.checkpoint import load_checkpoint
            load_checkpoint(self.smoothnet, checkpoint, strict=True)
        self.smoothnet.to(device).eval()

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Smooth ``x`` (np.ndarray[T, K, C]) -> np.ndarray[T, K, C]."""
        x = check_pose_sequence(x, 'SmoothNetFilter')
        num_frames, num_kpts, dim = x.shape
        if num_frames < self.window_size:
            return x
        if self.root_index is not None and not (-num_kpts <= self.root_index
                                                < num_kpts):
            raise ArgumentError(f'SmoothNetFilter: root_index '
                                f'{self.root_index} is out of range for '
                                f'{num_kpts} keypoints')
        seq = x.astype(np.float32)
        if self.root_index is not None:
            root = seq[:, self.root_index:self.root_index + 1].copy()
            seq = seq - root
        with torch.no_grad():
            tracks = torch.from_numpy(seq).to(self.device)
            tracks = tracks.reshape(1, num_frames, -1).permute(0, 2, 1)
            smoothed = self.smoothnet(tracks).permute(0, 2, 1).reshape(
                num_frames, num_kpts, dim).cpu().numpy()
        if self.root_index is not None:
            smoothed = smoothed + root
            smoothed[:, self.root_index] = root[:, 0]
        return smoothed.astype(x.dtype)
