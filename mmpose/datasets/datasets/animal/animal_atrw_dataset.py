"""ATRW (Amur tiger) animal keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownBaseDataset


@DATASETS.register_module()
class AnimalATRWDataset(TopDownBaseDataset):
    """ATRW dataset for animal pose estimation.

    `ATRW: A Benchmark for Amur Tiger Re-identification in the Wild',
    ACM MM'2020.

    ATRW keypoint indexes::

        0: 'left_ear', 1: 'right_ear', 2: 'nose', 3: 'right_shoulder',
        4: 'right_front_paw', 5: 'left_shoulder', 6: 'left_front_paw',
        7: 'right_hip', 8: 'right_knee', 9: 'right_back_paw',
        10: 'left_hip', 11: 'left_knee', 12: 'left_back_paw', 13: 'tail',
        14: 'center'

    COCO-style loading (boxes clipped to the image, used without padding)
    and ``'mAP'`` evaluation with the ATRW OKS sigmas: rescoring, OKS-NMS
    and COCOeval on ``${res_folder}/result_keypoints.json``.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'atrw'
    GT_BBOX_ONLY = True
    ALLOWED_METRICS = ('mAP', )
    DEFAULT_METRIC = 'mAP'
    BBOX_PADDING = 1.0
