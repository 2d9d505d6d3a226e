"""GlobalAveragePooling neck."""
import pytest
import torch

from mmpose.models import build_neck


def test_gap_tensor_input():
    neck = build_neck(dict(type='GlobalAveragePooling'))
    x = torch.arange(16, dtype=torch.float32).reshape(1, 2, 2, 4)
    out = neck(x)
    assert out.shape == (1, 2)
    assert out.tolist() == [[3.5, 11.5]]


def test_gap_tuple_input():
    neck = build_neck(dict(type='GlobalAveragePooling'))
    outs = neck((torch.ones(2, 3, 4, 4), torch.full((2, 5, 2, 2), 2.)))
    assert isinstance(outs, tuple)
    assert [o.shape for o in outs] == [(2, 3), (2, 5)]
    assert outs[1].eq(2.).all()


def test_gap_rejects_other_inputs():
    neck = build_neck(dict(type='GlobalAveragePooling'))
    neck.init_weights()
    assert len(neck.state_dict()) == 0
    with pytest.raises(TypeError, match='a tuple or a list of them'):
        neck(1)
