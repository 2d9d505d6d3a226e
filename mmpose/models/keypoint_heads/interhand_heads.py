"""Root-depth and hand-type heads of InterHand2.6M.

Paper ref: Gyeongsik Moon et al. InterHand2.6M: A Dataset and Baseline for
3D Interacting Hand Pose Estimation from a Single RGB Image (ECCV 2020).
"""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from mmpose.errors import ArgumentError

from ..builder import HEADS, build_loss
from .utils import build_linear_layers, init_linear_weights, read_image_paths

__all__ = ['Heatmap1DHead', 'MultilabelClassificationHead']


class _FcStackHead(nn.Module):
    """Fully connected stack ``fc`` with loss and train/test configs."""

    def __init__(self, feat_dims: Sequence[int], loss: Optional[dict],
                 train_cfg: Optional[dict], test_cfg: Optional[dict]):
        super().__init__()
        self.loss = None if loss is None else build_loss(loss)
        self.train_cfg = {} if train_cfg is None else train_cfg
        self.test_cfg = {} if test_cfg is None else test_cfg
        self.fc = build_linear_layers(feat_dims, relu_final=False)

    def _compute_loss(self, name: str, output: torch.Tensor,
                      target: torch.Tensor,
                      target_weight: torch.Tensor) -> Dict[str, torch.Tensor]:
        """``{name: loss(output, target, target_weight)}`` for [N, L]."""
        if self.loss is None:
            raise RuntimeError(f'{type(self).__name__} was built without a '
                               f'loss config; cannot compute a loss')
        if target.dim() != 2 or target_weight.dim() != 2:
            raise ArgumentError(f'{type(self).__name__}: target and '
                                f'target_weight must be 2D [N, L], got '
                                f'{tuple(target.shape)} and '
                                f'{tuple(target_weight.shape)}')
        return {name: self.loss(output, target, target_weight)}

    def init_weights(self) -> None:
        """Initialize model weights: normal(std=0.01) linear layers."""
        init_linear_weights(self.fc, std=0.01)


