"""CMU Panoptic hand keypoint dataset."""
from ...builder import DATASETS
from ..base import TopDownLandmarkDataset


@DATASETS.register_module()
class PanopticDataset(TopDownLandmarkDataset):
    """Panoptic dataset for top-down hand pose estimation.

    `Hand Keypoint Detection in Single Images using Multiview
    Bootstrapping', CVPR'2017.

    21 keypoints in the OneHand10K order. The box is the tightest box around
    the keypoints; the paper crops 2.2 times it, MMPose uses 1.76
    (2.2 * 0.8), no flip pairs. ``'PCKh'`` counts a keypoint as correct
    within 0.7 times the annotation's ``head_size``; ``'AUC'`` (30 pixels)
    and ``'EPE'`` as for the other hand datasets.

    Args:
        ann_file (str): Path to the annotation file.
        img_prefix (str): Path to a directory where images are held.
        data_cfg (dict): config.
        pipeline (list[dict | callable]): A sequence of data transforms.
        test_mode (bool): Store True when building test or validation
            dataset. Default: False.
    """

    DATASET_INFO = 'panoptic_hand2d'
    #: The 0.14 name (the table's is 'panoptic_hand2d').
    DATASET_NAME = 'panoptic'
    BBOX_PADDING = 1.76
    ALLOWED_METRICS = ('PCKh', 'AUC', 'EPE')
    DEFAULT_METRIC = 'PCKh'

    def _extra_record_fields(self, obj: dict, img_info: dict) -> dict:
        """``head_size``: the PCKh normaliser of this hand."""
        return {'head_size': float(self._require_field(obj, 'head_size'))}
