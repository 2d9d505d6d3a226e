"""Top-down 2D human keypoint datasets."""
from .topdown_aic_dataset import TopDownAicDataset
from .topdown_coco_dataset import TopDownCocoDataset
from .topdown_coco_wholebody_dataset import TopDownCocoWholeBodyDataset
from .topdown_crowdpose_dataset import TopDownCrowdPoseDataset
from .topdown_h36m_dataset import TopDownH36MDataset
from .topdown_halpe_dataset import TopDownHalpeDataset
from .topdown_jhmdb_dataset import TopDownJhmdbDataset
from .topdown_mhp_dataset import TopDownMhpDataset
from .topdown_mpii_dataset import TopDownMpiiDataset
from .topdown_mpii_trb_dataset import TopDownMpiiTrbDataset
from .topdown_ochuman_dataset import TopDownOCHumanDataset
from .topdown_posetrack18_dataset import TopDownPoseTrack18Dataset
from .topdown_posetrack18_video_dataset import TopDownPoseTrack18VideoDataset

__all__ = [
    'TopDownAicDataset', 'TopDownCocoDataset', 'TopDownCocoWholeBodyDataset',
    'TopDownCrowdPoseDataset', 'TopDownJhmdbDataset', 'TopDownMhpDataset',
    'TopDownMpiiDataset', 'TopDownMpiiTrbDataset', 'TopDownOCHumanDataset',
    'TopDownPoseTrack18Dataset', 'TopDownH36MDataset', 'TopDownHalpeDataset',
    'TopDownPoseTrack18VideoDataset'
]
