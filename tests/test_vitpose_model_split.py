"""tools/model_split.py (the ViTPose fork's tool): a ViTPose+ checkpoint
becomes one plain ViTPose checkpoint per data set, which loads strictly into
the data set's config and computes what the MoE model computes for that
data set index."""
import copy
import os

import pytest
import torch

from mmpose.errors import ArgumentError
from mmpose.models import build_posenet
from mmpose.utils.checkpoint import load_checkpoint
from .reference import vitpose_case
from .test_tools_029 import load_tool

split = load_tool('model_split.py')


@pytest.fixture(scope='module')
def moe_case():
    """The fork's ViTPose+ tiny case: 3 experts (part_features 16), heads
    of 5 (keypoint_head), 7 and 3 heatmaps (associate heads)."""
    return vitpose_case('vitmoe_tiny')


def plain_config(moe_cfg: dict, dataset_idx: int) -> dict:
    """The per-dataset TopDown/ViT config matching a TopDownMoE config."""
    cfg = copy.deepcopy(moe_cfg)
    heads = [cfg['keypoint_head'], *cfg.pop('associate_keypoint_head')]
    cfg.update(type='TopDown', keypoint_head=heads[dataset_idx])
    cfg['backbone'].update(type='ViT')
    del cfg['backbone']['num_expert'], cfg['backbone']['part_features']
    return cfg


@pytest.fixture(scope='module')
def split_files(moe_case, tmp_path_factory):
    folder = tmp_path_factory.mktemp('split')
    source = folder / 'vitpose+_tiny.pth'
    torch.save({'state_dict': moe_case['state_dict'],
                'meta': dict(epoch=3)}, source)
    split.main(['--source', str(source), '--target', str(folder / 'out')])
    return folder / 'out'


def test_one_file_per_expert_named_as_the_fork_names_them(split_files):
    assert sorted(os.listdir(split_files)) == ['aic.pth', 'coco.pth',
                                               'mpii.pth']


@pytest.mark.parametrize('dataset_idx,name', [(0, 'coco'), (1, 'aic'),
                                              (2, 'mpii')])
def test_each_part_loads_strictly_and_computes_the_moe_output(
        moe_case, split_files, dataset_idx, name):
    moe = build_posenet(copy.deepcopy(moe_case['cfg']))
    moe.load_state_dict(moe_case['state_dict'], strict=True)
    plain = build_posenet(plain_config(moe_case['cfg'], dataset_idx))
    checkpoint = load_checkpoint(plain, str(split_files / f'{name}.pth'),
                                 strict=True)
    assert checkpoint['meta'] == dict(epoch=3)
    moe.eval()
    plain.eval()
    img = moe_case['img']
    with torch.no_grad():
        features = moe.backbone(img, torch.full((len(img), ), dataset_idx))
        head = (moe.keypoint_head if dataset_idx == 0 else
                moe.associate_keypoint_heads[dataset_idx - 1])
        expected = head(features)
        actual = plain.keypoint_head(plain.backbone(img))
    assert actual.shape == expected.shape
    torch.testing.assert_close(actual, expected, rtol=1e-5, atol=1e-5)


def test_target_defaults_to_the_source_folder(moe_case, tmp_path):
    source = tmp_path / 'ckpt.pth'
    torch.save({'state_dict': moe_case['state_dict']}, source)
    split.main(['--source', str(source)])
    assert {'coco.pth', 'aic.pth', 'mpii.pth'} <= set(os.listdir(tmp_path))


def test_fc2_is_the_shared_rows_then_the_experts_rows():
    shared = torch.arange(6.).reshape(3, 2)
    experts = [torch.full((1, 2), 10. + d) for d in range(2)]
    state = {
        'backbone.blocks.0.mlp.fc2.weight': shared,
        'backbone.blocks.0.mlp.fc2.bias': torch.zeros(3),
        'keypoint_head.final_layer.bias': torch.zeros(2),
        'associate_keypoint_heads.0.final_layer.bias': torch.ones(4),
    }
    for d, rows in enumerate(experts):
        state[f'backbone.blocks.0.mlp.experts.{d}.weight'] = rows
        state[f'backbone.blocks.0.mlp.experts.{d}.bias'] = torch.full(
            (1, ), float(d))
    part = split.dataset_state(state, 1)
    assert list(part) == ['backbone.blocks.0.mlp.fc2.weight',
                          'backbone.blocks.0.mlp.fc2.bias',
                          'keypoint_head.final_layer.bias']
    torch.testing.assert_close(
        part['backbone.blocks.0.mlp.fc2.weight'],
        torch.tensor([[0., 1.], [2., 3.], [4., 5.], [11., 11.]]))
    torch.testing.assert_close(part['backbone.blocks.0.mlp.fc2.bias'],
                               torch.tensor([0., 0., 0., 1.]))
    torch.testing.assert_close(part['keypoint_head.final_layer.bias'],
                               torch.ones(4))
    # as the fork, a head with more heatmaps than the data set has
    # keypoints keeps the first ones
    assert split.dataset_state(state, 1, num_keypoints=3)[
        'keypoint_head.final_layer.bias'].shape == (3, )


def test_a_plain_vit_checkpoint_is_refused(moe_case):
    plain = build_posenet(plain_config(moe_case['cfg'], 0))
    with pytest.raises(ArgumentError, match='not a ViTPose\\+ checkpoint'):
        dict(split.split_checkpoint({'state_dict': plain.state_dict()}))


def test_a_missing_head_is_named(moe_case):
    state = {k: v for k, v in moe_case['state_dict'].items()
             if not k.startswith('associate_keypoint_heads.1.')}
    with pytest.raises(ArgumentError, match='data set 2'):
        dict(split.split_checkpoint({'state_dict': state}))
