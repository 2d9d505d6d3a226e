"""What every 2D keypoint dataset shares, top-down and bottom-up alike:
the metadata (read from a ``dataset_info`` table), the basic ``ann_info``,
the pipeline and the metric check."""
import os.path as osp
from typing import Any, Callable, List, Optional, Sequence, Union

import numpy as np
from torch.utils.data import Dataset

from mmpose.errors import ArgumentError, UnknownNameError
from ...dataset_info import (DatasetInfo, resolve_dataset_info,
                             table_dataset_info, warn_missing_dataset_info)
from ...dialects import split_test_mode_and_dataset_info, v014_fact


class TableField:
    """A metadata class attribute read from a ``dataset_info`` table.

    On the class it reads the class's table (``DATASET_INFO``), or the 0.14
    value where a 0.14 class stated it differently (``V014_FACTS``); on an
    instance built with its own ``dataset_info``, that one. A subclass may
    still override it with a plain value.

    Args:
        convert (callable): :class:`DatasetInfo` -> the attribute value.
        default: Value when the class names no table.
    """

    def __init__(self, convert: Callable[[DatasetInfo], Any], default=None):
        self.convert = convert
        self.default = default

    def __set_name__(self, owner, name: str):
        self.name = name

    def __get__(self, obj, owner):
        if obj is None or not obj.__dict__.get('_dataset_info_given'):
            legacy = v014_fact(owner, self.name)
            if legacy is not None:
                return legacy
        info = None if obj is None else obj.__dict__.get('dataset_info')
        if info is None:
            if owner.DATASET_INFO is None:
                return self.default
            info = table_dataset_info(owner.DATASET_INFO)
        return self.convert(info)


def _pairs(pairs) -> tuple:
    return tuple(tuple(p) for p in pairs)


