"""What every 2D keypoint dataset shares, top-down and bottom-up alike:
the metadata attributes, the basic ``ann_info``, the pipeline and the
metric check."""
import os.path as osp
from typing import Any, List, Optional, Sequence, Union

import numpy as np
from torch.utils.data import Dataset


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
    """

    # ----- metadata, overridden by subclasses -----
    DATASET_NAME: str = ''
    #: Expected ``data_cfg['num_joints']`` (None: no check).
    NUM_JOINTS: Optional[int] = None
    #: Per-joint loss weights (K,); None means all ones.
    JOINT_WEIGHTS: Optional[Sequence[float]] = None
    #: OKS sigmas (K,) for mAP and OKS-NMS; None means COCO-style metrics
    #: are unavailable.
    SIGMAS: Optional[Sequence[float]] = None
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
                 test_mode: bool = False):
        from mmpose.datasets.pipelines import Compose

        self.ann_file = ann_file
        self.img_prefix = img_prefix if img_prefix is not None else ''
        self.test_mode = test_mode
        self.pipeline = Compose(pipeline)
        self.ann_info = self._build_ann_info(data_cfg)
        self.sigmas = (None if self.SIGMAS is None else np.asarray(
            self.SIGMAS, dtype=np.float64))
        self.dataset_name = self.DATASET_NAME

    def _build_ann_info(self, data_cfg: dict) -> dict:
        """The ``ann_info`` fields every keypoint dataset has; subclasses add
        their own."""
        missing = [
            k for k in ('image_size', 'heatmap_size', 'num_joints')
            if k not in data_cfg
        ]
        if missing:
            raise KeyError(f'{type(self).__name__}: data_cfg lacks {missing}')
        num_joints = int(data_cfg['num_joints'])
        if self.NUM_JOINTS is not None and num_joints != self.NUM_JOINTS:
            raise ValueError(
                f'{type(self).__name__} has {self.NUM_JOINTS} keypoints, '
                f"data_cfg['num_joints'] is {num_joints}")
        weights = (np.ones(num_joints) if self.JOINT_WEIGHTS is None else
                   np.asarray(self.JOINT_WEIGHTS))
        return {
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
        """Check the image exists, attach ``ann_info`` and run the pipeline.

        Args:
            results (dict): A copy of one sample, with ``image_file``.
            where (str): Which sample it is, for the error message.
        """
        if not osp.isfile(results['image_file']):
            raise FileNotFoundError(
                f"image {results['image_file']} of {where} in "
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
                raise KeyError(f'metric {m} is not supported by '
                               f'{type(self).__name__}; allowed: '
                               f'{list(self.ALLOWED_METRICS)}')
        return metrics