@HEADS.register_module()
class Heatmap1DHead(_FcStackHead):
    """Root depth head of paper ref: Gyeongsik Moon. "InterHand2.6M: A
    Dataset and Baseline for 3D Interacting Hand Pose Estimation from a
    Single RGB Image".

    FC layers predict a 1D heatmap over ``heatmap_size`` depth bins; the
    value is its soft-argmax (in bins).

    Args:
        in_channels (int): Number of input channels
        heatmap_size (int): Heatmap size
        hidden_dims (list|tuple): Number of feature dimension of FC layers.
        loss_value (dict): Config for heatmap 1d loss. Default: None.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    def __init__(self,
                 in_channels: int = 2048,
                 heatmap_size: int = 64,
                 hidden_dims: Sequence[int] = (512, ),
                 loss_value: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__([in_channels, *hidden_dims, heatmap_size],
                         loss_value, train_cfg, test_cfg)
        self.in_channels = in_channels
        self.heatmap_size = heatmap_size

    def soft_argmax_1d(self, heatmap1d: torch.Tensor) -> torch.Tensor:
        """Expected bin index under softmax(heatmap1d).

        Args:
            heatmap1d (torch.Tensor[N, L]): 1D heatmap logits.

        Returns:
            torch.Tensor[N]: Soft-argmax coordinates.
        """
        prob = F.softmax(heatmap1d, dim=1)
        bins = torch.arange(self.heatmap_size, dtype=prob.dtype,
                            device=prob.device)
        return (prob * bins).sum(dim=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            x (torch.Tensor[N, C]): Input features vector.

        Returns:
            torch.Tensor[N, 1]: Predicted values (depth bins).
        """
        return self.soft_argmax_1d(self.fc(x)).reshape(-1, 1)

    def get_loss(self, output: torch.Tensor, target: torch.Tensor,
                 target_weight: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Calculate regression loss of heatmap.

        Note:
            batch size: N

        Args:
            output (torch.Tensor[N, 1]): Output depth.
            target (torch.Tensor[N, 1]): Target depth.
            target_weight (torch.Tensor[N, 1]): Weights across different
                data.

        Returns:
            dict: ``{'value_loss': loss}``.
        """
        return self._compute_loss('value_loss', output, target,
                                  target_weight)

    def inference_model(self, x: torch.Tensor,
                        flip_pairs: Optional[Sequence[Tuple[int,
                                                            int]]] = None
                        ) -> np.ndarray:
        """Inference function.

        The value is a relative depth between the pair of hands; mirroring
        the image swaps the hands, so with ``flip_pairs`` the sign flips.

        Args:
            x (torch.Tensor[NxC]): Input features vector.
            flip_pairs (None | list[tuple()]): Pairs of labels which are
                mirrored.

        Returns:
            output_value (np.ndarray[N, 1]): Output values.
        """
        value = self.forward(x).detach().cpu().numpy()
        return -value if flip_pairs is not None else value

    def decode(self, img_metas: Sequence[dict], output: np.ndarray,
               **kwargs) -> dict:
        """Decode heatmap 1d values.

        Args:
            img_metas (list(dict)): Information about data augmentation
                By default this includes:
                - "image_file: path to the image file
            output (np.ndarray[N, 1]): model predicted values.

        Returns:
            dict: 'values' (np.ndarray[N, 1]) and 'image_paths'.
        """
        return dict(values=output, image_paths=read_image_paths(img_metas))


@HEADS.register_module()
class MultilabelClassificationHead(_FcStackHead):
    """Multi-label classification head. Paper ref: Gyeongsik Moon.
    "InterHand2.6M: A Dataset and Baseline for 3D Interacting Hand Pose
    Estimation from a Single RGB Image".

    FC layers and a sigmoid give one probability per label.

    Args:
        in_channels (int): Number of input channels
        num_labels (int): Number of labels
        hidden_dims (list|tuple): Number of hidden dimension of FC layers.
        loss_classification (dict): Config for classification loss.
            Default: None.
        train_cfg (dict | None): Training config.
        test_cfg (dict | None): Testing config.
    """

    def __init__(self,
                 in_channels: int = 2048,
                 num_labels: int = 2,
                 hidden_dims: Sequence[int] = (512, ),
                 loss_classification: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__([in_channels, *hidden_dims, num_labels],
                         loss_classification, train_cfg, test_cfg)
        self.in_channels = in_channels
        self.num_labels = num_labels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forward function.

        Args:
            x (torch.Tensor[N, C]): Input features vector.

        Returns:
            torch.Tensor[N, L]: Label probabilities.
        """
        return torch.sigmoid(self.fc(x))

    def get_loss(self, output: torch.Tensor, target: torch.Tensor,
                 target_weight: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Calculate the classification loss.

        Note:
            batch_size: N
            number labels: L

        Args:
            output (torch.Tensor[N, L]): Output label probabilities.
            target (torch.Tensor[N, L]): Target labels.
            target_weight (torch.Tensor[N, L]): Weights across different
                labels.

        Returns:
            dict: ``{'classification_loss': loss}``.
        """
        return self._compute_loss('classification_loss', output, target,
                                  target_weight)

    def get_accuracy(self, output: torch.Tensor, target: torch.Tensor,
                     target_weight: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Calculate accuracy for classification.

        A sample counts as correct when every label is on the right side of
        0.5; only samples whose labels all have positive weight are used (0
        when there are none).

        Note:
            batch size: N
            number labels: L

        Args:
            output (torch.Tensor[N, L]): Output hand visibility.
            target (torch.Tensor[N, L]): Target hand visibility.
            target_weight (torch.Tensor[N, L]): Weights across different
                labels.

        Returns:
            dict: ``{'acc_classification': torch.Tensor}``.
        """
        valid = (target_weight > 0).all(dim=1)
        output, target = output.detach()[valid], target[valid]
        if output.shape[0] == 0:
            acc = output.new_zeros(())
        else:
            correct = ((output - 0.5) * (target - 0.5)).amin(dim=1) > 0
            acc = correct.float().mean()
        return dict(acc_classification=acc)

    def inference_model(self, x: torch.Tensor,
                        flip_pairs: Optional[Sequence[Tuple[int,
                                                            int]]] = None
                        ) -> np.ndarray:
        """Inference function.

        Args:
            x (torch.Tensor[NxC]): Input features vector.
            flip_pairs (None | list[tuple()]): Pairs of labels which are
                mirrored; their probabilities are swapped back.

        Returns:
            output_labels (np.ndarray[N, L]): Output labels.
        """
        labels = self.forward(x).detach().cpu().numpy()
        if flip_pairs is not None and len(flip_pairs):
            order = np.arange(labels.shape[1])
            pairs = np.asarray(flip_pairs, dtype=np.int64).reshape(-1, 2)
            order[pairs[:, 0]] = pairs[:, 1]
            order[pairs[:, 1]] = pairs[:, 0]
            labels = labels[:, order]
        return labels

    def decode(self, img_metas: Sequence[dict], output: np.ndarray,
               **kwargs) -> dict:
        """Decode labels.

        Args:
            img_metas (list(dict)): Information about data augmentation
                By default this includes:
                - "image_file": path to the image file
            output (np.ndarray[N, L]): model predicted labels.

        Returns:
            dict: 'labels' (np.ndarray[N, L]) and 'image_paths'.
        """
        return dict(labels=output, image_paths=read_image_paths(img_metas))
