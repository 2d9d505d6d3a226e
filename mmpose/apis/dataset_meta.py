"""Dataset metadata as the inference and visualisation APIs use it.

There is one source of metadata: the ``dataset_info`` tables shipped in the
package (``mmpose/configs/_base_/datasets/*.py``, read by
:func:`mmpose.datasets.metadata.load_dataset_info`) turned into a
:class:`mmpose.datasets.DatasetInfo`. This module only adds

- :data:`DATASET_TABLES`: the dataset class names that 0.14 (and 0.29
  without ``dataset_info``) take as ``dataset=`` -> the table(s) they use
  (DeepFashion has three layouts, told apart by the keypoint count K);
- the 0.x drawing style of calls by dataset name (palette colours and
  0.x's own skeletons, :mod:`.legacy_drawing_style`; faces draw every
  landmark, score threshold 0);
- :func:`resolve_dataset_meta`: which metadata a call uses (the
  ``dataset_info`` argument, else the model config's top-level one, else
  the name).

Note:
    number of keypoints: K
    number of skeleton links: L
"""
import warnings
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Dict, List, Optional, Tuple, Union

import numpy as np

from mmpose.errors import ArgumentError, UnsupportedError

from .legacy_drawing_style import legacy_style

__all__ = [
    'DATASET_TABLES', 'DatasetMeta', 'dataset_names', 'get_dataset_metas',
    'get_dataset_meta', 'get_flip_pairs', 'resolve_dataset_meta'
]

#: 0.x dataset class name -> dataset_info table name(s).
DATASET_TABLES: Dict[str, Tuple[str, ...]] = {
    'TopDownCocoDataset': ('coco', ),
    'BottomUpCocoDataset': ('coco', ),
    'TopDownOCHumanDataset': ('ochuman', ),
    'TopDownPoseTrack18Dataset': ('posetrack18', ),
    'TopDownCocoWholeBodyDataset': ('coco_wholebody', ),
    'BottomUpCocoWholeBodyDataset': ('coco_wholebody', ),
    'TopDownAicDataset': ('aic', ),
    'BottomUpAicDataset': ('aic', ),
    'TopDownMpiiDataset': ('mpii', ),
    'TopDownMpiiTrbDataset': ('mpii_trb', ),
    'TopDownMhpDataset': ('mhp', ),
    'BottomUpMhpDataset': ('mhp', ),
    'TopDownCrowdPoseDataset': ('crowdpose', ),
    'BottomUpCrowdPoseDataset': ('crowdpose', ),
    'TopDownJhmdbDataset': ('jhmdb', ),
    'TopDownHalpeDataset': ('halpe', ),
    'OneHand10KDataset': ('onehand10k', ),
    'TopDownOneHand10KDataset': ('onehand10k', ),
    'FreiHandDataset': ('freihand2d', ),
    'TopDownFreiHandDataset': ('freihand2d', ),
    'PanopticDataset': ('panoptic_hand2d', ),
    'TopDownPanopticDataset': ('panoptic_hand2d', ),
    'Rhd2DDataset': ('rhd2d', ),
    'InterHand2DDataset': ('interhand2d', ),
    'InterHand3DDataset': ('interhand3d', ),
    'Face300WDataset': ('300w', ),
    'FaceAFLWDataset': ('aflw', ),
    'FaceCOFWDataset': ('cofw', ),
    'FaceWFLWDataset': ('wflw', ),
    'AnimalHorse10Dataset': ('horse10', ),
    'AnimalFlyDataset': ('fly', ),
    'AnimalLocustDataset': ('locust', ),
    'AnimalZebraDataset': ('zebra', ),
    'AnimalATRWDataset': ('atrw', ),
    'AnimalMacaqueDataset': ('macaque', ),
    'AnimalPoseDataset': ('animalpose', ),
    'AnimalAP10KDataset': ('ap10k', ),
    'DeepFashionDataset':
    ('deepfashion_upper', 'deepfashion_lower', 'deepfashion_full'),
    'Body3DH36MDataset': ('h36m', ),
}

#: Datasets whose landmarks 0.x draws whatever their score (by name).
_DRAW_ALL_KEYPOINTS = ('Face300WDataset', 'FaceAFLWDataset',
                       'FaceCOFWDataset', 'FaceWFLWDataset')


