"""Hooks that evaluate the model during training and keep the best one."""
import functools
import inspect
import math
import os.path as osp
import re
import warnings
from typing import Callable, Optional

import mmcv
from mmcv.runner import Hook
from torch.utils.data import DataLoader

from mmpose.dialects import eval_hook_args
from mmpose.errors import ArgumentError, ArgumentTypeError, UnknownNameError

# Substrings (lower case) of metric names where lower is better, and where
# greater is better; the first list is checked first ('mpjpe' is an error,
# 'ap' is a precision).
LESS_KEYS = ('loss', 'epe', 'nme', 'mpjpe', 'error', 'mse', 'mae')
GREATER_KEYS = ('acc', 'ap', 'ar', 'pck', 'auc', 'precision', 'recall',
                'f1')
RULE_MAP = {'greater': lambda x, y: x > y, 'less': lambda x, y: x < y}
INIT_VALUE_MAP = {'greater': -math.inf, 'less': math.inf}
#: File in the work dir recording the best score (MMPose 0.x).
BEST_JSON = 'best.json'


def infer_rule(key_indicator: str) -> str:
    """``'less'`` for error metrics (EPE, NME, MPJPE, loss...), ``'greater'``
    for scores (AP, AR, PCK, AUC, acc...)."""
    key = key_indicator.lower()
    if any(name in key for name in LESS_KEYS):
        return 'less'
    if any(name in key for name in GREATER_KEYS):
        return 'greater'
    raise ArgumentError(
        f'cannot infer whether a greater or a smaller {key_indicator!r} is '
        f'better; set rule="greater" or rule="less" in the evaluation '
        f'config')


class LegacyEvalHookArgumentWarning(DeprecationWarning, UserWarning):
    """An ``EvalHook`` argument of MMPose 0.14 that 0.29 deprecates
    (``key_indicator``, a bool ``save_best``, ``gpu_collect`` of the
    single-process hook). 0.29 warned with a ``DeprecationWarning``; this
    is one, and a ``UserWarning`` too."""


