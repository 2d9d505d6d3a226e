"""Where the datasets and pipelines of MMPose 0.14 and 0.29 differ, and how
this package bridges each difference (one implementation, two surfaces).

1. Constructor order. 0.14: ``(ann_file, img_prefix, data_cfg, pipeline,
   test_mode=False)``; 0.29 inserts ``dataset_info=None`` before
   ``test_mode``. The classes keep the 0.14 order and take ``dataset_info``
   last; :func:`split_test_mode_and_dataset_info` recognises a 0.29
   positional call (a dict where ``test_mode`` goes, or a bool where
   ``dataset_info`` goes) and swaps the two. Datasets new in 0.29 (AP-10K,
   Halpe, H36M 2D, COCO-WholeBody face/hand/bottom-up) have the 0.29 order,
   given by ``V029ConstructorOrder`` (``datasets/base/dialect_bases.py``).
2. Metadata. 0.14 classes restated flip pairs, sigmas, joint weights and
   body halves; 0.29 reads them from a ``dataset_info`` table and, without
   one, loads ``configs/_base_/datasets/<name>.py`` relative to the working
   directory. Here every class names its table (``DATASET_INFO``) shipped
   in the package (:func:`mmpose.datasets.dataset_info.table_dataset_info`);
   a ``dataset_info`` argument replaces it for that instance. Where a 0.14
   class stated a fact differently from the tables, a dataset built
   without ``dataset_info`` (a 0.14 config) keeps the 0.14 value
   (:data:`V014_FACTS`): PoseTrack18 flips head_bottom/head_top like
   COCO's eyes (0.14 reused the COCO pairs; 0.29 does not flip them),
   COCO-WholeBody's lower body is the legs without the feet, and horse10
   has no body halves. Joint weights (used only with
   ``use_different_joint_weights``) are the tables'. The Panoptic hand
   dataset keeps its 0.14 ``dataset_name`` ``'panoptic'``.
3. Samples. 0.14 records carry a padded ``center``/``scale`` (jittered in
   training); 0.29 records carry ``bbox`` and the pipeline makes the
   center and scale (``TopDownGetBboxCenterScale``,
   ``TopDownRandomShiftBboxCenter``). Records here carry both; the 0.29
   step recomputes them from ``bbox`` (MPII records get the box their
   center/scale describe; the face datasets' annotated center/scale give
   way to their box).
4. Box conversions. 0.29's ``mmpose.core.bbox`` converts ``xyxy``/``xywh``
   with ``w = x2 - x1``; 0.14's inference helpers use ``x2 - x1 + 1``.
5. Base classes. 0.29's ``Kpt2dSviewRgbImgTopDownDataset`` & co. (see
   :mod:`mmpose.datasets.datasets.base.dialect_bases`) are thin subclasses
   of this package's bases with the 0.29 constructor (``dataset_info``
   required, ``coco_style``) and the 0.29 helper signatures.
   ``evaluate``'s ``res_folder`` is optional as in 0.29 (a temporary
   folder when needed).
6. Pipeline arguments. Where 0.29 added arguments, they come after the
   0.14 ones: ``BottomUpGenerateHeatmapTarget(sigma, use_udp, bg_weight,
   gen_center_heatmap)`` (0.29 has ``use_udp`` last),
   ``BottomUpGetImgSize``/``BottomUpResizeAlign(..., base_length)``,
   ``MultitaskGatherTarget(..., keys)``, ``Generate3DHeatmapTarget(...,
   max_bound)`` (None keeps 0.14's peak of 10; 0.29's default is 1),
   ``RelativeJointRandomFlip(item, root_index=None, ..., flip_cfg)``
   (0.14: one item around its root joint; 0.29: item lists with one
   ``flip_cfg`` each). ``BottomUpGeneratePAFTarget`` reads 0.14's 1-based
   and 0.29's 0-based skeletons (``index_base``). ``BottomUpRandomAffine``
   keeps 0.14's square crop of the long/short side (0.29 fits the output
   aspect ratio; the same for square outputs, which all configs use).
   DeepFashion keeps 0.14's ``subset`` as third parameter (0.29: fifth);
   :func:`split_deepfashion_args` reorders a 0.29 positional call, and
   ``subset``/``data_cfg``/``pipeline`` have defaults so that 0.29's calls
   without ``subset`` (which it may leave empty given ``dataset_info``)
   fit; a call without ``data_cfg`` or ``pipeline`` is still refused.
"""
from typing import Any, Optional, Tuple

__all__ = [
    'split_test_mode_and_dataset_info', 'split_deepfashion_args',
    'V014_FACTS', 'v014_fact'
]

#: Metadata attributes whose 0.14 value differs from the 0.29 table, by
#: dataset class; used when a dataset is built without ``dataset_info``.
V014_FACTS = {
    'TopDownPoseTrack18Dataset': {
        'FLIP_PAIRS': ((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12),
                       (13, 14), (15, 16)),
    },
    'TopDownCocoWholeBodyDataset': {
        'LOWER_BODY_IDS': (11, 12, 13, 14, 15, 16),
    },
    'AnimalHorse10Dataset': {
        'UPPER_BODY_IDS': (),
        'LOWER_BODY_IDS': (),
    },
}


def v014_fact(dataset_class: type, attribute: str) -> Any:
    """The 0.14 value of ``attribute`` of ``dataset_class`` (or of the
    0.14 class it derives from) where it differs from the table, else
    None."""
    for cls in dataset_class.__mro__:
        facts = V014_FACTS.get(cls.__name__)
        if facts is not None and attribute in facts:
            return facts[attribute]
    return None


def split_test_mode_and_dataset_info(
        test_mode: Any, dataset_info: Any) -> Tuple[bool, Optional[dict]]:
    """``(test_mode, dataset_info)`` of a call in 0.14 or 0.29 order.

    Args:
        test_mode: What arrived as ``test_mode`` (a bool; a dict or None
            when a 0.29 call passed ``dataset_info`` positionally).
        dataset_info: What arrived as ``dataset_info`` (None or a dict; a
            bool when a 0.29 call passed ``test_mode`` positionally).

    Returns:
        tuple: ``test_mode`` (bool) and ``dataset_info`` (dict | None).
    """
    if isinstance(test_mode, dict) or test_mode is None or isinstance(
            dataset_info, bool):
        test_mode, dataset_info = dataset_info, test_mode
    return bool(test_mode), dataset_info


def split_deepfashion_args(subset: Any, data_cfg: Any, pipeline: Any,
                           test_mode: Any, dataset_info: Any) -> tuple:
    """``(subset, data_cfg, pipeline, test_mode, dataset_info)`` of a
    ``DeepFashionDataset`` call in 0.14 order (``ann_file, img_prefix,
    subset, data_cfg, pipeline, test_mode``) or 0.29 order (``ann_file,
    img_prefix, data_cfg, pipeline, subset, dataset_info, test_mode``); a
    0.29 positional call puts the ``data_cfg`` dict where ``subset`` goes.
    """
    if isinstance(subset, dict):
        # the first three slots hold 0.29's data_cfg, pipeline and subset;
        # test_mode and dataset_info are told apart by type as for the
        # other datasets
        subset, data_cfg, pipeline = pipeline or '', subset, data_cfg
    return (subset, data_cfg, pipeline) + split_test_mode_and_dataset_info(
        test_mode, dataset_info)
