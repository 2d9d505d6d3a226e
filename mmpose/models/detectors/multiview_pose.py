"""VoxelPose: multi-view 3D pose by detecting people in a voxel space and
regressing each one's joints in a cuboid around it.

Tu et al., "VoxelPose: Towards Multi-Camera 3D Human Pose Estimation in Wild
Environment", ECCV 2020 (https://arxiv.org/abs/2004.06239).

The three detectors talk through ``human_candidates`` (torch.Tensor[N, P,
5]): per candidate the world center (x, y, z), the matched ground-truth
person (training) or 0/-1 for kept/dropped (testing), and the center score.
"""
from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from mmpose.core.camera import SimpleCameraTorch
from mmpose.core.post_processing import get_affine_transform
from mmpose.core.post_processing.voxel_grid import voxel_grid
from mmpose.errors import ArgumentError, UnsupportedError
from ..builder import MODELS, POSENETS, build_backbone, build_head
from .base import BasePose

__all__ = ['ProjectLayer', 'DetectAndRegress', 'VoxelCenterDetector',
           'VoxelSinglePose']


def _pair(size) -> List[int]:
    return [size, size] if isinstance(size, (int, float)) else list(size)


class ProjectLayer(nn.Module):
    """Fill voxel volumes with multi-view 2D feature maps.

    Every voxel is projected into each view (the camera of ``img_metas``),
    mapped into the 2D model's input crop (``center``/``scale``) and then
    onto its feature map, where the features are sampled bilinearly. The
    volume is the mean over the views that see the voxel inside the image,
    clipped to [0, 1].

    Args:
        image_size (int | list[2]): Input size (w, h) of the 2D model.
        heatmap_size (int | list[2]): Output size (w, h) of the 2D model.
    """

    def __init__(self, image_size, heatmap_size):
        super().__init__()
        self.image_size = _pair(image_size)
        self.heatmap_size = _pair(heatmap_size)

    def _sample_grid(self, points: torch.Tensor, camera: dict, center,
                     scale) -> tuple:
        """Feature-map sampling positions in [-1, 1] (torch.Tensor[B, 2])
        and in-image mask (torch.Tensor[B]) of world points [B, 3] in one
        view."""
        device = points.device
        center = np.asarray(center, np.float32)
        width, height = 2 * center
        xy = SimpleCameraTorch(camera, device).world_to_pixel(points)
        inside = ((xy >= 0).all(-1) & (xy[:, 0] < width) &
                  (xy[:, 1] < height))
        xy = xy.clamp(-1.0, float(max(width, height)))
        trans = torch.as_tensor(
            get_affine_transform(center, np.asarray(scale) / 200.0, 0,
                                 self.image_size),
            dtype=torch.float32,
            device=device)
        xy = xy @ trans[:, :2].T + trans[:, 2]
        heatmap_size = torch.tensor(
            self.heatmap_size, dtype=torch.float32, device=device)
        xy = xy * heatmap_size / torch.tensor(
            self.image_size, dtype=torch.float32, device=device)
        grid = (xy / (heatmap_size - 1) * 2.0 - 1.0).clamp(-1.1, 1.1)
        return grid, inside

    def forward(self, feature_maps: Sequence[torch.Tensor],
                img_metas: Sequence[dict], grid_size, grid_center,
                cube_size) -> tuple:
        """Build the volumes.

        Note:
            batch size N, views V, channels C, voxels B = X * Y * Z.

        Args:
            feature_maps (list[torch.Tensor[N, C, H, W]]): one per view.
            img_metas (list[dict]): per sample, per view lists ``camera``
                (parameters of :class:`SimpleCameraTorch`), ``center`` and
                ``scale`` (pixels) of the 2D model's input crop.
            grid_size (float | list[3]): Cuboid size (mm).
            grid_center (list[list[3]] | torch.Tensor[N, 3|4]): One center
                shared by all samples, or one per sample; with a 4th column,
                samples whose value there is negative get empty volumes.
            cube_size (int | list[3]): Voxels per axis X, Y, Z.

        Returns:
            tuple: volumes (torch.Tensor[N, C, X, Y, Z]) and the world
            position of every voxel (torch.Tensor[N, B, 3]).
        """
        device = feature_maps[0].device
        batch_size, num_channels = feature_maps[0].shape[:2]
        cube_size = [cube_size] * 3 if isinstance(cube_size,
                                                  int) else cube_size
        centers = torch.as_tensor(
            grid_center, dtype=torch.float32, device=device)
        centers = centers.reshape(-1, centers.shape[-1]).expand(
            batch_size, -1)
        active = (centers[:, 3] >= 0 if centers.shape[1] == 4 else
                  torch.ones(batch_size, dtype=torch.bool, device=device))
        grids = (voxel_grid(grid_size, (0, 0, 0), cube_size, device)[None] +
                 centers[:, None, :3])
        num_views = len(feature_maps)
        # Every (sample, view) pair has its own camera and crop.
        samples = [[
            self._sample_grid(grids[i], img_metas[i]['camera'][v],
                              img_metas[i]['center'][v],
                              img_metas[i]['scale'][v])
            for v in range(num_views)
        ] for i in range(batch_size)]
        sample_grid = torch.stack(
            [torch.stack([s[0] for s in views]) for views in samples])
        inside = torch.stack(
            [torch.stack([s[1] for s in views]) for views in samples])
        inside = (inside & active[:, None, None]).float()
        features = torch.stack(list(feature_maps), 1).flatten(0, 1)
        sampled = F.grid_sample(
            features,
            sample_grid.flatten(0, 1)[:, None],
            align_corners=True).view(batch_size, num_views, num_channels, -1)
        cubes = (sampled * inside[:, :, None]).sum(1) / (
            inside.sum(1)[:, None] + 1e-6)
        cubes = cubes.nan_to_num(nan=0.0).clamp(0.0, 1.0)
        grids = grids * active[:, None, None]
        return cubes.view(batch_size, num_channels, *cube_size), grids


