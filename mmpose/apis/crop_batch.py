"""The top-down test pipeline run for all person boxes of an image together.

The steps that cut each crop (``TopDownAffine`` and what comes before it)
run box by box, as OpenCV warps one image at a time; when the pipeline ends
with ``ToTensor`` (optionally ``NormalizeTensor``) and ``Collect``, as every
0.x top-down config does, the conversion to float and the normalisation run
once on the stacked uint8 crops. The values are the same as box by box:
the same float32 operations on the same pixels.
"""
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch

from mmpose.datasets.pipelines import Compose
from mmpose.datasets.pipelines.shared_transform import (Collect,
                                                        NormalizeTensor,
                                                        ToTensor)

__all__ = ['run_test_pipeline']


def _split_tensor_tail(pipeline: Compose) -> Optional[Tuple[Compose, list]]:
    """``(per-box head, [ToTensor, (NormalizeTensor,) Collect])`` of a
    pipeline ending with those steps, else None."""
    steps = list(pipeline.transforms)
    if len(steps) < 2 or type(steps[-1]) is not Collect:
        return None
    start = len(steps) - 2
    if type(steps[start]) is NormalizeTensor:
        start -= 1
    if start < 0 or type(steps[start]) is not ToTensor:
        return None
    return Compose(steps[:start]), steps[start:]


def _apply(pipeline: Compose, sample: dict) -> dict:
    out = pipeline(sample)
    if out is None:
        raise RuntimeError('the test pipeline dropped the box '
                           f'{np.asarray(sample["bbox"]).tolist()}')
    return out


def _stacked(outputs: List[dict]) -> Tuple[torch.Tensor, List[dict]]:
    return (torch.stack([o['img'] for o in outputs]),
            [o['img_metas'].data for o in outputs])


def run_test_pipeline(pipeline: Compose,
                      samples: Sequence[dict]) -> Tuple[torch.Tensor,
                                                        List[dict]]:
    """Crops and metas of the person ``samples`` of one image.

    Args:
        pipeline (Compose): The test transforms after image loading.
        samples (Sequence[dict]): One result dict per box (image, box,
            center, scale, ...).

    Returns:
        tuple: the network input (Tensor[N, C, H, W], float32) and the
        ``img_metas`` dicts, one per box.
    """
    split = _split_tensor_tail(pipeline)
    if split is None:
        return _stacked([_apply(pipeline, dict(s)) for s in samples])
    head, tail = split
    cut = [_apply(head, dict(s)) for s in samples]
    crops = [c['img'] for c in cut]
    if not all(isinstance(c, np.ndarray) and c.dtype == np.uint8
               and c.ndim == 3 for c in crops):
        tail = Compose(tail)
        return _stacked([_apply(tail, c) for c in cut])
    # uint8 [N, H, W, C] -> float32 [N, C, H, W] in [0, 1], as ToTensor
    batch = torch.from_numpy(np.stack(crops)).permute(0, 3, 1,
                                                      2).float().div_(255.0)
    if type(tail[1]) is NormalizeTensor:
        batch = tail[1].normalize(batch)
    collect = tail[-1]
    metas = [
        collect({**c, 'img': img})['img_metas'].data
        for c, img in zip(cut, batch)
    ]
    return batch, metas
