"""Training entry point: loaders, parallel wrapper, optimizers, hooks."""
import copy
from typing import Optional, Sequence, Union

import numpy as np
import torch
import torch.distributed as dist
from mmcv.parallel import MMDataParallel
from mmcv.runner import (DistSamplerSeedHook, OptimizerHook, build_runner,
                         get_dist_info)

from mmpose.core.distributed_wrapper import wrap_distributed_model
from mmpose.core.evaluation.eval_hooks import DistEvalHook, EvalHook
from mmpose.core.fp16 import Fp16OptimizerHook
from mmpose.core.optimizer import build_optimizers
from mmpose.core.utils import AtomicEpochBasedRunner  # noqa: F401 register
from mmpose.datasets import build_dataloader, build_dataset
from mmpose.errors import ArgumentError, UnknownNameError
from mmpose.models.utils.memory_format import channels_last_capable
from mmpose.utils import get_root_logger


def _require(cfg, key: str, where: str = 'the config'):
    """``cfg[key]``, or a KeyError naming the missing key."""
    if cfg.get(key, None) is None:
        raise UnknownNameError(
            f'{where} has no "{key}" entry, which training needs')
    return cfg[key]


def _loader_settings(cfg, distributed: bool, **defaults) -> dict:
    """Data loader arguments from ``cfg.data`` and the defaults given."""
    data = cfg.data
    settings = dict(
        samples_per_gpu=data.get('samples_per_gpu', None),
        workers_per_gpu=data.get('workers_per_gpu', 0),
        num_gpus=len(cfg.get('gpu_ids', None) or [0]),
        dist=distributed,
        seed=cfg.get('seed', None),
        pin_memory=torch.cuda.is_available())
    settings.update(defaults)
    return settings


def set_training_memory_format(model: torch.nn.Module, cfg) -> None:
    """Store the model's weights channels-last (NHWC) unless the config
    says ``channels_last = False`` or a layer cannot take it.

    NHWC convolutions give the same numbers up to float rounding and run
    faster with oneDNN and cuDNN (``tools/benchmark_training.py``).
    """
    if cfg.get('channels_last', True) and channels_last_capable(model):
        model.to(memory_format=torch.channels_last)


def _build_runner(cfg, model, optimizer, logger, meta):
    """The runner from ``cfg.runner`` (default: an epoch-based one for
    ``cfg.total_epochs``), with atomic checkpoint writing."""
    runner_cfg = copy.deepcopy(cfg.get('runner', None))
    if runner_cfg is None:
        runner_cfg = dict(
            type='AtomicEpochBasedRunner',
            max_epochs=_require(cfg, 'total_epochs'))
    elif runner_cfg.get('type') == 'EpochBasedRunner':
        runner_cfg['type'] = 'AtomicEpochBasedRunner'
    if 'total_epochs' in cfg and 'max_epochs' in runner_cfg and \
            runner_cfg['max_epochs'] != cfg.total_epochs:
        raise ArgumentError(f'total_epochs ({cfg.total_epochs}) and '
                            f'runner.max_epochs ({runner_cfg["max_epochs"]})'
                            ' disagree')
    return build_runner(
        runner_cfg,
        default_args=dict(
            model=model,
            optimizer=optimizer,
            work_dir=_require(cfg, 'work_dir'),
            logger=logger,
            meta=meta))


def _optimizer_hook(cfg, distributed: bool, adversarial: bool):
    """The optimizer step hook: none for self-stepping (adversarial)
    models, ``Fp16OptimizerHook`` with ``cfg.fp16``, else the config's."""
    optimizer_config = cfg.get('optimizer_config', None)
    if adversarial:
        return None
    fp16_cfg = cfg.get('fp16', None)
    if fp16_cfg is not None:
        hook_args = dict(optimizer_config or {})
        hook_args.pop('type', None)
        return Fp16OptimizerHook(
            **hook_args, **fp16_cfg, distributed=distributed)
    if distributed and optimizer_config is not None and \
            'type' not in optimizer_config:
        return OptimizerHook(**optimizer_config)
    return optimizer_config


