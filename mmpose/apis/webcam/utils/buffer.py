"""Named FIFO buffers that carry messages between the webcam threads."""
from functools import wraps
from queue import Queue
from typing import Any, Callable, Dict, Iterable, Optional

from mmpose.errors import ArgumentError, UnknownNameError

__all__ = ['Buffer', 'BufferManager']


class Buffer(Queue):
    """A thread-safe FIFO queue (``maxsize`` 0: unbounded) that can also
    drop its oldest item to make room (:meth:`put_force`)."""

    def put_force(self, item: Any) -> None:
        """Put ``item`` without blocking; when the buffer is full, the
        oldest items are discarded first."""
        with self.mutex:
            if self.maxsize > 0:
                while self._qsize() >= self.maxsize:
                    self._get()
                    self.unfinished_tasks -= 1
            self._put(item)
            self.unfinished_tasks += 1
            self.not_empty.notify()


def _named_buffer(must_exist: bool) -> Callable:
    """Decorate a ``BufferManager`` method taking a buffer name first so
    that it refuses a name that is unknown (``must_exist``) or taken."""

    def decorate(method: Callable) -> Callable:

        @wraps(method)
        def checked(manager, name, *args, **kwargs):
            if must_exist and name not in manager:
                raise UnknownNameError(
                    f'{method.__name__}: buffer {name!r} is not registered; '
                    'registered buffers: '
                    f'{sorted(map(str, manager._buffers))}')
            if not must_exist and name in manager:
                raise ArgumentError(f'{method.__name__}: buffer {name!r} is '
                                    'already registered')
            return method(manager, name, *args, **kwargs)

        return checked

    return decorate


class BufferManager:
    """Hold buffers by name.

    Args:
        buffer_type (type): Class of the buffers it creates. Default:
            :class:`Buffer`.
        buffers (dict, optional): ``{name: buffer}`` to start from (shared,
            not copied); each value must be a ``buffer_type``. Default: empty.
    """

    def __init__(self,
                 buffer_type: type = Buffer,
                 buffers: Optional[Dict[Any, Buffer]] = None):
        self.buffer_type = buffer_type
        buffers = {} if buffers is None else dict(buffers)
        wrong = {name: type(buf).__name__ for name, buf in buffers.items()
                 if not isinstance(buf, buffer_type)}
        if wrong:  # a ValueError, as in 0.29
            raise ArgumentError(
                f'buffers must be {buffer_type.__name__} instances, got '
                f'{wrong}')
        self._buffers = buffers

    def __contains__(self, name) -> bool:
        return name in self._buffers

    @_named_buffer(must_exist=False)
    def register_buffer(self, name, maxsize: int = 0) -> None:
        """Create buffer ``name`` holding at most ``maxsize`` items (0:
        unbounded). A name already registered raises ``ValueError``."""
        self._buffers[name] = self.buffer_type(maxsize)

    @_named_buffer(must_exist=True)
    def put(self, name, item, block: bool = True,
            timeout: Optional[float] = None) -> None:
        """Append ``item`` to buffer ``name``; when full, wait (up to
        ``timeout`` s) or raise ``queue.Full`` (``block=False``)."""
        self._buffers[name].put(item, block, timeout)

    @_named_buffer(must_exist=True)
    def put_force(self, name, item) -> None:
        """Append ``item`` to buffer ``name``, dropping its oldest items
        if it is full."""
        self._buffers[name].put_force(item)

    @_named_buffer(must_exist=True)
    def get(self, name, block: bool = True,
            timeout: Optional[float] = None) -> Any:
        """Remove and return the oldest item of buffer ``name``; when
        empty, wait (up to ``timeout`` s) or raise ``queue.Empty``."""
        return self._buffers[name].get(block, timeout)

    @_named_buffer(must_exist=True)
    def is_empty(self, name) -> bool:
        """Whether buffer ``name`` holds no item."""
        return self._buffers[name].empty()

    @_named_buffer(must_exist=True)
    def is_full(self, name) -> bool:
        """Whether buffer ``name`` holds ``maxsize`` items."""
        return self._buffers[name].full()

    def get_sub_manager(self, buffer_names: Iterable) -> 'BufferManager':
        """A manager sharing (not copying) the named buffers of this one:
        what a node gets to see of its executor's buffers."""
        missing = [name for name in buffer_names if name not in self]
        if missing:
            raise UnknownNameError(
                f'buffers {missing} are not registered; registered buffers: '
                f'{sorted(map(str, self._buffers))}')
        return BufferManager(self.buffer_type,
                             {name: self._buffers[name]
                              for name in buffer_names})

    def get_info(self) -> Dict[Any, Dict[str, int]]:
        """``{name: {'size': items held, 'maxsize': capacity}}``."""
        return {name: {'size': buf.qsize(), 'maxsize': buf.maxsize}
                for name, buf in self._buffers.items()}