@dataclass(frozen=True)
class DatasetMeta:
    """What inference and drawing need to know about one keypoint layout.

    Attributes:
        dataset_name (str): The table's ``dataset_name``.
        num_keypoints (int): K.
        flip_pairs (list[list[int]]): Mirrored keypoint pairs, 0-based.
        skeleton (list[list[int]]): Links as 0-based keypoint pairs ([L, 2]).
        pose_kpt_color (np.ndarray[K, 3]): Keypoint colours.
        pose_link_color (np.ndarray[L, 3]): Link colours.
        sigmas (np.ndarray[K] | None): OKS sigmas (None: not in the table).
        stats_info (dict | None): The table's ``stats_info`` (average box
            centre and scale of 3D datasets).
        kpt_score_thr (float | None): When set, overrides the caller's
            drawing threshold (0.x faces).
    """
    dataset_name: str
    num_keypoints: int
    flip_pairs: List[List[int]]
    skeleton: List[List[int]]
    pose_kpt_color: np.ndarray
    pose_link_color: np.ndarray
    sigmas: Optional[np.ndarray] = None
    stats_info: Optional[dict] = None
    kpt_score_thr: Optional[float] = None

    @classmethod
    def from_dataset_info(cls, dataset_info,
                          kpt_score_thr: Optional[float] = None
                          ) -> 'DatasetMeta':
        """The metadata of a ``DatasetInfo`` or a ``dataset_info`` dict."""
        from mmpose.datasets import DatasetInfo
        if isinstance(dataset_info, dict):
            dataset_info = DatasetInfo(dataset_info)
        num_keypoints = int(dataset_info.keypoint_num)
        sigmas = np.asarray(getattr(dataset_info, 'sigmas', []),
                            dtype=np.float64).reshape(-1)
        # the table as given (0.29 keeps it as ``_dataset_info``)
        raw = (getattr(dataset_info, '_dataset_info', None)
               or getattr(dataset_info, 'dataset_info', None) or {})
        return cls(
            dataset_name=dataset_info.dataset_name,
            num_keypoints=num_keypoints,
            flip_pairs=[list(map(int, p)) for p in dataset_info.flip_pairs],
            skeleton=[list(map(int, link))
                      for link in dataset_info.skeleton],
            pose_kpt_color=np.asarray(dataset_info.pose_kpt_color).reshape(
                -1, 3),
            pose_link_color=np.asarray(
                dataset_info.pose_link_color).reshape(-1, 3),
            sigmas=sigmas if sigmas.size == num_keypoints else None,
            stats_info=raw.get('stats_info'),
            kpt_score_thr=kpt_score_thr)

    @property
    def flip_index(self) -> List[int]:
        """list[int]: The keypoint each keypoint becomes when mirrored."""
        index = np.arange(self.num_keypoints)
        pairs = np.asarray(self.flip_pairs, dtype=np.int64).reshape(-1, 2)
        index[pairs[:, 0]], index[pairs[:, 1]] = pairs[:, 1], pairs[:, 0]
        return index.tolist()

    @property
    def skeleton_1based(self) -> List[List[int]]:
        """list[list[int]]: the links as 1-based pairs, as 0.14's drawing
        functions (``show_result``, ``imshow_keypoints``) take them."""
        return [[a + 1, b + 1] for a, b in self.skeleton]

    @property
    def pose_limb_color(self) -> np.ndarray:
        """np.ndarray[L, 3]: link colours (0.14's name)."""
        return self.pose_link_color


def dataset_names() -> List[str]:
    """Every dataset name the inference APIs know, sorted."""
    return sorted(DATASET_TABLES)


@lru_cache(maxsize=None)
def _table_meta(table: str, kpt_score_thr: Optional[float]) -> DatasetMeta:
    from mmpose.datasets.metadata import load_dataset_info
    return DatasetMeta.from_dataset_info(
        load_dataset_info(table), kpt_score_thr)


def get_dataset_metas(dataset: str) -> Tuple[DatasetMeta, ...]:
    """Every keypoint layout of a dataset name (one, or DeepFashion's
    three).

    Raises:
        UnsupportedError: The name is not one of :func:`dataset_names`
            (0.x raised ``NotImplementedError``).
    """
    if dataset not in DATASET_TABLES:
        raise UnsupportedError(
            f'dataset {dataset!r} is not supported by the inference APIs; '
            f'pass dataset_info, or one of: {", ".join(dataset_names())}')
    thr = 0. if dataset in _DRAW_ALL_KEYPOINTS else None
    return tuple(
        _with_legacy_style(_table_meta(table, thr), dataset, index)
        for index, table in enumerate(DATASET_TABLES[dataset]))


