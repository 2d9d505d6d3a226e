"""PoseTrack18 for multi-frame top-down models (PoseWarper, MMPose 0.29)."""
import os.path as osp
import warnings
from typing import Any, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.errors import ArgumentError
from ...builder import DATASETS
from ..base.dialect_bases import V029Xywh2csDeprecation
from .topdown_posetrack18_dataset import TopDownPoseTrack18Dataset

__all__ = ['TopDownPoseTrack18VideoDataset']


@DATASETS.register_module()
class TopDownPoseTrack18VideoDataset(V029Xywh2csDeprecation,
                                     TopDownPoseTrack18Dataset):
    """PoseTrack18 dataset whose samples are a frame and its neighbours.

    Loading, detected boxes and the PoseTrack ``'mAP'`` evaluation are those
    of :class:`TopDownPoseTrack18Dataset`. Each record's ``image_file`` is
    a tuple of paths: the annotated (reference) frame first, then the
    supporting frames ``ref + index`` (clipped to the video, named by the
    zero-padded frame number); a missing supporting frame is replaced by
    the reference frame with a warning. Records also carry ``nframes``,
    ``frame_id`` and ``frame_weight`` (one weight per path).

    Frame offsets (``data_cfg``):

    - test: ``frame_indices_test`` (default ``[-2, -1, 0, 1, 2]``, sorted;
      0 is the reference frame, already first), weights
      ``frame_weight_test``;
    - training: ``frame_indices_train`` when given, else
      ``num_adj_frames`` random offsets in ``frame_index_range`` (default
      ``[-2, 2]``) when ``frame_index_rand`` (default True), else the test
      offsets; weights ``frame_weight_train``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): config; see above and
            :class:`TopDownPoseTrack18Dataset`.
        pipeline (list[dict | callable]): Data transforms (their image steps
            take lists of frames).
        dataset_info (dict): The ``posetrack18`` table; required, as in
            0.29 (None raises a ``ValueError``).
        test_mode (bool): Building a validation/test set. Default: False.
        ph_fill_len (int): Digits of the frame file names. Default: 6.
    """

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 dataset_info: Optional[dict] = None,
                 test_mode: bool = False,
                 ph_fill_len: int = 6):
        if dataset_info is None:
            raise ArgumentError(
                'TopDownPoseTrack18VideoDataset: dataset_info is None; pass '
                'the posetrack18 table (configs/_base_/datasets/'
                'posetrack18.py, or mmpose.datasets.metadata.'
                "load_dataset_info('posetrack18'))")
        self.ph_fill_len = ph_fill_len
        self.frame_weight_train = data_cfg['frame_weight_train']
        self.frame_weight_test = data_cfg['frame_weight_test']
        self.frame_weight = (self.frame_weight_test
                             if test_mode else self.frame_weight_train)
        self.frame_index_rand = data_cfg.get('frame_index_rand', True)
        self.frame_index_range = data_cfg.get('frame_index_range', [-2, 2])
        self.num_adj_frames = data_cfg.get('num_adj_frames', 1)
        train = data_cfg.get('frame_indices_train')
        self.frame_indices_train = None if train is None else sorted(train)
        self.frame_indices_test = sorted(
            data_cfg.get('frame_indices_test', [-2, -1, 0, 1, 2]))
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                         dataset_info)

    def _frame_offsets(self) -> List[int]:
        """Offsets of the supporting frames of one record."""
        if self.test_mode:
            return [i for i in self.frame_indices_test if i != 0]
        if self.frame_indices_train is not None:
            return list(self.frame_indices_train)
        if self.frame_index_rand:
            low, high = self.frame_index_range
            return np.random.randint(low, high + 1,
                                     self.num_adj_frames).tolist()
        return list(self.frame_indices_test)

    def _frame_files(self, image_file: str, nframes: int) -> Tuple[str, ...]:
        """The reference frame's path, then its supporting frames' paths."""
        ref_idx = int(osp.splitext(osp.basename(image_file))[0])
        folder = osp.dirname(image_file)
        files = [image_file]
        for offset in self._frame_offsets():
            index = int(np.clip(ref_idx + offset, 0, nframes - 1))
            support = osp.join(folder,
                               str(index).zfill(self.ph_fill_len) + '.jpg')
            if not osp.exists(support):
                warnings.warn(f'{support} does not exist, use {image_file} '
                              'instead.')
                support = image_file
            files.append(support)
        return tuple(files)

    def _make_record(self, image_file: str, bbox: Sequence[float],
                     keypoints: Optional[np.ndarray], bbox_id: Any,
                     bbox_score: float = 1.0, **extra) -> dict:
        """A record of :class:`TopDownPoseTrack18Dataset` over the frames
        of ``image_file``'s neighbourhood."""
        img_info = self.coco.imgs[extra['image_id']]
        nframes = int(img_info['nframes'])
        return super()._make_record(
            self._frame_files(image_file, nframes),
            bbox,
            keypoints,
            bbox_id,
            bbox_score,
            nframes=nframes,
            frame_id=int(img_info['frame_id']),
            frame_weight=self.frame_weight,
            **extra)

    def _image_id_from_path(self, image_path: Union[str, Sequence[str]]
                            ) -> Any:
        """Image id of a prediction: that of its reference frame."""
        if not isinstance(image_path, str):
            image_path = image_path[0]
        return super()._image_id_from_path(image_path)
