"""Optimizer constructors that decay the learning rate layer by layer
through the backbone (BEiT/MAE-style fine-tuning), as in MMPose 0.29 and
as in the ViTPose fork.

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

Two dialects share the name ``LayerDecayOptimizerConstructor``
(``paramwise_cfg=dict(num_layers, layer_decay_rate, ...)`` in both); which
one a model gets is decided by :func:`uses_vitpose_grouping`, from its
backbone class:

- the ViTPose fork's ``ViT`` / ``ViTMoE`` (or a subclass): the grouping of
  the fork's ``mmcv_custom`` constructor. Block ``backbone.blocks.i`` gets
  id ``i + 1``; 1-D parameters, ``*.bias`` and every name containing
  ``pos_embed`` get no weight decay; ``custom_keys`` is ignored (the fork
  ignores it too); no warning.
- any other backbone: MMPose 0.29, the deprecated BEiT form of
  :class:`LearningRateDecayOptimizerConstructor` (``backbone.layers.i``;
  only parameters named exactly ``pos_embed``/``cls_token`` escape weight
  decay), with a ``DeprecationWarning`` when the groups are made.
"""
import functools
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
    'get_layer_id_for_vit', 'get_layer_id_for_vitpose',
    'uses_vitpose_grouping', 'VITPOSE_BACKBONES'
]

#: Names that belong to the embedding (layer 0) in every rule.
EMBEDDING_NAMES = ('backbone.cls_token', 'backbone.mask_token',
                   'backbone.pos_embed')

#: Backbone classes of the ViTPose fork; ``LayerDecayOptimizerConstructor``
#: groups models on them (or on subclasses) as the fork does.
VITPOSE_BACKBONES = ('ViT', 'ViTMoE')

# (parameter name, parameter) -> True when it gets no weight decay.
NoDecayRule = Callable[[str, nn.Parameter], bool]


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


def _transformer_layer_id(var_name: str, max_layer_id: int,
                          blocks: str) -> int:
    """Embeddings 0, ``<blocks>.i`` -> ``i + 1``, everything else
    ``max_layer_id - 1``."""
    if var_name in EMBEDDING_NAMES or var_name.startswith(
            'backbone.patch_embed'):
        return 0
    if var_name.startswith(blocks + '.'):
        return _index(var_name, 2) + 1
    return max_layer_id - 1


def get_layer_id_for_vit(var_name: str, max_layer_id: int) -> int:
    """Layer id of a ViT-like parameter (MMPose 0.29): embeddings 0,
    ``backbone.layers.i`` -> ``i + 1``, everything else
    ``max_layer_id - 1``."""
    return _transformer_layer_id(var_name, max_layer_id, 'backbone.layers')


def get_layer_id_for_vitpose(var_name: str, max_layer_id: int) -> int:
    """Layer id of a parameter of a ViTPose model (the fork's rule):
    embeddings 0, ``backbone.blocks.i`` -> ``i + 1``, everything else
    (``backbone.last_norm``, the heads) ``max_layer_id - 1``."""
    return _transformer_layer_id(var_name, max_layer_id, 'backbone.blocks')


def _no_decay_029(name: str, param: nn.Parameter) -> bool:
    return param.dim() == 1 or name.endswith('.bias') or name in (
        'pos_embed', 'cls_token')


def _no_decay_vitpose(name: str, param: nn.Parameter) -> bool:
    return param.dim() == 1 or name.endswith('.bias') or 'pos_embed' in name


