"""The base classes of MMPose 0.29, on this package's shared bases.

0.29 datasets subclass one of these, pass their ``dataset_info`` table to
the base constructor (``dataset_info`` is required there, given before
``test_mode``; ``coco_style`` says whether ``ann_file`` is read with the
COCO API), then read their records themselves (``self.db =
self._get_db()``) and implement ``evaluate``. Everything else is the shared
implementation of :class:`TopDownBaseDataset`, :class:`BottomUpBaseDataset`,
:class:`Body3DBaseDataset` and :class:`KeypointBaseDataset`; only the 0.29
helper signatures (``_report_metric(res_file, ...)``,
``_write_keypoint_results``, ``_sort_and_unique_bboxes``,
``_get_mapping_id_name``) are added here. See :mod:`mmpose.datasets.dialects`.
"""
import copy
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.errors import ArgumentError
from ..body3d.body3d_base_dataset import Body3DBaseDataset
from .bottom_up_base_dataset import BottomUpBaseDataset
from .coco_eval import load_json, write_json
from .keypoint_base_dataset import KeypointBaseDataset
from .topdown_base_dataset import TopDownBaseDataset, sort_and_unique

__all__ = [
    'V029ConstructorOrder', 'V029Xywh2csDeprecation', 'TopDownResultHelpers',
    'Kpt2dSviewRgbImgTopDownDataset', 'Kpt2dSviewRgbImgBottomUpDataset',
    'Kpt2dSviewRgbVidTopDownDataset', 'Kpt3dSviewRgbImgTopDownDataset',
    'Kpt3dSviewKpt2dDataset', 'Kpt3dMviewRgbImgDirectDataset'
]

PipelineT = Sequence[Union[dict, Any]]


def _require_dataset_info(cls: type, dataset_info: Optional[dict]) -> None:
    """0.29 bases need a ``dataset_info`` table (or a class table)."""
    if dataset_info is None and getattr(cls, 'DATASET_INFO', None) is None:
        raise ArgumentError(
            f'{cls.__name__}: dataset_info is None; a 0.29 dataset passes '
            'its dataset_info table (e.g. from configs/_base_/datasets, or '
            'mmpose.datasets.metadata.load_dataset_info(name))')


class V029ConstructorOrder:
    """Mixin giving a dataset that MMPose 0.29 introduced its constructor
    order, ``(ann_file, img_prefix, data_cfg, pipeline, dataset_info=None,
    test_mode=False)``, in front of a base with the 0.14 order."""

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: PipelineT,
                 dataset_info: Optional[dict] = None,
                 test_mode: bool = False):
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                         dataset_info)


class TopDownResultHelpers:
    """The helpers the subclasses of the 0.x top-down bases call, with
    their 0.x signatures (the same in 0.14 and 0.29): result files,
    ``_report_metric(res_file, ...)``, de-duplication and COCO name maps.
    Mixed into the 0.29 bases and the 0.14 ones (``v014_bases``)."""

    @staticmethod
    def _get_mapping_id_name(imgs: Dict[Any, dict]
                             ) -> Tuple[Dict[Any, str], Dict[str, Any]]:
        """``(id2name, name2id)`` of a COCO ``imgs`` index."""
        id2name = {i: img['file_name'] for i, img in imgs.items()}
        return id2name, {name: i for i, name in id2name.items()}

    @staticmethod
    def _write_keypoint_results(keypoint_results: List[dict],
                                res_file: str) -> None:
        """Write result dicts (arrays allowed) to a json file."""
        write_json(keypoint_results, res_file)

    @staticmethod
    def _sort_and_unique_bboxes(kpts: List[dict],
                                key: str = 'bbox_id') -> List[dict]:
        """Sort by ``key`` and drop repeated entries."""
        return sort_and_unique(kpts, key)

    def _report_metric(self,
                       res_file: Union[str, List[dict]],
                       metrics: Sequence[str],
                       pck_thr: float = 0.2,
                       pckh_thr: float = 0.7,
                       auc_nor: float = 30,
                       **kwargs) -> List[Tuple[str, float]]:
        """PCK / PCKh / AUC / EPE / NME of the predictions in ``res_file``
        (0.29 form; a list of result dicts with ``keypoints`` and
        ``bbox_id`` is taken as well)."""
        kpts = load_json(res_file, 'result file') if isinstance(
            res_file, str) else res_file
        return super()._report_metric(kpts, metrics, pck_thr, pckh_thr,
                                      auc_nor, **kwargs)


class V029Xywh2csDeprecation:
    """Mixin of the 0.29 top-down bases (image, video, 3D) and of the
    datasets 0.29 derived from them without a 0.14 counterpart: their
    ``_xywh2cs`` still answers, after a ``DeprecationWarning`` (0.29 makes
    center and scale in the pipeline, ``TopDownGetBboxCenterScale`` and
    ``TopDownRandomShiftBboxCenter``). Loading records does not go through
    it, so building a dataset does not warn."""

    def _xywh2cs(self, *args, **kwargs) -> Tuple[np.ndarray, np.ndarray]:
        warnings.warn(
            f'{type(self).__name__}._xywh2cs is deprecated (MMPose 0.29): '
            'use the TopDownGetBboxCenterScale and '
            'TopDownRandomShiftBboxCenter pipeline steps instead.',
            DeprecationWarning, stacklevel=2)
        return super()._xywh2cs(*args, **kwargs)