class KeypointBaseDataset(Dataset):
    """Base of :class:`TopDownBaseDataset` and :class:`BottomUpBaseDataset`.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): Needs ``image_size``, ``heatmap_size`` and
            ``num_joints``; ``inference_channel`` and ``dataset_channel``
            default to all joints.
        pipeline (list[dict | callable]): Transforms composed with
            ``Compose``.
        test_mode (bool): Building a validation/test set. Default: False.
        dataset_info (dict | DatasetInfo | None): A 0.29 ``dataset_info``
            table; None reads the class's own table (``DATASET_INFO``) after
            a ``DeprecationWarning``, as 0.29 warned. A 0.29 call giving it
            before ``test_mode`` is understood too.

    The metadata attributes (``NUM_JOINTS``, ``FLIP_PAIRS``, ``FLIP_INDEX``,
    ``UPPER_BODY_IDS``, ``LOWER_BODY_IDS``, ``JOINT_WEIGHTS``, ``SIGMAS``,
    ``SKELETON``, ``DATASET_NAME``) come from that table.
    """

    #: Name of the package's ``dataset_info`` table of this dataset.
    DATASET_INFO: Optional[str] = None
    DATASET_NAME = TableField(lambda i: i.dataset_name, '')
    #: Expected ``data_cfg['num_joints']`` (None: no check).
    NUM_JOINTS = TableField(lambda i: i.keypoint_num)
    FLIP_PAIRS = TableField(lambda i: _pairs(i.flip_pairs), ())
    FLIP_INDEX = TableField(lambda i: tuple(i.flip_index), ())
    UPPER_BODY_IDS = TableField(lambda i: tuple(i.upper_body_ids), ())
    LOWER_BODY_IDS = TableField(lambda i: tuple(i.lower_body_ids), ())
    #: Skeleton links as 0-based keypoint pairs.
    SKELETON = TableField(lambda i: _pairs(i.skeleton), ())
    #: Per-joint loss weights (K,); None means all ones.
    JOINT_WEIGHTS = TableField(
        lambda i: tuple(i.joint_weights[:, 0].tolist()))
    #: OKS sigmas (K,) for mAP and OKS-NMS; None means COCO-style metrics
    #: are unavailable.
    SIGMAS = TableField(lambda i: tuple(i.sigmas.tolist()) or None)
    ALLOWED_METRICS: Sequence[str] = ()
    DEFAULT_METRIC: str = ''
    #: ``COCOeval`` iou type and ``use_area``.
    COCO_IOU_TYPE: str = 'keypoints'
    COCO_USE_AREA: bool = True

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: Sequence[Union[dict, Any]],
                 test_mode: bool = False,
                 dataset_info: Optional[dict] = None):
        from mmpose.datasets.pipelines import Compose

        test_mode, dataset_info = split_test_mode_and_dataset_info(
            test_mode, dataset_info)
        given = dataset_info is not None
        if not given and self.DATASET_INFO is not None:
            warn_missing_dataset_info(type(self).__name__, self.DATASET_INFO)
        self._dataset_info_given = given
        self.dataset_info = resolve_dataset_info(dataset_info,
                                                 self.DATASET_INFO)
        self.ann_file = ann_file
        self.img_prefix = img_prefix if img_prefix is not None else ''
        self.test_mode = test_mode
        self.pipeline = Compose(pipeline)
        self.ann_info = self._build_ann_info(data_cfg)
        self.sigmas = (None if self.SIGMAS is None else np.asarray(
            self.SIGMAS, dtype=np.float64))
        self.dataset_name = (self.dataset_info.dataset_name
                             if given else self.DATASET_NAME)

    def _build_ann_info(self, data_cfg: dict) -> dict:
        """The ``ann_info`` fields every keypoint dataset has; subclasses add
        their own."""
        missing = [
            k for k in ('image_size', 'heatmap_size', 'num_joints')
            if k not in data_cfg
        ]
        if missing:
            raise UnknownNameError(f'{type(self).__name__}: data_cfg lacks '
                                   f'{missing}')
        num_joints = int(data_cfg['num_joints'])
        if self.NUM_JOINTS is not None and num_joints != self.NUM_JOINTS:
            raise ArgumentError(f'{type(self).__name__} has {self.NUM_JOINTS} '
                                "keypoints, data_cfg['num_joints'] is "
                                f'{num_joints}')
        weights = (np.ones(num_joints) if self.JOINT_WEIGHTS is None else
                   np.asarray(self.JOINT_WEIGHTS))
        return {
            'skeleton': [list(p) for p in self.SKELETON],
            'image_size': np.array(data_cfg['image_size']),
            'heatmap_size': np.array(data_cfg['heatmap_size']),
            'num_joints': num_joints,
            'inference_channel': data_cfg.get('inference_channel',
                                              list(range(num_joints))),
            'dataset_channel': data_cfg.get('dataset_channel',
                                            [list(range(num_joints))]),
            'joint_weights': weights.astype(np.float32).reshape(
                num_joints, 1),
        }

    def _run_pipeline(self, results: dict, where: str) -> dict:
        """Check the image(s) exist, attach ``ann_info`` and run the
        pipeline.

        Args:
            results (dict): A copy of one sample, with ``image_file`` (a
                path, or a sequence of frame paths).
            where (str): Which sample it is, for the error message.
        """
        paths = results['image_file']
        # A multi-frame sample (0.29's video datasets) lists its frames.
        for path in [paths] if isinstance(paths, str) else paths:
            if not osp.isfile(path):
                raise FileNotFoundError(f'image {path} of {where} in '
                                        f'{self.ann_file} does not exist')
        results['ann_info'] = self.ann_info
        return self.pipeline(results)

    def _check_metrics(self, metric) -> List[str]:
        """Normalise ``metric`` (None: ``DEFAULT_METRIC``) to a list and check
        every entry is supported."""
        if metric is None:
            metric = self.DEFAULT_METRIC
        metrics = list(metric) if isinstance(metric, (list, tuple)) \
            else [metric]
        for m in metrics:
            if m not in self.ALLOWED_METRICS:
                raise UnknownNameError(f'metric {m} is not supported by '
                                       f'{type(self).__name__}; allowed: '
                                       f'{list(self.ALLOWED_METRICS)}')
        return metrics
