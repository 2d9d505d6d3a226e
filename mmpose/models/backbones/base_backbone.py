"""Base class of all backbones.

It implements once the behaviour every backbone shares:

* ``init_weights(pretrained)``: a str loads a checkpoint (non-strictly, as
  MMPose 0.x did), None initialises from scratch through the
  :meth:`BaseBackbone._init_from_scratch` hook, anything else is refused.
* ``frozen_stages``: :meth:`BaseBackbone._freeze_stages` puts the modules of
  stages ``0..frozen_stages`` (0 is the stem) in eval mode and stops their
  gradients. A subclass names its stages by overriding
  :meth:`BaseBackbone._stage_modules`.
* ``norm_eval``: :meth:`BaseBackbone.train` keeps every batch-norm layer in
  eval mode (frozen running statistics) while training.
* ``out_indices``: :meth:`BaseBackbone._check_out_indices` validates them and
  :meth:`BaseBackbone._forward_stages` runs a chain of stages keeping their
  outputs.
"""
from abc import ABCMeta, abstractmethod
from typing import Iterable, List, Optional, Sequence, Tuple, Type, Union

import torch
from mmcv.cnn import constant_init, kaiming_init, normal_init
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmpose.errors import (ArgumentError, ArgumentTypeError, MMPoseError,
                           UnsupportedError)
from mmpose.utils import get_root_logger


