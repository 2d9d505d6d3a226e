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
   gen_center_heatmap)``; 0.29 orders them ``(sigma, bg_weight,
   gen_center_heatmap, use_udp)``, and :func:`split_heatmap_target_args`
   recognises a 0.29 positional call by its second argument (a number,
   not a bool),
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
7. Deprecations (0.29 warns with a ``DeprecationWarning``, the result is
   unchanged; hidden by default, so 0.14 users see nothing): a dataset
   built without ``dataset_info`` (it then reads its own table, with the
   0.14 facts above); ``_xywh2cs`` of the 0.29 top-down, video and 3D bases
   and of ``TopDownPoseTrack18VideoDataset`` (records come from
   ``_bbox_center_scale``, so loading does not warn); importing
   ``mmpose.datasets.registry`` (the registries live in
   ``mmpose.datasets.builder``; the old module re-exports the same objects).
8. 0.14 base modules (``datasets.top_down.topdown_base_dataset``,
   ``animal.animal_base_dataset``, ``face.face_base_dataset``,
   ``fashion.fashion_base_dataset``, ``hand.hand_base_dataset``,
   ``bottom_up.bottom_up_base_dataset``): working abstract bases for user
   subclasses (``datasets/base/v014_bases.py``). 0.14 raised ``TypeError``
   when the abstract base itself was built, 0.29 ``ImportError`` (the
   modules were removed); here :class:`mmpose.errors.AbstractClassError`
   is both.
9. 0.29 results and inputs, served to both dialects: a ground-truth file
   without ``annotations`` makes ``evaluate`` warn and return ``{}``;
   AP-10K numbers ``bbox_id`` per image (de-duplicating per image);
   ``num_images`` counts every image of a COCO file; NVGesture reports
   ``AP_<modality>`` and ``AP_mean`` (``KeyError`` for an unknown metric);
   Halpe is evaluated COCO-style over its 136 flat keypoints; Body3D
   datasets have ``dataset_name`` and an optional ``res_folder``;
   ``MeshH36MDataset.evaluate`` takes plain-string image paths;
   ``TopDownPoseTrack18VideoDataset`` requires ``dataset_info``
   (``ValueError``); ``build_dataset`` takes ``type='ConcatDataset'`` and a
   list-valued ``ann_file``; ``LoadImageFromFile`` takes a given ``img``
   (an image, a list, or a 4-D stack of frames, kept as ``(N, H, W, 3)``
   where 0.29 stacked the frames along the height). ``fliplr_joints`` uses
   0.29's ``visibility > 0`` in both dialects (0.14 multiplied by the
   visibility itself, wrong for non-binary values).
"""
import numbers
from typing import Any, Optional, Tuple

import numpy as np

from mmpose.errors import ArgumentError, ArgumentTypeError

__all__ = [
    'split_test_mode_and_dataset_info', 'split_deepfashion_args',
    'split_heatmap_target_args', 'V014_FACTS', 'v014_fact'
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


def split_heatmap_target_args(use_udp: Any, bg_weight: Any,
                              gen_center_heatmap: Any
                              ) -> Tuple[bool, float, bool]:
    """``(use_udp, bg_weight, gen_center_heatmap)`` of a
    ``BottomUpGenerateHeatmapTarget`` call in 0.14 order (``sigma,
    use_udp, bg_weight, gen_center_heatmap``: the 0.29 arguments after
    0.14's) or in 0.29 order (``sigma, bg_weight, gen_center_heatmap,
    use_udp``).

    The second positional argument tells them apart by type: a bool is
    0.14's ``use_udp``, any other number 0.29's ``bg_weight``. In the 0.29
    order the third slot then holds ``gen_center_heatmap`` (a bool; a
    number there is the untouched ``bg_weight`` default, and the keyword
    ``gen_center_heatmap`` counts) and the fourth ``use_udp``.

    Raises:
        ArgumentTypeError: the second argument is neither a bool nor a
            number.
        ArgumentError: a 0.29 call also gives ``bg_weight`` by keyword.
    """
    if isinstance(use_udp, (bool, np.bool_)):
        return bool(use_udp), bg_weight, gen_center_heatmap
    if not isinstance(use_udp, numbers.Real):
        raise ArgumentTypeError(
            'BottomUpGenerateHeatmapTarget: the argument after sigma is '
            "0.14's use_udp (a bool) or 0.29's bg_weight (a number), got "
            f'{use_udp!r}')
    if isinstance(bg_weight, (bool, np.bool_)):
        # 0.29 positional: (sigma, bg_weight, gen_center_heatmap, use_udp)
        return bool(gen_center_heatmap), float(use_udp), bool(bg_weight)
    if bg_weight != 1.0:
        raise ArgumentError(
            f'BottomUpGenerateHeatmapTarget: bg_weight given twice, {use_udp} '
            f"(0.29's second argument) and {bg_weight}")
    return False, float(use_udp), bool(gen_center_heatmap)
