"""The abstract base datasets of MMPose 0.14, for code that subclasses them.

0.14 user code derives its datasets from ``TopDownBaseDataset``,
``AnimalBaseDataset``, ``FaceBaseDataset``, ``FashionBaseDataset``,
``HandBaseDataset`` (top-down) or ``BottomUpBaseDataset``, at their 0.14
module paths, implements the abstract methods and fills ``self.db`` in its
own constructor. 0.29 kept those modules only to refuse the classes (an
``ImportError`` naming the ``Kpt*`` base that replaced them). Here they stay
working bases, on the package's shared ones: a subclass written for 0.14
works, with the 0.14 helpers (``_xywh2cs``, ``_report_metric(res_file,
...)``, ``_write_keypoint_results``...). Instantiating a base itself, or a
subclass that lacks an abstract method, raises
:class:`~mmpose.errors.AbstractClassError`: both the ``TypeError`` 0.14
raised for an abstract class and 0.29's ``ImportError``.
"""
import copy
import warnings
from abc import ABCMeta, abstractmethod
from typing import Any, Sequence, Union

from mmpose.errors import AbstractClassError
from .bottom_up_base_dataset import BottomUpBaseDataset as SharedBottomUpBase
from .dialect_bases import TopDownResultHelpers
from .topdown_base_dataset import TopDownBaseDataset as SharedTopDownBase

__all__ = [
    'TopDownBaseDataset', 'AnimalBaseDataset', 'FaceBaseDataset',
    'FashionBaseDataset', 'HandBaseDataset', 'BottomUpBaseDataset'
]

PipelineT = Sequence[Union[dict, Any]]


class V014AbstractBase(metaclass=ABCMeta):
    """The 0.14 constructor on a shared base; refuses abstract classes with
    :class:`AbstractClassError` and warns that the 0.14 bases are
    deprecated.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Directory holding the images.
        data_cfg (dict): The dataset's ``data_cfg`` (see the shared base).
        pipeline (list[dict | callable]): Data transforms.
        test_mode (bool): Building a validation/test set. Default: False.
    """

    #: The 0.29 base class that replaced this 0.14 one.
    REPLACED_BY = ''
    #: Whether the base reads ``ann_file`` with the COCO API.
    COCO_FORMAT = False

    def __new__(cls, *args, **kwargs):
        missing = sorted(cls.__abstractmethods__)
        if missing:
            raise AbstractClassError(
                f'{cls.__name__} is abstract: it lacks {missing}. The 0.14 '
                f'base classes are meant to be subclassed (implement '
                f'{missing}); MMPose 0.29 replaced them by '
                f'{cls.REPLACED_BY} (open-mmlab/mmpose#663).')
        return super().__new__(cls)

    def __init__(self,
                 ann_file: str,
                 img_prefix: str,
                 data_cfg: dict,
                 pipeline: PipelineT,
                 test_mode: bool = False):
        # the public 0.14 base: the first class of this module in the MRO
        base = next(c for c in type(self).__mro__
                    if c.__module__ == __name__)
        warnings.warn(
            f'{type(self).__name__} derives from the 0.14 base '
            f'{base.__name__}, deprecated since MMPose 0.29: derive from '
            f'{self.REPLACED_BY} instead.', DeprecationWarning, stacklevel=2)
        self._setup(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                    None, self.COCO_FORMAT)
        self.image_info = {}
        self.annotations_path = ann_file
        self._set_v014_attributes(data_cfg)

    def _set_v014_attributes(self, data_cfg: dict) -> None:
        """The attributes a 0.14 base had beyond the shared ones."""


class V014TopDownBase(V014AbstractBase, TopDownResultHelpers,
                      SharedTopDownBase):
    """0.14 base of the top-down datasets, on :class:`SharedTopDownBase`
    with the 0.14 helpers.

    Subclasses set the metadata in ``self.ann_info`` (``flip_pairs``,
    ``joint_weights``...), read ``self.db = self._get_db()`` and implement
    ``evaluate``. With ``COCO_FORMAT`` ``ann_file`` is read with the COCO
    API into ``self.coco``, ``self.img_ids``, ``self.num_images``,
    ``self.id2name`` and ``self.name2id``.
    """

    REPLACED_BY = 'Kpt2dSviewRgbImgTopDownDataset'
    COCO_FORMAT = True

    def _set_v014_attributes(self, data_cfg: dict) -> None:
        self.num_images = len(self.img_ids)
        self.db = []

    @abstractmethod
    def _get_db(self) -> list:
        """The records of the dataset."""

    @abstractmethod
    def evaluate(self, outputs, res_folder, *args, **kwargs):
        """Evaluate the model outputs."""


class TopDownBaseDataset(V014TopDownBase):
    """0.14 base of the body datasets (``...top_down.topdown_base_dataset``):
    subclasses read ``ann_file`` themselves."""

    COCO_FORMAT = False


class AnimalBaseDataset(V014TopDownBase):
    """0.14 base of the animal datasets (``...animal.animal_base_dataset``).
    """


class FaceBaseDataset(V014TopDownBase):
    """0.14 base of the face datasets (``...face.face_base_dataset``)."""


class FashionBaseDataset(V014TopDownBase):
    """0.14 base of the fashion datasets
    (``...fashion.fashion_base_dataset``)."""


class HandBaseDataset(V014TopDownBase):
    """0.14 base of the hand datasets (``...hand.hand_base_dataset``)."""


class BottomUpBaseDataset(V014AbstractBase, SharedBottomUpBase):
    """0.14 base of the bottom-up datasets
    (``...bottom_up.bottom_up_base_dataset``), on
    :class:`SharedBottomUpBase`.

    ``data_cfg`` needs ``base_size`` and ``base_sigma``; ``soft_nms``
    defaults to 0.14's True. Subclasses read their annotations
    (``self.coco``, ``self.img_ids``...) and implement ``_get_single(idx)``
    (the raw sample of image ``idx``, with ``image_file``); the shared
    ``evaluate`` (COCO mAP) applies unless they override it.
    """

    REPLACED_BY = 'Kpt2dSviewRgbImgBottomUpDataset'

    def _set_v014_attributes(self, data_cfg: dict) -> None:
        self.base_size = data_cfg['base_size']
        self.base_sigma = data_cfg['base_sigma']
        self.int_sigma = False
        self.soft_nms = data_cfg.get('soft_nms', True)

    @abstractmethod
    def _get_single(self, idx: int) -> dict:
        """The raw sample (before the pipeline) of image ``idx``."""

    def _prepare(self, idx: int) -> dict:
        return self._run_pipeline(
            copy.deepcopy(self._get_single(idx)), f'image {idx}')

    def prepare_train_img(self, idx: int) -> dict:
        """The training sample of image ``idx``."""
        return self._prepare(idx)

    def prepare_test_img(self, idx: int) -> dict:
        """The test sample of image ``idx``."""
        return self._prepare(idx)

    def __getitem__(self, idx: int) -> dict:
        if self.test_mode:
            return self.prepare_test_img(idx)
        return self.prepare_train_img(idx)
