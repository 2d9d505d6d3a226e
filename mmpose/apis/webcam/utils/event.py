"""Named thread events (``'_exit_'``, ``'_idle_'``, keyboard keys)."""
import logging
from collections import defaultdict
from contextlib import contextmanager
from threading import Event
from typing import Iterator, Optional, Union

__all__ = ['EventManager']

logger = logging.getLogger(__name__)

EventName = Union[str, int]


class EventManager:
    """Register, set, clear, check and wait for events by name.

    A keyboard event is named by its key, a character (``'m'``) or its
    code (``109``); both spell the same event ``'_keyboard_m'``.
    """

    def __init__(self):
        self._events = defaultdict(Event)

    @staticmethod
    def _get_keyboard_event_name(key: EventName) -> str:
        """``'_keyboard_<character>'`` for a key character or key code."""
        return f'_keyboard_{chr(key) if isinstance(key, int) else key}'

    def _key(self, event_name: EventName, is_keyboard: bool) -> EventName:
        return (self._get_keyboard_event_name(event_name)
                if is_keyboard else event_name)

    def register_event(self, event_name: EventName,
                       is_keyboard: bool = False) -> None:
        """Create event ``event_name`` (cleared); a keyboard event when
        ``is_keyboard`` (then ``event_name`` is the key)."""
        self._events[self._key(event_name, is_keyboard)] = Event()

    def set(self, event_name: EventName, is_keyboard: bool = False) -> None:
        """Set the event's flag, waking whoever waits on it."""
        key = self._key(event_name, is_keyboard)
        self._events[key].set()
        logger.debug('event %s is set', key)

    def clear(self, event_name: EventName = None,
              is_keyboard: bool = False) -> None:
        """Reset the event's flag."""
        key = self._key(event_name, is_keyboard)
        self._events[key].clear()
        logger.debug('event %s is cleared', key)

    def is_set(self, event_name: EventName = None,
               is_keyboard: bool = False) -> bool:
        """Whether the event's flag is set."""
        return self._events[self._key(event_name, is_keyboard)].is_set()

    def wait(self, event_name: EventName = None, is_keyboard: bool = False,
             timeout: Optional[float] = None) -> bool:
        """Block until the event is set or ``timeout`` seconds passed;
        return the flag."""
        return self._events[self._key(event_name, is_keyboard)].wait(timeout)

    @contextmanager
    def wait_and_handle(self, event_name: EventName = None,
                        is_keyboard: bool = False) -> Iterator[None]:
        """Wait until the event is set, run the ``with`` block, then clear
        the event (also when the block raises)."""
        self.wait(event_name, is_keyboard)
        try:
            yield
        finally:
            self.clear(event_name, is_keyboard)
