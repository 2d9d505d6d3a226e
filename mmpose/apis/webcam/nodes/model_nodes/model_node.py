"""What the model nodes share: a trigger input of frames, the device, passing
frames on while disabled, loading pose models, picking objects by class and
tagging results."""
from typing import Dict, List, Optional, Sequence, Union

from torch import nn

from mmpose.apis import init_pose_model
from ...utils import FrameMessage, get_config_path
from ..node import Node

__all__ = ['ModelNode', 'init_mmpose_model', 'select_objects']


def init_mmpose_model(config: str, checkpoint: Optional[str],
                      device: str) -> nn.Module:
    """:func:`init_pose_model` of ``config``, a path that, when not found
    from the working directory, is looked up in the mmpose package
    (:func:`get_config_path`); ``model.cfg.filename`` is the path found."""
    return init_pose_model(
        get_config_path(config, 'mmpose'), checkpoint, device=device)


def select_objects(objects: List[Dict],
                   class_ids: Optional[Sequence[int]] = None,
                   labels: Optional[Sequence[str]] = None) -> List[Dict]:
    """The objects of the classes ``class_ids`` (which win) or with the
    labels ``labels``; all objects when neither is given."""
    if class_ids:
        return [obj for obj in objects if obj.get('class_id') in class_ids]
    if labels:
        return [obj for obj in objects if obj.get('label') in labels]
    return objects


class ModelNode(Node):
    """A node running models on the frames of its trigger input ``'input'``
    and sending the frames, with its results, to its output buffers.

    The defaults of the arguments are those of each model node.

    Args:
        name (str): Node (and thread) name.
        input_buffer (str): Buffer of frames.
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int | None): Key toggling the node; disabled it
            passes frames on unchanged (the newest one with
            ``multi_input``).
        enable (bool): Whether the node starts enabled.
        device (str): Inference device, kept lower-case.
        multi_input (bool): Take every message queued in the input buffer.
            Default: False.
    """

    def __init__(self, name: str, input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 enable_key: Optional[Union[str, int]], enable: bool,
                 device: str, multi_input: bool = False):
        super().__init__(
            name=name, enable_key=enable_key, enable=enable,
            multi_input=multi_input)
        self.device = device.lower()
        self.register_input_buffer(input_buffer, 'input', trigger=True)
        self.register_output_buffer(output_buffer)

    def input_frames(self, input_msgs: Dict) -> List[FrameMessage]:
        """The input messages, oldest first: the one taken, or with
        ``multi_input`` all that were queued (at least one)."""
        msgs = input_msgs['input']
        return msgs if self.multi_input else [msgs]

    def bypass(self, input_msgs: Dict) -> FrameMessage:
        return self.input_frames(input_msgs)[-1]

    @staticmethod
    def output(msg: FrameMessage, objects: List[Dict],
               **fields) -> FrameMessage:
        """``msg`` with ``objects`` updated into it (see
        :meth:`FrameMessage.update_objects`), each given ``fields`` first
        (e.g. the config of the model that found it)."""
        for obj in objects:
            obj.update(fields)
        msg.update_objects(objects)
        return msg
