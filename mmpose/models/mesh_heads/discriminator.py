"""Adversarial prior on SMPL parameters (HMR, Kanazawa et al., CVPR 2018).

The discriminator scores a set of SMPL parameters as real (from MoSh data)
or fake (regressed). It has three parts: a shared per-joint embedding of the
23 body rotations with one score per joint, a score on the concatenated
embeddings of all joints, and a score on the shape coefficients.
"""
from typing import List, Sequence, Tuple

import torch
from mmcv.cnn import normal_init, xavier_init
from torch import nn

from mmpose.errors import ArgumentError, ArgumentTypeError

from .geometric_layers import batch_rodrigues

__all__ = [
    'SMPLDiscriminator', 'PoseDiscriminator', 'FullPoseDiscriminator',
    'ShapeDiscriminator'
]


def _mlp_blocks(fc_layers: Sequence[int], use_dropout: Sequence[bool],
                drop_prob: Sequence[float],
                use_activation: Sequence[bool]) -> nn.Sequential:
    """Fully connected stack named ``regressor_fc_{i}`` (checkpoint names)."""
    num_fc = len(fc_layers) - 1
    for name, flags in (('use_dropout', use_dropout),
                        ('drop_prob', drop_prob),
                        ('use_activation', use_activation)):
        if len(flags) != num_fc:
            raise ArgumentError(f'{name} needs {num_fc} entries for fc_layers '
                                f'{list(fc_layers)}, got {len(flags)}')
    blocks = nn.Sequential()
    for i in range(num_fc):
        blocks.add_module(f'regressor_fc_{i}',
                          nn.Linear(fc_layers[i], fc_layers[i + 1]))
        if use_activation[i]:
            blocks.add_module(f'regressor_af_{i}', nn.ReLU())
        if use_dropout[i]:
            blocks.add_module(f'regressor_fc_dropout_{i}',
                              nn.Dropout(p=drop_prob[i]))
    return blocks


class _FCDiscriminator(nn.Module):
    """A fully connected discriminator ending in one score.

    Args:
        fc_layers (tuple[int]): Widths, input first; the last must be 1.
        use_dropout (tuple[bool]): Dropout after each linear layer.
        drop_prob (tuple[float]): Dropout probability of each layer.
        use_activation (tuple[bool]): ReLU after each linear layer.

    All four must be tuples, as in MMPose 0.x (a list raises
    :class:`~mmpose.errors.ArgumentTypeError`, a ``TypeError``).
    """

    def __init__(self, fc_layers: Tuple[int, ...],
                 use_dropout: Tuple[bool, ...], drop_prob: Tuple[float, ...],
                 use_activation: Tuple[bool, ...]):
        super().__init__()
        for name, value in (('fc_layers', fc_layers),
                            ('use_dropout', use_dropout),
                            ('drop_prob', drop_prob),
                            ('use_activation', use_activation)):
            if not isinstance(value, tuple):
                raise ArgumentTypeError(
                    f'{type(self).__name__}: {name} must be a tuple, got '
                    f'{type(value).__name__} {value!r}')
        if fc_layers[-1] != 1:
            raise ArgumentError(f'the last fc layer of {type(self).__name__} '
                                f'must have 1 unit, got {fc_layers[-1]}')
        self.fc_layers = fc_layers
        self.fc_blocks = _mlp_blocks(fc_layers, use_dropout, drop_prob,
                                     use_activation)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        """inputs (Tensor[N, C]) -> scores (Tensor[N, 1])."""
        return self.fc_blocks(inputs)


class ShapeDiscriminator(_FCDiscriminator):
    """Scores SMPL shape coefficients ``beta`` (Tensor[N, 10])."""


class FullPoseDiscriminator(_FCDiscriminator):
    """Scores the concatenated per-joint pose embeddings (Tensor[N, 23*C])."""


