"""A node that prints the route of each frame (nodes, fps, lag) on it."""
from typing import Dict, List, Optional, Union

from ..node import Node
from ..registry import NODES
from ..text_panel import Color, TextPanelMixin

try:
    import psutil
except ImportError:  # optional: without it no CPU/memory line is shown
    psutil = None

__all__ = ['MonitorNode']


@NODES.register_module()
class MonitorNode(Node, TextPanelMixin):
    """Show, in a half-transparent box, every node a frame went through
    and what it reported (fps, lag, ..., and CPU/memory use if ``psutil``
    is installed).

    Args:
        name (str): Node (and thread) name.
        input_buffer (str): Buffer of the frames.
        output_buffer (str | list[str]): Buffer(s) to send them to.
        enable_key (str | int, optional): Key that toggles the display.
            Default: None.
        enable (bool): Whether it starts shown. Default: False.
        x_offset (int): Left of the text in pixels. Default: 20.
        y_offset (int): Baseline of the first line in pixels. Default: 20.
        y_delta (int): Line height in pixels. Default: 15.
        text_color (str | tuple): Colour name or BGR. Default: 'black'.
        background_color (str | tuple): Colour name or BGR of the box.
            Default: (255, 183, 0).
        text_scale (float): OpenCV font scale. Default: 0.4.
        ignore_items (list[str], optional): Items of the node info not to
            show. Default: ``['timestamp']``.
    """

    _default_ignore_items = ['timestamp']

    def __init__(self,
                 name: str,
                 input_buffer: str,
                 output_buffer: Union[str, List[str]],
                 enable_key: Optional[Union[str, int]] = None,
                 enable: bool = False,
                 x_offset: int = 20,
                 y_offset: int = 20,
                 y_delta: int = 15,
                 text_color: Color = 'black',
                 background_color: Color = (255, 183, 0),
                 text_scale: float = 0.4,
                 ignore_items: Optional[List[str]] = None):
        super().__init__(name=name, enable_key=enable_key, enable=enable)
        self.set_text_panel(x_offset, y_offset, y_delta, text_color,
                            background_color, text_scale)
        self.ignore_items = (list(self._default_ignore_items)
                             if ignore_items is None else ignore_items)
        self.register_input_buffer(input_buffer, 'input', trigger=True)
        self.register_output_buffer(output_buffer)

    def process(self, input_msgs):
        msg = input_msgs['input']
        msg.update_route_info(node_name='System Info', node_type='none',
                              info=self._get_system_info())
        msg.set_image(
            self.draw_text_panel(msg.get_image(),
                                 self._route_lines(msg.get_route_info())))
        return msg

    def bypass(self, input_msgs):
        return input_msgs['input']

    @staticmethod
    def _get_system_info() -> Dict[str, float]:
        """CPU and memory use (%) of this process; empty without psutil."""
        if psutil is None:
            return {}
        proc = psutil.Process()
        return {'CPU(%)': proc.cpu_percent(),
                'Memory(%)': proc.memory_percent()}

    def _route_lines(self, route_info: List[Dict]) -> List[str]:
        """One title line per node, then one indented line per item."""
        lines = []
        for step in route_info:
            lines.append(f'{step["node"]}({step["node_type"]})')
            for key, value in (step['info'] or {}).items():
                if key in self.ignore_items:
                    continue
                if isinstance(value, float):
                    value = f'{value:.1f}'
                lines.append(f'    {key}: {value}')
        return lines
