"""Show lines of text (help, instructions) on the frames."""
from typing import List, Optional, Union

import numpy as np

from ...utils import FrameMessage
from ..base_visualizer_node import BaseVisualizerNode
from ..registry import NODES
from ..text_panel import Color, TextPanelMixin

__all__ = ['NoticeBoardNode']


@NODES.register_module()
class NoticeBoardNode(BaseVisualizerNode, TextPanelMixin):
    """Write text lines on a board half blended into the frame's top-left.

    Args:
        name (str): Node (and thread) name.
        input_buffer (str): Buffer of frames.
        output_buffer (str | list[str]): Output buffer name(s).
        enable_key (str | int, optional): Key showing/hiding the board.
            Default: None.
        enable (bool): Whether the board starts shown. Default: True.
        content_lines (list[str], optional): The lines. Default: None,
            :attr:`default_content_lines`.
        x_offset (int): Left edge of the text in pixels. Default: 20.
        y_offset (int): Baseline of the first line in pixels. Default: 20.
        y_delta (int): Line height in pixels. Default: 15.
        text_color (str | tuple): Text colour (name or BGR). Default:
            ``'black'``.
        background_color (str | tuple): Board colour (name or BGR).
            Default: (255, 183, 0).
        text_scale (float): OpenCV font scale. Default: 0.4.
    """

    default_content_lines = ['This is a notice board!']

    def __init__(self,
                 name: str,
                 input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 enable_key: Optional[Union[str, int]] = None,
                 enable: bool = True,
                 content_lines: Optional[List[str]] = None,
                 x_offset: int = 20,
                 y_offset: int = 20,
                 y_delta: int = 15,
                 text_color: Color = 'black',
                 background_color: Color = (255, 183, 0),
                 text_scale: float = 0.4):
        super().__init__(name, input_buffer, output_buffer, enable_key,
                         enable)
        self.content_lines = content_lines or list(self.default_content_lines)
        self.set_text_panel(x_offset, y_offset, y_delta, text_color,
                            background_color, text_scale)

    def draw(self, input_msg: FrameMessage) -> np.ndarray:
        return self.draw_text_panel(input_msg.get_image(), self.content_lines)
