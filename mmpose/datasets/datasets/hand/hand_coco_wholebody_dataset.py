"""COCO-WholeBody hand keypoint dataset (21 points)."""
from ...builder import DATASETS
from ..base.dialect_bases import V029ConstructorOrder
from ..base.wholebody_part_dataset import WholeBodyPartDataset


@DATASETS.register_module()
class HandCocoWholeBodyDataset(V029ConstructorOrder, WholeBodyPartDataset):
    """COCO-WholeBody hands for top-down hand pose estimation.

    `Whole-Body Human Pose Estimation in the Wild', ECCV'2020.

    Up to two instances per person, left then right hand, each where
    ``<side>hand_valid`` holds and ``<side>hand_kpts`` has a labelled point
    (21 points: 0 wrist, 1-4 thumb, 5-8 forefinger, 9-12 middle finger,
    13-16 ring finger, 17-20 pinky), its box ``<side>hand_box`` padded by
    1.25. Metrics: ``'PCK'`` (0.2 of the longer box side), ``'AUC'`` (30
    pixels), ``'EPE'``.

    Args:
        ann_file (str): Path to the COCO-WholeBody annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        dataset_info (dict | None): 0.29 ``dataset_info`` table; None uses
            ``coco_wholebody_hand``.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'coco_wholebody_hand'
    PARTS = ('lefthand', 'righthand')
    ALLOWED_METRICS = ('PCK', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCK'
