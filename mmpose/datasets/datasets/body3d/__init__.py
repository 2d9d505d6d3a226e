"""3D human pose datasets (2D-to-3D lifting; multi-view direct)."""
import importlib

from .body3d_base_dataset import Body3DBaseDataset
from .body3d_h36m_dataset import Body3DH36MDataset
from .body3d_mpi_inf_3dhp_dataset import Body3DMpiInf3dhpDataset
from .body3d_semi_supervision_dataset import Body3DSemiSupervisionDataset

# The multi-view datasets subclass a base of ``..base``, which imports this
# package while it initialises; they load on first access instead (the
# package's ``from .body3d import *`` does it, registering them).
_LAZY = {
    'Body3DMviewDirectPanopticDataset': 'body3d_mview_direct_panoptic_dataset',
    'Body3DMviewDirectShelfDataset': 'body3d_mview_direct_shelf_dataset',
    'Body3DMviewDirectCampusDataset': 'body3d_mview_direct_campus_dataset',
}


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f'.{_LAZY[name]}', __name__)
        return getattr(module, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


__all__ = [
    'Body3DBaseDataset', 'Body3DH36MDataset', 'Body3DMpiInf3dhpDataset',
    'Body3DSemiSupervisionDataset', *_LAZY
]
