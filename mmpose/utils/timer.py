"""A stopwatch that averages named timings over a sliding window."""
from collections import defaultdict, deque
from contextlib import contextmanager
from time import perf_counter
from typing import Dict, Iterator, List, Optional, Union

from mmpose.errors import ArgumentError, UnknownNameError

__all__ = ['StopWatch']

#: name of the timer that :meth:`StopWatch.report` turns into frames/s
FPS_TIMER = '_FPS_'


class StopWatch:
    """Time named code blocks; report each name's mean over its last
    ``window`` timings.

    Example::

        >>> watch = StopWatch(window=10)
        >>> with watch.timeit():             # the whole frame: FPS
        ...     with watch.timeit('detect'):  # a part: milliseconds
        ...         ...
        >>> watch.report()                    # {'detect': ms, '_FPS_': fps}

    Args:
        window (int): How many of the latest timings of a name are
            averaged. Default: 1.
    """

    def __init__(self, window: int = 1):
        if window < 1:
            raise ArgumentError(f'window must be >= 1, got {window}')
        self.window = window
        self._records: Dict[str, deque] = defaultdict(
            lambda: deque(maxlen=self.window))

    @contextmanager
    def timeit(self, timer_name: str = FPS_TIMER) -> Iterator[None]:
        """Time the ``with`` block under ``timer_name`` (blocks may nest).

        Args:
            timer_name (str): Name of the timing. Default: '_FPS_', the
                one reported as frames per second.
        """
        start = perf_counter()
        try:
            yield
        finally:
            self._records[timer_name].append(perf_counter() - start)

    def report(self, key: Optional[str] = None
               ) -> Union[float, Dict[str, float]]:
        """Mean time of each name in milliseconds; '_FPS_' as frames/s.

        Args:
            key (str | None): Report this name only.

        Returns:
            dict[str, float] | float: ``{name: value}`` or one value.
        """
        means = {name: 1000. * sum(times) / len(times)
                 for name, times in self._records.items()}
        if FPS_TIMER in means:
            means[FPS_TIMER] = 1000. / means[FPS_TIMER]
        if key is None:
            return means
        if key not in means:
            raise UnknownNameError(f'no timing named {key!r}; timed: '
                                   f'{sorted(means)}')
        return means[key]

    def report_strings(self) -> List[str]:
        """The report as text: ``'FPS: 25.0'`` first, then
        ``'name: 12'`` (milliseconds) for each other name."""
        means = self.report()
        strings = []
        if FPS_TIMER in means:
            strings.append(f'FPS: {means.pop(FPS_TIMER):>5.1f}')
        strings += [f'{name}: {ms:>3.0f}' for name, ms in means.items()]
        return strings

    def reset(self) -> None:
        """Forget all timings."""
        self._records.clear()
