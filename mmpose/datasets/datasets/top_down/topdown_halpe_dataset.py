"""Halpe-FullBody dataset for top-down whole-body pose estimation."""
from typing import Any, Optional, Sequence, Union

from ...builder import DATASETS
from ..base.dialect_bases import V029ConstructorOrder
from ..base.wholebody_parts import HALPE_PARTS
from .topdown_coco_dataset import TopDownCocoDataset


@DATASETS.register_module()
class TopDownHalpeDataset(V029ConstructorOrder, TopDownCocoDataset):
    """Halpe-FullBody dataset for top-down pose estimation.

    https://github.com/Fang-Haoshu/Halpe-FullBody

    136 keypoints: 0-19 body, 20-25 foot, 26-93 face, 94-114 left hand,
    115-135 right hand, all in the annotations' ``keypoints``. As in 0.29
    it is a COCO-style dataset over these 136 keypoints: the result file
    holds them flat in ``keypoints`` and ``'mAP'`` is one COCOeval
    (``'keypoints'``) with the 136 Halpe sigmas. Annotation files that
    split them into the COCO-WholeBody fields (``keypoints`` holding the 20
    body points, then ``foot_kpts``, ``face_kpts``, ``lefthand_kpts``,
    ``righthand_kpts``) are joined into that flat form when read.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        dataset_info (dict | None): 0.29 ``dataset_info`` table; None uses
            ``halpe``.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'halpe'

    def _setup(self, ann_file: str, img_prefix: str, data_cfg: dict,
               pipeline: Sequence[Union[dict, Any]], test_mode: bool,
               dataset_info: Optional[dict], coco_format: bool) -> None:
        """The shared set-up, then split annotations joined in place, so
        that loading and COCOeval both see the 136 flat keypoints."""
        super()._setup(ann_file, img_prefix, data_cfg, pipeline, test_mode,
                       dataset_info, coco_format)
        for ann in self.coco.anns.values():
            if 'foot_kpts' in ann:
                where = (f"{ann_file}: annotation id {ann.get('id')} (image "
                         f"{ann.get('image_id')})")
                ann['keypoints'] = HALPE_PARTS.join(ann,
                                                    where).reshape(-1).tolist()