def _warns_on_014_arguments(init: Callable) -> Callable:
    """Wrap a hook's ``__init__`` to warn, as 0.29 does, about the 0.14
    arguments the caller passed (defaults left alone do not warn); the
    hook's ``_drops_gpu_collect`` says whether ``gpu_collect`` is one."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def wrapper(self, *args, **kwargs):
        given = signature.bind_partial(self, *args, **kwargs).arguments
        if 'key_indicator' in given or isinstance(
                given.get('save_best'), bool):
            warnings.warn(
                'EvalHook: "key_indicator" and a bool "save_best" are '
                'deprecated (MMPose 0.29); name the metric in "save_best", '
                'e.g. save_best="AP"', LegacyEvalHookArgumentWarning,
                stacklevel=2)
        if self._drops_gpu_collect and 'gpu_collect' in given:
            warnings.warn(
                'EvalHook: "gpu_collect" is deprecated and ignored by the '
                'single-process hook (MMPose 0.29); remove it from the '
                'evaluation config', LegacyEvalHookArgumentWarning,
                stacklevel=2)
        init(self, *args, **kwargs)

    return wrapper


class EvalHook(Hook):
    """Non-Distributed evaluation hook.

    In a single-process (non-distributed) run, this hook evaluates the
    model every ``interval`` epochs/iterations. The metrics go to the
    runner's log. With ``save_best``, each new best ``key_indicator``

    - is recorded as in MMPose 0.x in ``<work_dir>/best.json``:
      ``{'best_score': ..., 'best_ckpt': '<work_dir>/epoch_<n>.pth',
      'key_indicator': ...}``, naming the checkpoint the checkpoint hook
      writes for that epoch; a run resumed in the same work dir reads it
      back and continues the comparison;
    - keeps a copy of the model as ``best_<key_indicator>.pth`` beside it,
      and its score and path in ``runner.meta['hook_msgs']``.

    Args:
        dataloader (DataLoader): A PyTorch dataloader.
        interval (int): Evaluation interval (by epochs). Default: 1.
        gpu_collect (bool): Ignored (distributed hook only); passing it
            warns that it is deprecated, as in 0.29. Default: False.
        save_best (bool | str): Whether to save best checkpoint during
            evaluation; a metric name (0.29 style) also sets
            ``key_indicator``. Default: True. Passing a bool warns that it
            is deprecated, as in 0.29 (still honoured).
        key_indicator (str | None): Key indicator to measure the best
            checkpoint during evaluation when save_best is set to True.
            Options are the evaluation metrics to the test dataset. e.g.,
            acc, AP, PCK. Default: AP. Passing it warns that it is
            deprecated, as in 0.29 (still honoured).
        rule (str | None): Comparison rule for best score, ``'greater'`` or
            ``'less'``. If set to None, it will infer a reasonable rule.
            Default: 'None'.
        eval_kwargs (dict, optional): Arguments for evaluation (``metric``
            and the dataset's own options).
    """

    #: ``gpu_collect`` means nothing without several processes: 0.29's
    #: single-process hook warns and drops it.
    _drops_gpu_collect = True

    @_warns_on_014_arguments
    def __init__(self,
                 dataloader: DataLoader,
                 interval: int = 1,
                 gpu_collect: bool = False,
                 save_best: bool = True,
                 key_indicator: Optional[str] = 'AP',
                 rule: Optional[str] = None,
                 **eval_kwargs):
        self._setup(dataloader, interval, False, save_best, key_indicator,
                    rule, eval_kwargs)

    def _setup(self, dataloader: DataLoader, interval: int,
               gpu_collect: bool, save_best, key_indicator: Optional[str],
               rule: Optional[str], eval_kwargs: dict) -> None:
        """Check and store the arguments of either hook."""
        # 0.29 configs name the metric in save_best (mmpose.dialects)
        save_best, key_indicator = eval_hook_args(save_best, key_indicator)
        if not isinstance(dataloader, DataLoader):
            raise ArgumentTypeError(
                f'dataloader must be a pytorch DataLoader, but '
                f'got {type(dataloader).__name__}')
        if interval <= 0:
            raise ArgumentError(f'interval must be positive, got {interval}')
        if save_best and not key_indicator:
            raise ArgumentError('key_indicator should not be None when '
                                'save_best is set to True')
        if rule is not None and rule not in RULE_MAP:
            raise UnknownNameError(f'rule must be "greater", "less" or None, '
                                   f'got {rule!r}')
        self.dataloader = dataloader
        self.interval = interval
        self.gpu_collect = gpu_collect
        self.save_best = save_best
        self.key_indicator = key_indicator
        self.eval_kwargs = eval_kwargs
        self.rule: Optional[str] = None
        self.compare_func: Optional[Callable] = None
        self.best_score: Optional[float] = None
        self._best_json_loaded = False
        if save_best:
            self.rule = rule if rule is not None else infer_rule(
                key_indicator)
            self.compare_func = RULE_MAP[self.rule]
            self.best_score = INIT_VALUE_MAP[self.rule]

    @property
    def best_ckpt_name(self) -> str:
        """File name of the best checkpoint, e.g. ``best_AP.pth``."""
        key = re.sub(r'[^\w.@-]+', '_', str(self.key_indicator))
        return f'best_{key}.pth'

    def before_run(self, runner) -> None:
        """Take over the best score of a resumed run."""
        if not self.save_best or runner.meta is None:
            return
        hook_msgs = runner.meta.get('hook_msgs', {})
        if 'best_score' in hook_msgs:
            self.best_score = hook_msgs['best_score']

    def _run_test(self, runner):
        # Looked up on mmpose.apis at call time, as in 0.x, so code patching
        # mmpose.apis.single_gpu_test reaches the hook.
        from mmpose import apis
        return apis.single_gpu_test(runner.model, self.dataloader)

    def after_train_epoch(self, runner) -> None:
        """Called after every training epoch to evaluate the results."""
        if not self.every_n_epochs(runner, self.interval):
            return
        results = self._run_test(runner)
        self._evaluate_and_keep_best(runner, results)

    def _evaluate_and_keep_best(self, runner, results) -> None:
        if self.save_best:
            self._load_best_json(runner)
        key_score = self.evaluate(runner, results)
        if self.save_best and self.compare_func(key_score, self.best_score):
            self.best_score = key_score
            self._save_best(runner)
            self._dump_best_json(runner)

    def _load_best_json(self, runner) -> None:
        """Take over the record of a run resumed in the same work dir (once,
        before the first evaluation)."""
        path = osp.join(runner.work_dir, BEST_JSON)
        if self._best_json_loaded or not osp.isfile(path):
            return
        self._best_json_loaded = True
        record = mmcv.load(path)
        self.best_score = record['best_score']
        self.key_indicator = record.get('key_indicator', self.key_indicator)

    def _dump_best_json(self, runner) -> None:
        """Write ``best.json`` (0.x): best score, the checkpoint of that
        epoch and the key indicator."""
        self._best_json_loaded = True
        mmcv.dump(
            dict(
                best_score=self.best_score,
                best_ckpt=osp.join(runner.work_dir,
                                   f'epoch_{runner.epoch + 1}.pth'),
                key_indicator=self.key_indicator),
            osp.join(runner.work_dir, BEST_JSON))

    def _save_best(self, runner) -> None:
        """Record the best score in ``runner.meta`` and save the model."""
        if runner.meta is None:
            runner.meta = {}
        hook_msgs = runner.meta.setdefault('hook_msgs', {})
        hook_msgs['best_score'] = float(self.best_score)
        hook_msgs['best_ckpt'] = osp.join(runner.work_dir,
                                          self.best_ckpt_name)
        hook_msgs['best_epoch'] = runner.epoch + 1
        runner.save_checkpoint(
            runner.work_dir,
            filename_tmpl=self.best_ckpt_name,
            create_symlink=False)
        runner.logger.info(
            f'Now best checkpoint is {self.best_ckpt_name} (epoch '
            f'{runner.epoch + 1}, {self.key_indicator}: '
            f'{self.best_score:.4f})')

    def evaluate(self, runner, results) -> Optional[float]:
        """Evaluate the results.

        Args:
            runner (mmcv.Runner): The underlined training runner.
            results (list): Output results.

        Returns:
            float | None: The ``key_indicator`` value (with ``save_best``).
        """
        # As in 0.x the dataset gets the runner's logger.
        eval_res = self.dataloader.dataset.evaluate(
            results, runner.work_dir, **{
                'logger': runner.logger,
                **self.eval_kwargs
            })
        for name, value in eval_res.items():
            runner.log_buffer.output[name] = value
        runner.log_buffer.ready = True
        if not self.save_best:
            return None
        if self.key_indicator not in eval_res:
            raise UnknownNameError(
                f'key_indicator {self.key_indicator!r} is not among the '
                f'evaluation results ({", ".join(eval_res)}); set '
                f'evaluation.key_indicator to one of them')
        return float(eval_res[self.key_indicator])


class DistEvalHook(EvalHook):
    """Distributed evaluation hook.

    In a distributed run, this hook evaluates the model every
    ``interval`` epochs/iterations: every rank predicts its share
    of the data, rank 0 gathers the results (through ``tmpdir`` or, with
    ``gpu_collect``, collective communication), evaluates them and keeps the
    best checkpoint.

    Args:
        dataloader (DataLoader): A PyTorch dataloader.
        interval (int): Evaluation interval (by epochs). Default: 1.
        gpu_collect (bool): Whether to use gpu or cpu to collect results.
            Default: False.
        save_best (bool | str): Whether to save best checkpoint during
            evaluation; a metric name (0.29 style) also sets
            ``key_indicator``. Default: True (a bool given warns, as in
            0.29).
        key_indicator (str | None): Key indicator to measure the best
            checkpoint during evaluation when save_best is set to True.
            Default: 'AP' (given, it warns as in 0.29).
        rule (str | None): Comparison rule for best score. If set to None,
            it will infer a reasonable rule. Default: 'None'.
        tmpdir (str | None): Directory of the cpu-mode collection
            (default: ``<work_dir>/.eval_hook``).
        eval_kwargs (dict, optional): Arguments for evaluation.
    """

    _drops_gpu_collect = False

    @_warns_on_014_arguments
    def __init__(self,
                 dataloader: DataLoader,
                 interval: int = 1,
                 gpu_collect: bool = False,
                 save_best: bool = True,
                 key_indicator: Optional[str] = 'AP',
                 rule: Optional[str] = None,
                 tmpdir: Optional[str] = None,
                 **eval_kwargs):
        self._setup(dataloader, interval, gpu_collect, save_best,
                    key_indicator, rule, eval_kwargs)
        self.tmpdir = tmpdir

    def _run_test(self, runner):
        from mmpose import apis
        tmpdir = self.tmpdir or osp.join(runner.work_dir, '.eval_hook')
        return apis.multi_gpu_test(
            runner.model,
            self.dataloader,
            tmpdir=tmpdir,
            gpu_collect=self.gpu_collect)

    def after_train_epoch(self, runner) -> None:
        """Called after each training epoch to evaluate the model."""
        if not self.every_n_epochs(runner, self.interval):
            return
        results = self._run_test(runner)
        if runner.rank == 0:
            print('\n')
            self._evaluate_and_keep_best(runner, results)
