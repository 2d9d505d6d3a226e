"""Everything that differs between the MMPose 0.14 and 0.29 surfaces.

One install serves scripts and configs of both versions in one process.
The implementation of each behaviour exists once; this module holds the
table of renamed types, the class attributes that select a version's
behaviour and the adapters that turn one version's arguments into the
other's. Differences bridged (0.14 -> 0.29):

=================================  ==========================================
0.14                               0.29
=================================  ==========================================
registries ``BACKBONES``,          one ``mmpose.models.builder.MODELS`` (a
``NECKS``, ``HEADS``, ``LOSSES``,  child of mmcv's ``MODELS``); the six names
``POSENETS``, ``MESH_MODELS``      are aliases of it. Here too: a class
                                   registered through any of them is found by
                                   every ``build_*`` (the 0.14 kinds never
                                   shared a name, so one namespace is safe).
``mmpose.models.keypoint_heads``,  ``mmpose.models.heads`` (both importable);
``mmpose.models.mesh_heads``       the old names also at
                                   ``mmpose.deprecated``
``mmpose.core.optimizer``          ``mmpose.core.optimizers`` (adds
                                   ``OPTIMIZER_BUILDERS``,
                                   ``build_optimizer_constructor``)
type names of :data:`RENAMED`      the new names; the old ones still build
                                   the same modules (same state_dict) and
                                   warn once with a ``DeprecationWarning``
loss key of the top-down heatmap   ``'heatmap_loss'`` (:class:`V029Heatmap`)
heads (simple, multi-stage, MSMU):
``'mse_loss'``
``target_type='GaussianHeatMap'``  ``'GaussianHeatmap'``; both spellings are
                                   accepted everywhere (compared without
                                   case), each head keeps its version's
                                   default
``FcHead(in_channels, num_joints,  ``DeepposeRegressionHead(..., loss_keypoint,
loss_keypoint, train_cfg, ...)``   out_sigma=False, train_cfg, ...)``
``TemporalRegressionHead(...,      ``TemporalRegressionHead(..., loss_keypoint,
loss_keypoint, train_cfg, ...)``   is_trajectory=False, train_cfg, ...)``;
                                   the registered type is the 0.29 class
                                   (a keyword superset of 0.14's)
``InvertedResidual`` of            ``(..., kernel_size, groups=None, stride,
``backbones.utils``: ``(...,       ...)``: 0.14's order is kept, ``groups``
kernel_size, stride, ...)``        comes last (0.29 code passes it by name)
``ParametricMesh(smpl=dict(        ``smpl=dict(type='SMPL', ...)``: the
smpl_path, joints_regressor))``:   registered three-gender wrapper
one body model at ``smpl.*``, the  (``smpl.smpl_{neutral,male,female}.*``,
regressor at ``joints_regressor``  ``smpl.joints_regressor``); checkpoints
``forward_test``: a tuple          of either layout load into either
``(preds, boxes, image_paths)``    (:func:`mmpose.models.misc.smpl.
                                   remap_smpl_state`); ``forward_test``
                                   returns 0.29's dict (``keypoints_3d``,
                                   ``smpl_pose``, ..., ``bboxes``)
``evaluation=dict(save_best=True,  ``evaluation=dict(save_best='AP')``: see
key_indicator='AP')``              :func:`eval_hook_args`
``EvalHook(key_indicator=...)``,   0.29 warns (``LegacyEvalHookArgumentWarning``:
a bool ``save_best``,              a ``DeprecationWarning`` as in 0.29, also a
``EvalHook(gpu_collect=...)``      ``UserWarning``); the meaning is kept;
                                   ``EvalHook`` drops ``gpu_collect``
                                   (``DistEvalHook`` keeps it)
registering a name that mmpose     the user's class takes the name with a
already registered: mmcv's         ``UserWarning`` naming both classes, in
``KeyError`` (both versions)       every registry mmpose owns or registers
                                   into (mmcv's ``HOOKS``, ``OPTIMIZERS``,
                                   ``OPTIMIZER_BUILDERS``, ``RUNNERS``,
                                   ``MODULE_WRAPPERS`` too; see
                                   :class:`mmpose.utils.registry.
                                   UserFirstRegistry`); two registrations
                                   by code outside mmpose still raise
``mmpose.models.registry``         ``mmpose.models.builder``; the old module
(``BACKBONES``, ``NECKS``,         gives the same registries and warns
``HEADS``, ``LOSSES``,             (``DeprecationWarning``) when imported;
``POSENETS``)                      nothing in the package imports it (the
                                   same for ``mmpose.datasets.registry``)
``batch_rodrigues``,               also ``mmpose.models.utils.geometry`` (the
``rot6d_to_rotmat``,               same functions)
``quat_to_rotmat`` of
``mesh_heads.geometric_layers``
a head without ``loss_keypoint``   the same (``TypeError``), checked once by
raises ``TypeError``               :func:`mmpose.models.builder.build_head_loss`
``keypoint_3d_auc``: 30            31 thresholds (a perfect prediction gives
thresholds                         30/31 * 100), served to both dialects
``tools/dist_train.sh``,           ``NNODES``, ``NODE_RANK``, ``MASTER_ADDR``,
``dist_test.sh``: one machine,     ``PORT`` from the environment; the
``PORT`` only                      defaults (1, 0, 127.0.0.1, 29500) are
                                   0.14's single-machine run
=================================  ==========================================

The differences of the inference API calls and of the datasets are bridged
in their packages: :mod:`mmpose.apis.dialect` and
:mod:`mmpose.datasets.dialects`.

The ViTPose fork (github ViTAE-Transformer/ViTPose, MMPose 0.24 plus a
plain ViT backbone) is served as a third dialect of the same package:

- ``ViT``, ``ViTMoE`` and ``TopDownMoE`` are registered with the fork's
  arguments and state_dict names; ``ViTMoE`` takes ``ViT``'s arguments,
  then ``num_expert`` and ``part_features``. ``ViT.init_weights(pretrained,
  patch_padding=None, part_features=None)``: None means the model's own
  values (the fork defaulted ``patch_padding`` to ``'pad'`` whatever the
  model had).
- ``TopdownHeatmapSimpleHead(..., upsample=0)`` (also on 0.14's
  ``TopDownSimpleHead``), last, off by default.
- ``data_cfg.max_num_joints`` / ``dataset_idx``: copied into ``ann_info``
  only when a config sets them; ``TopDownGenerateTarget`` then pads the
  targets to ``max_num_joints`` and records ``dataset_idx``. At test time
  a missing ``dataset_idx`` means 0; the inference APIs fill it from
  ``data_cfg``.
- ``LayerDecayOptimizerConstructor``: one name, two groupings, chosen by
  :func:`mmpose.core.optimizers.layer_decay_optimizer_constructor.
  uses_vitpose_grouping`: a ViT/ViTMoE backbone (or a subclass) gets the
  fork's ``mmcv_custom`` grouping (block ``i`` is layer ``i + 1``; 1-D
  parameters, biases and ``pos_embed`` undecayed; ``custom_keys`` ignored);
  any other backbone keeps 0.29's BEiT-style grouping and its warning.
  The fork's own ``mmcv_custom`` may register its constructor under the
  same name (its class then takes the name, see ``UserFirstRegistry``).
- ViTPose+ configs name tables ``{{_base_.aic_info}}`` etc.; they are
  ``configs/_base_/vitpose_plus/*_info.py`` (the package's tables under
  the fork's variable names).
"""
import warnings
from typing import Dict, Optional, Tuple, Union

