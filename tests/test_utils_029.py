"""Small 0.29 helpers: split_ae_outputs, resize, torch_meshgrid_ij,
sync_random_seed and the module-wrapper / hook registries at their paths."""
import warnings

import numpy as np
import pytest
import torch

from mmpose.core.evaluation import split_ae_outputs
from mmpose.core.utils import sync_random_seed
from mmpose.models.utils import resize, torch_meshgrid_ij


def test_split_ae_outputs_takes_heatmaps_then_tags_of_selected_stages():
    # stage 0: 2 heatmaps + 2 tags; stage 1: heatmaps only; stage 2 skipped
    stage0 = torch.arange(4.).reshape(1, 4, 1, 1)
    stage1 = torch.tensor([10., 11.]).reshape(1, 2, 1, 1)
    stage2 = torch.zeros(1, 2, 1, 1)
    heatmaps, tags = split_ae_outputs([stage0, stage1, stage2], 2,
                                      [True, True, True], [True, False, True],
                                      [0, 1])
    assert [h.flatten().tolist() for h in heatmaps] == [[0., 1.], [10., 11.]]
    assert [t.flatten().tolist() for t in tags] == [[2., 3.]]
    # a stage without heatmaps has its tags from channel 0
    _, tags = split_ae_outputs([stage0], 2, [False], [True], [0])
    assert tags[0].flatten().tolist() == [0., 1., 2., 3.]


def test_resize_is_interpolate_and_warns_on_misaligned_corners():
    x = torch.tensor([[[[0., 1.], [2., 3.]]]])
    # 2 -> 3 with aligned corners: the middle is the mean of the ends
    out = resize(x, size=(3, 3), mode='bilinear', align_corners=True)
    assert out[0, 0, 1, 1] == pytest.approx(1.5)
    x3 = torch.zeros(1, 1, 3, 3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        # 3 -> 4: (4 - 1) is not a multiple of (3 - 1); 3 -> 5 aligns
        resize(x3, size=(4, 4), mode='bilinear', align_corners=True)
        resize(x3, size=(5, 5), mode='bilinear', align_corners=True)
    assert len(caught) == 1 and 'align_corners' in str(caught[0].message)


def test_torch_meshgrid_ij_indexes_rows_by_the_first_tensor():
    rows, cols = torch_meshgrid_ij(torch.tensor([0, 1]),
                                   torch.tensor([5, 6, 7]))
    assert rows.tolist() == [[0, 0, 0], [1, 1, 1]]
    assert cols.tolist() == [[5, 6, 7], [5, 6, 7]]


def test_sync_random_seed_without_a_process_group():
    assert sync_random_seed(123, device='cpu') == 123
    np.random.seed(0)
    drawn = sync_random_seed(device='cpu')
    np.random.seed(0)
    assert drawn == np.random.randint(2**31)


def test_registries_at_their_0_29_paths():
    from mmcv.parallel import MODULE_WRAPPERS
    from mmcv.runner import HOOKS

    from mmpose.core.distributed_wrapper import MMCV_MODULE_WRAPPERS
    from mmpose.core.utils import model_util_hooks
    assert MMCV_MODULE_WRAPPERS is MODULE_WRAPPERS
    assert 'MMPoseDistributedDataParallel' in MMCV_MODULE_WRAPPERS.module_dict
    assert model_util_hooks.HOOKS is HOOKS
    assert HOOKS.get('ModelSetEpochHook') is model_util_hooks.ModelSetEpochHook
