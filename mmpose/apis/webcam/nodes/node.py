"""The base class of webcam nodes: a thread that reads messages from its
input buffers, processes them and writes the result to its output buffers.
"""
import logging
import time
from abc import ABCMeta, abstractmethod
from dataclasses import dataclass
from threading import Event, Thread
from typing import Callable, Dict, List, Optional, Tuple, Union

from mmcv.utils.misc import is_method_overridden

from mmpose.errors import ArgumentError, UnsupportedError
from mmpose.utils import StopWatch
from ..utils.message import Message, VideoEndingMessage
from ..utils.misc import limit_max_fps

__all__ = ['BufferInfo', 'EventInfo', 'Node']

logger = logging.getLogger(__name__)

#: seconds an event listener waits before checking again whether to stop
_LISTEN_INTERVAL = 0.05


@dataclass
class BufferInfo:
    """A buffer a node reads (``input_name`` set) or writes."""
    buffer_name: str
    input_name: Optional[str] = None
    trigger: bool = False


@dataclass
class EventInfo:
    """An event a node uses; ``handler_func()`` runs each time it is set."""
    event_name: Union[str, int]
    is_keyboard: bool = False
    handler_func: Optional[Callable[[], None]] = None


class Node(Thread, metaclass=ABCMeta):
    """A processing step of a :class:`WebcamExecutor` graph, run as a thread.

    A subclass registers its buffers in ``__init__``
    (:meth:`register_input_buffer`, :meth:`register_output_buffer`) and
    implements :meth:`process`; one with an ``enable_key`` also implements
    :meth:`bypass`, what it does while disabled.

    Each loop the node waits until every *trigger* input buffer has a
    message, then calls ``process(input_msgs)`` (or ``bypass`` when
    disabled) with ``input_msgs = {input_name: message}``: one message per
    buffer, the oldest, or None for an empty non-trigger buffer. With
    ``multi_input`` each value is instead the list of all messages the
    buffer held (oldest first, possibly empty). The returned message (None:
    nothing) is put into every output buffer, dropping their oldest message
    if full. A :class:`VideoEndingMessage` among the inputs is forwarded
    without processing and ends the node; so does the executor's
    ``'_exit_'`` event. An exception in ``process`` is kept in
    :attr:`error`, sets ``'_exit_'`` (the executor stops and re-raises it).

    Args:
        name (str): Node (and thread) name.
        enable_key (str | int, optional): Key (character or key code) that
            toggles the node on and off; needs :meth:`bypass`. 'q', 'Q' and
            27 (Esc) are taken by the executor. Default: None.
        max_fps (int): At most this many ``process`` calls per second.
            Default: 30.
        input_check_interval (float): Seconds to sleep while the inputs are
            not ready. Default: 0.01.
        enable (bool): Whether the node starts enabled. Default: True.
        daemon (bool): Whether the thread is a daemon (the executor does
            not wait for it). Default: False.
        multi_input (bool): Take all queued messages of each input buffer
            at once (lists) instead of one. Default: False.
    """

    def __init__(self,
                 name: str,
                 enable_key: Optional[Union[str, int]] = None,
                 max_fps: int = 30,
                 input_check_interval: float = 0.01,
                 enable: bool = True,
                 daemon: bool = False,
                 multi_input: bool = False):
        super().__init__(name=name, daemon=daemon)
        self.enable_key = enable_key
        self.max_fps = max_fps
        self.input_check_interval = input_check_interval
        self.multi_input = multi_input
        self._enabled = enable
        #: the exception that stopped the node, if any
        self.error: Optional[BaseException] = None

        self._input_buffers: List[BufferInfo] = []
        self._output_buffers: List[BufferInfo] = []
        self._registered_events: List[EventInfo] = []
        # set by set_executor(): views of the executor's buffers and events
        self._buffer_manager = None
        self._event_manager = None
        self._timer = StopWatch(window=10)

        if enable_key:  # as in 0.29, '' or 0 means no key
            if not is_method_overridden('bypass', Node, type(self)):
                raise UnsupportedError(
                    f'{type(self).__name__} {name!r}: enable_key='
                    f'{enable_key!r} needs the node to define bypass() '
                    '(what it does while disabled), which it does not')
            self.register_event(enable_key, is_keyboard=True,
                                handler_func=self._toggle_enable)

    @property
    def enabled(self) -> bool:
        """Whether ``process`` (True) or ``bypass`` (False) runs."""
        return self._enabled

    def _toggle_enable(self) -> None:
        self._enabled = not self._enabled

    @property
    def registered_buffers(self) -> List[BufferInfo]:
        """Input then output buffers of the node."""
        return self._input_buffers + self._output_buffers

    @property
    def registered_events(self) -> List[EventInfo]:
        """A copy of the node's events."""
        return list(self._registered_events)

    def register_input_buffer(self, buffer_name: str, input_name: str,
                              trigger: bool = False) -> None:
        """Read buffer ``buffer_name``; its messages reach ``process`` as
        ``input_msgs[input_name]``. A ``trigger`` buffer must have a
        message before the node processes; the others give None when
        empty. Call in ``__init__``."""
        self._input_buffers.append(
            BufferInfo(buffer_name, input_name, trigger))

    def register_output_buffer(self,
                               buffer_name: Union[str, List[str]]) -> None:
        """Send the output of ``process`` to ``buffer_name`` (a name or a
        list of names). Call in ``__init__``."""
        names = buffer_name if isinstance(buffer_name, list) else [
            buffer_name
        ]
        self._output_buffers += [BufferInfo(name) for name in names]

    def register_event(self, event_name: Union[str, int],
                       is_keyboard: bool = False,
                       handler_func: Optional[Callable[[], None]] = None
                       ) -> None:
        """Declare an event the node uses (a key when ``is_keyboard``);
        while the node runs, ``handler_func()`` is called (in a listener
        thread) each time the event is set. Call in ``__init__``."""
        self._registered_events.append(
            EventInfo(event_name, is_keyboard, handler_func))

    def set_executor(self, executor) -> None:
        """Give the node access to ``executor``'s buffers (those it
        registered) and events; called by the executor."""
        self._buffer_manager = executor.buffer_manager.get_sub_manager(
            [info.buffer_name for info in self.registered_buffers])
        self._event_manager = executor.event_manager

    def _get_input_from_buffer(self) -> Tuple[bool, Optional[Dict]]:
        """``(True, input_msgs)`` when every trigger buffer has a message
        (taking them out), else ``(False, None)`` (taking nothing)."""
        manager = self._buffer_manager
        if manager is None:
            raise ArgumentError(f'node {self.name!r} is not assigned to an '
                                'executor; call set_executor() first')
        if any(info.trigger and manager.is_empty(info.buffer_name)
               for info in self._input_buffers):
            return False, None

        input_msgs = {}
        for info in self._input_buffers:
            msgs = []
            while (not manager.is_empty(info.buffer_name)
                   and (self.multi_input or not msgs)):
                msgs.append(manager.get(info.buffer_name, block=False))
            input_msgs[info.input_name] = (
                msgs if self.multi_input else (msgs[0] if msgs else None))
        return True, input_msgs

    def _send_output_to_buffers(self, output_msg: Message) -> None:
        """Put ``output_msg`` into every output buffer (dropping the
        oldest message of a full one)."""
        for info in self._output_buffers:
            self._buffer_manager.put_force(info.buffer_name, output_msg)

    @abstractmethod
    def process(self, input_msgs: Dict[str, Message]) -> Optional[Message]:
        """Do the node's work.

        Args:
            input_msgs (dict): ``{input_name: message}`` (see the class
                docstring for None and ``multi_input``).

        Returns:
            Message | None: Sent to all output buffers (None: nothing).
        """

    def bypass(self, input_msgs: Dict[str, Message]) -> Optional[Message]:
        """What the node does while disabled; same contract as
        :meth:`process`. Nodes with an ``enable_key`` must define it."""
        raise UnsupportedError(
            f'{type(self).__name__} {self.name!r} cannot be disabled: it '
            'does not define bypass()')

    def _get_node_info(self) -> Dict:
        """What the node adds to the route of its output messages:
        ``'fps'`` (of ``process``; NaN before the first call) and
        ``'timestamp'``."""
        fps = self._timer.report().get('_FPS_', float('nan'))
        return {'fps': fps, 'timestamp': time.time()}

    def on_exit(self) -> None:
        """Called once when the node stops (video end, ``'_exit_'`` or an
        error); override to release resources."""

    def _listen(self, event_info: EventInfo, stop: Event) -> None:
        """Call the handler each time the event is set, until ``stop``."""
        manager = self._event_manager
        while not stop.is_set():
            if manager.wait(event_info.event_name, event_info.is_keyboard,
                            timeout=_LISTEN_INTERVAL):
                manager.clear(event_info.event_name, event_info.is_keyboard)
                event_info.handler_func()

    def _loop(self) -> None:
        """Process inputs until the video ends or ``'_exit_'`` is set."""
        while not self._event_manager.is_set('_exit_'):
            ready, input_msgs = self._get_input_from_buffer()
            if not ready:
                time.sleep(self.input_check_interval)
                continue

            received = [
                msg for value in input_msgs.values()
                for msg in (value if isinstance(value, list) else [value])
            ]
            ending = next((msg for msg in received
                           if isinstance(msg, VideoEndingMessage)), None)
            if ending is not None:
                self._send_output_to_buffers(ending)
                return

            if self._enabled:
                with self._timer.timeit(), limit_max_fps(self.max_fps):
                    output_msg = self.process(input_msgs)
                if output_msg is not None:
                    output_msg.update_route_info(
                        node=self, info=self._get_node_info())
            else:
                output_msg = self.bypass(input_msgs)

            if output_msg is not None:
                self._send_output_to_buffers(output_msg)

    def run(self) -> None:
        """The thread's body (do not override): start the event listeners,
        run the loop, then stop the listeners and call :meth:`on_exit`."""
        if self._event_manager is None:
            raise ArgumentError(f'node {self.name!r} is not assigned to an '
                                'executor; call set_executor() first')
        logger.info('node %s starts', self.name)
        stop = Event()
        listeners = [
            Thread(target=self._listen, args=(info, stop), daemon=True,
                   name=f'{self.name}:{info.event_name}')
            for info in self._registered_events
            if info.handler_func is not None
        ]
        for listener in listeners:
            listener.start()
        try:
            self._loop()
        except Exception as error:  # noqa: B902 stop the whole app
            self._fail(error)
        finally:
            stop.set()
            for listener in listeners:
                listener.join()
            try:
                self.on_exit()
            except Exception as error:  # noqa: B902
                self._fail(error)
        logger.info('node %s stops', self.name)

    def _fail(self, error: Exception) -> None:
        """Keep the first error of the node and make the app exit."""
        logger.exception('node %s failed', self.name)
        if self.error is None:
            self.error = error
        self._event_manager.set('_exit_')
