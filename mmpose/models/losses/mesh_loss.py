"""Losses of parametric (SMPL) mesh recovery: the mixed mesh loss and the
adversarial loss used with the pose/shape discriminator (HMR)."""
from typing import Dict, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

from mmpose.errors import UnknownNameError, UnsupportedError

from ..builder import LOSSES
from ..mesh_heads.geometric_layers import (batch_rodrigues,
                                           perspective_projection)

__all__ = ['MeshLoss', 'GANLoss']


@LOSSES.register_module()
class MeshLoss(nn.Module):
    """Mix loss for 3D human mesh.

    It is composed of loss on 2D joints, 3D joints, mesh vertices and SMPL
    parameters (if any).

    Args:
        joints_2d_loss_weight (float): Weight for loss on 2D joints.
        joints_3d_loss_weight (float): Weight for loss on 3D joints.
        vertex_loss_weight (float): Weight for loss on 3D verteices.
        smpl_pose_loss_weight (float): Weight for loss on SMPL pose
            parameters.
        smpl_beta_loss_weight (float): Weight for loss on SMPL shape
            parameters.
        img_res (int): Input image resolution.
        focal_length (float): Focal length of camera model. Default=5000.
    """

    def __init__(self, joints_2d_loss_weight: float,
                 joints_3d_loss_weight: float, vertex_loss_weight: float,
                 smpl_pose_loss_weight: float, smpl_beta_loss_weight: float,
                 img_res: int, focal_length: float = 5000):
        super().__init__()
        self.joints_2d_loss_weight = joints_2d_loss_weight
        self.joints_3d_loss_weight = joints_3d_loss_weight
        self.vertex_loss_weight = vertex_loss_weight
        self.smpl_pose_loss_weight = smpl_pose_loss_weight
        self.smpl_beta_loss_weight = smpl_beta_loss_weight
        self.img_res = img_res
        self.focal_length = focal_length

    @staticmethod
    def joints_2d_loss(pred_joints_2d: torch.Tensor,
                       gt_joints_2d: torch.Tensor,
                       joints_2d_visible: torch.Tensor) -> torch.Tensor:
        """Compute 2D reprojection loss on the joints.

        The smooth L1 loss is weighted by ``joints_2d_visible``.

        Args:
            pred_joints_2d (torch.Tensor[N, K, 2]): Projected joints.
            gt_joints_2d (torch.Tensor[N, K, 2]): Ground-truth joints.
            joints_2d_visible (torch.Tensor[N, K, 1]): Visibility.
        """
        conf = joints_2d_visible.to(pred_joints_2d.dtype)
        loss = F.smooth_l1_loss(pred_joints_2d, gt_joints_2d,
                                reduction='none')
        return (conf * loss).mean()

    @staticmethod
    def joints_3d_loss(pred_joints_3d: torch.Tensor,
                       gt_joints_3d: torch.Tensor,
                       joints_3d_visible: torch.Tensor) -> torch.Tensor:
        """3D joint loss, counted only on samples that carry 3D joint
        annotations.

        Both joint sets are centred on their pelvis (the mean of joints 2 and
        3, the hips) and compared with a smooth L1 loss weighted by
        ``joints_3d_visible``.

        Args:
            pred_joints_3d (torch.Tensor[N, K, 3]): Predicted joints.
            gt_joints_3d (torch.Tensor[N, K, 3]): Ground-truth joints.
            joints_3d_visible (torch.Tensor[N, K, 1]): Visibility.
        """
        if len(gt_joints_3d) == 0:
            return pred_joints_3d.sum() * 0
        conf = joints_3d_visible.to(pred_joints_3d.dtype)
        gt_pelvis = (gt_joints_3d[:, 2, :] + gt_joints_3d[:, 3, :]) / 2
        pred_pelvis = (pred_joints_3d[:, 2, :] + pred_joints_3d[:, 3, :]) / 2
        loss = F.smooth_l1_loss(pred_joints_3d - pred_pelvis[:, None, :],
                                gt_joints_3d - gt_pelvis[:, None, :],
                                reduction='none')
        return (conf * loss).mean()

    @staticmethod
    def vertex_loss(pred_vertices: torch.Tensor, gt_vertices: torch.Tensor,
                    has_smpl: torch.Tensor) -> torch.Tensor:
        """Mesh vertex loss, counted only on samples that carry a 3D human
        mesh annotation.

        The L1 loss is weighted by ``has_smpl``.

        Args:
            pred_vertices (torch.Tensor[N, V, 3]): Predicted vertices.
            gt_vertices (torch.Tensor[N, V, 3]): Ground-truth vertices.
            has_smpl (torch.Tensor[N]): Whether SMPL annotation exists.
        """
        conf = has_smpl.to(pred_vertices.dtype)
        loss = F.l1_loss(pred_vertices, gt_vertices, reduction='none')
        return (conf[:, None, None] * loss).mean()

    @staticmethod
    def smpl_losses(pred_rotmat: torch.Tensor, pred_betas: torch.Tensor,
                    gt_pose: torch.Tensor, gt_betas: torch.Tensor,
                    has_smpl: torch.Tensor
                    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Loss on the SMPL pose and shape, counted only on samples that carry
        SMPL parameter annotations.

        The ground-truth axis-angle pose is turned into rotation matrices and
        both terms are MSEs weighted by ``has_smpl``.

        Args:
            pred_rotmat (torch.Tensor[N, 24, 3, 3]): Predicted rotations.
            pred_betas (torch.Tensor[N, 10]): Predicted shape.
            gt_pose (torch.Tensor[N, 72]): Ground-truth axis-angle pose.
            gt_betas (torch.Tensor[N, 10]): Ground-truth shape.
            has_smpl (torch.Tensor[N]): Whether SMPL annotation exists.

        Returns:
            tuple[torch.Tensor, torch.Tensor]: pose and beta losses.
        """
        conf = has_smpl.to(pred_rotmat.dtype)
        gt_rotmat = batch_rodrigues(gt_pose.reshape(-1, 3)).reshape(
            -1, 24, 3, 3)
        loss_pose = F.mse_loss(pred_rotmat, gt_rotmat, reduction='none')
        loss_betas = F.mse_loss(pred_betas, gt_betas, reduction='none')
        loss_pose = (conf[:, None, None, None] * loss_pose).mean()
        loss_betas = (conf[:, None] * loss_betas).mean()
        return loss_pose, loss_betas

    def project_points(self, points_3d: torch.Tensor,
                       camera: torch.Tensor) -> torch.Tensor:
        """Project 3D points onto the image plane with the predicted camera
        and return their 2D positions.

        The weak-perspective camera ``(s, tx, ty)`` becomes a perspective
        camera with translation ``(tx, ty, 2f / (img_res * s))`` and the
        principal point at the image centre (the origin).

        Note:
            batch size: B
            point number: N

        Args:
            points_3d (Tensor([B, N, 3])): 3D points.
            camera (Tensor([B, 3])): camera parameters with the 3 channel as
                (scale, translation_x, translation_y)

        Returns:
            points_2d (Tensor([B, N, 2])): projected 2D points in image space.
        """
        batch_size = points_3d.shape[0]
        cam_t = torch.stack([
            camera[:, 1], camera[:, 2],
            2 * self.focal_length / (self.img_res * camera[:, 0] + 1e-9)
        ], dim=-1)
        rotation = torch.eye(
            3, dtype=points_3d.dtype,
            device=points_3d.device).expand(batch_size, 3, 3)
        return perspective_projection(
            points_3d, rotation=rotation, translation=cam_t,
            focal_length=self.focal_length,
            camera_center=camera.new_zeros(batch_size, 2))

    def forward(self, output: Dict[str, torch.Tensor],
                target: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        """Forward function.

        Args:
            output (dict): dict of network predicted results.
                Keys: 'vertices', 'joints_3d', 'camera',
                'pose'(optional), 'beta'(optional)
            target (dict): dict of ground-truth labels.
                Keys: 'vertices', 'joints_3d', 'joints_3d_visible',
                'joints_2d', 'joints_2d_visible', 'pose', 'beta',
                'has_smpl'

        Returns:
            losses (dict): 'vertex_loss', 'smpl_pose_loss' and
            'smpl_beta_loss' (when the output has 'pose' and 'beta'),
            'joints_3d_loss', 'joints_2d_loss', each already weighted.
        """
        missing = [key for key in ('vertices', 'joints_3d', 'camera')
                   if key not in output]
        missing += [key for key in ('vertices', 'has_smpl', 'joints_3d',
                                    'joints_3d_visible', 'joints_2d',
                                    'joints_2d_visible') if key not in target]
        if missing:
            raise UnknownNameError(f'MeshLoss: missing keys {missing}')
        losses = {}
        has_smpl = target['has_smpl']
        losses['vertex_loss'] = self.vertex_loss(
            output['vertices'], target['vertices'],
            has_smpl) * self.vertex_loss_weight

        if 'pose' in output and 'beta' in output:
            loss_pose, loss_betas = self.smpl_losses(output['pose'],
                                                     output['beta'],
                                                     target['pose'],
                                                     target['beta'], has_smpl)
            losses['smpl_pose_loss'] = loss_pose * self.smpl_pose_loss_weight
            losses['smpl_beta_loss'] = loss_betas * self.smpl_beta_loss_weight

        pred_joints_3d = output['joints_3d']
        losses['joints_3d_loss'] = self.joints_3d_loss(
            pred_joints_3d, target['joints_3d'],
            target['joints_3d_visible']) * self.joints_3d_loss_weight

        pred_joints_2d = self.project_points(pred_joints_3d, output['camera'])
        # normalise both to [-1, 1]: the projection has its origin at the
        # image centre, the annotation at the top-left corner
        pred_joints_2d = 2 * pred_joints_2d / (self.img_res - 1)
        gt_joints_2d = 2 * target['joints_2d'] / (self.img_res - 1) - 1
        losses['joints_2d_loss'] = self.joints_2d_loss(
            pred_joints_2d, gt_joints_2d,
            target['joints_2d_visible']) * self.joints_2d_loss_weight
        return losses


@LOSSES.register_module()
class GANLoss(nn.Module):
    """Define GAN loss.

    Args:
        gan_type (str): Support 'vanilla', 'lsgan', 'wgan', 'hinge'.
        real_label_val (float): The value for real label. Default: 1.0.
        fake_label_val (float): The value for fake label. Default: 0.0.
        loss_weight (float): Loss weight. Default: 1.0.
            It scales the generator loss only; the discriminator loss
            always uses a weight of 1.0.
    """

    GAN_TYPES = ('vanilla', 'lsgan', 'wgan', 'hinge')

    def __init__(self, gan_type: str, real_label_val: float = 1.0,
                 fake_label_val: float = 0.0, loss_weight: float = 1.0):
        super().__init__()
        if gan_type not in self.GAN_TYPES:
            raise UnsupportedError(f'GANLoss: gan_type must be one of '
                                   f'{self.GAN_TYPES}, got {gan_type!r}')
        self.gan_type = gan_type
        self.real_label_val = real_label_val
        self.fake_label_val = fake_label_val
        self.loss_weight = loss_weight

    def get_target_label(self, input: torch.Tensor, target_is_real: bool
                         ) -> Union[bool, torch.Tensor]:
        """Get target label.

        Args:
            input (Tensor): Input tensor.
            target_is_real (bool): Whether the target is real or fake.

        Returns:
            (bool | Tensor): Target tensor. Return bool for wgan, otherwise,
            return Tensor.
        """
        if self.gan_type == 'wgan':
            return target_is_real
        target_val = (self.real_label_val
                      if target_is_real else self.fake_label_val)
        return torch.full_like(input, target_val)

    def forward(self, input: torch.Tensor, target_is_real: bool,
                is_disc: bool = False) -> torch.Tensor:
        """Compute the loss.

        Args:
            input (Tensor): The input for the loss module, i.e., the network
                prediction.
            target_is_real (bool): Whether the targe is real or fake.
            is_disc (bool): Whether the loss for discriminators or not.
                Default: False.

        Returns:
            Tensor: GAN loss value.
        """
        target_label = self.get_target_label(input, target_is_real)
        if self.gan_type == 'vanilla':
            loss = F.binary_cross_entropy_with_logits(input, target_label)
        elif self.gan_type == 'lsgan':
            loss = F.mse_loss(input, target_label)
        elif self.gan_type == 'wgan':
            loss = -input.mean() if target_is_real else input.mean()
        elif is_disc:
            # hinge loss of the discriminator: relu(1 -+ input)
            signed = -input if target_is_real else input
            loss = F.relu(1 + signed).mean()
        else:
            # hinge loss of the generator
            loss = -input.mean()
        return loss if is_disc else loss * self.loss_weight
