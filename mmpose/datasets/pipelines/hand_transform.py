"""Transforms for 3D hand pose (InterHand2.6M style: hand type and
relative root depth)."""
import numpy as np

from mmpose.errors import ArgumentError

from ..builder import PIPELINES
from .top_down_transform import TopDownRandomFlip


@PIPELINES.register_module()
class HandRandomFlip(TopDownRandomFlip):
    """Random horizontal flip that also swaps the hand type (right, left)
    and negates the relative root depth.

    Required keys: 'img', 'joints_3d', 'joints_3d_visible', 'center',
    'hand_type', 'rel_root_depth' and 'ann_info'. Modifies keys: 'img',
    'joints_3d', 'joints_3d_visible', 'center', 'hand_type',
    'rel_root_depth' and 'flipped'.

    Args:
        flip_prob (float): probability of flipping. Default: 0.5.
    """

    def __call__(self, results: dict) -> dict:
        results = super().__call__(results)
        if results['flipped']:
            hand_type = np.asarray(results['hand_type'])
            if hand_type.shape[-1] != 2:
                raise ArgumentError('hand_type must end with 2 values (right, '
                                    f'left), got shape {hand_type.shape}')
            results['hand_type'] = hand_type[..., ::-1].copy()
            results['rel_root_depth'] = -results['rel_root_depth']
        return results


@PIPELINES.register_module()
class HandGenerateRelDepthTarget:
    """Encode the relative root depth as a target in heatmap-depth bins:
    ``(rel_root_depth / root_depth_bound + 0.5) * heatmap_size_root``.

    The weight is ``rel_root_valid`` and zero outside ``[0, D]``.

    Required keys: 'rel_root_depth', 'rel_root_valid', 'ann_info' (with
    'heatmap_size_root', 'root_depth_bound'). Modifies keys: 'target' and
    'target_weight' (float32 ``[1]``).
    """

    def __call__(self, results: dict) -> dict:
        cfg = results['ann_info']
        D = cfg['heatmap_size_root']
        bound = cfg['root_depth_bound']
        target = (np.asarray(results['rel_root_depth'], np.float32) / bound +
                  0.5) * D
        valid = np.asarray(results['rel_root_valid'], np.float32)
        weight = valid * (target >= 0) * (target <= D)
        results['target'] = np.float32(target) * np.ones(1, np.float32)
        results['target_weight'] = np.float32(weight) * np.ones(1, np.float32)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}()'
