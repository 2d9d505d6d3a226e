"""AP-10K animal keypoint dataset (54 species, 17 keypoints)."""
import functools
from typing import Any, Dict, List

from ...builder import DATASETS
from ..base import TopDownBaseDataset
from ..base.dialect_bases import V029ConstructorOrder


@DATASETS.register_module()
class AnimalAP10KDataset(V029ConstructorOrder, TopDownBaseDataset):
    """AP-10K dataset for animal pose estimation.

    `AP-10K: A Benchmark for Animal Pose Estimation in the Wild',
    NeurIPS Datasets and Benchmarks Track 2021.

    AP-10K keypoint indexes::

        0: 'L_Eye', 1: 'R_Eye', 2: 'Nose', 3: 'Neck', 4: 'Root of tail',
        5: 'L_Shoulder', 6: 'L_Elbow', 7: 'L_F_Paw', 8: 'R_Shoulder',
        9: 'R_Elbow', 10: 'R_F_Paw', 11: 'L_Hip', 12: 'L_Knee',
        13: 'L_B_Paw', 14: 'R_Hip', 15: 'R_Knee', 16: 'R_B_Paw'

    COCO-format loading on ground-truth boxes (clipped to the image with
    ``x2 = x1 + w``, not ``w - 1``). As in 0.29, ``bbox_id`` counts the
    instances of each image from 0 (an instance is ``(image_id,
    bbox_id)``, and repeated predictions are dropped per image), and
    ``num_images`` counts every image of the file. Every instance keeps its
    species (``category_id``), and the result file gives each prediction
    the species of its instance, so ``'mAP'`` (COCOeval with AP-10K
    sigmas) is averaged over the species.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        dataset_info (dict | None): 0.29 ``dataset_info`` table; None uses
            ``ap10k``.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'ap10k'
    GT_BBOX_ONLY = True
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
    BBOX_ID_PER_IMAGE = True

    def _parse_bbox(self, obj: dict) -> List[float]:
        """The box one pixel wider and higher: the shared clipping keeps
        ``x1 + w - 1`` where AP-10K keeps ``x1 + w``."""
        x, y, w, h = obj['bbox'][:4]
        return [x, y, w + 1, h + 1]

    def _extra_record_fields(self, obj: dict, img_info: dict) -> dict:
        """The species of the instance."""
        return {'category_id': obj['category_id']}

    @functools.cached_property
    def _category_of(self) -> Dict[Any, int]:
        """Instance (``(image_id, bbox_id)``) -> its species."""
        return {
            self._instance_key(rec): rec['category_id']
            for rec in self.db
        }

    def _coco_result(self, kpt: dict, category_id: int) -> dict:
        """Result entry in the species of its instance."""
        result = super()._coco_result(kpt, category_id)
        result['category_id'] = self._category_of[self._instance_key(kpt)]
        return result
