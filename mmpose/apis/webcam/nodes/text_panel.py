"""Lines of text on a board half blended into a frame's top-left, as the
notice board and the monitor show them."""
from typing import Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv import color_val

__all__ = ['TextPanelMixin']

Color = Union[str, Tuple[int, int, int]]

#: Approximate width of one character, in pixels per unit of text scale.
_CHAR_WIDTH = 20


class TextPanelMixin:
    """Gives a node a text board: :meth:`set_text_panel` keeps its layout
    (as the attributes ``x_offset``, ``y_offset``, ``y_delta``,
    ``text_color``, ``background_color``, ``text_scale``) and
    :meth:`draw_text_panel` draws it."""

    def set_text_panel(self, x_offset: int, y_offset: int, y_delta: int,
                       text_color: Color, background_color: Color,
                       text_scale: float) -> None:
        """Keep the board's layout.

        Args:
            x_offset (int): Left edge of the text in pixels.
            y_offset (int): Baseline of the first line in pixels.
            y_delta (int): Line height in pixels.
            text_color (str | tuple): Text colour (name or BGR).
            background_color (str | tuple): Board colour (name or BGR).
            text_scale (float): OpenCV font scale.
        """
        self.x_offset = x_offset
        self.y_offset = y_offset
        self.y_delta = y_delta
        self.text_color = color_val(text_color)
        self.background_color = color_val(background_color)
        self.text_scale = text_scale

    def text_panel_region(self, img_shape: Tuple[int, ...],
                          lines: Sequence[str]) -> Tuple[int, ...]:
        """``(x1, y1, x2, y2)`` of the board of ``lines`` inside an image of
        shape ``(H, W[, C])``: from a line height above the first baseline
        to the baseline after the last line, as wide as the longest line
        (``text_scale * 20`` pixels a character)."""
        img_h, img_w = img_shape[:2]
        width = max(map(len, lines)) * self.text_scale * _CHAR_WIDTH
        return (max(0, self.x_offset),
                max(0, self.y_offset - self.y_delta),
                min(img_w, int(self.x_offset + width)),
                min(img_h, self.y_offset + self.y_delta * len(lines)))

    def draw_text_panel(self, img: np.ndarray,
                        lines: Sequence[str]) -> np.ndarray:
        """Write ``lines`` on the board and blend it half into ``img``
        (np.ndarray[H, W, 3], changed in place and returned); no board for
        no lines."""
        if not lines:
            return img
        board = np.empty_like(img)
        board[:] = self.background_color
        for i, line in enumerate(lines):
            cv2.putText(board, line,
                        (self.x_offset, self.y_offset + i * self.y_delta),
                        cv2.FONT_HERSHEY_DUPLEX, self.text_scale,
                        self.text_color, 1)
        x1, y1, x2, y2 = self.text_panel_region(img.shape, lines)
        img[y1:y2, x1:x2] = cv2.addWeighted(board[y1:y2, x1:x2], 0.5,
                                            img[y1:y2, x1:x2], 0.5, 0)
        return img