def _with_legacy_style(meta: DatasetMeta, dataset: str,
                       index: int) -> DatasetMeta:
    """``meta`` drawn the way 0.x draws a result given by dataset name."""
    style = legacy_style(dataset, index)
    if style is None:
        return meta
    kpt_color, link_color = style.colours(meta.num_keypoints)
    return replace(
        meta,
        skeleton=[[a - 1, b - 1] for a, b in style.skeleton_1based],
        pose_kpt_color=kpt_color,
        pose_link_color=link_color)


def get_dataset_meta(dataset: str,
                     num_keypoints: Optional[int] = None) -> DatasetMeta:
    """Metadata of a dataset name.

    Args:
        dataset (str): Dataset class name, e.g. 'TopDownCocoDataset'.
        num_keypoints (int, optional): K of the model or result; picks the
            layout of DeepFashion and is checked against the others.

    Returns:
        DatasetMeta: The dataset's keypoint layout and drawing colours.

    Raises:
        UnsupportedError: Unknown name.
        ArgumentError: K does not match the dataset.
    """
    metas = get_dataset_metas(dataset)
    return _matching(metas, num_keypoints, dataset)


def _matching(metas: Tuple[DatasetMeta, ...], num_keypoints: Optional[int],
              what: str) -> DatasetMeta:
    """The layout of ``metas`` with ``num_keypoints`` keypoints."""
    if num_keypoints is None:
        return metas[0]
    for meta in metas:
        if meta.num_keypoints == num_keypoints:
            return meta
    expected = ' or '.join(str(m.num_keypoints) for m in metas)
    raise ArgumentError(f'{what} has {expected} keypoints, but the model or '
                        f'result has {num_keypoints}')


def get_flip_pairs(dataset: str,
                   num_keypoints: Optional[int] = None) -> List[List[int]]:
    """Left/right keypoint pairs (0-based) of a dataset name, as the
    ``ann_info['flip_pairs']`` lists of 0.x."""
    return get_dataset_meta(dataset, num_keypoints).flip_pairs


def _config_dataset_info(cfg) -> Optional[dict]:
    """``cfg.dataset_info``, else ``cfg.data.test.dataset_info`` (0.29
    configs carry both), else None (the keypoint look-ups of the webcam
    API read either; the inference APIs read only the first)."""
    if cfg is None:
        return None
    if cfg.get('dataset_info') is not None:
        return cfg.dataset_info
    test = cfg.get('data', {}).get('test', {})
    return test.get('dataset_info') if hasattr(test, 'get') else None


def resolve_dataset_meta(cfg,
                         dataset: str,
                         dataset_info: Union[None, dict, object] = None,
                         num_keypoints: Optional[int] = None) -> DatasetMeta:
    """The metadata an API call uses.

    As 0.29's inference APIs: the ``dataset_info`` argument (a
    ``DatasetInfo`` or its dict), else the model config's top-level
    ``cfg.dataset_info`` (0.29 configs inherit it from their
    ``_base_/datasets`` file; ``cfg.data.test.dataset_info`` alone is not
    read), else the dataset name, with 0.29's ``DeprecationWarning``.

    Args:
        cfg (mmcv.Config | None): The model's config.
        dataset (str): Dataset class name (0.14's only way).
        dataset_info (DatasetInfo | dict | None): 0.29's metadata.
        num_keypoints (int, optional): K of the model or result, checked.

    Returns:
        DatasetMeta: The metadata.

    Raises:
        UnsupportedError: No ``dataset_info`` and an unknown ``dataset``
            name (a ``NotImplementedError``, as in 0.x).
    """
    if dataset_info is None and cfg is not None:
        dataset_info = cfg.get('dataset_info')
    if dataset_info is None:
        warnings.warn(
            f'dataset={dataset!r} is deprecated (MMPose 0.29): set '
            '`dataset_info` in the model config or pass dataset_info=',
            DeprecationWarning, stacklevel=3)
        return get_dataset_meta(dataset, num_keypoints)
    meta = DatasetMeta.from_dataset_info(dataset_info)
    return _matching((meta, ), num_keypoints,
                     f'dataset_info {meta.dataset_name!r}')