def uses_vitpose_grouping(backbone: nn.Module) -> bool:
    """Whether ``LayerDecayOptimizerConstructor`` groups a model on
    ``backbone`` as the ViTPose fork does (its class, or a base class, is
    one of :data:`VITPOSE_BACKBONES`) rather than as MMPose 0.29 does.

    0.29's rule cannot serve these backbones (it expects
    ``backbone.layers`` and raises for class names other than ConvNeXt,
    BEiT, MAE and VisionTransformer), so no 0.29 use changes.
    """
    return any(cls.__name__ in VITPOSE_BACKBONES
               for cls in type(backbone).__mro__)


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

    def _backbone(self, module: nn.Module) -> nn.Module:
        """The model's backbone, once ``paramwise_cfg`` is known valid."""
        for key in ('num_layers', 'decay_rate'):
            if key not in self.paramwise_cfg:
                raise UnknownNameError(
                    f'{type(self).__name__}: paramwise_cfg needs {key!r}, '
                    f'got {self.paramwise_cfg}')
        backbone = getattr(module, 'backbone', None)
        if backbone is None:
            raise ArgumentError(f'{type(self).__name__}: the model '
                                f'{type(module).__name__} has no backbone')
        return backbone

    def _add_groups(self, params: List[dict], module: nn.Module,
                    layer_id_of: Callable[[str], int],
                    no_decay: NoDecayRule) -> None:
        """Append one group per (layer id, decay or not) of ``module``'s
        trainable parameters to ``params``, in order of first appearance."""
        num_layers = self.paramwise_cfg['num_layers'] + 2
        decay_rate = self.paramwise_cfg['decay_rate']
        groups: Dict[str, dict] = {}
        for name, param in module.named_parameters():
            if not param.requires_grad:
                continue
            skip_decay = no_decay(name, param)
            layer_id = layer_id_of(name)
            group_name = (f'layer_{layer_id}_'
                          f'{"no_decay" if skip_decay else "decay"}')
            if group_name not in groups:
                scale = decay_rate**(num_layers - layer_id - 1)
                groups[group_name] = dict(
                    weight_decay=0. if skip_decay else self.base_wd,
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

    def add_params(self, params: List[dict], module: nn.Module,
                   **kwargs) -> None:
        """Append one parameter group per (layer id, decay or not) of
        ``module`` (a model with a ``backbone``) to ``params``."""
        backbone = self._backbone(module)
        layer_id_of = self._layer_id_function(
            backbone, self.paramwise_cfg.get('decay_type', 'layer_wise'))
        self._add_groups(params, module, layer_id_of, _no_decay_029)


@OPTIMIZER_BUILDERS.register_module()
class LayerDecayOptimizerConstructor(LearningRateDecayOptimizerConstructor):
    """Layer-wise decay configured by ``paramwise_cfg=dict(num_layers,
    layer_decay_rate)``, in two dialects (see :func:`uses_vitpose_grouping`
    and the module docstring): the ViTPose fork's grouping for its ViT
    backbones, else MMPose 0.29's deprecated BEiT form of
    :class:`LearningRateDecayOptimizerConstructor`, which warns."""

    def __init__(self, optimizer_cfg: dict, paramwise_cfg: dict) -> None:
        if 'layer_decay_rate' not in paramwise_cfg:
            raise UnknownNameError('LayerDecayOptimizerConstructor: '
                                   'paramwise_cfg needs "layer_decay_rate", '
                                   f'got {paramwise_cfg}')
        paramwise_cfg = dict(paramwise_cfg, decay_type='layer_wise_vit')
        paramwise_cfg['decay_rate'] = paramwise_cfg.pop('layer_decay_rate')
        super().__init__(optimizer_cfg, paramwise_cfg)

    def add_params(self, params: List[dict], module: nn.Module,
                   **kwargs) -> None:
        """Append the parameter groups of ``module`` to ``params``: the
        fork's for a ViTPose backbone, 0.29's otherwise."""
        backbone = self._backbone(module)
        if uses_vitpose_grouping(backbone):
            layer_id_of = functools.partial(
                get_layer_id_for_vitpose,
                max_layer_id=self.paramwise_cfg['num_layers'] + 2)
            self._add_groups(params, module, layer_id_of, _no_decay_vitpose)
            return
        warnings.warn(
            'LayerDecayOptimizerConstructor is deprecated: use '
            'LearningRateDecayOptimizerConstructor with decay_rate and '
            'decay_type="layer_wise_vit" in paramwise_cfg', DeprecationWarning)
        super().add_params(params, module, **kwargs)
