"""CPU time per crawl stage (parse, normalize, store, merge), what ``bench/crawl.py`` reports.

Each stage adds the CPU time of the thread it runs in (``time.thread_time``: the store stage runs
in a worker thread beside the reactor, so process CPU time would mix the two) to its crawler's
``StageClock``, which puts the totals in the crawl stats ``famreel/cpu_ms/<stage>`` when the
spider closes; ``crawler.runstats`` sums them per run into ``details["cpu_ms"]``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from functools import wraps
from typing import Any

from scrapy import signals

STAT_PREFIX = "famreel/cpu_ms/"


@contextmanager
def cpu_ms(totals: MutableMapping[str, float], stage: str) -> Iterator[None]:
    """Add this thread's CPU milliseconds inside the block to ``totals[stage]``."""
    started = time.thread_time()
    try:
        yield
    finally:
        totals[stage] = totals.get(stage, 0.0) + (time.thread_time() - started) * 1000


class StageClock:
    """One crawler's CPU milliseconds per stage, added up here and put in its stats when its
    spider closes. Parse and normalize run once per page or item: a stats call each (Scrapy
    2.19's stats collector wraps every method call) and a generator-based context manager cost
    about 1% of a crawl's CPU in py-spy."""

    _of: weakref.WeakKeyDictionary[Any, StageClock] = weakref.WeakKeyDictionary()

    def __init__(self, stats: Any):
        self.stats = stats
        self.ms: defaultdict[str, float] = defaultdict(float)
        self._lock = threading.Lock()  # the store stage adds from worker threads

    @classmethod
    def of(cls, crawler: Any) -> StageClock:
        clock = cls._of.get(crawler)
        if clock is None:
            clock = cls._of[crawler] = cls(crawler.stats)
            crawler.signals.connect(clock.flush, signal=signals.spider_closed)
        return clock

    def add(self, stage: str, ms: float) -> None:
        with self._lock:
            self.ms[stage] += ms

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        """This thread's CPU time inside the block, to ``stage``."""
        started = time.thread_time()
        try:
            yield
        finally:
            self.add(stage, (time.thread_time() - started) * 1000)

    def flush(self, **_: Any) -> None:
        """The totals into the stats (``famreel/cpu_ms/<stage>``), added to what is there."""
        with self._lock:
            totals, self.ms = self.ms, defaultdict(float)
        for stage, ms in totals.items():
            self.stats.inc_value(STAT_PREFIX + stage, ms, start=0.0)


def timed(stage: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a method of a component that has ``self.crawler``: its thread's CPU time goes
    to ``stage`` of the crawler's ``StageClock``."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return method(self, *args, **kwargs)
            finally:
                StageClock.of(self.crawler).add(stage, (time.thread_time() - started) * 1000)

        return wrapper

    return decorate
