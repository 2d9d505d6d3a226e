"""Object detection on webcam frames with an MMDetection 2.x model."""
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.apis.inference import _resolve_device
from mmpose.errors import ArgumentError, MissingDependencyError
from ...utils import FrameMessage, get_config_path
from ..registry import NODES
from .model_node import ModelNode

__all__ = ['DetectorNode', 'detections_to_objects', 'init_mmdet_model']


def _mmdet_apis(node_type: str) -> Tuple[Callable, Callable]:
    """mmdet's ``(init_detector, inference_detector)``.

    Raises:
        MissingDependencyError: mmdet cannot be imported (0.29: an
            ``AssertionError``).
    """
    try:
        from mmdet.apis import inference_detector, init_detector
    except ImportError as err:
        raise MissingDependencyError(
            f'MMDetection 2.x is required for {node_type} and cannot be '
            f'imported ({err}); install it with `pip install mmdet==2.28.2`'
        ) from None
    return init_detector, inference_detector


def init_mmdet_model(node_type: str, config: str, checkpoint: Optional[str],
                     device: str) -> Tuple[object, Callable]:
    """An mmdet detector and mmdet's ``inference_detector`` for it.

    Args:
        node_type (str): The node class asking (named in errors).
        config (str): Config path; relative paths not found from the working
            directory are looked up in the mmdet package
            (:func:`get_config_path`).
        checkpoint (str | None): Checkpoint path (None: random weights, and
            the class names of the config's ``data.test.classes`` or COCO's).
        device (str): Device; a CUDA device falls back to the CPU, with a
            warning, when CUDA is not available (as ``init_pose_model``).

    Returns:
        tuple: The detector (``CLASSES`` a sequence of class names) and
        ``inference_detector``.

    Raises:
        MissingDependencyError: mmdet is not installed.
    """
    init_detector, inference_detector = _mmdet_apis(node_type)
    model = init_detector(
        get_config_path(config, 'mmdet'), checkpoint,
        device=str(_resolve_device(device.lower())))
    if not hasattr(model, 'CLASSES'):
        # no checkpoint: the config's class names, else mmdet's COCO ones
        from mmdet.core import get_classes
        model.CLASSES = model.cfg.data.test.get('classes') or get_classes(
            'coco')
    if isinstance(model.CLASSES, str):
        model.CLASSES = (model.CLASSES, )
    return model, inference_detector


def detections_to_objects(preds: Union[list, tuple], classes: Sequence[str],
                          bbox_thr: float) -> List[Dict]:
    """Turn an mmdet 2.x result into webcam objects.

    Args:
        preds (list | tuple): Per class an np.ndarray[N_c, 5] of ``x1, y1,
            x2, y2, score``, or ``(boxes, masks)`` with per class a list of
            N_c masks (np.ndarray[H, W]).
        classes (Sequence[str]): Class names, one per entry of ``preds``.
        bbox_thr (float): Boxes scoring below it are dropped.

    Returns:
        list[dict]: Per kept box ``{'class_id': int, 'label': str, 'bbox':
        np.ndarray[5], 'mask': np.ndarray[H, W] | None}``, class by class.
    """
    boxes, masks = preds if isinstance(preds, tuple) else (preds, None)
    if len(boxes) != len(classes):
        raise ArgumentError(
            f'the detector gave results for {len(boxes)} classes but has '
            f'{len(classes)} class names')
    class_ids = np.concatenate(
        [np.full(len(b), c, dtype=np.int64) for c, b in enumerate(boxes)])
    all_boxes = np.concatenate([np.asarray(b).reshape(-1, 5) for b in boxes])
    all_masks = ([m for per_class in masks for m in per_class]
                 if masks is not None else [None] * len(all_boxes))
    keep = np.flatnonzero(all_boxes[:, 4] >= bbox_thr)
    return [
        dict(class_id=int(class_ids[i]), label=classes[class_ids[i]],
             bbox=all_boxes[i], mask=all_masks[i]) for i in keep
    ]


@NODES.register_module()
class DetectorNode(ModelNode):
    """Detect objects in each frame with an MMDetection 2.x model.

    Output objects: ``class_id``, ``label``, ``bbox`` (np.ndarray[5], xyxy
    and score), ``mask`` (None for detectors without masks) and
    ``det_model_cfg`` (the detector's config).

    Args:
        name (str): Node (and thread) name.
        model_config (str): Detector config path (searched in the mmdet
            package when not found, see :func:`get_config_path`).
        model_checkpoint (str): Detector checkpoint path.
        input_buffer (str): Buffer of frames (a trigger input ``'input'``).
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int, optional): Key toggling the node; disabled it
            passes frames on unchanged. Default: None.
        enable (bool): Whether the node starts enabled. Default: True.
        device (str): Inference device. Default: ``'cuda:0'`` (the CPU when
            CUDA is not available).
        bbox_thr (float): Lowest box score kept. Default: 0.5.
        multi_input (bool): Take every frame queued in the input buffer:
            detect in the newest and output it with the image replaced by
            the stacked clip (np.ndarray[T, H, W, 3]), as
            :class:`HandGestureRecognizerNode` wants. Default: False.

    Raises:
        MissingDependencyError: mmdet is not installed.
    """

    def __init__(self,
                 name: str,
                 model_config: str,
                 model_checkpoint: str,
                 input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 enable_key: Optional[Union[str, int]] = None,
                 enable: bool = True,
                 device: str = 'cuda:0',
                 bbox_thr: float = 0.5,
                 multi_input: bool = False):
        super().__init__(name, input_buffer, output_buffer, enable_key,
                         enable, device, multi_input)
        self.model_config = model_config
        self.model_checkpoint = model_checkpoint
        self.bbox_thr = bbox_thr
        self.model, self._inference = init_mmdet_model(
            type(self).__name__, model_config, model_checkpoint, self.device)

    def process(self, input_msgs: Dict) -> FrameMessage:
        frames = self.input_frames(input_msgs)
        msg = frames[-1]
        preds = self._inference(self.model, msg.get_image())
        msg = self.output(
            msg, detections_to_objects(preds, self.model.CLASSES,
                                       self.bbox_thr),
            det_model_cfg=self.model.cfg)
        if self.multi_input:
            msg.set_image(np.stack([frame.get_image() for frame in frames]))
        return msg