__all__ = ['RENAMED', 'V014Heatmap', 'V029Heatmap', 'warn_if_renamed',
           'eval_hook_args']

#: 0.14 type name -> the 0.29 type name it was renamed into.
RENAMED: Dict[str, str] = {
    'TopDownSimpleHead': 'TopdownHeatmapSimpleHead',
    'TopDownMultiStageHead': 'TopdownHeatmapMultiStageHead',
    'TopDownMSMUHead': 'TopdownHeatmapMSMUHead',
    'BottomUpSimpleHead': 'AESimpleHead',
    'BottomUpHigherResolutionHead': 'AEHigherResolutionHead',
    'FcHead': 'DeepposeRegressionHead',
    'MeshHMRHead': 'HMRMeshHead',
    'BottomUp': 'AssociativeEmbedding',
}

# Old type names already warned about in this process.
_warned = set()


class V014Heatmap:
    """Class attributes of a top-down heatmap head in the 0.14 dialect."""

    #: key of the loss in the dict of ``get_loss``
    loss_name = 'mse_loss'
    #: ``target_type`` when ``test_cfg`` names none
    default_target_type = 'GaussianHeatMap'


class V029Heatmap:
    """Class attributes of a top-down heatmap head in the 0.29 dialect;
    listed first among the bases of a 0.29 head."""

    loss_name = 'heatmap_loss'
    default_target_type = 'GaussianHeatmap'


def warn_if_renamed(type_name: object) -> None:
    """Warn (once per name and process) that a 0.14 type name is used.

    Args:
        type_name: The ``type`` of a model config (anything; only the old
            names of :data:`RENAMED` warn).
    """
    if not isinstance(type_name, str) or type_name not in RENAMED:
        return
    if type_name in _warned:
        return
    _warned.add(type_name)
    warnings.warn(
        f'{type_name} has been renamed into {RENAMED[type_name]} '
        f'(MMPose 0.29); the old name keeps its 0.14 behaviour',
        DeprecationWarning, stacklevel=3)


def eval_hook_args(save_best: Union[bool, str, None],
                   key_indicator: Optional[str]
                   ) -> Tuple[bool, Optional[str]]:
    """``(save_best, key_indicator)`` of the 0.14 ``EvalHook`` from either
    dialect's arguments.

    0.14 takes ``save_best`` (bool) and ``key_indicator`` (metric name);
    0.29 names the metric in ``save_best`` itself (``None``: keep no best
    checkpoint).

    Args:
        save_best (bool | str | None): 0.14 flag or 0.29 metric name.
        key_indicator (str | None): 0.14 metric name.

    Returns:
        tuple: ``(save_best as bool, metric name)``.
    """
    if isinstance(save_best, str):
        return True, save_best
    return bool(save_best), key_indicator
