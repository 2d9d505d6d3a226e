"""Model-based 3D human mesh recovery (HMR, Kanazawa et al., CVPR 2018):
an image encoder and an iterative SMPL regressor trained with mesh losses
and, optionally, an adversarial prior on SMPL parameters."""
from typing import Dict, Optional, Sequence, Union

import mmcv
import numpy as np
import torch
from torch import nn

from mmpose.core.visualization import imshow_keypoints
from mmpose.errors import ArgumentTypeError, UnknownNameError
from ..builder import POSENETS, build_head, build_loss, build_mesh_model
from ..mesh_heads.discriminator import SMPLDiscriminator
from ..misc.smpl import (SMPL, SMPLBody, is_smpl_key,
                         load_joints_regressor, remap_smpl_state)
from .base import BasePose

__all__ = ['ParametricMesh']


def set_requires_grad(nets, requires_grad: bool = False) -> None:
    """Switch gradients of all parameters of one or several modules."""
    if not isinstance(nets, (list, tuple)):
        nets = [nets]
    for net in nets:
        if net is not None:
            for param in net.parameters():
                param.requires_grad = requires_grad


@POSENETS.register_module()
class ParametricMesh(BasePose):
    """Model-based 3D human mesh detector.

    Takes a colour image and outputs 3D joints, SMPL parameters and a
    weak-perspective camera.

    Args:
        backbone (dict): Backbone config.
        mesh_head (dict): Mesh head config (e.g. ``MeshHMRHead``).
        smpl (dict): SMPL config: ``smpl_path`` and ``joints_regressor``
            (``.npy`` [J, V]). With a ``type`` (0.29: ``'SMPL'``) it builds
            that registered model (0.29 state names ``smpl.smpl_neutral.*``,
            ``smpl.joints_regressor``, ...); without one (0.14) a single
            neutral :class:`SMPLBody` at ``smpl.*`` and the regressor at
            ``joints_regressor``. Checkpoints of either layout load into
            either (see :func:`remap_smpl_state`).
        disc (dict | None): ``SMPLDiscriminator`` arguments. Default: None.
        loss_gan (dict | None): Adversarial loss config. Default: None.
        loss_mesh (dict | None): Mesh loss config. Default: None.
        train_cfg (dict | None): ``disc_step``: discriminator iterations
            per generator iteration (default 1).
        test_cfg (dict | None): Testing config.
        pretrained (str | None): Backbone checkpoint.

    Note:
        batch size: N
        image channels, height, width: C, imgH, imgW
        mesh vertices: V
        regressed joints: J
    """

    def __init__(self,
                 backbone: dict,
                 mesh_head: dict,
                 smpl: dict,
                 disc: Optional[dict] = None,
                 loss_gan: Optional[dict] = None,
                 loss_mesh: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 pretrained: Optional[str] = None):
        super().__init__()
        self._build_backbone_and_neck(backbone, None, train_cfg, test_cfg)
        self.mesh_head = build_head(mesh_head)
        self.generator = nn.Sequential(self.backbone, self.mesh_head)

        if smpl.get('joints_regressor') is None:
            raise UnknownNameError('ParametricMesh: the smpl config needs a '
                                   '"joints_regressor" file')
        if 'type' in smpl:
            self.smpl = build_mesh_model(smpl)
        else:
            smpl_cfg = dict(smpl)
            regressor_path = smpl_cfg.pop('joints_regressor')
            self.smpl = SMPLBody(**smpl_cfg)
            # 0.14 keeps the regressor [1, J, V] on the detector.
            self.register_buffer(
                'joints_regressor',
                load_joints_regressor(regressor_path,
                                      self.smpl.num_vertices)[None])
        self.register_load_state_dict_pre_hook(self._remap_smpl_checkpoint)

        self.with_gan = disc is not None and loss_gan is not None
        if self.with_gan:
            self.discriminator = SMPLDiscriminator(**disc)
            self.loss_gan = build_loss(loss_gan)
        self.disc_step_count = 0
        self.loss_mesh = build_loss(loss_mesh) if loss_mesh else None
        self.pretrained = pretrained
        self.init_weights()

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load the backbone from ``pretrained`` and initialise the rest."""
        self._init_weights_of(
            pretrained,
            (self.mesh_head, self.discriminator if self.with_gan else None))

    @staticmethod
    def _remap_smpl_checkpoint(module, state_dict, prefix, *args) -> None:
        """Load-state-dict pre-hook: SMPL entries of a 0.14 or 0.29
        checkpoint renamed into this model's layout."""
        own = {
            name: tensor
            for name, tensor in module.state_dict().items()
            if is_smpl_key(name)
        }
        remap_smpl_state(state_dict, prefix, own)

    @property
    def is_v029(self) -> bool:
        """Whether the model was built from a 0.29 config (registered
        ``SMPL`` wrapper, dict outputs of :meth:`forward_test`)."""
        return isinstance(self.smpl, SMPL)

    @property
    def body_model(self) -> SMPLBody:
        """The (neutral) SMPL body model of either layout."""
        return self.smpl.smpl_neutral if self.is_v029 else self.smpl

    def get_3d_joints_from_mesh(self,
                                vertices: torch.Tensor) -> torch.Tensor:
        """Regress joints from vertices [N, V, 3] -> [N, J, 3]."""
        owner = self.smpl if self.is_v029 else self
        return torch.matmul(owner.joints_regressor, vertices)

    def _smpl_from_rotmat(self, rotmat: torch.Tensor,
                          betas: torch.Tensor) -> torch.Tensor:
        """Vertices [N, V, 3] of rotations [N, 24, 3, 3] and betas."""
        return self.body_model(
            betas=betas,
            body_pose=rotmat[:, 1:],
            global_orient=rotmat[:, :1],
            pose2rot=False).vertices

    def train_step(self, data_batch: dict, optimizer: Dict, **kwargs) -> dict:
        """One adversarial training iteration, stepping the optimisers.

        1. regress SMPL parameters (fake) and read MoSh ones (real);
        2. update the discriminator (when there is one);
        3. every ``disc_step`` iterations, update the generator with the
           mesh losses and the adversarial loss.

        Args:
            data_batch (dict): ``img`` (Tensor[N, C, imgH, imgW]), ``pose``
                (Tensor[N, 72]), ``beta`` (Tensor[N, 10]), ``has_smpl``,
                ``joints_3d``, ``joints_3d_visible``, ``joints_2d``,
                ``joints_2d_visible`` and, with a discriminator,
                ``mosh_theta`` (Tensor[N, 85]: camera, pose, shape).
            optimizer (dict): ``'generator'`` and (with a discriminator)
                ``'discriminator'`` optimisers.

        Returns:
            dict: ``loss``, ``log_vars`` and ``num_samples``.
        """
        if not isinstance(optimizer, dict) or 'generator' not in optimizer:
            raise ArgumentTypeError(
                'ParametricMesh.train_step needs a dict of '
                'optimizers with a "generator" entry (and a '
                '"discriminator" entry with a discriminator)')
        num_samples = self._num_samples(data_batch)
        img = data_batch['img']
        pred_pose, pred_beta, pred_camera = self.generator(img)

        disc_step = self.train_cfg.get('disc_step', 1)
        if self.with_gan and disc_step > 0:
            if 'discriminator' not in optimizer:
                raise UnknownNameError(
                    'optimizer has no "discriminator" entry')
            set_requires_grad(self.discriminator, True)
            fake_data = (pred_camera.detach(), pred_pose.detach(),
                         pred_beta.detach())
            mosh_theta = data_batch['mosh_theta']
            real_data = (mosh_theta[:, :3], mosh_theta[:, 3:75],
                         mosh_theta[:, 75:])
            disc_losses = dict(
                real_loss=self.loss_gan(
                    self.discriminator(real_data),
                    target_is_real=True,
                    is_disc=True),
                fake_loss=self.loss_gan(
                    self.discriminator(fake_data),
                    target_is_real=False,
                    is_disc=True))
            loss_disc, log_vars_d = self._parse_losses(disc_losses)
            optimizer['discriminator'].zero_grad()
            loss_disc.backward()
            optimizer['discriminator'].step()
            self.disc_step_count = (self.disc_step_count + 1) % disc_step
            if self.disc_step_count != 0:
                return dict(
                    loss=loss_disc,
                    log_vars=log_vars_d,
                    num_samples=num_samples)

        if self.loss_mesh is None:
            raise RuntimeError('ParametricMesh was built without loss_mesh '
                               'and cannot be trained')
        pred_vertices = self._smpl_from_rotmat(pred_pose, pred_beta)
        gt_pose = data_batch['pose']
        gt_vertices = self.body_model(
            betas=data_batch['beta'],
            body_pose=gt_pose[:, 3:],
            global_orient=gt_pose[:, :3]).vertices
        pred = dict(
            pose=pred_pose,
            beta=pred_beta,
            camera=pred_camera,
            vertices=pred_vertices,
            joints_3d=self.get_3d_joints_from_mesh(pred_vertices))
        target = {
            key: data_batch[key]
            for key in ('pose', 'beta', 'has_smpl', 'joints_3d', 'joints_2d',
                        'joints_3d_visible', 'joints_2d_visible')
        }
        target['vertices'] = gt_vertices
        losses = self.loss_mesh(pred, target)

        if self.with_gan:
            set_requires_grad(self.discriminator, False)
            pred_score = self.discriminator(
                (pred_camera, pred_pose, pred_beta))
            losses['adv_loss'] = self.loss_gan(
                pred_score, target_is_real=True, is_disc=False)

        loss, log_vars = self._parse_losses(losses)
        optimizer['generator'].zero_grad()
        loss.backward()
        optimizer['generator'].step()
        return dict(loss=loss, log_vars=log_vars, num_samples=num_samples)

    def forward_train(self, *args, **kwargs):
        """Training goes through :meth:`train_step`, which owns the
        optimisers of this adversarial model."""
        raise RuntimeError('ParametricMesh is trained with train_step('
                           'data_batch, optimizer), not forward(return_loss'
                           '=True)')

    def val_step(self, data_batch: dict, **kwargs) -> dict:
        """Predict one validation batch."""
        return self.forward_test(**data_batch, **kwargs)

    def forward_dummy(self, img: torch.Tensor):
        """Network output without SMPL (for FLOPs counting)."""
        return self.generator(img)

    def forward_test(self,
                     img: torch.Tensor,
                     img_metas: Sequence[dict],
                     return_vertices: bool = False,
                     return_faces: bool = False,
                     **kwargs) -> Union[tuple, dict]:
        """Predict SMPL parameters, 3D joints and camera of a batch.

        Returns:
            dict (model of a 0.29 config): ``keypoints_3d``, ``smpl_pose``,
            ``smpl_beta``, ``camera``, ``vertices`` and ``faces`` (when
            asked), ``bboxes`` and ``image_path``: the arrays below.

            tuple (0.14): ``(preds, boxes, image_paths)``:

            - preds (tuple): 3D joints (np.ndarray[N, J, 3]), the SMPL
              parameters ``(pose, beta)`` (np.ndarray[N, 24, 3, 3],
              np.ndarray[N, 10]) and the camera (np.ndarray[N, 3]: scale,
              tx, ty); followed by the vertices (np.ndarray[N, V, 3]) when
              ``return_vertices`` and the faces (np.ndarray[F, 3]) when
              ``return_faces``.
            - boxes (np.ndarray[N, 6]): center (2), scale (2), area, score.
            - image_paths (list[str]): ``image_file`` of each image.
        """
        self._check_metas(img.size(0), img_metas)
        pred_pose, pred_beta, pred_camera = self.generator(img)
        pred_vertices = self._smpl_from_rotmat(pred_pose, pred_beta)
        pred_joints_3d = self.get_3d_joints_from_mesh(pred_vertices)

        preds = (pred_joints_3d.detach().cpu().numpy(),
                 (pred_pose.detach().cpu().numpy(),
                  pred_beta.detach().cpu().numpy()),
                 pred_camera.detach().cpu().numpy())
        if return_vertices:
            preds += (pred_vertices.detach().cpu().numpy(), )
        if return_faces:
            preds += (np.asarray(self.body_model.faces), )

        centers = np.array([m['center'] for m in img_metas],
                           dtype=np.float32).reshape(-1, 2)
        scales = np.array([m['scale'] for m in img_metas],
                          dtype=np.float32).reshape(-1, 2)
        scores = np.array([
            np.asarray(m.get('bbox_score', 1.0)).reshape(-1)[0]
            for m in img_metas
        ], dtype=np.float32)
        boxes = np.concatenate([
            centers, scales,
            np.prod(scales * 200.0, axis=1, keepdims=True), scores[:, None]
        ], axis=1)
        image_paths = [m['image_file'] for m in img_metas]
        if not self.is_v029:
            return preds, boxes, image_paths
        result = dict(keypoints_3d=preds[0], smpl_pose=preds[1][0],
                      smpl_beta=preds[1][1], camera=preds[2])
        if return_vertices:
            result['vertices'] = preds[3]
        if return_faces:
            result['faces'] = preds[-1]
        result.update(bboxes=boxes, image_path=image_paths)
        return result

    def forward(self,
                img: torch.Tensor,
                img_metas: Optional[Sequence[dict]] = None,
                return_loss: bool = False,
                **kwargs):
        """Predictions (``return_loss=False``); training uses
        :meth:`train_step`.

        Args:
            img (torch.Tensor[N, C, imgH, imgW]): Person crops.
            img_metas (list[dict]): ``image_file``, ``center``, ``scale``,
                ``rotation``, ``bbox_score`` per crop.
            return_loss (bool): Must be False.
        """
        if return_loss:
            return self.forward_train(img, img_metas, **kwargs)
        return self.forward_test(img, img_metas, **kwargs)

    def show_result(self,
                    img,
                    result: tuple,
                    radius: int = 2,
                    kpt_color=(0, 0, 255),
                    focal_length: float = 5000.,
                    win_name: str = '',
                    show: bool = False,
                    wait_time: int = 0,
                    out_file: Optional[str] = None) -> np.ndarray:
        """Draw the predicted 3D joints of the first crop of ``result``,
        projected with its predicted weak-perspective camera.

        Args:
            img (str | np.ndarray[H, W, 3]): The input crop.
            result (tuple): The output of :meth:`forward_test`.
            radius (int): Joint radius.
            kpt_color (tuple): Joint colour.
            focal_length (float): Focal length used to turn the camera
                into a translation, as in training.
            win_name (str): Window name.
            show (bool): Show the image.
            wait_time (int): ``cv2.waitKey`` delay.
            out_file (str | None): Write the image there.

        Returns:
            np.ndarray[H, W, 3]: The drawn image.
        """
        preds = result[0]
        img = mmcv.imread(img).copy()
        height, width = img.shape[:2]
        joints = np.asarray(preds[0], dtype=np.float64)
        joints = joints.reshape(-1, joints.shape[-2], 3)[0]
        scale, tx, ty = np.asarray(preds[2], dtype=np.float64).reshape(
            -1, 3)[0]
        # Weak-perspective camera as a translation (SPIN convention).
        depth = 2 * focal_length / (width * scale + 1e-9)
        cam_points = joints + np.array([tx, ty, depth])
        xy = focal_length * cam_points[:, :2] / cam_points[:, 2:]
        xy += np.array([width, height]) / 2.
        kpts = np.concatenate([xy, np.ones((len(xy), 1))], axis=1)
        colors = np.tile(np.asarray(kpt_color)[None], (len(kpts), 1))
        imshow_keypoints(img, [kpts], None, 0., colors, None, radius)
        if show:
            mmcv.imshow(img, win_name, wait_time)
        if out_file is not None:
            mmcv.imwrite(img, out_file)
        return img
