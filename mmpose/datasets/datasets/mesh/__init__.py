"""3D human mesh datasets."""
from .mesh_adv_dataset import MeshAdversarialDataset
from .mesh_base_dataset import MeshBaseDataset
from .mesh_h36m_dataset import MeshH36MDataset
from .mesh_mix_dataset import MeshMixDataset
from .mosh_dataset import MoshDataset

__all__ = [
    'MeshBaseDataset', 'MeshH36MDataset', 'MeshMixDataset', 'MoshDataset',
    'MeshAdversarialDataset'
]
