"""OCHuman dataset (COCO layout) for top-down pose estimation."""
from ...builder import DATASETS
from .topdown_coco_dataset import TopDownCocoDataset


@DATASETS.register_module()
class TopDownOCHumanDataset(TopDownCocoDataset):
    """OCHuman dataset for top-down pose estimation.

    `Pose2Seg: Detection Free Human Instance Segmentation' CVPR'2019.

    "Occluded Human (OCHuman)" holds 8110 heavily occluded people in 4731
    images, for validation and testing of COCO-trained models. Keypoints,
    flip pairs, sigmas and evaluation are those of COCO
    (:class:`TopDownCocoDataset`).

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'ochuman'
    GT_BBOX_ONLY = True