class PoseDiscriminator(nn.Module):
    """Per-joint discriminator on rotation matrices.

    A stack of 1x1 convolutions, shared by all joints, embeds each flattened
    rotation matrix; a separate linear layer per joint scores it.

    Args:
        channels (Sequence[int]): Widths of the embedding, starting at 9 and
            ending with 1 (the per-joint score).
        joint_count (int): Number of joints J.
    """

    def __init__(self, channels: Sequence[int], joint_count: int):
        super().__init__()
        if channels[-1] != 1:
            raise ArgumentError(
                f'the last channel of PoseDiscriminator must be '
                f'1, got {channels[-1]}')
        self.channels = channels
        self.joint_count = joint_count
        self.conv_blocks = nn.Sequential()
        for idx in range(len(channels) - 2):
            self.conv_blocks.add_module(
                f'conv_{idx}',
                nn.Conv2d(channels[idx], channels[idx + 1], kernel_size=1))
        self.fc_layer = nn.ModuleList(
            nn.Linear(channels[-2], 1) for _ in range(joint_count))

    def forward(self,
                inputs: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Score each joint.

        Args:
            inputs (torch.Tensor[N, J, 9]): Flattened rotation matrices.

        Returns:
            tuple: scores (Tensor[N, J]) and the embeddings
            (Tensor[N, C, 1, J]) used by :class:`FullPoseDiscriminator`.
        """
        embed = self.conv_blocks(inputs.transpose(1, 2).unsqueeze(2))
        feats = embed[:, :, 0, :]  # [N, C, J]
        # Each joint has its own linear layer: gather the weights into one
        # [J, C] matrix and score all joints with a single einsum.
        weight = torch.cat([fc.weight for fc in self.fc_layer], dim=0)
        bias = torch.cat([fc.bias for fc in self.fc_layer], dim=0)
        scores = torch.einsum('ncj,jc->nj', feats, weight) + bias
        return scores, embed


class SMPLDiscriminator(nn.Module):
    """Discriminator for SMPL pose and shape parameters.

    Args:
        beta_channel (tuple[int]): Widths of the shape discriminator,
            starting at 10. Default: (10, 5, 1).
        per_joint_channel (Sequence[int]): Widths of the per-joint pose
            discriminator, starting at 9. Default: (9, 32, 32, 1).
        full_pose_channel (tuple[int]): Widths of the full-pose
            discriminator, starting at 23 * per_joint_channel[-2].
            Default: (23 * 32, 1024, 1024, 1).
    """

    joint_count = 23

    def __init__(self,
                 beta_channel: Tuple[int, ...] = (10, 5, 1),
                 per_joint_channel: Sequence[int] = (9, 32, 32, 1),
                 full_pose_channel: Tuple[int, ...] = (
                     23 * 32, 1024, 1024, 1)):
        super().__init__()
        if beta_channel[0] != 10:
            raise ArgumentError(f'beta_channel must start with 10 (SMPL shape '
                                f'size), got {list(beta_channel)}')
        if per_joint_channel[0] != 9:
            raise ArgumentError(f'per_joint_channel must start with 9 (a '
                                f'flattened 3x3 rotation), got '
                                f'{list(per_joint_channel)}')
        if full_pose_channel[0] != self.joint_count * per_joint_channel[-2]:
            raise ArgumentError(
                f'full_pose_channel must start with 23 * '
                f'per_joint_channel[-2] = '
                f'{self.joint_count * per_joint_channel[-2]}, got '
                f'{list(full_pose_channel)}')
        self.beta_channel = beta_channel
        self.per_joint_channel = per_joint_channel
        self.full_pose_channel = full_pose_channel
        self.pose_discriminator = PoseDiscriminator(per_joint_channel,
                                                    self.joint_count)
        self.full_pose_discriminator = FullPoseDiscriminator(
            *self._mlp_flags(full_pose_channel))
        self.shape_discriminator = ShapeDiscriminator(
            *self._mlp_flags(beta_channel))

    @staticmethod
    def _mlp_flags(fc_layers: Tuple[int, ...]) -> List[tuple]:
        """ReLU between layers, none after the score, no dropout."""
        num_fc = len(fc_layers) - 1
        return [
            fc_layers, (False, ) * num_fc, (0.5, ) * num_fc,
            (True, ) * (num_fc - 1) + (False, )
        ]

    def forward(self, thetas: Sequence[torch.Tensor]) -> torch.Tensor:
        """Score SMPL parameters.

        Args:
            thetas (tuple): ``(camera, pose, shape)`` with camera
                (Tensor[N, 3], unused), pose either axis-angle
                (Tensor[N, 72]) or rotation matrices (Tensor[N, 24, 3, 3])
                and shape (Tensor[N, 10]).

        Returns:
            torch.Tensor[N, 23 + 1 + 1]: Per-joint, full-pose and shape
            scores.
        """
        _, poses, shapes = thetas
        batch_size = poses.shape[0]
        if poses.dim() == 2:
            rotmats = batch_rodrigues(poses.reshape(-1, 3))
        else:
            rotmats = poses
        # The global orientation (joint 0) is not judged.
        rotmats = rotmats.reshape(batch_size, 24, 9)[:, 1:, :]
        pose_scores, pose_embed = self.pose_discriminator(rotmats)
        full_pose_scores = self.full_pose_discriminator(
            pose_embed.reshape(batch_size, -1))
        shape_scores = self.shape_discriminator(shapes)
        return torch.cat((pose_scores, full_pose_scores, shape_scores), 1)

    def init_weights(self) -> None:
        """Small initial weights so early scores are near zero."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                normal_init(m, std=0.001)
            elif isinstance(m, nn.Linear):
                xavier_init(m, gain=0.01)
