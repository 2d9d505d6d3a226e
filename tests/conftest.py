"""Fixtures shared by the test modules (plain helpers: helpers.py)."""
import numpy as np
import pytest

from .helpers import write_tiny_coco


@pytest.fixture(autouse=True)
def _restore_numpy_random_state():
    """Tests that seed NumPy's global generator leave it as they found it,
    so no test depends on which ran before it."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


@pytest.fixture(scope='session')
def tiny_coco(tmp_path_factory):
    """Folder with the synthetic COCO set (``annotations.json``,
    ``images/``): 2 images, 4 people."""
    root = tmp_path_factory.mktemp('tiny_coco')
    write_tiny_coco(str(root))
    return root
