"""Top-down 3D interacting hand pose detector of InterHand2.6M (Moon et
al., ECCV 2020), MMPose 0.29."""
from typing import Optional, Sequence

import mmcv
import numpy as np
import torch

from mmpose.core.visualization import imshow_bboxes, imshow_keypoints
from mmpose.core.visualization.image_3d import imshow_keypoints_3d
from mmpose.errors import ArgumentError
from ..builder import POSENETS
from .top_down import TopDown

__all__ = ['Interhand3D']


@POSENETS.register_module()
class Interhand3D(TopDown):
    """Top-down detector whose head (``Interhand3DHead``) outputs the 3D
    keypoints of both hands, the relative root depth and the hand type.

    Takes the arguments of :class:`TopDown`. ``forward`` with
    ``return_loss=True`` takes lists of targets and weights (heatmaps
    [N, K, D, H, W], root depth [N, 1], hand type [N, 2]); with
    ``return_loss=False`` it returns the dict of
    ``Interhand3DHead.decode``.
    """

    def forward(self,
                img: torch.Tensor,
                target: Optional[list] = None,
                target_weight: Optional[list] = None,
                img_metas: Optional[Sequence[dict]] = None,
                return_loss: bool = True,
                **kwargs):
        """Losses (``return_loss``) or the decoded predictions."""
        if return_loss:
            return self.forward_train(img, target, target_weight, img_metas,
                                      **kwargs)
        return self.forward_test(img, img_metas, **kwargs)

    def forward_test(self, img: torch.Tensor, img_metas: Sequence[dict],
                     **kwargs) -> dict:
        """Predict a batch of hand crops; with ``test_cfg.flip_test``
        (default True) each output is averaged with that of the mirrored
        crop."""
        self._check_test_metas(img, img_metas)
        if not self.with_keypoint:
            return {}
        output = self.keypoint_head.inference_model(
            self._features(img), flip_pairs=None)
        if self.test_cfg.get('flip_test', True):
            flipped = self._inference_flipped(img, img_metas)
            output = [(a + b) * 0.5 for a, b in zip(output, flipped)]
        _, _, height, width = img.shape
        return self.keypoint_head.decode(
            img_metas, output, img_size=[width, height])

    def show_result(self,
                    result: Sequence[dict],
                    img=None,
                    skeleton: Optional[Sequence[Sequence[int]]] = None,
                    kpt_score_thr: float = 0.3,
                    radius: int = 8,
                    bbox_color='green',
                    thickness: int = 2,
                    pose_kpt_color: Optional[np.ndarray] = None,
                    pose_link_color: Optional[np.ndarray] = None,
                    vis_height: int = 400,
                    num_instances: int = -1,
                    axis_azimuth: float = -115,
                    win_name: str = '',
                    show: bool = False,
                    wait_time: int = 0,
                    out_file: Optional[str] = None) -> np.ndarray:
        """Draw the image with the hand boxes and 2D keypoints (when given),
        then one 3D plot of ``keypoints_3d`` per instance.

        Args:
            result (list[dict]): Per instance ``keypoints_3d``
                (np.ndarray[K, 4]) and optionally ``bbox`` ([4] or [5]),
                ``keypoints`` ([K, 3]) and ``title``.
            img (str | np.ndarray | None): The image.
            skeleton (list[list[int]] | None): 0-based keypoint links.
            kpt_score_thr (float): Minimum score of drawn keypoints.
            radius, thickness (int): 2D drawing sizes.
            bbox_color (str | tuple): Box colour.
            pose_kpt_color (np.ndarray[K, 3] | None): Keypoint colours.
            pose_link_color (np.ndarray[L, 3] | None): Link colours.
            vis_height (int): Height of the drawing.
            num_instances (int): Number of 3D plots (-1: one per instance).
            axis_azimuth (float): Azimuth of the 3D view.
            win_name (str): Window name.
            show (bool): Show the drawing.
            wait_time (int): ``cv2.waitKey`` delay.
            out_file (str | None): Write the drawing there.

        Returns:
            np.ndarray: The drawing.
        """
        if len(result) == 0:
            raise ArgumentError('Interhand3D.show_result needs at least one '
                                'result')
        result = sorted(result, key=lambda r: r.get('track_id', 0))
        if img is not None:
            img = mmcv.imread(img).copy()
            boxes = [np.asarray(r['bbox'])[:4] for r in result if 'bbox' in r]
            if boxes:
                imshow_bboxes(img, np.stack(boxes), colors=bbox_color,
                              thickness=thickness, show=False)
            poses_2d = [np.asarray(r['keypoints']) for r in result
                        if 'keypoints' in r]
            if poses_2d:
                imshow_keypoints(img, poses_2d, skeleton, kpt_score_thr,
                                 pose_kpt_color, pose_link_color, radius,
                                 thickness)
            img = mmcv.imrescale(img, scale=vis_height / img.shape[0])
        drawing = imshow_keypoints_3d(
            result, img, skeleton, pose_kpt_color, pose_link_color,
            vis_height, kpt_score_thr, num_instances,
            axis_azimuth=axis_azimuth, axis_limit=300, axis_elev=15)
        if show:
            mmcv.imshow(drawing, win_name, wait_time)
        if out_file is not None:
            mmcv.imwrite(drawing, out_file)
        return drawing
