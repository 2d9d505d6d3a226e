"""Helpers shared by several test modules: sample data paths, free ports,
a synthetic COCO data set and a synthetic SMPL model."""
import importlib.util
import os.path as osp
import pickle
import socket
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / 'data'
TINY_CONFIGS = DATA / 'tiny_configs'
MEAN_PARAMS = DATA / 'smpl' / 'smpl_mean_params.npz'
SMPL_PARENTS = [
    -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19,
    20, 21
]


def data_file(relative: str) -> Path:
    """``tests/data/<relative>``; a missing sample fails naming the file."""
    path = DATA / relative
    assert path.exists(), f'test data {path} is missing'
    return path


def write_tiny_coco(out_dir: str) -> str:
    """Write the synthetic COCO set of ``tiny_configs/synthetic_coco.py``
    (2 images, 4 people) into ``out_dir``; returns the annotation file."""
    spec = importlib.util.spec_from_file_location(
        'synthetic_coco', TINY_CONFIGS / 'synthetic_coco.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_tiny_coco(str(out_dir))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def write_synthetic_smpl(folder, num_vertices=6890, num_faces=1,
                         num_regressed=24, seed=0):
    """Write ``SMPL_NEUTRAL.pkl`` (SMPL file layout, random content) and a
    joints regressor ``.npy`` into ``folder``; return both paths.

    6890 vertices keep the SMPL topology the ``smplx`` extra joints index
    into; the content is random but well formed (normalised regressors and
    skinning weights).
    """
    rng = np.random.default_rng(seed)
    folder = str(folder)
    j_regressor = rng.random((24, num_vertices))
    weights = rng.random((num_vertices, 24))
    data = dict(
        v_template=rng.normal(size=(num_vertices, 3)),
        shapedirs=0.01 * rng.normal(size=(num_vertices, 3, 10)),
        posedirs=0.001 * rng.normal(size=(num_vertices, 3, 207)),
        J_regressor=j_regressor / j_regressor.sum(1, keepdims=True),
        weights=weights / weights.sum(1, keepdims=True),
        kintree_table=np.stack([
            np.array(SMPL_PARENTS, dtype=np.int64) % (2**32),
            np.arange(24)
        ]),
        f=rng.integers(0, num_vertices, size=(num_faces, 3)),
    )
    with open(osp.join(folder, 'SMPL_NEUTRAL.pkl'), 'wb') as f:
        pickle.dump(data, f)
    regressor = rng.random((num_regressed, num_vertices))
    regressor_path = osp.join(folder, 'joints_regressor.npy')
    np.save(regressor_path, regressor / regressor.sum(1, keepdims=True))
    return folder, regressor_path
