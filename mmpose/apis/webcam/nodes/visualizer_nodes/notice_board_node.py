"""Show lines of text (help, instructions) on the frames."""
from typing import List, Optional, Tuple, Union

import cv2
import numpy as np
from mmcv import color_val

from ...utils import FrameMessage
from ..base_visualizer_node import BaseVisualizerNode
from ..registry import NODES

__all__ = ['NoticeBoardNode']

Color = Union[str, Tuple[int, int, int]]

#: Approximate width of one character, in pixels per unit of text scale.
_CHAR_WIDTH = 20


@NODES.register_module()
class NoticeBoardNode(BaseVisualizerNode):
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
        super().__init__(
            name=name, input_buffer=input_buffer,
            output_buffer=output_buffer, enable_key=enable_key,
            enable=enable)
        self.content_lines = content_lines or list(self.default_content_lines)
        self.x_offset = x_offset
        self.y_offset = y_offset
        self.y_delta = y_delta
        self.text_color = color_val(text_color)
        self.background_color = color_val(background_color)
        self.text_scale = text_scale

    def board_region(self, img_shape: Tuple[int, ...]) -> Tuple[int, ...]:
        """``(x1, y1, x2, y2)`` of the board inside an image of shape
        ``(H, W[, C])``: from a line height above the first baseline to the
        last baseline, as wide as the longest line."""
        img_h, img_w = img_shape[:2]
        width = max(map(len, self.content_lines)) * self.text_scale * \
            _CHAR_WIDTH
        return (max(0, self.x_offset),
                max(0, self.y_offset - self.y_delta),
                min(img_w, int(self.x_offset + width)),
                min(img_h,
                    self.y_offset + self.y_delta * len(self.content_lines)))

    def draw(self, input_msg: FrameMessage) -> np.ndarray:
        img = input_msg.get_image()
        board = np.empty_like(img)
        board[:] = self.background_color
        for i, line in enumerate(self.content_lines):
            cv2.putText(board, line,
                        (self.x_offset, self.y_offset + i * self.y_delta),
                        cv2.FONT_HERSHEY_DUPLEX, self.text_scale,
                        self.text_color, 1)
        x1, y1, x2, y2 = self.board_region(img.shape)
        img[y1:y2, x1:x2] = cv2.addWeighted(board[y1:y2, x1:x2], 0.5,
                                            img[y1:y2, x1:x2], 0.5, 0)
        return img
