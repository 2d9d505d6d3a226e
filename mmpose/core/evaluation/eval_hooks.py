"""Hooks that evaluate the model during training and keep the best one."""
import math
import os.path as osp
import re
from typing import Callable, Optional

from mmcv.runner import Hook
from torch.utils.data import DataLoader

# Substrings (lower case) of metric names where lower is better, and where
# greater is better; the first list is checked first ('mpjpe' is an error,
# 'ap' is a precision).
LESS_KEYS = ('loss', 'epe', 'nme', 'mpjpe', 'error', 'mse', 'mae')
GREATER_KEYS = ('acc', 'ap', 'ar', 'pck', 'auc', 'precision', 'recall',
                'f1')
RULE_MAP = {'greater': lambda x, y: x > y, 'less': lambda x, y: x < y}
INIT_VALUE_MAP = {'greater': -math.inf, 'less': math.inf}


def infer_rule(key_indicator: str) -> str:
    """``'less'`` for error metrics (EPE, NME, MPJPE, loss...), ``'greater'``
    for scores (AP, AR, PCK, AUC, acc...)."""
    key = key_indicator.lower()
    if any(name in key for name in LESS_KEYS):
        return 'less'
    if any(name in key for name in GREATER_KEYS):
        return 'greater'
    raise ValueError(
        f'cannot infer whether a greater or a smaller {key_indicator!r} is '
        f'better; set rule="greater" or rule="less" in the evaluation '
        f'config')


class EvalHook(Hook):
    """Non-Distributed evaluation hook.

    This hook will regularly perform evaluation in a given interval when
    performing in non-distributed environment. The metrics go to the
    runner's log; with ``save_best`` the checkpoint with the best
    ``key_indicator`` is kept as ``best_<key_indicator>.pth`` in the work
    dir and the score in ``runner.meta['hook_msgs']['best_score']`` (so a
    resumed run continues the comparison).

    Args:
        dataloader (DataLoader): A PyTorch dataloader.
        interval (int): Evaluation interval (by epochs). Default: 1.
        gpu_collect (bool): Whether to use gpu or cpu to collect results
            (distributed hook only). Default: False.
        save_best (bool): Whether to save best checkpoint during evaluation.
            Default: True.
        key_indicator (str | None): Key indicator to measure the best
            checkpoint during evaluation when save_best is set to True.
            Options are the evaluation metrics to the test dataset. e.g.,
            acc, AP, PCK. Default: AP.
        rule (str | None): Comparison rule for best score, ``'greater'`` or
            ``'less'``. If set to None, it will infer a reasonable rule.
            Default: 'None'.
        eval_kwargs (dict, optional): Arguments for evaluation (``metric``
            and the dataset's own options).
    """

    def __init__(self,
                 dataloader: DataLoader,
                 interval: int = 1,
                 gpu_collect: bool = False,
                 save_best: bool = True,
                 key_indicator: Optional[str] = 'AP',
                 rule: Optional[str] = None,
                 **eval_kwargs):
        if not isinstance(dataloader, DataLoader):
            raise TypeError(f'dataloader must be a pytorch DataLoader, but '
                            f'got {type(dataloader).__name__}')
        if interval <= 0:
            raise ValueError(f'interval must be positive, got {interval}')
        if save_best and not key_indicator:
            raise ValueError('key_indicator should not be None when '
                             'save_best is set to True')
        if rule is not None and rule not in RULE_MAP:
            raise KeyError(f'rule must be "greater", "less" or None, '
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
        from mmpose.apis.test import single_gpu_test
        return single_gpu_test(runner.model, self.dataloader)

    def after_train_epoch(self, runner) -> None:
        """Called after every training epoch to evaluate the results."""
        if not self.every_n_epochs(runner, self.interval):
            return
        results = self._run_test(runner)
        self._evaluate_and_keep_best(runner, results)

    def _evaluate_and_keep_best(self, runner, results) -> None:
        key_score = self.evaluate(runner, results)
        if self.save_best and self.compare_func(key_score, self.best_score):
            self.best_score = key_score
            self._save_best(runner)

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
        eval_res = self.dataloader.dataset.evaluate(
            results, runner.work_dir, **self.eval_kwargs)
        for name, value in eval_res.items():
            runner.log_buffer.output[name] = value
        runner.log_buffer.ready = True
        if not self.save_best:
            return None
        if self.key_indicator not in eval_res:
            raise KeyError(
                f'key_indicator {self.key_indicator!r} is not among the '
                f'evaluation results ({", ".join(eval_res)}); set '
                f'evaluation.key_indicator to one of them')
        return float(eval_res[self.key_indicator])


class DistEvalHook(EvalHook):
    """Distributed evaluation hook.

    This hook will regularly perform evaluation in a given interval when
    performing in distributed environment: every rank predicts its share
    of the data, rank 0 gathers the results (through ``tmpdir`` or, with
    ``gpu_collect``, collective communication), evaluates them and keeps the
    best checkpoint.

    Args:
        dataloader (DataLoader): A PyTorch dataloader.
        interval (int): Evaluation interval (by epochs). Default: 1.
        gpu_collect (bool): Whether to use gpu or cpu to collect results.
            Default: False.
        save_best (bool): Whether to save best checkpoint during evaluation.
            Default: True.
        key_indicator (str | None): Key indicator to measure the best
            checkpoint during evaluation when save_best is set to True.
            Default: 'AP'.
        rule (str | None): Comparison rule for best score. If set to None,
            it will infer a reasonable rule. Default: 'None'.
        tmpdir (str | None): Directory of the cpu-mode collection
            (default: ``<work_dir>/.eval_hook``).
        eval_kwargs (dict, optional): Arguments for evaluation.
    """

    def __init__(self,
                 dataloader: DataLoader,
                 interval: int = 1,
                 gpu_collect: bool = False,
                 save_best: bool = True,
                 key_indicator: Optional[str] = 'AP',
                 rule: Optional[str] = None,
                 tmpdir: Optional[str] = None,
                 **eval_kwargs):
        super().__init__(dataloader, interval, gpu_collect, save_best,
                         key_indicator, rule, **eval_kwargs)
        self.tmpdir = tmpdir

    def _run_test(self, runner):
        from mmpose.apis.test import multi_gpu_test
        tmpdir = self.tmpdir or osp.join(runner.work_dir, '.eval_hook')
        return multi_gpu_test(
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