class BaseBackbone(nn.Module, metaclass=ABCMeta):
    """Base backbone.

    Subclasses implement ``forward``. The shared behaviour reads two optional
    attributes of the instance:

    - ``frozen_stages`` (int): stages ``0..frozen_stages`` are frozen by
      :meth:`_freeze_stages`; -1 (or no attribute) freezes nothing.
    - ``norm_eval`` (bool): keep batch-norm layers in eval mode in
      :meth:`train`.

    Subclasses override :meth:`_stage_modules` to say which modules make up a
    stage, and :meth:`_init_from_scratch` for their random initialisation.
    They may also override ``init_weights`` as in MMPose 0.x, calling
    ``super().init_weights(pretrained)`` to load a checkpoint path.
    """

    #: raised by :meth:`_check_frozen_stages`; a subclass names the class
    #: its 0.x version raised (all are ``ValueError``s)
    frozen_stages_error: Type[MMPoseError] = ArgumentError

    def init_weights(self, pretrained: Optional[str] = None) -> None:
        """Load ``pretrained`` (a checkpoint path or URL) when given, else
        initialise from scratch.

        Args:
            pretrained (str | None): Checkpoint to load, or None to
                initialise the weights randomly.

        Raises:
            TypeError: ``pretrained`` is neither a str nor None.
        """
        if isinstance(pretrained, str):
            from mmpose.utils.checkpoint import load_checkpoint
            load_checkpoint(
                self, pretrained, strict=False, logger=get_root_logger())
        elif pretrained is None:
            self._init_from_scratch()
        else:
            raise ArgumentTypeError('pretrained must be a str or None, '
                                    f'but got {type(pretrained).__name__}')

    def _init_from_scratch(self) -> None:
        """Random initialisation used when ``pretrained`` is None.

        The base class keeps PyTorch's default initialisation of each layer;
        subclasses override this with their architecture's scheme.
        """

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        """Modules that make up ``stage`` (0 is the stem, 1 the first stage).

        Called by :meth:`_freeze_stages` for every stage up to
        ``frozen_stages``.

        Raises:
            NotImplementedError: the subclass sets ``frozen_stages >= 0``
                but does not say what its stages are.
        """
        raise UnsupportedError(
            f'{type(self).__name__} sets frozen_stages='
            f'{getattr(self, "frozen_stages", -1)} but does not define '
            '_stage_modules(), so there is nothing to freeze')

    @staticmethod
    def _freeze_modules(modules: Iterable[nn.Module]) -> None:
        """Put ``modules`` in eval mode and stop their parameters' grads."""
        for module in modules:
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def _freeze_stages(self) -> None:
        """Freeze stages ``0..self.frozen_stages`` (no-op when it is -1)."""
        frozen_stages = getattr(self, 'frozen_stages', -1)
        for stage in range(frozen_stages + 1):
            self._freeze_modules(self._stage_modules(stage))

    def train(self, mode: bool = True) -> 'BaseBackbone':
        """Set training mode, keeping frozen stages and (with ``norm_eval``)
        batch-norm layers in eval mode.

        Args:
            mode (bool): True for training mode, False for eval mode.

        Returns:
            BaseBackbone: self.
        """
        super().train(mode)
        self._freeze_stages()
        if mode and getattr(self, 'norm_eval', False):
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self

    @staticmethod
    def _check_out_indices(out_indices: Union[int, Sequence[int]],
                           num_stages: int,
                           name: str = 'out_indices') -> Tuple[int, ...]:
        """Validate ``out_indices`` against ``num_stages``.

        Args:
            out_indices (int | Sequence[int]): Stage indices, negative ones
                counting from the last stage.
            num_stages (int): Number of stages of the backbone.
            name (str): Argument name used in the error message.

        Returns:
            tuple[int]: The indices, made non-negative.

        Raises:
            TypeError: ``out_indices`` is not an int or a sequence of ints.
            ValueError: an index is outside ``[-num_stages, num_stages)``.
        """
        if isinstance(out_indices, int):
            out_indices = (out_indices, )
        if not isinstance(out_indices, Sequence) or not all(
                isinstance(i, int) for i in out_indices):
            raise ArgumentTypeError(
                f'{name} must be an int or a sequence of ints, '
                f'but got {out_indices!r}')
        if len(out_indices) == 0:
            raise ArgumentError(f'{name} must name at least one stage')
        checked = []
        for index in out_indices:
            if not -num_stages <= index < num_stages:
                raise ArgumentError(
                    f'{name} {tuple(out_indices)} is out of range: the '
                    f'backbone has {num_stages} stages, so each index must '
                    f'be in [{-num_stages}, {num_stages - 1}]')
            checked.append(index % num_stages)
        return tuple(checked)

    @classmethod
    def _check_frozen_stages(cls, frozen_stages: int,
                             num_stages: int) -> None:
        """Check that ``frozen_stages`` is in ``[-1, num_stages]``.

        Raises:
            ValueError: ``frozen_stages`` is outside ``[-1, num_stages]``
                (of class :attr:`frozen_stages_error`).
        """
        if frozen_stages not in range(-1, num_stages + 1):
            raise cls.frozen_stages_error(
                f'{cls.__name__}: frozen_stages must be in range(-1, '
                f'{num_stages + 1}), but got {frozen_stages}')

    @staticmethod
    def _init_conv_norm(modules: Iterable[nn.Module],
                        conv_std: Optional[float] = None) -> None:
        """Init the convs (Kaiming, or N(0, conv_std) with zero bias when
        ``conv_std`` is given) and set the norm layers' weights to 1."""
        for m in modules:
            if isinstance(m, nn.Conv2d) and conv_std is not None:
                normal_init(m, std=conv_std)
            elif isinstance(m, nn.Conv2d):
                kaiming_init(m)
            elif isinstance(m, (_BatchNorm, nn.GroupNorm)):
                constant_init(m, 1)

    @staticmethod
    def _pack_outputs(outs: List[torch.Tensor]
                      ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """A single tensor for one output, else a tuple of them."""
        return outs[0] if len(outs) == 1 else tuple(outs)

    def _forward_stages(self, x: torch.Tensor, stages: Iterable[nn.Module]
                        ) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Run ``stages`` in turn on ``x`` and keep the outputs of the
        stages whose index is in ``self.out_indices``.

        Args:
            x (Tensor): Input of the first stage.
            stages (Iterable[nn.Module]): The stages, in order.

        Returns:
            Tensor | tuple[Tensor]: The kept outputs (a single tensor when
            there is one).
        """
        outs = []
        for i, stage in enumerate(stages):
            x = stage(x)
            if i in self.out_indices:
                outs.append(x)
        return self._pack_outputs(outs)

    @abstractmethod
    def forward(self, x):
        """Forward function.

        Args:
            x (Tensor | tuple[Tensor]): Input ``[N, C, H, W]``.
        """
