"""A node that joins the latest model results with the live frames."""
import time
from collections import deque
from typing import List, Union

import numpy as np

from ..node import Node
from ..registry import NODES

__all__ = ['ObjectAssignerNode']

#: how many of the latest measurements the reported rates and lags average
_WINDOW = 10


@NODES.register_module()
class ObjectAssignerNode(Node):
    """Put the latest detected objects on the frames to display.

    Asynchronous executor (the default): each frame of ``frame_buffer`` is
    sent on with the objects (and route) of the latest message of
    ``object_buffer``, so the video stays smooth however slow the models
    are. Synchronous executor: each object message is sent on as it is (it
    carries the frame the models saw); frames are only drained.

    Args:
        name (str): Node (and thread) name.
        frame_buffer (str): Buffer of the frames (usually ``'_frame_'``).
        object_buffer (str): Buffer of the model results.
        output_buffer (str | list[str]): Buffer(s) to send frames to.
    """

    def __init__(self, name: str, frame_buffer: str, object_buffer: str,
                 output_buffer: Union[str, List[str]]):
        super().__init__(name=name, enable=True)
        self.synchronous = None
        self.last_object_msg = None
        self.last_output_msg = None
        self._object_fps = deque(maxlen=_WINDOW)
        self._object_lag = deque(maxlen=_WINDOW)
        self._frame_fps = deque(maxlen=_WINDOW)
        self._frame_lag = deque(maxlen=_WINDOW)
        # which input triggers processing depends on the executor's mode,
        # known in set_executor()
        self.register_input_buffer(object_buffer, 'object', trigger=False)
        self.register_input_buffer(frame_buffer, 'frame', trigger=False)
        self.register_output_buffer(output_buffer)

    def set_executor(self, executor) -> None:
        super().set_executor(executor)
        self.synchronous = bool(executor.synchronous)
        trigger = 'object' if self.synchronous else 'frame'
        for info in self._input_buffers:
            info.trigger = info.input_name == trigger

    def process(self, input_msgs):
        now = time.time()
        object_msg = input_msgs['object']
        if object_msg is not None:
            if self.last_object_msg is not None:
                _append_rate(self._object_fps, object_msg.timestamp -
                             self.last_object_msg.timestamp)
            self._object_lag.append(now - object_msg.timestamp)
            self.last_object_msg = object_msg

        if self.synchronous:
            output_msg = object_msg
        else:
            output_msg = input_msgs['frame']
            if self.last_object_msg is not None:
                output_msg.update_objects(self.last_object_msg.get_objects())
                output_msg.merge_route_info(
                    self.last_object_msg.get_route_info())

        self._frame_lag.append(now - output_msg.timestamp)
        if self.last_output_msg is not None:
            _append_rate(self._frame_fps, output_msg.timestamp -
                         self.last_output_msg.timestamp)
        self.last_output_msg = output_msg
        return output_msg

    def _get_node_info(self):
        info = super()._get_node_info()
        info['object_fps'] = _mean(self._object_fps)
        info['object_lag (ms)'] = _mean(self._object_lag) * 1000
        info['frame_fps'] = _mean(self._frame_fps)
        info['frame_lag (ms)'] = _mean(self._frame_lag) * 1000
        return info


def _append_rate(rates: deque, interval: float) -> None:
    """Append ``1 / interval`` (skipped for a zero interval)."""
    if interval > 0:
        rates.append(1.0 / interval)


def _mean(values: deque) -> float:
    """Mean of the values; NaN when there are none yet."""
    return float(np.mean(values)) if values else float('nan')
