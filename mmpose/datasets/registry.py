"""Dataset and pipeline registries."""
from mmpose.utils.registry import make_registry

DATASETS = make_registry('dataset')
PIPELINES = make_registry('pipeline')