def train_model(model: torch.nn.Module,
                dataset: Union[torch.utils.data.Dataset,
                               Sequence[torch.utils.data.Dataset]],
                cfg,
                distributed: bool = False,
                validate: bool = False,
                timestamp: Optional[str] = None,
                meta: Optional[dict] = None) -> None:
    """Train model entry function.

    Args:
        model (nn.Module): The model to be trained.
        dataset (Dataset): Train dataset (a list of them for a workflow
            with several phases, e.g. ``[('train', 1), ('val', 1)]``).
        cfg (dict): The config dict for training.
        distributed (bool): Whether to use distributed training.
            Default: False.
        validate (bool): Whether to do evaluation. Default: False.
        timestamp (str | None): Local time for runner. Default: None.
        meta (dict | None): Meta dict to record some important information.
            Default: None
    """
    logger = get_root_logger(log_level=cfg.get('log_level', 'INFO'))
    _require(cfg, 'data')
    datasets = list(dataset) if isinstance(dataset, (list, tuple)) \
        else [dataset]
    workflow = cfg.get('workflow', [('train', 1)])
    if len(datasets) != len(workflow):
        raise ArgumentError(f'got {len(datasets)} datasets for a workflow '
                            f'of {len(workflow)} phases ({workflow})')

    train_settings = _loader_settings(cfg, distributed)
    train_settings.update(cfg.data.get('train_dataloader', {}))
    if train_settings['samples_per_gpu'] is None:
        raise UnknownNameError('the config has no data.samples_per_gpu '
                               '(nor data.train_dataloader.samples_per_gpu)')
    data_loaders = [build_dataloader(ds, **train_settings) for ds in datasets]

    set_training_memory_format(model, cfg)
    adversarial = cfg.get('use_adversarial_train', False)
    if distributed:
        model = wrap_distributed_model(
            model,
            find_unused_parameters=cfg.get('find_unused_parameters', True),
            adversarial=adversarial)
    elif torch.cuda.is_available():
        gpu_ids = cfg.get('gpu_ids', None) or [0]
        model = MMDataParallel(model.cuda(gpu_ids[0]), device_ids=gpu_ids)
    else:
        model = MMDataParallel(model.cpu())

    optimizer = build_optimizers(model, _require(cfg, 'optimizer'))
    runner = _build_runner(cfg, model, optimizer, logger, meta)
    runner.timestamp = timestamp

    runner.register_training_hooks(
        cfg.get('lr_config', None),
        _optimizer_hook(cfg, distributed, adversarial),
        cfg.get('checkpoint_config', None),
        cfg.get('log_config', None),
        cfg.get('momentum_config', None),
        custom_hooks_config=cfg.get('custom_hooks', None))
    if distributed:
        runner.register_hook(DistSamplerSeedHook())

    if validate:
        val_cfg = _require(cfg.data, 'val', 'the config\'s data')
        val_dataset = build_dataset(val_cfg, dict(test_mode=True))
        val_settings = _loader_settings(
            cfg, distributed, samples_per_gpu=1, shuffle=False,
            drop_last=False)
        val_settings.pop('seed')
        val_settings.update(cfg.data.get('val_dataloader', {}))
        val_dataloader = build_dataloader(val_dataset, **val_settings)
        eval_cfg = dict(cfg.get('evaluation', {}))
        hook_type = DistEvalHook if distributed else EvalHook
        # before the checkpoint hook, so epoch_N.pth records the best score
        runner.register_hook(
            hook_type(val_dataloader, **eval_cfg), priority='ABOVE_NORMAL')

    if cfg.get('resume_from', None):
        runner.resume(cfg.resume_from)
    elif cfg.get('load_from', None):
        runner.load_checkpoint(cfg.load_from)
    runner.run(data_loaders, workflow)


def init_random_seed(seed: Optional[int] = None,
                     device: Union[str, torch.device] = 'cuda') -> int:
    """A random seed that every process of a distributed run shares.

    Args:
        seed (int, optional): Returned as it is when given.
        device (str | torch.device): Device of the tensor broadcast from
            rank 0 to the other processes (only used with several
            processes). Default: 'cuda'.

    Returns:
        int: ``seed``, or a number in ``[0, 2**31)`` drawn by rank 0.
    """
    if seed is not None:
        return seed
    seed = int(np.random.randint(2**31))
    _, world_size = get_dist_info()
    if world_size == 1:
        return seed
    shared = torch.tensor(seed, dtype=torch.int64, device=device)
    dist.broadcast(shared, src=0)
    return int(shared.item())


__all__ = ['train_model', 'init_random_seed']
