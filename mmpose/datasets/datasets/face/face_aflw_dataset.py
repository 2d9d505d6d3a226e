"""AFLW face landmark dataset (19 points)."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class FaceAFLWDataset(TopDownLandmarkDataset):
    """AFLW dataset for top-down face keypoint localization.

    `Annotated Facial Landmarks in the Wild: A Large-scale, Real-world
    Database for Facial Landmark Localization', ICCVW'2011.

    19 landmarks. Instances use the annotated ``center`` and ``scale``
    (times 1.25) when present, otherwise the 1.25-padded box. ``'NME'`` is
    normalised by each annotation's ``box_size`` (the AFLW "full" protocol),
    which every annotation must carry.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'aflw'
    ALLOWED_METRICS = ('NME', )
    DEFAULT_METRIC = 'NME'
    USE_ANNOTATED_CENTER_SCALE = True

    def _extra_record_fields(self, obj: dict, img_info: dict) -> dict:
        """``box_size``: the NME normaliser of this face."""
        return {'box_size': float(self._require_field(obj, 'box_size'))}
