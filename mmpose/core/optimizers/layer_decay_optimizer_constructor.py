"""Optimizer constructors that decay the learning rate layer by layer
through the backbone (BEiT/MAE-style fine-tuning), as in MMPose 0.29.

Every parameter gets a layer id ``i`` in ``[0, L - 1]`` (``L =
paramwise_cfg['num_layers'] + 2``; embeddings first, the head last) and the
learning rate ``base_lr * decay_rate ** (L - 1 - i)``. Parameters that are
1-D or named ``*.bias`` get no weight decay. How names map to layer ids
depends on the backbone class (table :data:`LAYER_ID_RULES`).

Use in a config::

    optimizer = dict(
        type='AdamW', lr=5e-4, weight_decay=0.1,
        constructor='LearningRateDecayOptimizerConstructor',
        paramwise_cfg=dict(num_layers=12, decay_rate=0.75,
                           decay_type='layer_wise'))
"""
import warnings
from typing import Callable, Dict, List, Tuple

from mmcv.runner import DefaultOptimizerConstructor, get_dist_info
from torch import nn

from mmpose.errors import ArgumentError, UnknownNameError, UnsupportedError
from mmpose.utils import get_root_logger
from .builder import OPTIMIZER_BUILDERS

__all__ = [
    'LearningRateDecayOptimizerConstructor', 'LayerDecayOptimizerConstructor',
    'get_layer_id_for_convnext', 'get_stage_id_for_convnext',
    'get_layer_id_for_vit'
]

#: Names that belong to the embedding (layer 0) in every rule.
EMBEDDING_NAMES = ('backbone.cls_token', 'backbone.mask_token',
                   'backbone.pos_embed')


def _index(var_name: str, position: int) -> int:
    return int(var_name.split('.')[position])