class Kpt2dSviewRgbImgTopDownDataset(V029Xywh2csDeprecation,
                                     TopDownResultHelpers,
                                     TopDownBaseDataset):
    """0.29 base of 2D single-view RGB-image top-down datasets.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): See :class:`TopDownBaseDataset`.
        pipeline (list[dict | callable]): Data transforms.
        dataset_info (dict): The dataset's ``dataset_info`` table.
        coco_style (bool): Read ``ann_file`` with the COCO API into
            ``self.coco``, ``self.img_ids``, ``self.id2name`` and
            ``self.name2id``. Default: True.
        test_mode (bool): Building a validation/test set. Default: False.

    Subclasses set ``self.db`` (records with ``image_file``, ``bbox`` or
    ``center``/``scale``, ``joints_3d``, ``joints_3d_visible``...).
    """

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: PipelineT,
                 dataset_info: Optional[dict] = None,
                 coco_style: bool = True,
                 test_mode: bool = False):
        _require_dataset_info(type(self), dataset_info)
        self._setup(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                    dataset_info, coco_style)
        self.num_images = len(self.img_ids)
        self.db: List[dict] = []


class Kpt2dSviewRgbVidTopDownDataset(Kpt2dSviewRgbImgTopDownDataset):
    """0.29 base of 2D single-view RGB-video top-down datasets: records may
    list several frames (``image_file`` a list); built like
    :class:`Kpt2dSviewRgbImgTopDownDataset`."""


class Kpt3dSviewRgbImgTopDownDataset(Kpt2dSviewRgbImgTopDownDataset):
    """0.29 base of 3D single-view RGB-image top-down datasets (e.g.
    InterHand2.6M 3D): built like :class:`Kpt2dSviewRgbImgTopDownDataset`;
    subclasses add their depth settings to ``ann_info``."""


class Kpt2dSviewRgbImgBottomUpDataset(BottomUpBaseDataset):
    """0.29 base of 2D single-view RGB-image bottom-up datasets.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): See :class:`BottomUpBaseDataset`.
        pipeline (list[dict | callable]): Data transforms.
        dataset_info (dict): The dataset's ``dataset_info`` table.
        coco_style (bool): Read ``ann_file`` with the COCO API. Default:
            True.
        test_mode (bool): Building a validation/test set. Default: False.
    """

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: PipelineT,
                 dataset_info: Optional[dict] = None,
                 coco_style: bool = True,
                 test_mode: bool = False):
        _require_dataset_info(type(self), dataset_info)
        self._setup(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                    dataset_info, coco_style)

    @staticmethod
    def _get_mapping_id_name(imgs: Dict[Any, dict]
                             ) -> Tuple[Dict[Any, str], Dict[str, Any]]:
        """``(id2name, name2id)`` of a COCO ``imgs`` index."""
        return TopDownResultHelpers._get_mapping_id_name(imgs)


class Kpt3dSviewKpt2dDataset(Body3DBaseDataset):
    """0.29 base of 3D single-view datasets lifting 2D keypoints.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): See :class:`Body3DBaseDataset`.
        pipeline (list[dict | callable]): Data transforms.
        dataset_info (dict): The dataset's ``dataset_info`` table.
        test_mode (bool): Building a validation/test set. Default: False.
    """

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: PipelineT,
                 dataset_info: Optional[dict] = None,
                 test_mode: bool = False):
        _require_dataset_info(type(self), dataset_info)
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                         dataset_info)


class Kpt3dMviewRgbImgDirectDataset(KeypointBaseDataset):
    """0.29 base of multi-view RGB-image datasets regressing 3D poses
    directly (VoxelPose style).

    One sample gathers the ``num_cameras`` consecutive records (views) of
    one scene: ``len(self) == len(self.db) // num_cameras``; the pipeline
    receives ``{view index: record with ann_info}``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): ``image_size``, ``heatmap_size``, ``num_joints``,
            ``num_cameras``; other keys (``space_size``, ``space_center``,
            ``cube_size``...) are copied into ``ann_info``.
        pipeline (list[dict | callable]): Data transforms.
        dataset_info (dict): The dataset's ``dataset_info`` table.
        test_mode (bool): Building a validation/test set. Default: False.
    """

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: PipelineT,
                 dataset_info: Optional[dict] = None,
                 test_mode: bool = False):
        _require_dataset_info(type(self), dataset_info)
        if 'num_cameras' not in data_cfg:
            raise ArgumentError(f'{type(self).__name__}: data_cfg lacks '
                                "'num_cameras'")
        super().__init__(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                         dataset_info)
        self.num_cameras = int(data_cfg['num_cameras'])
        self.ann_info.update({
            k: v
            for k, v in data_cfg.items() if k not in self.ann_info
        })
        self.ann_info.setdefault('num_scales', 1)
        self.ann_info.setdefault('scale_aware_sigma', False)
        self.db: List[dict] = []

    def __len__(self) -> int:
        return len(self.db) // self.num_cameras

    def _get_scale(self, raw_image_size) -> np.ndarray:
        """Size (w, h) of a raw image padded to the aspect ratio of
        ``ann_info['image_size']`` (the 2D model's input crop)."""
        image_w, image_h = self.ann_info['image_size']
        width, height = raw_image_size
        factor = max(width / image_w, height / image_h)
        return np.array([image_w * factor, image_h * factor], np.float32)

    def __getitem__(self, idx: int) -> dict:
        views = {}
        for view in range(self.num_cameras):
            result = copy.deepcopy(self.db[self.num_cameras * idx + view])
            result['ann_info'] = self.ann_info
            views[view] = result
        return self.pipeline(views)
