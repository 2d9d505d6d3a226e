"""COCO-WholeBody face landmark dataset (68 points)."""
from ...builder import DATASETS
from ..base.dialect_bases import V029ConstructorOrder
from ..base.wholebody_part_dataset import WholeBodyPartDataset


@DATASETS.register_module()
class FaceCocoWholeBodyDataset(V029ConstructorOrder, WholeBodyPartDataset):
    """COCO-WholeBody faces for top-down face landmark localization.

    `Whole-Body Human Pose Estimation in the Wild', ECCV'2020.

    One instance per person with ``face_valid`` and a labelled point of
    ``face_kpts`` (68 points, the 300W mark-up), its box ``face_box`` padded
    by 1.25. ``'NME'`` is normalised by the inter-ocular distance (outer eye
    corners 36 and 45).

    Args:
        ann_file (str): Path to the COCO-WholeBody annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        dataset_info (dict | None): 0.29 ``dataset_info`` table; None uses
            ``coco_wholebody_face``.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'coco_wholebody_face'
    PARTS = ('face', )
    ALLOWED_METRICS = ('NME', )
    DEFAULT_METRIC = 'NME'
    NME_NORMALIZE_JOINTS = (36, 45)