def get_layer_id_for_convnext(var_name: str, max_layer_id: int) -> int:
    """Layer id of a ConvNeXt parameter for ``layer_wise`` decay: stem 0,
    stage 0 -> 1, stage 1 -> 2, stage 2 -> ``3 + block // 3``, stage 3 and
    the last downsampling -> ``max_layer_id``, non-backbone ->
    ``max_layer_id + 1``."""
    if var_name in EMBEDDING_NAMES:
        return 0
    if var_name.startswith('backbone.downsample_layers'):
        return (0, 2, 3, max_layer_id)[_index(var_name, 2)]
    if var_name.startswith('backbone.stages'):
        stage, block = _index(var_name, 2), _index(var_name, 3)
        return (1, 2, 3 + block // 3, max_layer_id)[stage]
    return max_layer_id + 1


def get_stage_id_for_convnext(var_name: str, max_stage_id: int) -> int:
    """Layer id of a ConvNeXt parameter for ``stage_wise`` decay: stem and
    downsamplings 0, stage ``s`` -> ``s + 1``, non-backbone ->
    ``max_stage_id - 1``."""
    if var_name in EMBEDDING_NAMES or var_name.startswith(
            'backbone.downsample_layers'):
        return 0
    if var_name.startswith('backbone.stages'):
        return _index(var_name, 2) + 1
    return max_stage_id - 1


def get_layer_id_for_vit(var_name: str, max_layer_id: int) -> int:
    """Layer id of a ViT-like parameter: embeddings 0, ``backbone.layers.i``
    -> ``i + 1``, everything else ``max_layer_id - 1``."""
    if var_name in EMBEDDING_NAMES or var_name.startswith(
            'backbone.patch_embed'):
        return 0
    if var_name.startswith('backbone.layers'):
        return _index(var_name, 2) + 1
    return max_layer_id - 1


#: decay type -> ((backbone class-name fragments, layer-id function, uses
#: ``num_layers + 2`` rather than ``num_layers``), ...), tried in order.
LAYER_ID_RULES: Dict[str, Tuple[Tuple[Tuple[str, ...], Callable, bool],
                                ...]] = {
    'layer_wise': (
        (('ConvNeXt', ), get_layer_id_for_convnext, False),
        (('BEiT', 'MAE', 'VisionTransformer'), get_layer_id_for_vit, True),
    ),
    'stage_wise': ((('ConvNeXt', ), get_stage_id_for_convnext, True), ),
}


@OPTIMIZER_BUILDERS.register_module()
class LearningRateDecayOptimizerConstructor(DefaultOptimizerConstructor):
    """Optimizer constructor with a learning rate decaying from the head
    down through the backbone's layers (ConvNeXt, BEiT, MAE and
    ViT-like backbones).

    ``paramwise_cfg`` keys: ``num_layers`` (int, backbone layers),
    ``decay_rate`` (float) and ``decay_type`` ('layer_wise', default, or
    'stage_wise'; any type containing 'layer_wise' is layer-wise).

    Each parameter group holds ``params``, ``param_names``, ``lr``,
    ``lr_scale``, ``weight_decay`` and ``group_name``
    (``layer_{id}_decay`` or ``layer_{id}_no_decay``).
    """

    def _layer_id_function(self, backbone: nn.Module,
                           decay_type: str) -> Callable[[str], int]:
        kind = 'layer_wise' if 'layer_wise' in decay_type else decay_type
        if kind not in LAYER_ID_RULES:
            raise UnknownNameError(
                f'{type(self).__name__}: decay_type must be "layer_wise" or '
                f'"stage_wise", got {decay_type!r}')
        name = type(backbone).__name__
        num_layers = self.paramwise_cfg['num_layers']
        for fragments, layer_id, plus_two in LAYER_ID_RULES[kind]:
            if any(fragment in name for fragment in fragments):
                limit = num_layers + 2 if plus_two else num_layers
                return lambda var_name: layer_id(var_name, limit)
        raise UnsupportedError(
            f'{type(self).__name__}: {kind} decay is not defined for the '
            f'backbone {name}')

    def add_params(self, params: List[dict], module: nn.Module,
                   **kwargs) -> None:
        """Append one parameter group per (layer id, decay or not) of
        ``module`` (a model with a ``backbone``) to ``params``."""
        for key in ('num_layers', 'decay_rate'):
            if key not in self.paramwise_cfg:
                raise UnknownNameError(
                    f'{type(self).__name__}: paramwise_cfg needs {key!r}, '
                    f'got {self.paramwise_cfg}')
        backbone = getattr(module, 'backbone', None)
        if backbone is None:
            raise ArgumentError(f'{type(self).__name__}: the model '
                                f'{type(module).__name__} has no backbone')
        num_layers = self.paramwise_cfg['num_layers'] + 2
        decay_rate = self.paramwise_cfg['decay_rate']
        layer_id_of = self._layer_id_function(
            backbone, self.paramwise_cfg.get('decay_type', 'layer_wise'))
        groups: Dict[str, dict] = {}
        for name, param in module.named_parameters():
            if not param.requires_grad:
                continue
            no_decay = (param.dim() == 1 or name.endswith('.bias')
                        or name in ('pos_embed', 'cls_token'))
            layer_id = layer_id_of(name)
            group_name = (f'layer_{layer_id}_'
                          f'{"no_decay" if no_decay else "decay"}')
            if group_name not in groups:
                scale = decay_rate**(num_layers - layer_id - 1)
                groups[group_name] = dict(
                    weight_decay=0. if no_decay else self.base_wd,
                    params=[],
                    param_names=[],
                    lr_scale=scale,
                    group_name=group_name,
                    lr=scale * self.base_lr)
            groups[group_name]['params'].append(param)
            groups[group_name]['param_names'].append(name)
        if get_dist_info()[0] == 0:
            get_root_logger().info('Layer-wise learning rates: ' + ', '.join(
                f'{name} lr={group["lr"]:.3g} ({len(group["params"])} '
                'params)' for name, group in groups.items()))
        params.extend(groups.values())


@OPTIMIZER_BUILDERS.register_module()
class LayerDecayOptimizerConstructor(LearningRateDecayOptimizerConstructor):
    """Deprecated BEiT form of :class:`LearningRateDecayOptimizerConstructor`:
    ``paramwise_cfg`` gives ``layer_decay_rate`` (read as ``decay_rate``)
    and the decay is layer-wise."""

    def __init__(self, optimizer_cfg: dict, paramwise_cfg: dict) -> None:
        warnings.warn(
            'LayerDecayOptimizerConstructor is deprecated: use '
            'LearningRateDecayOptimizerConstructor with decay_rate and '
            'decay_type="layer_wise_vit" in paramwise_cfg', DeprecationWarning)
        if 'layer_decay_rate' not in paramwise_cfg:
            raise UnknownNameError('LayerDecayOptimizerConstructor: '
                                'paramwise_cfg needs "layer_decay_rate", got '
                                f'{paramwise_cfg}')
        paramwise_cfg = dict(paramwise_cfg, decay_type='layer_wise_vit')
        paramwise_cfg['decay_rate'] = paramwise_cfg.pop('layer_decay_rate')
        super().__init__(optimizer_cfg, paramwise_cfg)
