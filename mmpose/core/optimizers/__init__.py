"""MMPose 0.29 path of the optimizer utilities (0.14:
``mmpose.core.optimizer``)."""
from .builder import (OPTIMIZER_BUILDERS, OPTIMIZERS,
                      build_optimizer_constructor, build_optimizers)
from .layer_decay_optimizer_constructor import (
    LayerDecayOptimizerConstructor, LearningRateDecayOptimizerConstructor)

__all__ = ['OPTIMIZERS', 'OPTIMIZER_BUILDERS', 'build_optimizer_constructor',
           'build_optimizers', 'LayerDecayOptimizerConstructor',
           'LearningRateDecayOptimizerConstructor']
