"""Hand gesture recognition on short clips of webcam frames."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.apis import inference_gesture_model
from ...utils import FrameMessage
from ..registry import NODES
from .model_node import ModelNode, init_mmpose_model, select_objects

__all__ = ['HandGestureRecognizerNode', 'merge_hand_boxes']


def _area(box: Sequence[float]) -> float:
    return abs(box[2] - box[0]) * abs(box[3] - box[1])


def merge_hand_boxes(objects: List[Dict], ratio: float = 0.5) -> List[Dict]:
    """One box covering where a hand moved during a clip.

    Starting from the largest box, every box that overlaps it by more than
    ``ratio`` of its own area is merged into it (the union's enclosing
    box), repeatedly, until no box overlaps enough.

    Args:
        objects (list[dict]): Objects with a ``bbox`` (``x1, y1, x2, y2,
            ...``); not modified.
        ratio (float): Overlap (fraction of the smaller box) needed to
            merge. Default: 0.5.

    Returns:
        list[dict]: A copy of the largest object with the merged box, or
        ``[]`` when there is none.
    """
    if not objects:
        return []
    objects = sorted(objects, key=lambda obj: _area(obj['bbox']),
                     reverse=True)
    largest, others = dict(objects[0]), objects[1:]
    largest['bbox'] = np.array(largest['bbox'], dtype=np.float64)
    merged = True
    while merged and others:
        merged = False
        for i, obj in enumerate(others):
            box, big = np.asarray(obj['bbox'][:4]), largest['bbox'][:4]
            inter = np.clip(
                np.minimum(box[2:], big[2:]) - np.maximum(box[:2], big[:2]),
                0, None)
            if inter.prod() > ratio * _area(box):
                big[:2] = np.minimum(big[:2], box[:2])
                big[2:] = np.maximum(big[2:], box[2:])
                others.pop(i)
                merged = True
                break
    return [largest]


@NODES.register_module()
class HandGestureRecognizerNode(ModelNode):
    """Recognise hand gestures with an MMPose gesture model (e.g. MTUT) on
    the latest clip of frames with detected hands.

    Place it after a :class:`DetectorNode` with ``multi_input=True`` (whose
    messages carry clips, np.ndarray[T, H, W, 3], and ``'hand'`` objects).
    Clips are gathered until they hold at least ``min_frame`` frames; then
    the gesture of the gathered video is recognised and, when its score is
    above ``score_thr``, the merged hand object of the newest clip gets it
    as ``label`` and ``gesture``.

    Args:
        name (str): Node (and thread) name.
        model_config (str): Gesture model config path (searched in the
            mmpose package when not found).
        model_checkpoint (str): Gesture model checkpoint path.
        input_buffer (str): Buffer of clips with detected hands.
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int, optional): Key toggling the node; disabled it
            passes clips on unchanged. Default: None.
        enable (bool): Whether the node starts enabled. Default: True.
        device (str): Inference device. Default: ``'cuda:0'`` (the CPU when
            CUDA is not available).
        min_frame (int): Fewest frames recognised at once. Default: 16.
        fps (int): Frame rate of the camera. Default: 30.
        score_thr (float): Lowest gesture score reported. Default: 0.7.
        multi_input (bool): Take every message queued in the input buffer.
            Default: True.
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
                 min_frame: int = 16,
                 fps: int = 30,
                 score_thr: float = 0.7,
                 multi_input: bool = True):
        super().__init__(name, input_buffer, output_buffer, enable_key,
                         enable, device, multi_input)
        self.model = init_mmpose_model(model_config, model_checkpoint,
                                       self.device)
        self.model_config = self.model.cfg.filename
        self.model_checkpoint = model_checkpoint
        self.min_frame = min_frame
        self.fps = fps
        self.score_thr = score_thr
        #: (clip message, number of frames), oldest first
        self._clips: List[Tuple[FrameMessage, int]] = []

    @property
    def total_clip_length(self) -> int:
        """Number of frames gathered."""
        return sum(length for _, length in self._clips)

    def _gather(self, msgs: List[FrameMessage]) -> None:
        """Add the new clips, then drop the oldest ones not needed to keep
        ``min_frame`` frames."""
        self._clips += [(msg, _as_clip(msg.get_image()).shape[0])
                        for msg in msgs]
        lengths = np.cumsum([n for _, n in self._clips][::-1])
        enough = np.flatnonzero(lengths >= self.min_frame)
        if enough.size:
            self._clips = self._clips[len(self._clips) - enough[0] - 1:]

    def process(self, input_msgs: Dict) -> FrameMessage:
        msgs = self.input_frames(input_msgs)
        self._gather(msgs)
        msg = msgs[-1]
        hands = [
            merge_hand_boxes(
                select_objects(clip.get_objects(), labels=['hand']))
            for clip, _ in self._clips
        ]
        if self.total_clip_length < self.min_frame or not any(hands):
            return msg

        video = np.concatenate(
            [_as_clip(clip.get_image()) for clip, _ in self._clips])
        # the merged box of each clip stands for every frame of the clip
        frame_boxes = [
            [dict(bbox=h[0]['bbox'][:4])] if h else []
            for h, (_, n) in zip(hands, self._clips) for _ in range(n)
        ]
        label, score = inference_gesture_model(
            self.model, video, bboxes=frame_boxes,
            dataset_info=dict(name='camera', fps=self.fps, modality=['rgb']))
        result = next(h[0] for h in reversed(hands) if h)
        if float(score[0]) > self.score_thr:
            gesture = self.model.cfg.dataset_info.category_info[int(label[0])]
            result['label'] = result['gesture'] = gesture
        return self.output(msg, [result])


def _as_clip(image: np.ndarray) -> np.ndarray:
    """A frame (np.ndarray[H, W, 3]) as a one-frame clip; clips as they
    are (np.ndarray[T, H, W, 3])."""
    return image[None] if image.ndim == 3 else image