@POSENETS.register_module()
class VoxelCenterDetector(BasePose):
    """Detect human centers with a 3D CNN on the voxel volume of the whole
    space.

    Args:
        image_size (list[2]): Input size of the 2D model.
        heatmap_size (list[2]): Output size of the 2D model.
        space_size (list[3]): Size of the 3D space (mm).
        cube_size (list[3]): Voxels per axis of the space.
        space_center (list[3]): Centre of the 3D space (mm).
        center_net (dict): Config of the 3D CNN (e.g. ``V2VNet``, one output
            channel).
        center_head (dict): Config of the decoding head
            (``CuboidCenterHead``).
        train_cfg (dict): ``dist_threshold``: largest distance (mm) of a
            candidate to its matched person. Default: None.
        test_cfg (dict): ``center_threshold``: smallest score kept.
            Default: None.
    """

    def __init__(self,
                 image_size,
                 heatmap_size,
                 space_size,
                 cube_size,
                 space_center,
                 center_net: dict,
                 center_head: dict,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__()
        self.project_layer = ProjectLayer(image_size, heatmap_size)
        self.center_net = build_backbone(center_net)
        self.center_head = build_head(center_head)
        self.space_size = space_size
        self.cube_size = cube_size
        self.space_center = space_center
        self.train_cfg = train_cfg if train_cfg is not None else {}
        self.test_cfg = test_cfg if test_cfg is not None else {}

    def assign2gt(self, center_candidates: torch.Tensor,
                  gt_centers: torch.Tensor,
                  gt_num_persons: torch.Tensor) -> torch.Tensor:
        """Write into ``center_candidates[..., 3]`` the nearest ground-truth
        person of each candidate, or -1 when it is farther than
        ``train_cfg['dist_threshold']``.

        Args:
            center_candidates (torch.Tensor[N, P, 5]): Candidates.
            gt_centers (torch.Tensor[N, G, 3]): Person centers, the first
                ``gt_num_persons`` of each sample valid.
            gt_num_persons (torch.Tensor[N]): Persons per sample.

        Returns:
            torch.Tensor[N, P, 5]: ``center_candidates``, modified.
        """
        gt_centers = gt_centers.to(center_candidates)
        dist = torch.cdist(center_candidates[..., :3], gt_centers)
        valid = (torch.arange(gt_centers.shape[1],
                              device=dist.device)[None] <
                 gt_num_persons.to(dist.device).reshape(-1, 1))
        dist = dist.masked_fill(~valid[:, None, :], float('inf'))
        # An infinitely far extra person keeps min() defined without any.
        dist = F.pad(dist, (0, 1), value=float('inf'))
        min_dist, min_gt = dist.min(-1)
        matched = min_gt.float().masked_fill(
            min_dist > self.train_cfg['dist_threshold'], -1.0)
        center_candidates[..., 3] = matched
        return center_candidates

    def _center_heatmaps(self, img_metas, feature_maps) -> torch.Tensor:
        cubes, _ = self.project_layer(feature_maps, img_metas,
                                      self.space_size, [self.space_center],
                                      self.cube_size)
        return self.center_net(cubes).squeeze(1)

    def forward(self,
                img,
                img_metas,
                return_loss=True,
                feature_maps=None,
                targets_3d=None):
        """Losses (``return_loss=True``) or center candidates.

        Args:
            img: unused (the features come in ``feature_maps``).
            img_metas (list[dict]): see :class:`ProjectLayer`; training
                also reads ``roots_3d`` [G, 3] and ``num_persons``.
            feature_maps (list[torch.Tensor[N, K, H, W]]): One per view.
            targets_3d (torch.Tensor[N, X, Y, Z]): Center heatmap target.
        """
        if return_loss:
            return self.forward_train(img, img_metas, feature_maps,
                                      targets_3d)
        return self.forward_test(img, img_metas, feature_maps)

    def forward_train(self,
                      img,
                      img_metas,
                      feature_maps=None,
                      targets_3d=None,
                      return_preds=False):
        """``{'loss_center'}``, and with ``return_preds`` first the
        candidates (torch.Tensor[N, P, 5]) matched to the ground truth."""
        heatmaps = self._center_heatmaps(img_metas, feature_maps)
        candidates = self.center_head(heatmaps)
        device = candidates.device
        gt_centers = torch.stack([
            torch.as_tensor(np.asarray(m['roots_3d']), device=device)
            for m in img_metas
        ])
        gt_num_persons = torch.as_tensor(
            [int(m['num_persons']) for m in img_metas], device=device)
        candidates = self.assign2gt(candidates, gt_centers, gt_num_persons)
        losses = self.center_head.get_loss(heatmaps, targets_3d)
        return (candidates, losses) if return_preds else losses

    def forward_test(self, img, img_metas, feature_maps=None):
        """Candidates (torch.Tensor[N, P, 5]); column 3 is 0 for those
        scoring above ``test_cfg['center_threshold']``, -1 otherwise."""
        candidates = self.center_head(
            self._center_heatmaps(img_metas, feature_maps))
        candidates[..., 3] = (candidates[..., 4] >
                              self.test_cfg['center_threshold']).float() - 1.0
        return candidates

    def show_result(self, **kwargs):
        raise UnsupportedError(
            'VoxelCenterDetector has no drawing of its own; use '
            'DetectAndRegress.show_result')

    def forward_dummy(self, feature_maps):
        """Center heatmaps of an all-zero volume (for FLOPs counting)."""
        batch_size, num_channels = feature_maps[0].shape[:2]
        return self.center_net(feature_maps[0].new_zeros(
            batch_size, num_channels, *self.cube_size))


@POSENETS.register_module()
class VoxelSinglePose(BasePose):
    """Regress the joints of each detected person from the voxel volume of
    a cuboid around its center.

    Args:
        image_size (list[2]): Input size of the 2D model.
        heatmap_size (list[2]): Output size of the 2D model.
        sub_space_size (list[3]): Size of the cuboid around a person (mm).
        sub_cube_size (list[3]): Voxels per axis of that cuboid.
        num_joints (int): Keypoints K.
        pose_net (dict): Config of the 3D CNN (``V2VNet``, K outputs).
        pose_head (dict): Config of the regression head (``CuboidPoseHead``).
        train_cfg (dict): Unused. Default: None.
        test_cfg (dict): Unused. Default: None.
    """

    def __init__(self,
                 image_size,
                 heatmap_size,
                 sub_space_size,
                 sub_cube_size,
                 num_joints: int,
                 pose_net: dict,
                 pose_head: dict,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None):
        super().__init__()
        self.project_layer = ProjectLayer(image_size, heatmap_size)
        self.pose_net = build_backbone(pose_net)
        self.pose_head = build_head(pose_head)
        self.sub_space_size = sub_space_size
        self.sub_cube_size = sub_cube_size
        self.num_joints = num_joints
        self.train_cfg = train_cfg if train_cfg is not None else {}
        self.test_cfg = test_cfg if test_cfg is not None else {}

    def forward(self,
                img,
                img_metas,
                return_loss=True,
                feature_maps=None,
                human_candidates=None,
                **kwargs):
        """Losses (``return_loss=True``) or poses; see
        :meth:`forward_train` and :meth:`forward_test`."""
        if return_loss:
            return self.forward_train(img, img_metas, feature_maps,
                                      human_candidates)
        return self.forward_test(img, img_metas, feature_maps,
                                 human_candidates)

    def _regress(self, img_metas, feature_maps, human_candidates):
        """Regress the valid candidates (column 3 >= 0).

        Returns:
            tuple: ``pred`` (torch.Tensor[N, P, K, 5], poses detached) and,
            per candidate slot with a valid candidate in some sample, (the
            slot, its valid samples torch.Tensor[N] bool, their poses
            torch.Tensor[M, K, 3] with gradients).
        """
        batch_size, num_candidates, _ = human_candidates.shape
        pred = human_candidates.new_zeros(batch_size, num_candidates,
                                          self.num_joints, 5)
        pred[..., 3:] = human_candidates[:, :, None, 3:]
        found = []
        # One cuboid per slot and sample: slots are processed in turn to
        # bound the memory of the [N, K, X, Y, Z] volumes.
        for n in range(num_candidates):
            index = human_candidates[:, n, 3] >= 0
            if not index.any():
                continue
            cubes, coordinates = self.project_layer(
                feature_maps, img_metas, self.sub_space_size,
                human_candidates[:, n, :3], self.sub_cube_size)
            poses = self.pose_head(self.pose_net(cubes)[index],
                                   coordinates[index])
            pred[index, n, :, :3] = poses.detach()
            found.append((n, index, poses))
        return pred, found

    def forward_train(self,
                      img,
                      img_metas,
                      feature_maps=None,
                      human_candidates=None,
                      return_preds=False,
                      **kwargs):
        """``{'loss_pose'}`` against the matched persons' ``joints_3d``
        ([G, K, 3] per sample) weighted by ``joints_3d_visible``; with
        ``return_preds`` first the poses (torch.Tensor[N, P, K, 5])."""
        pred, found = self._regress(img_metas, feature_maps,
                                    human_candidates)
        if found:
            device = pred.device
            gt_3d = torch.stack([
                torch.as_tensor(np.asarray(m['joints_3d']), device=device)
                for m in img_metas
            ]).float()
            gt_vis = torch.stack([
                torch.as_tensor(
                    np.asarray(m['joints_3d_visible']), device=device)
                for m in img_metas
            ]).float()
            preds, targets, weights = [], [], []
            for n, index, poses in found:
                person = pred[index, n, 0, 3].long()
                preds.append(poses)
                targets.append(gt_3d[index, person])
                weights.append(gt_vis[index, person, :, :1])
            losses = self.pose_head.get_loss(
                torch.cat(preds), torch.cat(targets), torch.cat(weights))
        else:
            # No candidate matched: a zero-weighted pass still reaches every
            # parameter (needed by distributed training).
            batch_size = pred.shape[0]
            zeros = feature_maps[0].new_zeros
            poses = self.pose_head(
                self.pose_net(
                    zeros(batch_size, self.num_joints, *self.sub_cube_size)),
                zeros(batch_size, int(np.prod(self.sub_cube_size)), 3))
            losses = self.pose_head.get_loss(
                poses, zeros(batch_size, self.num_joints, 3),
                zeros(batch_size, self.num_joints, 1))
        return (pred, losses) if return_preds else losses

    def forward_test(self,
                     img,
                     img_metas,
                     feature_maps=None,
                     human_candidates=None,
                     **kwargs):
        """Poses (torch.Tensor[N, P, K, 5]): x, y, z and the candidate's
        columns 3 (valid >= 0) and 4 (score)."""
        return self._regress(img_metas, feature_maps, human_candidates)[0]

    def show_result(self, **kwargs):
        raise UnsupportedError(
            'VoxelSinglePose has no drawing of its own; use '
            'DetectAndRegress.show_result')

    def forward_dummy(self, feature_maps, num_candidates=5):
        """Run the pose net ``num_candidates`` times on zero volumes (for
        FLOPs counting)."""
        batch_size, num_channels = feature_maps[0].shape[:2]
        cubes = feature_maps[0].new_zeros(batch_size, num_channels,
                                          *self.sub_cube_size)
        return [self.pose_net(cubes) for _ in range(num_candidates)]


@POSENETS.register_module()
class DetectAndRegress(BasePose):
    """VoxelPose: a 2D heatmap model per view, a :class:`VoxelCenterDetector`
    and a :class:`VoxelSinglePose`.

    Args:
        backbone (dict | None): Config of the 2D model (a pose detector with
            ``forward_dummy``); None when ready heatmaps come as
            ``input_heatmaps``.
        human_detector (dict): Config of the center detector.
        pose_regressor (dict): Config of the pose regressor.
        train_cfg (dict): Default: None.
        test_cfg (dict): Default: None.
        pretrained (str): Checkpoint of the 2D model, loaded when built in
            training mode. Default: None.
        freeze_2d (bool): Keep the 2D model frozen (eval mode, no grads)
            while training. Default: True.
    """

    def __init__(self,
                 backbone: Optional[dict],
                 human_detector: dict,
                 pose_regressor: dict,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 freeze_2d: bool = True):
        super().__init__()
        self.backbone = None
        if backbone is not None:
            self.backbone = MODELS.build(backbone)
            if self.training and pretrained is not None:
                from mmpose.utils.checkpoint import load_checkpoint
                load_checkpoint(self.backbone, pretrained)
        self.freeze_2d = freeze_2d
        self.human_detector = MODELS.build(human_detector)
        self.pose_regressor = MODELS.build(pose_regressor)
        self.train_cfg = train_cfg
        self.test_cfg = test_cfg

    def train(self, mode: bool = True) -> 'DetectAndRegress':
        """Set training mode, keeping a frozen 2D model in eval mode."""
        super().train(mode)
        if mode and self.freeze_2d and self.backbone is not None:
            self.backbone.eval()
            self.backbone.requires_grad_(False)
        return self

    def _feature_maps(self, img, input_heatmaps) -> List[torch.Tensor]:
        """One heatmap tensor [N, K, H, W] per view."""
        if self.backbone is None:
            if input_heatmaps is None:
                raise ArgumentError(
                    'DetectAndRegress without a 2D backbone needs '
                    'input_heatmaps (one list of heatmaps per view)')
            return [heatmaps[0] for heatmaps in input_heatmaps]
        if not isinstance(img, (list, tuple)):
            raise ArgumentError('img must be a list of one tensor [N, C, H, '
                                f'W] per view, got {type(img).__name__}')
        return [self.backbone.forward_dummy(view)[0] for view in img]

    def forward(self,
                img=None,
                img_metas=None,
                return_loss=True,
                targets=None,
                masks=None,
                targets_3d=None,
                input_heatmaps=None,
                **kwargs):
        """Losses (``return_loss=True``) or predictions.

        Note:
            batch size N, views V, keypoints K, candidates P.

        Args:
            img (list[torch.Tensor[N, C, imgH, imgW]]): One per view.
            img_metas (list[dict]): Cameras, crops and (training) ground
                truth; see :class:`ProjectLayer`, :class:`VoxelCenterDetector`
                and :class:`VoxelSinglePose`.
            targets (list[torch.Tensor[N, K, H, W]]): 2D targets per view
                (training the 2D model).
            masks (list[torch.Tensor[N, H, W]]): 2D masks per view.
            targets_3d (torch.Tensor[N, X, Y, Z]): Center heatmap target.
            input_heatmaps (list[list[torch.Tensor[N, K, H, W]]]): Heatmaps
                per view when there is no 2D model.
        """
        if return_loss:
            return self.forward_train(img, img_metas, targets, masks,
                                      targets_3d, input_heatmaps)
        return self.forward_test(img, img_metas, input_heatmaps)

    def forward_train(self,
                      img,
                      img_metas,
                      targets=None,
                      masks=None,
                      targets_3d=None,
                      input_heatmaps=None):
        """Losses of the center detector, the pose regressor and (when
        ``freeze_2d`` is False) the 2D model (suffixed ``_2d``)."""
        feature_maps = self._feature_maps(img, input_heatmaps)
        candidates, losses = self.human_detector.forward_train(
            None, img_metas, feature_maps, targets_3d, return_preds=True)
        losses.update(
            self.pose_regressor.forward_train(None, img_metas, feature_maps,
                                              candidates))
        if not self.freeze_2d:
            losses_2d = self.backbone.get_loss(
                torch.cat(feature_maps), torch.cat(targets),
                torch.cat(masks))
            losses.update({f'{k}_2d': v for k, v in losses_2d.items()})
        return losses

    def forward_test(self, img, img_metas, input_heatmaps=None):
        """``{'pose_3d'}`` (np.ndarray[N, P, K, 5]: x, y, z, valid >= 0,
        score), ``{'human_detection_3d'}`` (np.ndarray[N, P, 5]) and
        ``{'sample_id'}``."""
        feature_maps = self._feature_maps(img, input_heatmaps)
        candidates = self.human_detector.forward_test(None, img_metas,
                                                      feature_maps)
        poses = self.pose_regressor.forward_test(None, img_metas,
                                                 feature_maps, candidates)
        return dict(
            pose_3d=poses.cpu().numpy(),
            human_detection_3d=candidates.cpu().numpy(),
            sample_id=[m['sample_id'] for m in img_metas])

    @staticmethod
    def _num_samples(data_batch: dict) -> int:
        if 'img' in data_batch:
            return data_batch['img'][0].shape[0]
        return data_batch['input_heatmaps'][0][0].shape[0]

    def show_result(self,
                    img,
                    img_metas,
                    visualize_2d=False,
                    input_heatmaps=None,
                    dataset_info=None,
                    radius=4,
                    thickness=2,
                    out_dir=None,
                    show=False):
        """Predict and draw: the kept 3D poses of each sample (in one plot
        of the detector's space) and, with ``visualize_2d``, their
        projection into every
        view (on ``img_metas[i]['image_file'][v]``, or a white image of the
        view's size).

        Args:
            img, img_metas, input_heatmaps: as :meth:`forward_test`.
            visualize_2d (bool): Also draw the views. Default: False.
            dataset_info (DatasetInfo): Skeleton and colours.
            radius (int): Keypoint radius (2D). Default: 4.
            thickness (int): Link thickness (2D). Default: 2.
            out_dir (str | None): Writes ``vis_3d/<sample_id>_3d.jpg`` and
                ``<sample_id>_<view>_2d.jpg`` there.
            show (bool): Unused (no window on servers), as in 0.29.

        Returns:
            list[dict]: per sample ``'3d'`` (np.ndarray image) and ``'2d'``
            (list of images, empty without ``visualize_2d``).
        """
        import os.path as osp

        import mmcv

        from mmpose.core.camera import SimpleCamera
        from mmpose.core.visualization import (
            imshow_keypoints, imshow_multiview_keypoints_3d)
        result = self.forward_test(img, img_metas, input_heatmaps)
        drawn = []
        for meta, poses, sample_id in zip(img_metas, result['pose_3d'],
                                          result['sample_id']):
            poses = poses[poses[:, 0, 3] >= 0]
            num_joints = poses.shape[1]
            kpt_color = dataset_info.pose_kpt_color[:num_joints]
            # links between the predicted joints only
            links = np.asarray(dataset_info.skeleton).reshape(-1, 2)
            keep = (links < num_joints).all(1)
            links = links[keep].tolist()
            link_color = np.asarray(dataset_info.pose_link_color)[keep]
            image_3d = imshow_multiview_keypoints_3d(
                [p[:, [0, 1, 2, 4]] for p in poses],
                skeleton=links,
                pose_kpt_color=kpt_color,
                pose_link_color=link_color,
                space_size=self.human_detector.space_size,
                space_center=self.human_detector.space_center)
            views = []
            for v in range(len(meta['camera']) if visualize_2d else 0):
                pixels = SimpleCamera(meta['camera'][v]).world_to_pixel(
                    poses[..., :3]) if len(poses) else poses[..., :2]
                kpts = np.concatenate(
                    [pixels, np.ones_like(pixels[..., :1])], -1)
                if 'image_file' in meta:
                    canvas = mmcv.imread(meta['image_file'][v])
                else:
                    width, height = (2 * np.asarray(
                        meta['center'][v])).astype(int)
                    canvas = np.full((height, width, 3), 255, np.uint8)
                views.append(
                    imshow_keypoints(canvas, list(kpts), links, 0.0,
                                     kpt_color, link_color, radius,
                                     thickness))
            if out_dir is not None:
                mmcv.imwrite(
                    image_3d,
                    osp.join(out_dir, 'vis_3d', f'{sample_id}_3d.jpg'))
                for v, view in enumerate(views):
                    mmcv.imwrite(view,
                                 osp.join(out_dir, f'{sample_id}_{v}_2d.jpg'))
            drawn.append({'3d': image_3d, '2d': views})
        return drawn

    def forward_dummy(self, img, input_heatmaps=None, num_candidates=5):
        """Both 3D networks on zero volumes (for FLOPs counting)."""
        feature_maps = self._feature_maps(img, input_heatmaps)
        self.human_detector.forward_dummy(feature_maps)
        self.pose_regressor.forward_dummy(feature_maps, num_candidates)
