"""COCO dataset for bottom-up pose estimation."""
from ...builder import DATASETS
from ..base import BottomUpBaseDataset


@DATASETS.register_module()
class BottomUpCocoDataset(BottomUpBaseDataset):
    """COCO dataset for bottom-up pose estimation.

    Samples are whole images with all people (see
    :class:`BottomUpBaseDataset`); ``evaluate`` writes
    ``${res_folder}/result_keypoints.json`` and reports COCO mAP.

    Keypoint layout and metadata: see :class:`TopDownCocoDataset`.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'coco'
