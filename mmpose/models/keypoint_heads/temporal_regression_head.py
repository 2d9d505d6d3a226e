"""Regression head of VideoPose3D: a 1x1 temporal conv to K x 3 joints.

Paper ref: Dario Pavllo et al. 3D human pose estimation in video with
temporal convolutions and semi-supervised training (CVPR 2019).
"""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmcv.cnn import normal_init
from torch import nn

from mmpose.core.evaluation import compute_similarity_transform
from mmpose.core.post_processing import fliplr_regression
from mmpose.errors import ArgumentError
from ..builder import HEADS, build_head_loss

__all__ = ['TemporalRegressionHead']


@HEADS.register_module()
class TemporalRegressionHead(nn.Module):
    """Regression head of VideoPose3D.

    Based on Pavllo et al. (CVPR 2019), which estimates 3D human pose in
    video using temporal convolutions and semi-supervised training.

    Args:
        in_channels (int): Channels of the incoming temporal features.
        num_joints (int): How many joints to regress.
        max_norm (float|None): When set, the conv weights are clipped so that
            their norm does not exceed this value.
        loss_keypoint (dict): Config for keypoint loss (required, as in
            0.x).
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config; 'restore_global_position'
            adds the root position back in decode and accuracy.
    """

    def __init__(self,
                 in_channels: int,
                 num_joints: int,
                 max_norm: Optional[float] = None,
                 loss_keypoint: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__()
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.max_norm = max_norm
        self.loss = build_head_loss(loss_keypoint, type(self).__name__)
        self.train_cfg = {} if train_cfg is None else train_cfg
        self.test_cfg = {} if test_cfg is None else test_cfg
        self.conv = nn.Conv1d(in_channels, num_joints * 3, 1)
        if self.max_norm is not None:
            # imported here: mmpose.core.utils depends on the model package
            from mmpose.core.utils import WeightNormClipHook
            weight_clip = WeightNormClipHook(self.max_norm)
            for module in self.modules():
                if isinstance(module, nn.modules.conv._ConvNd):
                    weight_clip.register(module)

    @staticmethod
    def _transform_inputs(
            x: Union[torch.Tensor, Sequence[torch.Tensor]]) -> torch.Tensor:
        """The top-level feature of a 1D feature pyramid (last of a list)."""
        if not isinstance(x, (list, tuple)):
            return x
        if len(x) == 0:
            raise ArgumentError('TemporalRegressionHead got an empty list')
        return x[-1]

    def forward(self, x: Union[torch.Tensor, Sequence[torch.Tensor]]
                ) -> torch.Tensor:
        """Forward function.

        Args:
            x (torch.Tensor[N, C, 1]): Temporal feature of the target frame.

        Returns:
            torch.Tensor[N, K, 3]: Predicted joints.
        """
        x = self._transform_inputs(x)
        if x.dim() != 3 or x.shape[2] != 1:
            raise ArgumentError(f'TemporalRegressionHead expects features '
                                f'[N, C, 1], got {tuple(x.shape)}')
        output = self.conv(x)
        return output.reshape(output.shape[0], self.num_joints, 3)

    def get_loss(self, output: torch.Tensor, target: torch.Tensor,
                 target_weight: Optional[torch.Tensor]
                 ) -> Dict[str, torch.Tensor]:
        """Calculate keypoint loss.

        Note:
            batch_size: N
            num_keypoints: K

        Args:
            output (torch.Tensor[N, K, 3]): Output keypoints.
            target (torch.Tensor[N, K, 3]): Target keypoints.
            target_weight (torch.Tensor[N, K, 3] | None): Weights across
                different joint types; None weighs every joint 1.

        Returns:
            dict: ``{'reg_loss': loss}``.
        """
        if target.dim() != 3:
            raise ArgumentError(f'TemporalRegressionHead: target must be '
                                f'[N, K, 3], got {tuple(target.shape)}')
        if target_weight is None:
            target_weight = target.new_ones(target.shape)
        return dict(reg_loss=self.loss(output, target, target_weight))

    def _to_world(self, x: np.ndarray, metas: Sequence[dict]) -> np.ndarray:
        """Undo target normalisation and (optionally) root centring."""
        if 'target_mean' in metas[0] and 'target_std' in metas[0]:
            mean = np.stack([m['target_mean'] for m in metas])
            std = np.stack([m['target_std'] for m in metas])
            x = self._denormalize_joints(x, mean, std)
        if self.test_cfg.get('restore_global_position', False):
            root_pos = np.stack([m['root_position'] for m in metas])
            x = self._restore_global_position(x, root_pos,
                                              self._root_index(metas))
        return x

    @staticmethod
    def _root_index(metas: Sequence[dict]) -> Optional[int]:
        """Index the removed root joint had, if it was removed."""
        index = metas[0].get('root_position_index',
                             metas[0].get('root_index'))
        return None if index is None else int(np.asarray(index).reshape(-1)[0])

    def get_accuracy(self, output: torch.Tensor, target: torch.Tensor,
                     target_weight: Optional[torch.Tensor],
                     metas: Sequence[dict]) -> Dict[str, torch.Tensor]:
        """Calculate accuracy for keypoint loss.

        MPJPE and P-MPJPE (after a similarity alignment) of the
        de-normalised, weighted joints.

        Note:
            batch_size: N
            num_keypoints: K

        Args:
            output (torch.Tensor[N, K, 3]): Output keypoints.
            target (torch.Tensor[N, K, 3]): Target keypoints.
            target_weight (torch.Tensor[N, K, 3]): Weights across
                different joint types.
            metas (list(dict)): Per-sample meta information, which may hold:
                - target_image_path (str): Optional, the image file path
                - target_mean (float): Optional, normalization parameter of
                  the target pose.
                - target_std (float): Optional, normalization parameter of the
                  target pose.
                - root_position (np.ndarray[3,1]): Optional, global
                  position of the root joint.
                - root_index (torch.ndarray[1,]): Optional, original index of
                  the root joint before root-centering.

        Returns:
            dict: 'mpjpe' and 'p_mpjpe' (0-dim tensors).
        """
        pred = self._to_world(output.detach().cpu().numpy(), metas)
        gt = self._to_world(target.detach().cpu().numpy(), metas)
        if target_weight is None:
            weight = np.ones_like(gt)
        else:
            weight = target_weight.detach().cpu().numpy()
            if self.test_cfg.get('restore_global_position', False):
                weight = self._restore_root_target_weight(
                    weight, metas[0].get('root_joint_weight', 1.0),
                    self._root_index(metas))
        mpjpe = np.mean(np.linalg.norm((pred - gt) * weight, axis=-1))
        # the similarity alignment is solved per sample
        aligned = np.stack([
            compute_similarity_transform(p, g)
            for p, g in zip(pred, gt)
        ])
        p_mpjpe = np.mean(np.linalg.norm((aligned - gt) * weight, axis=-1))
        return dict(mpjpe=output.new_tensor(mpjpe),
                    p_mpjpe=output.new_tensor(p_mpjpe))

    def inference_model(self, x: torch.Tensor,
                        flip_pairs: Optional[Sequence[Tuple[int,
                                                            int]]] = None
                        ) -> np.ndarray:
        """Inference function.

        Args:
            x (torch.Tensor[N, C, 1]): Input features.
            flip_pairs (None | list[tuple()): Pairs of keypoints which are
                mirrored; the joints are mirrored about x = 0 (root-centred
                poses).

        Returns:
            output_regression (np.ndarray[N, K, 3]): Output regression.
        """
        output = self.forward(x).detach().cpu().numpy()
        if flip_pairs is not None:
            output = fliplr_regression(output, flip_pairs,
                                       center_mode='static', center_x=0)
        return output

    def decode(self, metas: Sequence[dict], output: np.ndarray) -> dict:
        """Decode the keypoints from output regression.

        Args:
            metas (list(dict)): Information about data augmentation, see
                :meth:`get_accuracy`.
            output (np.ndarray[N, K, 3]): predicted regression vector.

        Returns:
            dict: 'preds' (np.ndarray[N, K', 3]) and 'target_image_paths'.
        """
        preds = self._to_world(output, metas)
        paths: List[Optional[str]] = [
            m.get('target_image_path', None) for m in metas
        ]
        return dict(preds=preds, target_image_paths=paths)

    @staticmethod
    def _denormalize_joints(x: np.ndarray, mean: np.ndarray,
                            std: np.ndarray) -> np.ndarray:
        """``x * std + mean`` for x, mean, std of the same shape [N, K, C]."""
        if not x.ndim == 3 or not x.shape == mean.shape == std.shape:
            raise ArgumentError(
                f'cannot denormalize joints {x.shape} with mean '
                f'{mean.shape} and std {std.shape}')
        return x * std + mean

    @staticmethod
    def _restore_global_position(x: np.ndarray, root_pos: np.ndarray,
                                 root_idx: Optional[int] = None
                                 ) -> np.ndarray:
        """Add the root position back, re-inserting the root joint at
        ``root_idx`` if it had been removed.

        Args:
            x (np.ndarray[N, K, C]): Root-centred joints.
            root_pos (np.ndarray[N, 1, C]): Root positions.
            root_idx (int | None): Index of the removed root joint.
        """
        x = x + root_pos
        if root_idx is not None:
            x = np.insert(x, root_idx, root_pos.squeeze(1), axis=1)
        return x

    @staticmethod
    def _restore_root_target_weight(target_weight: np.ndarray,
                                    root_weight: float,
                                    root_idx: Optional[int] = None
                                    ) -> np.ndarray:
        """Insert ``root_weight`` for the removed root joint."""
        if root_idx is None:
            return target_weight
        root = np.full((target_weight.shape[0], target_weight.shape[2]),
                       root_weight, dtype=target_weight.dtype)
        return np.insert(target_weight, root_idx, root, axis=1)

    def init_weights(self) -> None:
        """Initialize the weights."""
        normal_init(self.conv, mean=0, std=0.01, bias=0)
