from .bottom_up_transform import (BottomUpGenerateHeatmapTarget,
                                  BottomUpGeneratePAFTarget,
                                  BottomUpGenerateTarget, BottomUpGetImgSize,
                                  BottomUpRandomAffine, BottomUpRandomFlip,
                                  BottomUpResizeAlign, HeatmapGenerator,
                                  JointsEncoder, PAFGenerator)
from .bottom_up_cid_transform import CIDGenerateTarget
from .bottom_up_offset_transform import (BottomUpGenerateOffsetTarget,
                                         GetKeypointCenterArea)
from .gesture_transform import (CenterSpatialCrop, CropValidClip,
                                GestureRandomFlip, ModalWiseChannelProcess,
                                MultiFrameBBoxMerge, MultiModalVideoToTensor,
                                RandomAlignedSpatialCrop, ResizedCropByBBox,
                                ResizeGivenShortEdge, TemporalPooling,
                                VideoColorJitter, VideoNormalizeTensor)
from .hand_transform import HandGenerateRelDepthTarget, HandRandomFlip
from .loading import LoadImageFromFile
from .mesh_transform import (IUVToTensor, LoadIUVFromFile, MeshAffine,
                             MeshGetRandomScaleRotation,
                             MeshRandomChannelNoise, MeshRandomFlip)
from .multiview_transform import (AffineJoints, DiscardDuplicatedItems,
                                  GenerateInputHeatmaps,
                                  GenerateVoxel3DHeatmapTarget,
                                  MultiItemProcess)
from .pose3d_transform import (CameraProjection, CollectCameraIntrinsics,
                               Generate3DHeatmapTarget,
                               GetRootCenteredPose,
                               ImageCoordinateNormalization,
                               NormalizeJointCoordinate, PoseSequenceToTensor,
                               RelativeJointRandomFlip)
from .shared_transform import (Albumentation, Collect, Compose,
                               MultitaskGatherTarget, NormalizeTensor,
                               PhotometricDistortion, RenameKeys, ToTensor)
from .top_down_transform import (TopDownAffine, TopDownGenerateTarget,
                                 TopDownGenerateTargetRegression,
                                 TopDownGetBboxCenterScale,
                                 TopDownGetRandomScaleRotation,
                                 TopDownHalfBodyTransform, TopDownRandomFlip,
                                 TopDownRandomShiftBboxCenter,
                                 TopDownRandomTranslation)
from .video_loading import LoadVideoFromFile

__all__ = [
    'Compose', 'LoadImageFromFile', 'ToTensor', 'NormalizeTensor', 'Collect',
    'PhotometricDistortion', 'RenameKeys', 'MultitaskGatherTarget',
    'Albumentation', 'TopDownRandomFlip', 'TopDownHalfBodyTransform',
    'TopDownGetRandomScaleRotation', 'TopDownRandomTranslation',
    'TopDownAffine', 'TopDownGenerateTarget',
    'TopDownGenerateTargetRegression', 'HandRandomFlip',
    'HandGenerateRelDepthTarget', 'BottomUpRandomAffine',
    'BottomUpRandomFlip', 'BottomUpGenerateTarget',
    'BottomUpGenerateHeatmapTarget', 'BottomUpGeneratePAFTarget',
    'BottomUpGetImgSize', 'BottomUpResizeAlign', 'HeatmapGenerator',
    'JointsEncoder', 'PAFGenerator', 'LoadIUVFromFile', 'IUVToTensor',
    'MeshAffine', 'MeshGetRandomScaleRotation', 'MeshRandomChannelNoise',
    'MeshRandomFlip', 'CameraProjection', 'Generate3DHeatmapTarget',
    'GetRootCenteredPose', 'NormalizeJointCoordinate', 'PoseSequenceToTensor',
    'RelativeJointRandomFlip', 'TopDownGetBboxCenterScale',
    'TopDownRandomShiftBboxCenter', 'ImageCoordinateNormalization',
    'CollectCameraIntrinsics',
    'GetKeypointCenterArea', 'BottomUpGenerateOffsetTarget',
    'CIDGenerateTarget',
    'CropValidClip', 'TemporalPooling', 'ResizeGivenShortEdge',
    'MultiFrameBBoxMerge', 'ResizedCropByBBox', 'GestureRandomFlip',
    'VideoColorJitter', 'RandomAlignedSpatialCrop', 'CenterSpatialCrop',
    'ModalWiseChannelProcess', 'MultiModalVideoToTensor',
    'VideoNormalizeTensor', 'LoadVideoFromFile',
    'MultiItemProcess', 'DiscardDuplicatedItems', 'AffineJoints',
    'GenerateInputHeatmaps', 'GenerateVoxel3DHeatmapTarget'
]
