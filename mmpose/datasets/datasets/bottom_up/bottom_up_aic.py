"""AI Challenger dataset for bottom-up pose estimation."""
from ...builder import DATASETS
from ..base import BottomUpBaseDataset


@DATASETS.register_module()
class BottomUpAicDataset(BottomUpBaseDataset):
    """AI Challenger dataset for bottom-up pose estimation.

    `AI Challenger: A Large-scale Dataset for Going Deeper in Image
    Understanding'. mAP is COCO-style with the box area.

    Keypoint layout and metadata: see :class:`TopDownAicDataset`.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'aic'
    COCO_USE_AREA = False
