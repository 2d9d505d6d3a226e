"""Base class of the nodes that draw on frames."""
from abc import abstractmethod
from typing import Dict, List, Optional, Union

import numpy as np

from ..utils.message import FrameMessage
from .node import Node

__all__ = ['BaseVisualizerNode']


class BaseVisualizerNode(Node):
    """A node that draws on each frame of its input buffer.

    Subclasses implement :meth:`draw`; the node replaces the message's
    image with what ``draw`` returns and passes the message on. Disabled,
    it passes the message on untouched.

    Args:
        name (str): Node (and thread) name.
        input_buffer (str): Buffer of the frames to draw on (a trigger
            input named ``'input'``).
        output_buffer (str | list[str]): Buffer(s) to send them to.
        enable_key (str | int, optional): Key that toggles drawing.
            Default: None.
        enable (bool): Whether drawing starts on. Default: True.
    """

    def __init__(self,
                 name: str,
                 input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 enable_key: Optional[Union[str, int]] = None,
                 enable: bool = True):
        super().__init__(name=name, enable_key=enable_key, enable=enable)
        self.register_input_buffer(input_buffer, 'input', trigger=True)
        self.register_output_buffer(output_buffer)

    def process(self, input_msgs: Dict[str, FrameMessage]) -> FrameMessage:
        msg = input_msgs['input']
        msg.set_image(self.draw(msg))
        return msg

    def bypass(self, input_msgs: Dict[str, FrameMessage]) -> FrameMessage:
        return input_msgs['input']

    @abstractmethod
    def draw(self, input_msg: FrameMessage) -> np.ndarray:
        """Draw on ``input_msg.get_image()`` (np.ndarray[H, W, 3], BGR;
        may be changed in place) using its objects.

        Returns:
            np.ndarray[H, W, 3]: The drawn frame.
        """
