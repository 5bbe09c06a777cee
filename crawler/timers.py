"""CPU time per crawl stage (parse, normalize, store, merge), what ``bench/crawl.py`` reports.

Each stage adds the CPU time of the thread it runs in (``time.thread_time``: the store stage runs
in a worker thread beside the reactor, so process CPU time would mix the two) to the crawl stat
``famreel/cpu_ms/<stage>``; ``crawler.runstats`` sums them per run into
``details["cpu_ms"]``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from functools import wraps
from typing import Any

STAT_PREFIX = "famreel/cpu_ms/"


@contextmanager
def cpu_ms(totals: MutableMapping[str, float], stage: str) -> Iterator[None]:
    """Add this thread's CPU milliseconds inside the block to ``totals[stage]``."""
    started = time.thread_time()
    try:
        yield
    finally:
        totals[stage] = totals.get(stage, 0.0) + (time.thread_time() - started) * 1000


@contextmanager
def stage_cpu(stats: Any, stage: str) -> Iterator[None]:
    """The same into a Scrapy stats collector, as ``famreel/cpu_ms/<stage>``."""
    started = time.thread_time()
    try:
        yield
    finally:
        stats.inc_value(STAT_PREFIX + stage, (time.thread_time() - started) * 1000, start=0.0)


def timed(stage: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a method of a component that has ``self.crawler`` with ``stage_cpu``."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            with stage_cpu(self.crawler.stats, stage):
                return method(self, *args, **kwargs)

        return wrapper

    return decorate
